"""
VMBackup (one backup archive of a guest on a storage): the full NetBox chain through NetBox's own
test cases.
"""

from datetime import UTC, datetime

from django.test import TestCase

from utilities.testing import TableTestCases

from netbox_proxbox.filtersets import VMBackupFilterSet
from netbox_proxbox.graphql.types import ProxboxVMBackupType
from netbox_proxbox.models import VMBackup
from netbox_proxbox.tables import VMBackupTable

from . import base
from .factories import make_proxmox_cluster, make_storage, make_virtual_machines

T0 = datetime(2026, 1, 1, 2, 0, tzinfo=UTC)


def make_backups():
    cluster = make_proxmox_cluster('pve-a')
    nfs, pbs = make_storage(cluster, 'backup-nfs'), make_storage(cluster, 'pbs', type='pbs')
    vm1, vm2, _vm3 = make_virtual_machines()
    return VMBackup.objects.bulk_create(
        [
            VMBackup(
                storage=nfs,
                volume_id='backup-nfs:backup/vzdump-qemu-100-2026_01_01-02_00_00.vma.zst',
                virtual_machine=vm1,
                guest_id=100,
                guest_type='qemu',
                format='vma.zst',
                size=5 * 1024**3,  # over 2 GiB: past GraphQL's 32-bit Int
                creation_time=T0,
            ),
            VMBackup(
                storage=pbs,
                volume_id='pbs:backup/vm/100/2026-01-01T02:00:00Z',
                virtual_machine=vm1,
                guest_id=100,
                guest_type='qemu',
                protected=True,
                verification_state='ok',
                encrypted=True,
            ),
            VMBackup(
                storage=pbs,
                volume_id='pbs:backup/ct/200/2026-01-01T02:00:00Z',
                virtual_machine=vm2,
                guest_id=200,
                guest_type='lxc',
                verification_state='failed',
                notes='nightly',
            ),
        ]
    )


class VMBackupViewTestCase(base.PluginPrimaryObjectViewTestCase):
    """List, detail, add, edit, delete, bulk import, bulk edit and bulk delete views."""

    model = VMBackup

    @classmethod
    def setUpTestData(cls):
        make_backups()
        nfs = VMBackup.objects.filter(storage__name='backup-nfs').first().storage
        cls.form_data = {
            'storage': nfs.pk,
            'volume_id': 'backup-nfs:backup/vzdump-lxc-300.tar.zst',
            'guest_id': 300,
            'guest_type': 'lxc',
            'format': 'tar.zst',
            'size': 2048,
            'verification_state': 'none',
        }
        cls.csv_data = (
            'cluster,storage,volume_id,virtual_machine,guest_id,guest_type,protected',
            'pve-a,backup-nfs,backup-nfs:backup/a.vma.zst,vm-3,103,qemu,true',
            'pve-a,pbs,pbs:backup/vm/103/x,vm-3,103,qemu,false',
            ',pbs,pbs:backup/ct/104/x,,104,lxc,',
        )
        ids = VMBackup.objects.values_list('pk', flat=True)
        cls.csv_update_data = ('id,notes', *(f'{pk},checked' for pk in ids))
        cls.bulk_edit_data = {'verification_state': 'ok', 'notes': 'bulk'}


class VMBackupAPITestCase(base.PluginAPIViewTestCase):
    """REST API (list, brief, create, bulk create, update, delete) and GraphQL."""

    model = VMBackup
    brief_fields = ['description', 'display', 'guest_id', 'id', 'url', 'volume_id']
    bulk_update_data = {'description': 'bulk', 'protected': True}
    bulk_update_invalid_data = {'guest_type': 'vmware'}
    graphql_base_name = 'proxbox_vm_backup'
    type_class = ProxboxVMBackupType

    @classmethod
    def setUpTestData(cls):
        make_backups()
        pbs = VMBackup.objects.filter(storage__name='pbs').first().storage
        cls.create_data = [
            {'storage': pbs.pk, 'volume_id': 'pbs:backup/vm/900/a', 'guest_id': 900, 'guest_type': 'qemu'},
            {'storage': pbs.pk, 'volume_id': 'pbs:backup/vm/900/b', 'guest_id': 900, 'guest_type': 'qemu', 'size': 5},
            {'storage': pbs.pk, 'volume_id': 'pbs:backup/ct/901/a', 'guest_id': 901, 'guest_type': 'lxc'},
        ]


class VMBackupFilterSetTestCase(base.PluginFilterSetTestMixin, TestCase):
    """Every model field has its filter, and the filters select what they say."""

    queryset = VMBackup.objects.all()
    filterset = VMBackupFilterSet

    @classmethod
    def setUpTestData(cls):
        make_backups()

    def count(self, params):
        return self.filterset(params, self.queryset).qs.count()

    def test_q(self):
        self.assertEqual(self.count({'q': 'nightly'}), 1)

    def test_storage_and_cluster(self):
        self.assertEqual(self.count({'cluster': ['pve-a']}), 3)
        pbs = VMBackup.objects.filter(storage__name='pbs').first().storage
        self.assertEqual(self.count({'storage_id': [pbs.pk]}), 2)

    def test_virtual_machine(self):
        self.assertEqual(self.count({'virtual_machine': ['vm-1']}), 2)

    def test_guest(self):
        self.assertEqual(self.count({'guest_id': [200]}), 1)
        self.assertEqual(self.count({'guest_type': ['qemu']}), 2)

    def test_state(self):
        self.assertEqual(self.count({'protected': True}), 1)
        self.assertEqual(self.count({'encrypted': True}), 1)
        self.assertEqual(self.count({'verification_state': ['ok', 'failed']}), 2)


class VMBackupTableTestCase(TableTestCases.StandardTableTestCase):
    """Every orderable column of the list table renders."""

    table = VMBackupTable

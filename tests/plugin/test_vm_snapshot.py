"""
VMSnapshot (a snapshot of a guest): the full NetBox chain through NetBox's own test cases.
"""

from datetime import UTC, datetime

from django.test import TestCase

from utilities.testing import TableTestCases

from netbox_proxbox.filtersets import VMSnapshotFilterSet
from netbox_proxbox.graphql.types import ProxboxVMSnapshotType
from netbox_proxbox.models import VMSnapshot
from netbox_proxbox.tables import VMSnapshotTable

from . import base
from .factories import make_virtual_machines


def make_snapshots():
    vm1, vm2, _vm3 = make_virtual_machines()
    t = datetime(2026, 1, 1, tzinfo=UTC)
    return VMSnapshot.objects.bulk_create(
        [
            VMSnapshot(virtual_machine=vm1, name='before-upgrade', snapshot_time=t),
            VMSnapshot(virtual_machine=vm1, name='after-upgrade', parent='before-upgrade', vmstate=True),
            VMSnapshot(virtual_machine=vm2, name='before-upgrade', description='pre-release'),
        ]
    )


class VMSnapshotViewTestCase(base.PluginPrimaryObjectViewTestCase):
    """List, detail, add, edit, delete, bulk import, bulk edit and bulk delete views."""

    model = VMSnapshot

    @classmethod
    def setUpTestData(cls):
        make_snapshots()
        vm3 = make_virtual_machines('vm-4')[0]
        cls.form_data = {'virtual_machine': vm3.pk, 'name': 'snap-new', 'parent': '', 'vmstate': True}
        cls.csv_data = (
            'virtual_machine,name,parent,vmstate',
            'vm-3,s1,,false',
            'vm-3,s2,s1,true',
            'vm-2,s1,before-upgrade,',
        )
        ids = VMSnapshot.objects.values_list('pk', flat=True)
        cls.csv_update_data = ('id,description', *(f'{pk},updated' for pk in ids))
        cls.bulk_edit_data = {'description': 'bulk edited'}


class VMSnapshotAPITestCase(base.PluginAPIViewTestCase):
    """REST API (list, brief, create, bulk create, update, delete) and GraphQL."""

    model = VMSnapshot
    brief_fields = ['description', 'display', 'id', 'name', 'url', 'virtual_machine']
    bulk_update_data = {'description': 'bulk'}
    bulk_update_invalid_data = {'name': ''}
    graphql_base_name = 'proxbox_vm_snapshot'
    type_class = ProxboxVMSnapshotType

    @classmethod
    def setUpTestData(cls):
        make_snapshots()
        vm3 = make_virtual_machines('vm-4')[0]
        cls.create_data = [
            {'virtual_machine': vm3.pk, 'name': 'a'},
            {'virtual_machine': vm3.pk, 'name': 'b', 'parent': 'a'},
            {'virtual_machine': vm3.pk, 'name': 'c', 'parent': 'b', 'vmstate': True},
        ]


class VMSnapshotFilterSetTestCase(base.PluginFilterSetTestMixin, TestCase):
    """Every model field has its filter, and the filters select what they say."""

    queryset = VMSnapshot.objects.all()
    filterset = VMSnapshotFilterSet

    @classmethod
    def setUpTestData(cls):
        make_snapshots()

    def count(self, params):
        return self.filterset(params, self.queryset).qs.count()

    def test_q(self):
        self.assertEqual(self.count({'q': 'after'}), 1)

    def test_virtual_machine(self):
        self.assertEqual(self.count({'virtual_machine': ['vm-1']}), 2)

    def test_name_parent(self):
        self.assertEqual(self.count({'name': ['before-upgrade']}), 2)
        self.assertEqual(self.count({'parent': ['before-upgrade']}), 1)

    def test_vmstate(self):
        self.assertEqual(self.count({'vmstate': True}), 1)


class VMSnapshotTableTestCase(TableTestCases.StandardTableTestCase):
    """Every orderable column of the list table renders."""

    table = VMSnapshotTable

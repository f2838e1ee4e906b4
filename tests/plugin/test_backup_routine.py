"""
BackupRoutine (a vzdump backup job): the full NetBox chain (views, REST API, GraphQL, filterset,
table) through NetBox's own test cases.
"""

from django.test import TestCase

from utilities.testing import TableTestCases

from netbox_proxbox.filtersets import BackupRoutineFilterSet
from netbox_proxbox.graphql.types import ProxboxBackupRoutineType
from netbox_proxbox.models import BackupRoutine
from netbox_proxbox.tables import BackupRoutineTable

from . import base
from .factories import make_proxmox_cluster, make_storage


def make_routines():
    cluster = make_proxmox_cluster('pve-a')
    other = make_proxmox_cluster('pve-b')
    nfs = make_storage(cluster, 'backup-nfs')
    make_storage(other, 'backup-nfs')
    return BackupRoutine.objects.bulk_create(
        [
            BackupRoutine(cluster=cluster, job_id='backup-1', schedule='sat 02:00', storage=nfs, keep_last=3),
            BackupRoutine(
                cluster=cluster,
                job_id='backup-2',
                mode='stop',
                selection='guests',
                guest_ids=[100, 101],
                enabled=False,
                compression='zstd',
            ),
            BackupRoutine(cluster=other, job_id='backup-1', selection='pool', pool='prod', description='weekly'),
        ]
    )


class BackupRoutineViewTestCase(base.PluginPrimaryObjectViewTestCase):
    """List, detail, add, edit, delete, bulk import, bulk edit and bulk delete views."""

    model = BackupRoutine

    @classmethod
    def setUpTestData(cls):
        make_routines()
        cluster = BackupRoutine.objects.first().cluster
        cls.form_data = {
            'cluster': cluster.pk,
            'job_id': 'backup-new',
            'schedule': 'daily',
            'enabled': True,
            'storage': cluster.storages.get().pk,
            'mode': 'suspend',
            'selection': 'all',
            'keep_daily': 7,
        }
        cls.csv_data = (
            'cluster,job_id,storage,mode,selection,guest_ids,pool',
            'pve-a,backup-x,backup-nfs,stop,guests,"100,101",',
            'pve-b,backup-y,backup-nfs,snapshot,pool,,prod',
            'pve-b,backup-z,,,all,,',
        )
        ids = BackupRoutine.objects.values_list('pk', flat=True)
        cls.csv_update_data = ('id,schedule,description', *(f'{pk},sun 04:00,updated' for pk in ids))
        cls.bulk_edit_data = {'mode': 'stop', 'keep_last': 9, 'description': 'bulk edited'}


class BackupRoutineAPITestCase(base.PluginAPIViewTestCase):
    """REST API (list, brief, create, bulk create, update, delete) and GraphQL."""

    model = BackupRoutine
    brief_fields = ['cluster', 'description', 'display', 'id', 'job_id', 'url']
    bulk_update_data = {'description': 'bulk', 'keep_daily': 5}
    bulk_update_invalid_data = {'mode': 'not-a-mode'}
    graphql_base_name = 'proxbox_backup_routine'
    type_class = ProxboxBackupRoutineType

    @classmethod
    def setUpTestData(cls):
        make_routines()
        cluster = BackupRoutine.objects.first().cluster
        cls.create_data = [
            {'cluster': cluster.pk, 'job_id': 'api-1', 'schedule': 'daily'},
            {'cluster': cluster.pk, 'job_id': 'api-2', 'selection': 'guests', 'guest_ids': [200]},
            {'cluster': cluster.pk, 'job_id': 'api-3', 'mode': 'stop', 'keep_last': 2, 'compression': 'zstd'},
        ]


class BackupRoutineFilterSetTestCase(base.PluginFilterSetTestMixin, TestCase):
    """Every model field has its filter, and the filters select what they say."""

    queryset = BackupRoutine.objects.all()
    filterset = BackupRoutineFilterSet

    @classmethod
    def setUpTestData(cls):
        make_routines()

    def count(self, params):
        return self.filterset(params, self.queryset).qs.count()

    def test_q(self):
        self.assertEqual(self.count({'q': 'prod'}), 1)

    def test_cluster(self):
        cluster = BackupRoutine.objects.first().cluster
        self.assertEqual(self.count({'cluster_id': [cluster.pk]}), 2)
        self.assertEqual(self.count({'cluster': ['pve-b']}), 1)

    def test_job_id(self):
        self.assertEqual(self.count({'job_id': ['backup-1']}), 2)

    def test_storage(self):
        storage = BackupRoutine.objects.get(storage__isnull=False).storage
        self.assertEqual(self.count({'storage_id': [storage.pk]}), 1)

    def test_enabled(self):
        self.assertEqual(self.count({'enabled': False}), 1)

    def test_mode_and_selection(self):
        self.assertEqual(self.count({'mode': ['stop']}), 1)
        self.assertEqual(self.count({'selection': ['pool', 'guests']}), 2)

    def test_guest_ids(self):
        self.assertEqual(self.count({'guest_ids': 101}), 1)


class BackupRoutineTableTestCase(TableTestCases.StandardTableTestCase):
    """Every orderable column of the list table renders."""

    table = BackupRoutineTable

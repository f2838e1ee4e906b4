"""
VMTaskHistory (a Proxmox task from a node's task log): the full NetBox chain through NetBox's own
test cases. The sync writes tasks; people may still correct or import them.
"""

from datetime import UTC, datetime, timedelta

from django.test import TestCase

from utilities.testing import TableTestCases, ViewTestCases

from netbox_proxbox.filtersets import VMTaskHistoryFilterSet
from netbox_proxbox.graphql.types import ProxboxVMTaskHistoryType
from netbox_proxbox.models import VMTaskHistory
from netbox_proxbox.tables import VMTaskHistoryTable

from . import base
from .factories import make_node, make_proxmox_cluster, make_virtual_machines

T0 = datetime(2026, 1, 1, 2, 0, tzinfo=UTC)


def upid(node, n, kind='vzdump'):
    return f'UPID:{node}:0000{n:04X}:00000000:{int(T0.timestamp()) + n:08X}:{kind}:100:root@pam:'


def make_tasks():
    cluster = make_proxmox_cluster('pve-a')
    n1, n2 = make_node(cluster, 'node1'), make_node(cluster, 'node2')
    vm1, _vm2, _vm3 = make_virtual_machines()
    return VMTaskHistory.objects.bulk_create(
        [
            VMTaskHistory(
                node=n1,
                upid=upid('node1', 1),
                task_type='vzdump',
                object_id='100',
                user='root@pam',
                start_time=T0,
                end_time=T0 + timedelta(minutes=5),
                status='ok',
                exit_status='OK',
                virtual_machine=vm1,
            ),
            VMTaskHistory(
                node=n1,
                upid=upid('node1', 2, 'qmigrate'),
                task_type='qmigrate',
                object_id='100',
                user='admin@pve',
                start_time=T0 + timedelta(hours=1),
                status='error',
                exit_status='migration aborted',
                virtual_machine=vm1,
            ),
            VMTaskHistory(
                node=n2, upid=upid('node2', 3, 'aptupdate'), task_type='aptupdate', user='root@pam', start_time=T0
            ),
        ]
    )


class VMTaskHistoryViewTestCase(
    base.WithoutSyncFieldsMixin, base.PluginViewMixin, ViewTestCases.PrimaryObjectViewTestCase
):
    """List, detail, add, edit, delete, bulk import, bulk edit and bulk delete views."""

    model = VMTaskHistory

    @classmethod
    def setUpTestData(cls):
        make_tasks()
        node = VMTaskHistory.objects.first().node
        cls.form_data = {
            'node': node.pk,
            'upid': upid('node1', 99, 'qmstart'),
            'task_type': 'qmstart',
            'object_id': '101',
            'user': 'root@pam',
            'start_time': '2026-01-02 03:04:05',
            'status': 'running',
        }
        cls.csv_data = (
            'cluster,node,upid,task_type,object_id,user,start_time,status',
            f'pve-a,node1,{upid("node1", 10)},vzdump,100,root@pam,2026-01-01 10:00:00,ok',
            f'pve-a,node2,{upid("node2", 11)},vzdump,101,root@pam,2026-01-01 11:00:00,error',
            f',node2,{upid("node2", 12)},qmstart,101,root@pam,2026-01-01 12:00:00,',
        )
        ids = VMTaskHistory.objects.values_list('pk', flat=True)
        cls.csv_update_data = ('id,exit_status', *(f'{pk},checked' for pk in ids))
        cls.bulk_edit_data = {'status': 'warning', 'exit_status': 'WARNINGS: 1'}

    # The form's datetime strings are compared with the stored datetimes by the base class.
    validation_excluded_fields = ['start_time']


class VMTaskHistoryAPITestCase(base.PluginAPIViewTestCase):
    """REST API (list, brief, create, bulk create, update, delete) and GraphQL."""

    model = VMTaskHistory
    brief_fields = ['display', 'id', 'status', 'task_type', 'upid', 'url']
    # Values none of the tasks has, so each update is a real change (and a change-log entry).
    bulk_update_data = {'status': 'error', 'exit_status': 'interrupted by signal'}
    bulk_update_invalid_data = {'status': 'exploded'}
    graphql_base_name = 'proxbox_vm_task_history'
    type_class = ProxboxVMTaskHistoryType
    validation_excluded_fields = ['start_time']

    @classmethod
    def setUpTestData(cls):
        make_tasks()
        node = VMTaskHistory.objects.first().node
        start = '2026-02-01T00:00:00Z'
        cls.create_data = [
            {'node': node.pk, 'upid': upid('node1', 20), 'task_type': 'vzdump', 'user': 'a@pam', 'start_time': start},
            {'node': node.pk, 'upid': upid('node1', 21), 'task_type': 'qmstart', 'user': 'a@pam', 'start_time': start},
            {
                'node': node.pk,
                'upid': upid('node1', 22),
                'task_type': 'qmstop',
                'user': 'a@pam',
                'start_time': start,
                'status': 'ok',
            },
        ]


class VMTaskHistoryFilterSetTestCase(base.PluginFilterSetTestMixin, TestCase):
    """Every model field has its filter, and the filters select what they say."""

    queryset = VMTaskHistory.objects.all()
    filterset = VMTaskHistoryFilterSet

    @classmethod
    def setUpTestData(cls):
        make_tasks()

    def count(self, params):
        return self.filterset(params, self.queryset).qs.count()

    def test_q(self):
        self.assertEqual(self.count({'q': 'aborted'}), 1)

    def test_node_and_cluster(self):
        self.assertEqual(self.count({'node': ['node1']}), 2)
        self.assertEqual(self.count({'cluster': ['pve-a']}), 3)

    def test_virtual_machine(self):
        self.assertEqual(self.count({'virtual_machine': ['vm-1']}), 2)

    def test_type_user_status(self):
        self.assertEqual(self.count({'task_type': ['vzdump', 'qmigrate']}), 2)
        self.assertEqual(self.count({'user': ['root@pam']}), 2)
        self.assertEqual(self.count({'status': ['error']}), 1)

    def test_start_time(self):
        self.assertEqual(self.count({'start_time__gt': [T0.isoformat()]}), 1)


class VMTaskHistoryTableTestCase(TableTestCases.StandardTableTestCase):
    """Every orderable column of the list table renders."""

    table = VMTaskHistoryTable

"""
Replication (a storage replication job of one guest): the full NetBox chain through NetBox's own
test cases.
"""

from django.test import TestCase

from utilities.testing import TableTestCases

from netbox_proxbox.filtersets import ReplicationFilterSet
from netbox_proxbox.graphql.types import ProxboxReplicationType
from netbox_proxbox.models import Replication
from netbox_proxbox.tables import ReplicationTable

from . import base
from .factories import make_node, make_proxmox_cluster, make_virtual_machines


def make_replications():
    cluster = make_proxmox_cluster('pve-a')
    other = make_proxmox_cluster('pve-b')
    n1, n2 = make_node(cluster, 'node1'), make_node(cluster, 'node2')
    vm1, vm2, _vm3 = make_virtual_machines()
    return Replication.objects.bulk_create(
        [
            Replication(cluster=cluster, job_id='100-0', guest_id=100, virtual_machine=vm1, source=n1, target=n2),
            Replication(
                cluster=cluster, job_id='101-0', guest_id=101, virtual_machine=vm2, source=n2, target=n1, rate=50
            ),
            Replication(cluster=other, job_id='100-0', guest_id=100, disabled=True, fail_count=3, error='no route'),
        ]
    )


class ReplicationViewTestCase(base.PluginPrimaryObjectViewTestCase):
    """List, detail, add, edit, delete, bulk import, bulk edit and bulk delete views."""

    model = Replication

    @classmethod
    def setUpTestData(cls):
        make_replications()
        first = Replication.objects.get(job_id='100-0', cluster__name='pve-a')
        cls.form_data = {
            'cluster': first.cluster_id,
            'job_id': '102-0',
            'guest_id': 102,
            'source': first.source_id,
            'target': first.target_id,
            'schedule': '*/5',
            'rate': 10.5,
            'fail_count': 0,
        }
        cls.csv_data = (
            'cluster,job_id,guest_id,virtual_machine,source,target,schedule',
            'pve-a,110-0,110,vm-3,node1,node2,*/30',
            'pve-a,111-0,111,,node2,node1,',
            'pve-b,112-0,112,,,,*/10',
        )
        ids = Replication.objects.values_list('pk', flat=True)
        cls.csv_update_data = ('id,description', *(f'{pk},updated' for pk in ids))
        cls.bulk_edit_data = {'schedule': '*/20', 'rate': 25.0}


class ReplicationAPITestCase(base.PluginAPIViewTestCase):
    """REST API (list, brief, create, bulk create, update, delete) and GraphQL."""

    model = Replication
    brief_fields = ['description', 'display', 'guest_id', 'id', 'job_id', 'url']
    bulk_update_data = {'description': 'bulk', 'schedule': '*/45'}
    bulk_update_invalid_data = {'guest_id': -1}
    graphql_base_name = 'proxbox_replication'
    type_class = ProxboxReplicationType

    @classmethod
    def setUpTestData(cls):
        make_replications()
        first = Replication.objects.get(job_id='100-0', cluster__name='pve-a')
        cls.create_data = [
            {'cluster': first.cluster_id, 'job_id': '200-0', 'guest_id': 200},
            {'cluster': first.cluster_id, 'job_id': '201-0', 'guest_id': 201, 'source': first.source_id},
            {'cluster': first.cluster_id, 'job_id': '202-0', 'guest_id': 202, 'disabled': True, 'rate': 1.5},
        ]


class ReplicationFilterSetTestCase(base.PluginFilterSetTestMixin, TestCase):
    """Every model field has its filter, and the filters select what they say."""

    queryset = Replication.objects.all()
    filterset = ReplicationFilterSet

    @classmethod
    def setUpTestData(cls):
        make_replications()

    def count(self, params):
        return self.filterset(params, self.queryset).qs.count()

    def test_q(self):
        self.assertEqual(self.count({'q': 'vm-2'}), 1)

    def test_cluster(self):
        self.assertEqual(self.count({'cluster': ['pve-a']}), 2)

    def test_virtual_machine(self):
        self.assertEqual(self.count({'virtual_machine': ['vm-1']}), 1)

    def test_source_target(self):
        node = Replication.objects.get(job_id='101-0').source
        self.assertEqual(self.count({'source_id': [node.pk]}), 1)
        self.assertEqual(self.count({'target_id': [node.pk]}), 1)

    def test_disabled_and_errors(self):
        self.assertEqual(self.count({'disabled': True}), 1)
        self.assertEqual(self.count({'has_error': True}), 1)
        self.assertEqual(self.count({'fail_count__gt': ['0']}), 1)


class ReplicationTableTestCase(TableTestCases.StandardTableTestCase):
    """Every orderable column of the list table renders."""

    table = ReplicationTable

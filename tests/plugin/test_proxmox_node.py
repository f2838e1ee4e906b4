"""
ProxmoxNode: the full NetBox chain (views, REST API, GraphQL, filterset, table) through NetBox's own
test cases, and its uniqueness rules: one name per Proxmox cluster and one node per NetBox device.
"""

from django.test import TestCase
from django.urls import reverse
from rest_framework import status

from utilities.testing import APITestCase, TableTestCases

from netbox_proxbox.filtersets import ProxmoxNodeFilterSet
from netbox_proxbox.graphql.types import ProxboxProxmoxNodeType
from netbox_proxbox.models import ProxmoxNode
from netbox_proxbox.tables import ProxmoxNodeTable

from . import base
from .factories import make_device, make_proxmox_cluster, make_storage

DUPLICATE = 'This Proxmox cluster already has a node of that name.'


def make_nodes():
    c1, c2 = make_proxmox_cluster('c1'), make_proxmox_cluster('c2')
    ProxmoxNode.objects.bulk_create(
        [
            ProxmoxNode(cluster=c1, name='pve1', node_id=1, ip_address='10.0.0.1', cpu_count=16, memory_total=2**36),
            ProxmoxNode(cluster=c1, name='pve2', node_id=2, ip_address='10.0.0.2', online=False),
            ProxmoxNode(cluster=c2, name='pve1', node_id=1, device=make_device('dev-1'), cpu_model='EPYC'),
        ]
    )
    return c1, c2


class ProxmoxNodeViewTestCase(base.PluginPrimaryObjectViewTestCase):
    """List, detail, add, edit, delete, bulk import, bulk edit and bulk delete views."""

    model = ProxmoxNode

    @classmethod
    def setUpTestData(cls):
        c1, c2 = make_nodes()
        cls.form_data = {'cluster': c1.pk, 'name': 'pve9', 'node_id': 9, 'ip_address': '10.0.0.9', 'online': True}
        cls.csv_data = (
            'cluster,name,node_id,ip_address,online',
            'c1,csv-1,4,10.0.1.1,true',
            'c1,csv-2,5,,false',
            'c2,csv-3,6,2001:db8::1,true',
        )
        cls.csv_update_data = (
            'id,description',
            *(f'{pk},updated' for pk in ProxmoxNode.objects.values_list('pk', flat=True)),
        )
        cls.bulk_edit_data = {'pve_version': '8.3.0', 'description': 'bulk edited'}


class ProxmoxNodeAPITestCase(base.PluginAPIViewTestCase):
    """REST API (list, brief, create, bulk create, update, delete) and GraphQL."""

    model = ProxmoxNode
    brief_fields = ['description', 'display', 'id', 'name', 'url']
    bulk_update_data = {'description': 'bulk', 'online': False}
    graphql_base_name = 'proxbox_proxmox_node'
    type_class = ProxboxProxmoxNodeType

    @classmethod
    def setUpTestData(cls):
        c1, c2 = make_nodes()
        cls.create_data = [
            {'cluster': c1.pk, 'name': 'api-1'},
            {'cluster': c1.pk, 'name': 'api-2', 'ip_address': '192.0.2.2', 'memory_total': 2**40},
            {'cluster': c2.pk, 'name': 'api-3', 'device': make_device('dev-2').pk},
        ]


class ProxmoxNodeFilterSetTestCase(base.PluginFilterSetTestMixin, TestCase):
    """Every model field has its filter, and the filters select what they say."""

    queryset = ProxmoxNode.objects.all()
    filterset = ProxmoxNodeFilterSet
    filter_name_map = {'proxmox_storage': 'storage'}

    @classmethod
    def setUpTestData(cls):
        c1, _ = make_nodes()
        make_storage(c1, 'local').nodes.set(ProxmoxNode.objects.filter(cluster=c1, name='pve1'))

    def test_q(self):
        self.assertEqual(self.filterset({'q': '10.0.0.2'}, self.queryset).qs.count(), 1)
        self.assertEqual(self.filterset({'q': 'epyc'}, self.queryset).qs.count(), 1)

    def test_cluster_and_endpoint(self):
        self.assertEqual(self.filterset({'cluster': ['c1']}, self.queryset).qs.count(), 2)
        self.assertEqual(
            self.filterset({'endpoint_id': [self.queryset.first().cluster.endpoint_id]}, self.queryset).qs.count(), 2
        )

    def test_online(self):
        self.assertEqual(self.filterset({'online': False}, self.queryset).qs.count(), 1)

    def test_device_and_storage(self):
        self.assertEqual(self.filterset({'device': ['dev-1']}, self.queryset).qs.count(), 1)
        storage = ProxmoxNode.objects.get(cluster__name='c1', name='pve1').storages.get()
        self.assertEqual(self.filterset({'storage_id': [storage.pk]}, self.queryset).qs.count(), 1)


class ProxmoxNodeTableTestCase(TableTestCases.StandardTableTestCase):
    table = ProxmoxNodeTable


class ProxmoxNodeUniquenessTestCase(APITestCase):
    """Duplicates are refused with a clear error naming the field; nothing is overwritten."""

    def setUp(self):
        super().setUp()
        self.add_permissions('netbox_proxbox.add_proxmoxnode')
        self.url = reverse('plugins-api:netbox_proxbox-api:proxmoxnode-list')
        self.c1, self.c2 = make_nodes()

    def test_duplicate_name_in_cluster(self):
        response = self.client.post(
            self.url, {'cluster': self.c1.pk, 'name': 'pve1', 'cpu_count': 2}, format='json', **self.header
        )
        self.assertEqual(response.status_code, status.HTTP_400_BAD_REQUEST)
        self.assertIn(DUPLICATE, str(response.json()))
        self.assertEqual(ProxmoxNode.objects.get(cluster=self.c1, name='pve1').cpu_count, 16)

    def test_device_used_twice(self):
        device = ProxmoxNode.objects.get(cluster=self.c2).device
        response = self.client.post(
            self.url, {'cluster': self.c1.pk, 'name': 'x', 'device': device.pk}, format='json', **self.header
        )
        self.assertEqual(response.status_code, status.HTTP_400_BAD_REQUEST)
        self.assertIn('device', response.json())

    def test_bad_values(self):
        for data, field in (
            ({'ip_address': '10.0.0.300'}, 'ip_address'),
            ({'node_id': -1}, 'node_id'),
            ({'memory_total': 'lots'}, 'memory_total'),
            ({'cpu_count': -4}, 'cpu_count'),
        ):
            with self.subTest(data=data):
                response = self.client.post(
                    self.url, {'cluster': self.c1.pk, 'name': 'n', **data}, format='json', **self.header
                )
                self.assertEqual(response.status_code, status.HTTP_400_BAD_REQUEST)
                self.assertIn(field, response.json())

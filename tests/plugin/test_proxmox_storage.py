"""
ProxmoxStorage: the full NetBox chain (views, REST API, GraphQL, filterset, table) through NetBox's
own test cases, its uniqueness rule (one storage ID per Proxmox cluster) and the rule that the
nodes seeing a storage belong to its cluster.
"""

from django.test import TestCase
from django.urls import reverse
from rest_framework import status

from utilities.testing import APITestCase, TableTestCases

from netbox_proxbox.filtersets import ProxmoxStorageFilterSet
from netbox_proxbox.graphql.types import ProxboxProxmoxStorageType
from netbox_proxbox.models import ProxmoxNode, ProxmoxStorage
from netbox_proxbox.tables import ProxmoxStorageTable

from . import base
from .factories import make_node, make_proxmox_cluster

DUPLICATE = 'This Proxmox cluster already has a storage with that ID.'


def make_storages():
    c1, c2 = make_proxmox_cluster('c1'), make_proxmox_cluster('c2')
    n1, n2 = make_node(c1, 'pve1'), make_node(c1, 'pve2')
    make_node(c2, 'pve1')
    ProxmoxStorage.objects.bulk_create(
        [
            ProxmoxStorage(cluster=c1, name='local', type='dir', content=['iso', 'backup'], total=1000, used=250),
            ProxmoxStorage(cluster=c1, name='ceph', type='rbd', content=['images'], shared=True),
            ProxmoxStorage(cluster=c2, name='local', type='dir', enabled=False, path='/var/lib/vz'),
        ]
    )
    ProxmoxStorage.objects.get(cluster=c1, name='local').nodes.set([n1, n2])
    return c1, c2


class ProxmoxStorageViewTestCase(base.PluginPrimaryObjectViewTestCase):
    """List, detail, add, edit, delete, bulk import, bulk edit and bulk delete views."""

    model = ProxmoxStorage

    @classmethod
    def setUpTestData(cls):
        c1, _ = make_storages()
        cls.form_data = {
            'cluster': c1.pk,
            'name': 'nfs',
            'type': 'nfs',
            'content': ['backup', 'iso'],
            'shared': True,
            'enabled': True,
            'nodes': list(c1.nodes.values_list('pk', flat=True)),
            'total': 10**12,
        }
        cls.csv_data = (
            'cluster,name,type,content,nodes',
            'c1,csv-1,dir,"iso,vztmpl",pve1',
            'c1,csv-2,zfspool,images,"pve1,pve2"',
            'c2,csv-3,pbs,backup,pve1',
        )
        cls.csv_update_data = (
            'id,description',
            *(f'{pk},updated' for pk in ProxmoxStorage.objects.values_list('pk', flat=True)),
        )
        cls.bulk_edit_data = {'type': 'lvmthin', 'description': 'bulk edited'}


class ProxmoxStorageAPITestCase(base.PluginAPIViewTestCase):
    """REST API (list, brief, create, bulk create, update, delete) and GraphQL."""

    model = ProxmoxStorage
    brief_fields = ['description', 'display', 'id', 'name', 'type', 'url']
    bulk_update_data = {'description': 'bulk', 'enabled': False}
    graphql_base_name = 'proxbox_proxmox_storage'
    type_class = ProxboxProxmoxStorageType

    @classmethod
    def setUpTestData(cls):
        c1, c2 = make_storages()
        cls.create_data = [
            {'cluster': c1.pk, 'name': 'api-1', 'type': 'dir'},
            {'cluster': c1.pk, 'name': 'api-2', 'type': 'nfs', 'content': ['backup'], 'nodes': [c1.nodes.first().pk]},
            {'cluster': c2.pk, 'name': 'api-3', 'type': 'cephfs', 'shared': True, 'total': 2**50},
        ]


class ProxmoxStorageFilterSetTestCase(base.PluginFilterSetTestMixin, TestCase):
    """Every model field has its filter, and the filters select what they say."""

    queryset = ProxmoxStorage.objects.all()
    filterset = ProxmoxStorageFilterSet
    filter_name_map = {'proxmox_node': 'node'}

    @classmethod
    def setUpTestData(cls):
        make_storages()

    def test_q(self):
        self.assertEqual(self.filterset({'q': 'ceph'}, self.queryset).qs.count(), 1)

    def test_type_and_content(self):
        self.assertEqual(self.filterset({'type': ['dir']}, self.queryset).qs.count(), 2)
        self.assertEqual(self.filterset({'content': ['iso', 'images']}, self.queryset).qs.count(), 2)

    def test_flags(self):
        self.assertEqual(self.filterset({'shared': True}, self.queryset).qs.count(), 1)
        self.assertEqual(self.filterset({'enabled': False}, self.queryset).qs.count(), 1)

    def test_cluster_and_nodes(self):
        self.assertEqual(self.filterset({'cluster': ['c1']}, self.queryset).qs.count(), 2)
        node = ProxmoxNode.objects.get(cluster__name='c1', name='pve2')
        self.assertEqual(self.filterset({'node_id': [node.pk]}, self.queryset).qs.count(), 1)


class ProxmoxStorageTableTestCase(TableTestCases.StandardTableTestCase):
    table = ProxmoxStorageTable


class ProxmoxStorageValidationTestCase(APITestCase):
    """Duplicates and nodes of another cluster are refused with a field error; nothing is overwritten."""

    def setUp(self):
        super().setUp()
        self.add_permissions('netbox_proxbox.add_proxmoxstorage')
        self.url = reverse('plugins-api:netbox_proxbox-api:proxmoxstorage-list')
        self.c1, self.c2 = make_storages()

    def post(self, **data):
        return self.client.post(
            self.url, {'cluster': self.c1.pk, 'name': 's', 'type': 'dir', **data}, format='json', **self.header
        )

    def test_duplicate(self):
        response = self.post(name='local', total=1)
        self.assertEqual(response.status_code, status.HTTP_400_BAD_REQUEST)
        self.assertIn(DUPLICATE, str(response.json()))
        self.assertEqual(ProxmoxStorage.objects.get(cluster=self.c1, name='local').total, 1000)

    def test_bad_values(self):
        other = ProxmoxNode.objects.get(cluster=self.c2)
        for data, field in (
            ({'type': 'floppy'}, 'type'),
            ({'content': ['music']}, 'content'),
            ({'total': -1}, 'total'),
            ({'nodes': [other.pk]}, 'nodes'),
            ({'nodes': [999999]}, 'nodes'),
        ):
            with self.subTest(data=data):
                response = self.post(**data)
                self.assertEqual(response.status_code, status.HTTP_400_BAD_REQUEST)
                self.assertIn(field, response.json())

    def test_form_rejects_nodes_of_another_cluster(self):
        self.user.is_superuser = True
        self.user.save()
        self.client.force_login(self.user)
        other = ProxmoxNode.objects.get(cluster=self.c2)
        data = {'cluster': self.c1.pk, 'name': 's', 'type': 'dir', 'nodes': [other.pk]}
        response = self.client.post(reverse('plugins:netbox_proxbox:proxmoxstorage_add'), data)
        self.assertEqual(response.status_code, 200)
        self.assertIn('nodes', response.context['form'].errors)

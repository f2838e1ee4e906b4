"""
ProxmoxCluster: the full NetBox chain (views, REST API, GraphQL, filterset, table) through NetBox's
own test cases, and its uniqueness rule: one name per endpoint, a duplicate is refused with a
clear error and nothing is overwritten.
"""

from django.test import TestCase
from django.urls import reverse
from rest_framework import status

from utilities.testing import APITestCase, TableTestCases

from netbox_proxbox.filtersets import ProxmoxClusterFilterSet
from netbox_proxbox.graphql.types import ProxboxProxmoxClusterType
from netbox_proxbox.models import ProxmoxCluster
from netbox_proxbox.tables import ProxmoxClusterTable

from . import base
from .factories import make_endpoint, make_netbox_cluster

DUPLICATE = 'This endpoint already has a Proxmox cluster of that name.'


def make_clusters():
    a, b = make_endpoint('pve-a'), make_endpoint('pve-b')
    ProxmoxCluster.objects.bulk_create(
        [
            ProxmoxCluster(endpoint=a, name='cluster-a', quorate=True, pve_version='8.2.4', node_count=3),
            ProxmoxCluster(endpoint=b, name='cluster-b', quorate=False, pve_version='8.1.0', node_count=2),
            ProxmoxCluster(
                endpoint=b, name='pve-solo', standalone=True, node_count=1, cluster=make_netbox_cluster('NB 1')
            ),
        ]
    )
    return a, b


class ProxmoxClusterViewTestCase(base.PluginPrimaryObjectViewTestCase):
    """List, detail, add, edit, delete, bulk import, bulk edit and bulk delete views."""

    model = ProxmoxCluster

    @classmethod
    def setUpTestData(cls):
        a, b = make_clusters()
        cls.form_data = {'endpoint': a.pk, 'name': 'cluster-new', 'node_count': 4, 'pve_version': '8.2'}
        cls.csv_data = (
            'endpoint,name,node_count,standalone',
            'pve-a,csv-1,3,false',
            'pve-a,csv-2,1,true',
            'pve-b,csv-3,2,false',
        )
        cls.csv_update_data = (
            'id,description',
            *(f'{pk},updated' for pk in ProxmoxCluster.objects.values_list('pk', flat=True)),
        )
        cls.bulk_edit_data = {'pve_version': '8.3.0', 'description': 'bulk edited'}


class ProxmoxClusterAPITestCase(base.PluginAPIViewTestCase):
    """REST API (list, brief, create, bulk create, update, delete) and GraphQL."""

    model = ProxmoxCluster
    brief_fields = ['description', 'display', 'id', 'name', 'url']
    bulk_update_data = {'description': 'bulk', 'pve_version': '8.3.1'}
    graphql_base_name = 'proxbox_proxmox_cluster'
    type_class = ProxboxProxmoxClusterType

    @classmethod
    def setUpTestData(cls):
        a, b = make_clusters()
        cls.create_data = [
            {'endpoint': a.pk, 'name': 'api-1'},
            {'endpoint': a.pk, 'name': 'api-2', 'node_count': 2, 'quorate': True},
            {'endpoint': b.pk, 'name': 'api-3', 'standalone': True, 'cluster': make_netbox_cluster('NB 2').pk},
        ]


class ProxmoxClusterFilterSetTestCase(base.PluginFilterSetTestMixin, TestCase):
    """Every model field has its filter, and the filters select what they say."""

    queryset = ProxmoxCluster.objects.all()
    filterset = ProxmoxClusterFilterSet

    @classmethod
    def setUpTestData(cls):
        make_clusters()

    def test_q(self):
        self.assertEqual(self.filterset({'q': 'solo'}, self.queryset).qs.count(), 1)

    def test_endpoint(self):
        self.assertEqual(self.filterset({'endpoint': ['pve-b']}, self.queryset).qs.count(), 2)

    def test_flags(self):
        self.assertEqual(self.filterset({'standalone': True}, self.queryset).qs.count(), 1)
        self.assertEqual(self.filterset({'quorate': True}, self.queryset).qs.count(), 1)

    def test_cluster(self):
        self.assertEqual(self.filterset({'cluster': ['NB 1']}, self.queryset).qs.count(), 1)

    def test_node_count(self):
        self.assertEqual(self.filterset({'node_count__gte': ['2']}, self.queryset).qs.count(), 2)


class ProxmoxClusterTableTestCase(TableTestCases.StandardTableTestCase):
    table = ProxmoxClusterTable


class ProxmoxClusterUniquenessTestCase(APITestCase):
    """A second cluster of the same name on one endpoint is refused beside `name`; other endpoints may reuse it."""

    def test_api_duplicate(self):
        self.add_permissions('netbox_proxbox.add_proxmoxcluster')
        a, b = make_clusters()
        url = reverse('plugins-api:netbox_proxbox-api:proxmoxcluster-list')
        response = self.client.post(
            url, {'endpoint': a.pk, 'name': 'cluster-a', 'node_count': 9}, format='json', **self.header
        )
        self.assertEqual(response.status_code, status.HTTP_400_BAD_REQUEST)
        self.assertIn(DUPLICATE, str(response.json()))
        self.assertEqual(ProxmoxCluster.objects.get(name='cluster-a').node_count, 3)
        ok = self.client.post(url, {'endpoint': b.pk, 'name': 'cluster-a'}, format='json', **self.header)
        self.assertEqual(ok.status_code, status.HTTP_201_CREATED, ok.content)

    def test_netbox_cluster_used_twice(self):
        self.add_permissions('netbox_proxbox.add_proxmoxcluster')
        a, _ = make_clusters()
        taken = ProxmoxCluster.objects.get(name='pve-solo').cluster
        url = reverse('plugins-api:netbox_proxbox-api:proxmoxcluster-list')
        response = self.client.post(
            url, {'endpoint': a.pk, 'name': 'x', 'cluster': taken.pk}, format='json', **self.header
        )
        self.assertEqual(response.status_code, status.HTTP_400_BAD_REQUEST)
        self.assertIn('cluster', response.json())
        self.assertEqual(ProxmoxCluster.objects.get(cluster=taken).name, 'pve-solo')

    def test_api_bad_values(self):
        self.add_permissions('netbox_proxbox.add_proxmoxcluster')
        a, _ = make_clusters()
        url = reverse('plugins-api:netbox_proxbox-api:proxmoxcluster-list')
        for data, field in (
            ({'name': 'x'}, 'endpoint'),
            ({'endpoint': a.pk}, 'name'),
            ({'endpoint': a.pk, 'name': 'x', 'node_count': -1}, 'node_count'),
            ({'endpoint': 999999, 'name': 'x'}, 'endpoint'),
        ):
            with self.subTest(data=data):
                response = self.client.post(url, data, format='json', **self.header)
                self.assertEqual(response.status_code, status.HTTP_400_BAD_REQUEST)
                self.assertIn(field, response.json())

    def test_form_duplicate(self):
        self.user.is_superuser = True
        self.user.save()
        self.client.force_login(self.user)
        a, _ = make_clusters()
        response = self.client.post(
            reverse('plugins:netbox_proxbox:proxmoxcluster_add'),
            {'endpoint': a.pk, 'name': 'cluster-a', 'node_count': 9},
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn(DUPLICATE, str(response.context['form'].errors))
        self.assertEqual(ProxmoxCluster.objects.get(name='cluster-a').node_count, 3)

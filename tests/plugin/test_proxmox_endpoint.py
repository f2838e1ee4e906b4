"""
ProxmoxEndpoint: the full NetBox chain (views, REST API, GraphQL, filterset, table) through
NetBox's own test cases, and the validation rules of a Proxmox endpoint.
"""

from django.test import TestCase

from dcim.models import Site
from tenancy.models import Tenant
from utilities.testing import TableTestCases

from netbox_proxbox.filtersets import ProxmoxEndpointFilterSet
from netbox_proxbox.graphql.types import ProxboxProxmoxEndpointType
from netbox_proxbox.models import ProxmoxEndpoint
from netbox_proxbox.tables import ProxmoxEndpointTable

from . import base


def make_endpoints():
    site = Site.objects.create(name='Site 1', slug='site-1')
    tenant = Tenant.objects.create(name='Tenant 1', slug='tenant-1')
    return ProxmoxEndpoint.objects.bulk_create(
        [
            ProxmoxEndpoint(
                name='pve-a',
                host='pve-a.example.com',
                username='root@pam',
                token_name='sync',
                token_secret='s1',
                site=site,
                tenant=tenant,
                timeout=10,
            ),
            ProxmoxEndpoint(name='pve-b', host='10.0.0.2', port=443, username='sync@pve', password='p2', enabled=False),
            ProxmoxEndpoint(
                name='pve-c',
                host='pve-c.example.com',
                username='root@pam',
                token_name='ro',
                token_secret='s3',
                verify_ssl=False,
                description='lab',
            ),
        ]
    )


class ProxmoxEndpointViewTestCase(base.PluginPrimaryObjectViewTestCase):
    """List, detail, add, edit, delete, bulk import, bulk edit and bulk delete views."""

    model = ProxmoxEndpoint

    @classmethod
    def setUpTestData(cls):
        make_endpoints()
        cls.form_data = {
            'name': 'pve-new',
            'host': 'pve-new.example.com',
            'port': 8006,
            'username': 'root@pam',
            'token_name': 'proxbox',
            'token_secret': 'new-secret',
            'verify_ssl': True,
            'timeout': 30,
            'enabled': True,
        }
        cls.csv_data = (
            'name,host,username,token_name,token_secret',
            'pve-x,pve-x.example.com,root@pam,t1,secret-x',
            'pve-y,pve-y.example.com,root@pam,t1,secret-y',
            'pve-z,pve-z.example.com,root@pam,t1,secret-z',
        )
        ids = ProxmoxEndpoint.objects.values_list('pk', flat=True)
        cls.csv_update_data = (
            'id,description',
            *(f'{pk},updated' for pk in ids),
        )
        cls.bulk_edit_data = {'timeout': 45, 'description': 'bulk edited'}

    # A form post with the secrets left empty keeps what is stored (checked in test_secrets).
    maxDiff = None


class ProxmoxEndpointAPITestCase(base.PluginAPIViewTestCase):
    """REST API (list, brief, create, bulk create, update, delete) and GraphQL."""

    model = ProxmoxEndpoint
    brief_fields = ['description', 'display', 'host', 'id', 'name', 'port', 'url']
    bulk_update_data = {'description': 'bulk', 'timeout': 20}
    bulk_update_invalid_data = {'host': 'https://not-a-host/'}
    graphql_base_name = 'proxbox_proxmox_endpoint'
    type_class = ProxboxProxmoxEndpointType
    # Write-only: accepted on create/update, never echoed back (pinned in test_endpoint_secrets).
    validation_excluded_fields = ['token_secret', 'password']

    @classmethod
    def setUpTestData(cls):
        make_endpoints()
        cls.create_data = [
            {
                'name': 'api-1',
                'host': 'api-1.example.com',
                'username': 'root@pam',
                'token_name': 't',
                'token_secret': 'x1',
            },
            {'name': 'api-2', 'host': '192.0.2.10', 'username': 'root@pam', 'password': 'pw'},
            {
                'name': 'api-3',
                'host': 'api-3.example.com',
                'port': 8443,
                'username': 'sync@pve',
                'token_name': 't',
                'token_secret': 'x3',
                'verify_ssl': False,
            },
        ]


class ProxmoxEndpointFilterSetTestCase(base.PluginFilterSetTestMixin, TestCase):
    """Every model field has its filter, and the filters select what they say."""

    queryset = ProxmoxEndpoint.objects.all()
    filterset = ProxmoxEndpointFilterSet
    ignore_fields = ('token_secret', 'password', 'ca_certificate')

    @classmethod
    def setUpTestData(cls):
        make_endpoints()

    def test_q(self):
        self.assertEqual(self.filterset({'q': 'pve-c'}, self.queryset).qs.count(), 1)

    def test_host(self):
        self.assertEqual(self.filterset({'host': ['10.0.0.2']}, self.queryset).qs.count(), 1)

    def test_port(self):
        self.assertEqual(self.filterset({'port': [8006]}, self.queryset).qs.count(), 2)

    def test_enabled(self):
        self.assertEqual(self.filterset({'enabled': False}, self.queryset).qs.count(), 1)

    def test_verify_ssl(self):
        self.assertEqual(self.filterset({'verify_ssl': False}, self.queryset).qs.count(), 1)

    def test_site(self):
        site = Site.objects.get()
        self.assertEqual(self.filterset({'site_id': [site.pk]}, self.queryset).qs.count(), 1)
        self.assertEqual(self.filterset({'site': [site.slug]}, self.queryset).qs.count(), 1)

    def test_tenant(self):
        self.assertEqual(self.filterset({'tenant': ['tenant-1']}, self.queryset).qs.count(), 1)


class ProxmoxEndpointTableTestCase(TableTestCases.StandardTableTestCase):
    """Every orderable column of the list table renders."""

    table = ProxmoxEndpointTable

"""
NetBoxEndpoint (singleton): NetBox's view, API, GraphQL, filterset and table test cases with its one
instance, and the singleton contract: a second one is refused by the form, the REST API and bulk
import with a clear error, and the existing one is left as it was.
"""

from django.test import TestCase
from django.urls import reverse
from rest_framework import status

from utilities.testing import APITestCase, TableTestCases
from utilities.testing import TestCase as NetBoxTestCase

from netbox_proxbox.filtersets import NetBoxEndpointFilterSet
from netbox_proxbox.graphql.types import ProxboxNetBoxEndpointType
from netbox_proxbox.models import NetBoxEndpoint
from netbox_proxbox.tables import NetBoxEndpointTable

from . import base, singleton

ONLY_ONE = 'Only one NetBox endpoint may exist'


def make_endpoint(**kwargs):
    return NetBoxEndpoint.objects.create(**{'url': 'https://netbox.example.com/', 'token': 'nbt_abc.def', **kwargs})


class NetBoxEndpointViewTestCase(singleton.SingletonViewTestCase):
    """Detail, changelog, edit, delete and list views."""

    model = NetBoxEndpoint
    validation_excluded_fields = ['token']

    @classmethod
    def setUpTestData(cls):
        make_endpoint()
        cls.form_data = {'name': 'NetBox', 'url': 'https://nb2.example.com/', 'token': 'rotated', 'verify_ssl': False}


class NetBoxEndpointAPITestCase(singleton.SingletonAPITestCase):
    """REST API and GraphQL."""

    model = NetBoxEndpoint
    brief_fields = ['description', 'display', 'id', 'name', 'url']
    update_data = {'description': 'sync user', 'verify_ssl': False}
    graphql_base_name = 'proxbox_netbox_endpoint'
    type_class = ProxboxNetBoxEndpointType

    @classmethod
    def setUpTestData(cls):
        make_endpoint()


class NetBoxEndpointFilterSetTestCase(base.PluginFilterSetTestMixin, TestCase):
    """Every model field has its filter (the token excepted: it is write-only)."""

    queryset = NetBoxEndpoint.objects.all()
    filterset = NetBoxEndpointFilterSet
    ignore_fields = ('token',)

    @classmethod
    def setUpTestData(cls):
        make_endpoint(description='main')

    # A singleton has one row: NetBox's two-of-three tests do not apply.
    def test_id(self):
        self.assertEqual(self.filterset({'id': [self.queryset.get().pk]}, self.queryset).qs.count(), 1)

    def test_created(self):
        pass

    def test_last_updated(self):
        pass

    def test_q_and_fields(self):
        self.assertEqual(self.filterset({'q': 'netbox.example'}, self.queryset).qs.count(), 1)
        self.assertEqual(self.filterset({'verify_ssl': False}, self.queryset).qs.count(), 0)
        self.assertEqual(self.filterset({'description': ['main']}, self.queryset).qs.count(), 1)


class NetBoxEndpointTableTestCase(TableTestCases.StandardTableTestCase):
    table = NetBoxEndpointTable


class NetBoxEndpointSingletonAPITestCase(APITestCase):
    """The REST API refuses a second endpoint with a clear error; the first one can be created."""

    def setUp(self):
        super().setUp()
        self.add_permissions('netbox_proxbox.add_netboxendpoint', 'netbox_proxbox.view_netboxendpoint')
        self.url = reverse('plugins-api:netbox_proxbox-api:netboxendpoint-list')

    def test_first_then_second(self):
        first = self.client.post(
            self.url, {'base_url': 'https://a.example.com/', 'token': 't'}, format='json', **self.header
        )
        self.assertEqual(first.status_code, status.HTTP_201_CREATED, first.content)
        self.assertEqual(first.data['base_url'], 'https://a.example.com/')
        second = self.client.post(
            self.url,
            {'name': 'other', 'base_url': 'https://b.example.com/', 'token': 'x'},
            format='json',
            **self.header,
        )
        self.assertEqual(second.status_code, status.HTTP_400_BAD_REQUEST)
        self.assertIn(ONLY_ONE, str(second.json()))
        self.assertEqual(NetBoxEndpoint.objects.get().token, 't')

    def test_bad_values(self):
        for data, field in (
            ({'base_url': 'not a url'}, 'base_url'),
            ({}, 'base_url'),
            ({'base_url': 'https://a.example.com/', 'verify_ssl': 'maybe'}, 'verify_ssl'),
        ):
            with self.subTest(data=data):
                response = self.client.post(self.url, data, format='json', **self.header)
                self.assertEqual(response.status_code, status.HTTP_400_BAD_REQUEST)
                self.assertIn(field, response.json())
        self.assertFalse(NetBoxEndpoint.objects.exists())


class NetBoxEndpointSingletonUITestCase(NetBoxTestCase):
    """The add form and bulk import refuse a second endpoint; "add" leads to the existing one."""

    user_permissions = ['netbox_proxbox.add_netboxendpoint', 'netbox_proxbox.change_netboxendpoint']

    def setUp(self):
        super().setUp()
        self.existing = make_endpoint(token='original')

    def test_add_form_refuses_a_second(self):
        url = reverse('plugins:netbox_proxbox:netboxendpoint_add')
        response = self.client.post(url, {'name': 'other', 'url': 'https://b.example.com/', 'token': 'x'})
        self.assertEqual(response.status_code, 200)
        self.assertIn(ONLY_ONE, str(response.context['form'].non_field_errors()))
        self.assertEqual(NetBoxEndpoint.objects.get().token, 'original')

    def test_add_page_leads_to_the_existing_one(self):
        response = self.client.get(reverse('plugins:netbox_proxbox:netboxendpoint_add'))
        self.assertRedirects(
            response, reverse('plugins:netbox_proxbox:netboxendpoint_edit', args=[self.existing.pk]), 302, 200
        )

    def test_bulk_import_refuses_a_second(self):
        url = reverse('plugins:netbox_proxbox:netboxendpoint_bulk_import')
        response = self.client.post(
            url, {'data': 'name,url,token\nother,https://b.example.com/,x', 'format': 'csv', 'csv_delimiter': ','}
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn(ONLY_ONE, response.content.decode())
        self.assertEqual(NetBoxEndpoint.objects.get().token, 'original')

    def test_bulk_import_creates_the_first(self):
        self.existing.delete()
        url = reverse('plugins:netbox_proxbox:netboxendpoint_bulk_import')
        response = self.client.post(
            url, {'data': 'url,token\nhttps://b.example.com/,x', 'format': 'csv', 'csv_delimiter': ','}
        )
        self.assertEqual(response.status_code, 302, response.content.decode()[-3000:])
        self.assertEqual(NetBoxEndpoint.objects.get().name, 'NetBox')

    def test_bad_url_is_a_field_error(self):
        self.existing.delete()
        url = reverse('plugins:netbox_proxbox:netboxendpoint_add')
        response = self.client.post(url, {'name': 'NetBox', 'url': 'netbox'})
        self.assertEqual(response.status_code, 200)
        self.assertIn('url', response.context['form'].errors)

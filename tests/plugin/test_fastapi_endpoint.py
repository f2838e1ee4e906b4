"""
FastAPIEndpoint (singleton): NetBox's view, API, GraphQL, filterset and table test cases with its one
instance, and the singleton contract: a second one is refused by the form, the REST API and bulk
import with a clear error, and the existing one is left as it was.
"""

from django.test import TestCase
from django.urls import reverse
from rest_framework import status

from utilities.testing import APITestCase, TableTestCases
from utilities.testing import TestCase as NetBoxTestCase

from netbox_proxbox.filtersets import FastAPIEndpointFilterSet
from netbox_proxbox.graphql.types import ProxboxFastAPIEndpointType
from netbox_proxbox.models import FastAPIEndpoint
from netbox_proxbox.tables import FastAPIEndpointTable

from . import base, singleton

ONLY_ONE = 'Only one proxbox-api endpoint may exist'


def make_endpoint(**kwargs):
    return FastAPIEndpoint.objects.create(
        **{'url': 'http://proxbox-api.example.com:8800/', 'api_key': 'key-abc', **kwargs}
    )


class FastAPIEndpointViewTestCase(singleton.SingletonViewTestCase):
    """Detail, changelog, edit, delete and list views."""

    model = FastAPIEndpoint
    validation_excluded_fields = ['api_key']

    @classmethod
    def setUpTestData(cls):
        make_endpoint()
        cls.form_data = {
            'name': 'proxbox-api',
            'url': 'https://api2.example.com/',
            'api_key': 'rotated',
            'verify_ssl': False,
            'timeout': 45,
        }


class FastAPIEndpointAPITestCase(singleton.SingletonAPITestCase):
    """REST API and GraphQL."""

    model = FastAPIEndpoint
    brief_fields = ['description', 'display', 'id', 'name', 'url']
    update_data = {'description': 'sync service', 'verify_ssl': False, 'timeout': 60}
    graphql_base_name = 'proxbox_fastapi_endpoint'
    type_class = ProxboxFastAPIEndpointType

    @classmethod
    def setUpTestData(cls):
        make_endpoint()


class FastAPIEndpointFilterSetTestCase(base.PluginFilterSetTestMixin, TestCase):
    """Every model field has its filter (the API key excepted: it is write-only)."""

    queryset = FastAPIEndpoint.objects.all()
    filterset = FastAPIEndpointFilterSet
    ignore_fields = ('api_key',)

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
        self.assertEqual(self.filterset({'q': 'proxbox-api.example'}, self.queryset).qs.count(), 1)
        self.assertEqual(self.filterset({'verify_ssl': False}, self.queryset).qs.count(), 0)
        self.assertEqual(self.filterset({'description': ['main']}, self.queryset).qs.count(), 1)


class FastAPIEndpointTableTestCase(TableTestCases.StandardTableTestCase):
    table = FastAPIEndpointTable


class FastAPIEndpointSingletonAPITestCase(APITestCase):
    """The REST API refuses a second endpoint with a clear error; the first one can be created."""

    def setUp(self):
        super().setUp()
        self.add_permissions('netbox_proxbox.add_fastapiendpoint', 'netbox_proxbox.view_fastapiendpoint')
        self.url = reverse('plugins-api:netbox_proxbox-api:fastapiendpoint-list')

    def test_first_then_second(self):
        first = self.client.post(
            self.url, {'base_url': 'https://a.example.com/', 'api_key': 't'}, format='json', **self.header
        )
        self.assertEqual(first.status_code, status.HTTP_201_CREATED, first.content)
        self.assertEqual(first.data['base_url'], 'https://a.example.com/')
        second = self.client.post(
            self.url,
            {'name': 'other', 'base_url': 'https://b.example.com/', 'api_key': 'x'},
            format='json',
            **self.header,
        )
        self.assertEqual(second.status_code, status.HTTP_400_BAD_REQUEST)
        self.assertIn(ONLY_ONE, str(second.json()))
        self.assertEqual(FastAPIEndpoint.objects.get().api_key, 't')

    def test_bad_values(self):
        for data, field in (
            ({'base_url': 'not a url'}, 'base_url'),
            ({}, 'base_url'),
            ({'base_url': 'https://a.example.com/', 'verify_ssl': 'maybe'}, 'verify_ssl'),
            ({'base_url': 'https://a.example.com/', 'timeout': 0}, 'timeout'),
            ({'base_url': 'https://a.example.com/', 'timeout': 'soon'}, 'timeout'),
        ):
            with self.subTest(data=data):
                response = self.client.post(self.url, data, format='json', **self.header)
                self.assertEqual(response.status_code, status.HTTP_400_BAD_REQUEST)
                self.assertIn(field, response.json())
        self.assertFalse(FastAPIEndpoint.objects.exists())


class FastAPIEndpointSingletonUITestCase(NetBoxTestCase):
    """The add form and bulk import refuse a second endpoint; "add" leads to the existing one."""

    user_permissions = ['netbox_proxbox.add_fastapiendpoint', 'netbox_proxbox.change_fastapiendpoint']

    def setUp(self):
        super().setUp()
        self.existing = make_endpoint(api_key='original')

    def test_add_form_refuses_a_second(self):
        url = reverse('plugins:netbox_proxbox:fastapiendpoint_add')
        response = self.client.post(url, {'name': 'other', 'url': 'https://b.example.com/', 'api_key': 'x'})
        self.assertEqual(response.status_code, 200)
        self.assertIn(ONLY_ONE, str(response.context['form'].non_field_errors()))
        self.assertEqual(FastAPIEndpoint.objects.get().api_key, 'original')

    def test_add_page_leads_to_the_existing_one(self):
        response = self.client.get(reverse('plugins:netbox_proxbox:fastapiendpoint_add'))
        self.assertRedirects(
            response, reverse('plugins:netbox_proxbox:fastapiendpoint_edit', args=[self.existing.pk]), 302, 200
        )

    def test_bulk_import_refuses_a_second(self):
        url = reverse('plugins:netbox_proxbox:fastapiendpoint_bulk_import')
        response = self.client.post(
            url, {'data': 'name,url,api_key\nother,https://b.example.com/,x', 'format': 'csv', 'csv_delimiter': ','}
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn(ONLY_ONE, response.content.decode())
        self.assertEqual(FastAPIEndpoint.objects.get().api_key, 'original')

    def test_bulk_import_creates_the_first(self):
        self.existing.delete()
        url = reverse('plugins:netbox_proxbox:fastapiendpoint_bulk_import')
        response = self.client.post(
            url, {'data': 'url,api_key\nhttps://b.example.com/,x', 'format': 'csv', 'csv_delimiter': ','}
        )
        self.assertEqual(response.status_code, 302, response.content.decode()[-3000:])
        self.assertEqual(FastAPIEndpoint.objects.get().name, 'proxbox-api')

    def test_bad_url_is_a_field_error(self):
        self.existing.delete()
        url = reverse('plugins:netbox_proxbox:fastapiendpoint_add')
        for data, field in (({'url': 'netbox'}, 'url'), ({'url': 'http://a.example.com/', 'timeout': 0}, 'timeout')):
            response = self.client.post(url, {'name': 'proxbox-api', 'timeout': 30, **data})
            self.assertEqual(response.status_code, 200)
            self.assertIn(field, response.context['form'].errors)

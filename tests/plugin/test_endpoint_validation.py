"""
Bad input on the ProxmoxEndpoint form and API gets a field-level error and stores nothing.
"""

from django.urls import reverse
from rest_framework import status

from utilities.testing import APITestCase, TestCase

from netbox_proxbox.models import ProxmoxEndpoint

VALID = {
    'name': 'pve',
    'host': 'pve.example.com',
    'port': 8006,
    'username': 'root@pam',
    'token_name': 'sync',
    'token_secret': 's',
    'timeout': 30,
}

BAD = [
    ({'host': 'https://pve.example.com:8006'}, 'host'),
    ({'host': 'pve example'}, 'host'),
    ({'port': 70000}, 'port'),
    ({'port': 0}, 'port'),
    ({'username': 'root'}, 'username'),
    ({'token_secret': ''}, 'token_secret'),
    ({'token_name': '', 'token_secret': 's', 'password': ''}, 'token_name'),
    ({'token_name': '', 'token_secret': ''}, 'password'),
    ({'token_name': 'bad name!'}, 'token_name'),
    ({'timeout': 0}, 'timeout'),
]


class EndpointAPIValidationTestCase(APITestCase):
    """Each bad value is a 400 naming the field."""

    def test_bad_values(self):
        self.add_permissions('netbox_proxbox.add_proxmoxendpoint')
        url = reverse('plugins-api:netbox_proxbox-api:proxmoxendpoint-list')
        for change, field in BAD:
            with self.subTest(change=change):
                response = self.client.post(url, {**VALID, **change}, format='json', **self.header)
                self.assertEqual(response.status_code, status.HTTP_400_BAD_REQUEST, response.content)
                self.assertIn(field, response.json())
        self.assertFalse(ProxmoxEndpoint.objects.exists())

    def test_duplicate_name(self):
        self.add_permissions('netbox_proxbox.add_proxmoxendpoint')
        ProxmoxEndpoint.objects.create(**{**VALID, 'token_secret': 'original'})
        url = reverse('plugins-api:netbox_proxbox-api:proxmoxendpoint-list')
        response = self.client.post(url, {**VALID, 'token_secret': 'other'}, format='json', **self.header)
        self.assertEqual(response.status_code, status.HTTP_400_BAD_REQUEST)
        self.assertIn('name', response.json())
        self.assertEqual(ProxmoxEndpoint.objects.get().token_secret, 'original')


class EndpointFormValidationTestCase(TestCase):
    """The add form shows the error beside the field (200, not a redirect, never a 500)."""

    user_permissions = ['netbox_proxbox.add_proxmoxendpoint']

    def test_bad_values(self):
        url = reverse('plugins:netbox_proxbox:proxmoxendpoint_add')
        for change, field in BAD:
            with self.subTest(change=change):
                data = {**VALID, 'verify_ssl': 'on', 'enabled': 'on', **change}
                response = self.client.post(url, data)
                self.assertEqual(response.status_code, 200)
                self.assertIn(field, response.context['form'].errors)
        self.assertFalse(ProxmoxEndpoint.objects.exists())

"""
Secrets are write-only: a Proxmox endpoint's token secret and password are never returned by the
REST API or GraphQL, never rendered into HTML, never stored in a change-log entry, never logged,
and an edit that leaves them empty keeps the stored value.
"""

import logging

from django.urls import reverse
from rest_framework import status

from core.models import ObjectChange
from users.models import ObjectPermission
from utilities.testing import APITestCase, TestCase

from netbox_proxbox.models import ProxmoxEndpoint

TOKEN_SECRET = 'c0ffee00-dead-beef-cafe-5ecre7t0ken1'
PASSWORD = 'hunter2-super-secret-password'


class CapturedLogs(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.lines = []

    def emit(self, record):
        self.lines.append(self.format(record))

    def __enter__(self):
        logging.getLogger().addHandler(self)
        logging.getLogger().setLevel(logging.DEBUG)
        return self

    def __exit__(self, *exc):
        logging.getLogger().removeHandler(self)


def allow(user, action_names):
    perm = ObjectPermission.objects.create(name=f'endpoints-{user.pk}', actions=action_names)
    perm.object_types.add(
        *__import__('core.models', fromlist=['ObjectType']).ObjectType.objects.filter(
            app_label='netbox_proxbox', model='proxmoxendpoint'
        )
    )
    perm.users.add(user)


class SecretsAPITestCase(APITestCase):
    """The REST API and GraphQL accept secrets but never return them."""

    model = ProxmoxEndpoint

    def setUp(self):
        super().setUp()
        allow(self.user, ['view', 'add', 'change'])
        self.url = reverse('plugins-api:netbox_proxbox-api:proxmoxendpoint-list')

    def create(self):
        data = {
            'name': 'pve',
            'host': 'pve.example.com',
            'username': 'root@pam',
            'token_name': 'sync',
            'token_secret': TOKEN_SECRET,
            'password': PASSWORD,
        }
        with CapturedLogs() as logs:
            response = self.client.post(self.url, data, format='json', **self.header)
        self.assertEqual(response.status_code, status.HTTP_201_CREATED, response.content)
        return response, logs

    def test_create_response_and_logs_hold_no_secret(self):
        response, logs = self.create()
        body = response.content.decode()
        self.assertNotIn(TOKEN_SECRET, body)
        self.assertNotIn(PASSWORD, body)
        self.assertEqual(response.data['secrets_set'], {'token_secret': True, 'password': True})
        self.assertNotIn(TOKEN_SECRET, '\n'.join(logs.lines))
        self.assertEqual(ProxmoxEndpoint.objects.get().token_secret, TOKEN_SECRET)

    def test_get_and_list_hold_no_secret(self):
        response, _ = self.create()
        for url in (self.url, response.data['url'], f'{self.url}?brief=1', f'{self.url}?export=csv'):
            body = self.client.get(url, **self.header).content.decode()
            self.assertNotIn(TOKEN_SECRET, body, url)
            self.assertNotIn(PASSWORD, body, url)

    def test_changelog_holds_no_secret(self):
        response, _ = self.create()
        self.client.patch(
            response.data['url'], {'description': 'x', 'token_secret': 'rotated-secret'}, format='json', **self.header
        )
        changes = ObjectChange.objects.filter(changed_object_type__model='proxmoxendpoint')
        self.assertEqual(changes.count(), 2)
        for change in changes:
            dumped = repr(change.prechange_data) + repr(change.postchange_data)
            for secret in (TOKEN_SECRET, PASSWORD, 'rotated-secret'):
                self.assertNotIn(secret, dumped)
        self.assertEqual(ProxmoxEndpoint.objects.get().token_secret, 'rotated-secret')

    def test_patch_without_secret_keeps_it(self):
        response, _ = self.create()
        patched = self.client.patch(
            response.data['url'], {'timeout': 9, 'token_secret': ''}, format='json', **self.header
        )
        self.assertEqual(patched.status_code, status.HTTP_200_OK, patched.content)
        endpoint = ProxmoxEndpoint.objects.get()
        self.assertEqual((endpoint.timeout, endpoint.token_secret), (9, TOKEN_SECRET))

    def test_graphql_does_not_expose_secrets(self):
        self.create()
        self.add_permissions('netbox_proxbox.view_proxmoxendpoint')
        url = reverse('graphql')
        ok = self.client.post(
            url, {'query': '{ proxbox_proxmox_endpoint_list { name host } }'}, format='json', **self.header
        )
        self.assertEqual(ok.json()['data']['proxbox_proxmox_endpoint_list'][0]['name'], 'pve')
        for field in ('token_secret', 'password'):
            bad = self.client.post(
                url, {'query': f'{{ proxbox_proxmox_endpoint_list {{ {field} }} }}'}, format='json', **self.header
            )
            self.assertIn('errors', bad.json())
            self.assertNotIn(TOKEN_SECRET, bad.content.decode())


class SecretsUITestCase(TestCase):
    """Detail, edit and list pages never render a stored secret."""

    user_permissions = ['netbox_proxbox.view_proxmoxendpoint', 'netbox_proxbox.change_proxmoxendpoint']

    def setUp(self):
        super().setUp()
        self.endpoint = ProxmoxEndpoint.objects.create(
            name='pve',
            host='pve.example.com',
            username='root@pam',
            token_name='sync',
            token_secret=TOKEN_SECRET,
            password=PASSWORD,
        )

    def test_pages_render_no_secret(self):
        for url in (
            self.endpoint.get_absolute_url(),
            reverse('plugins:netbox_proxbox:proxmoxendpoint_edit', args=[self.endpoint.pk]),
            reverse('plugins:netbox_proxbox:proxmoxendpoint_list'),
            reverse('plugins:netbox_proxbox:proxmoxendpoint_list') + '?export=table',
        ):
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200, url)
            body = response.content.decode()
            self.assertNotIn(TOKEN_SECRET, body, url)
            self.assertNotIn(PASSWORD, body, url)
        self.assertIn('Stored', self.client.get(self.endpoint.get_absolute_url()).content.decode())

    def test_edit_with_empty_secret_keeps_it(self):
        url = reverse('plugins:netbox_proxbox:proxmoxendpoint_edit', args=[self.endpoint.pk])
        response = self.client.post(
            url,
            {
                'name': 'pve',
                'host': 'pve.example.com',
                'port': 8006,
                'username': 'root@pam',
                'token_name': 'sync',
                'token_secret': '',
                'password': '',
                'verify_ssl': 'on',
                'timeout': 12,
                'enabled': 'on',
            },
        )
        self.assertEqual(response.status_code, 302, response.content.decode()[-2000:])
        self.endpoint.refresh_from_db()
        self.assertEqual(
            (self.endpoint.timeout, self.endpoint.token_secret, self.endpoint.password), (12, TOKEN_SECRET, PASSWORD)
        )

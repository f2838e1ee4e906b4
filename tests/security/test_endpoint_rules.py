"""
Where Proxbox connects is validated wherever it is typed (form, CSV import, REST API): a Proxmox
endpoint's host is a bare host name, IPv4 or IPv6 address (no scheme, port, path or spaces) and its
port 1-65535; the NetBox and proxbox-api endpoints' URLs are http(s) with a host and no credentials
(nor query or fragment) in them. TLS verification is on unless someone turns it off, however the
endpoint was made, and an endpoint with it off says so on its page and in its list.
"""

from django.urls import reverse
from rest_framework import status

from utilities.testing import APITestCase, TestCase

from netbox_proxbox.models import FastAPIEndpoint, NetBoxEndpoint, ProxmoxEndpoint

PROXMOX = {'name': 'pve', 'host': 'pve.example.com', 'port': 8006, 'username': 'root@pam', 'token_name': 'sync',
           'token_secret': 's', 'timeout': 30}  # fmt: skip
GOOD_HOSTS = (
    'pve1',
    'pve1.example.com',
    'pve1.example.com.',
    '10.0.0.1',
    '2001:db8::1',
    '::1',
    'xn--bcher-kva.example',
)
BAD_HOSTS = ('https://pve.example.com', 'pve.example.com/api2/json', 'pve example', 'pve.example.com:8006',
             '[2001:db8::1]', 'root@pve', '10.0.0.1/24', 'pve..example', '-pve', 'pve\texample', '')  # fmt: skip
GOOD_PORTS, BAD_PORTS = (1, 8006, 65535), (0, 65536, -1)
GOOD_URLS = ('https://netbox.example.com/', 'http://127.0.0.1:8800/', 'http://[::1]:8000/',
             'https://nb.example.com/netbox/', 'http://proxbox-api:8800')  # fmt: skip
BAD_URLS = ('ftp://netbox.example.com/', 'netbox.example.com', 'https://user:pass@netbox.example.com/',
            'https://admin@netbox.example.com/', 'http:///path', 'javascript:alert(1)', 'file:///etc/passwd',
            'https://nb.example.com/?token=abc', 'https://nb.example.com/#x', 'https://nb .example.com/')  # fmt: skip
SERVICES = (
    (NetBoxEndpoint, 'netboxendpoint', {'name': 'NetBox', 'token': 'nbt_a.b'}),
    (FastAPIEndpoint, 'fastapiendpoint', {'name': 'proxbox-api', 'api_key': 'k' * 20, 'timeout': 30}),
)


class APIRulesTestCase(APITestCase):
    """The REST API refuses each bad value with a 400 naming the field, and keeps the good ones."""

    def setUp(self):
        super().setUp()
        self.add_permissions(
            *(f'netbox_proxbox.add_{m}' for m in ('proxmoxendpoint', 'netboxendpoint', 'fastapiendpoint'))
        )

    def post(self, name, data):
        url = reverse(f'plugins-api:netbox_proxbox-api:{name}-list')
        return self.client.post(url, data, format='json', **self.header)

    def test_proxmox_host_and_port(self):
        cases = [({'host': h}, h in GOOD_HOSTS) for h in GOOD_HOSTS + BAD_HOSTS]
        cases += [({'port': p}, p in GOOD_PORTS) for p in GOOD_PORTS + BAD_PORTS]
        for n, (change, good) in enumerate(cases):
            with self.subTest(change=change):
                response = self.post('proxmoxendpoint', {**PROXMOX, 'name': f'pve-{n}', **change})
                expected = status.HTTP_201_CREATED if good else status.HTTP_400_BAD_REQUEST
                self.assertEqual(response.status_code, expected, response.content)
                if not good:
                    self.assertIn(next(iter(change)), response.json())
        self.assertEqual(ProxmoxEndpoint.objects.count(), len(GOOD_HOSTS) + len(GOOD_PORTS))

    def test_service_urls(self):
        for model, name, fields in SERVICES:
            for url in GOOD_URLS + BAD_URLS:
                with self.subTest(model=name, url=url):
                    response = self.post(name, {**fields, 'base_url': url})
                    if url in GOOD_URLS:
                        self.assertEqual(response.status_code, status.HTTP_201_CREATED, response.content)
                        model.objects.all().delete()
                    else:
                        self.assertEqual(response.status_code, status.HTTP_400_BAD_REQUEST, response.content)
                        self.assertIn('base_url', response.json())
            self.assertFalse(model.objects.exists())

    def test_tls_verification_is_on_unless_turned_off(self):
        self.assertTrue(self.post('proxmoxendpoint', PROXMOX).json()['verify_ssl'])
        for _model, name, fields in SERVICES:
            self.assertTrue(self.post(name, {**fields, 'base_url': GOOD_URLS[0]}).json()['verify_ssl'])


class FormRulesTestCase(TestCase):
    """The add forms and CSV import refuse the same values; a CSV without verify_ssl keeps TLS on."""

    user_permissions = [f'netbox_proxbox.add_{m}' for m in ('proxmoxendpoint', 'netboxendpoint', 'fastapiendpoint')]

    def add(self, name, data):
        return self.client.post(reverse(f'plugins:netbox_proxbox:{name}_add'), data)

    def test_proxmox_form(self):
        for change in [{'host': h} for h in BAD_HOSTS] + [{'port': p} for p in BAD_PORTS]:
            with self.subTest(change=change):
                response = self.add('proxmoxendpoint', {**PROXMOX, 'enabled': 'on', 'verify_ssl': 'on', **change})
                self.assertEqual(response.status_code, 200)
                self.assertIn(next(iter(change)), response.context['form'].errors)
        self.assertFalse(ProxmoxEndpoint.objects.exists())

    def test_service_forms(self):
        for model, name, fields in SERVICES:
            for url in BAD_URLS:
                with self.subTest(model=name, url=url):
                    response = self.add(name, {**fields, 'url': url, 'verify_ssl': 'on'})
                    self.assertEqual(response.status_code, 200)
                    self.assertIn('url', response.context['form'].errors)
            self.assertFalse(model.objects.exists())

    def import_csv(self, name, csv):
        url = reverse(f'plugins:netbox_proxbox:{name}_bulk_import')
        return self.client.post(url, {'data': csv, 'format': 'csv', 'csv_delimiter': ','})

    def test_csv_import_refuses_bad_values(self):
        self.add_permissions('netbox_proxbox.view_proxmoxendpoint', 'netbox_proxbox.view_netboxendpoint')
        for host in BAD_HOSTS[:-1]:
            with self.subTest(host=host):
                self.import_csv(
                    'proxmoxendpoint', f'name,host,username,token_name,token_secret\npve,"{host}",root@pam,a,s'
                )
        self.assertFalse(ProxmoxEndpoint.objects.exists())
        for url in BAD_URLS:
            with self.subTest(url=url):
                self.import_csv('netboxendpoint', f'url,token\n"{url}",nbt_a.b')
        self.assertFalse(NetBoxEndpoint.objects.exists())

    def test_csv_import_without_the_column_keeps_tls_on(self):
        for model in ('proxmoxendpoint', 'netboxendpoint', 'fastapiendpoint'):
            self.add_permissions(f'netbox_proxbox.view_{model}')
        self.import_csv(
            'proxmoxendpoint', 'name,host,username,token_name,token_secret\npve,pve.example.com,root@pam,a,s'
        )
        self.import_csv('netboxendpoint', 'url,token\nhttps://nb.example.com/,nbt_a.b')
        self.import_csv('fastapiendpoint', f'url,api_key\nhttp://127.0.0.1:8800/,{"k" * 20}')
        for model in (ProxmoxEndpoint, NetBoxEndpoint, FastAPIEndpoint):
            self.assertTrue(model.objects.get().verify_ssl, model.__name__)


class TLSOffIsVisibleTestCase(TestCase):
    """An endpoint that does not verify TLS carries a warning on its page and in its list."""

    user_permissions = [f'netbox_proxbox.view_{m}' for m in ('proxmoxendpoint', 'netboxendpoint', 'fastapiendpoint')]
    WARNING = 'TLS not verified'

    def test_warning_where_tls_is_off_only(self):
        endpoints = [
            ProxmoxEndpoint.objects.create(**{**PROXMOX, 'verify_ssl': False}),
            ProxmoxEndpoint.objects.create(**{**PROXMOX, 'name': 'pve-safe'}),
            NetBoxEndpoint.objects.create(url='https://nb.example.com/', token='t', verify_ssl=False),
            FastAPIEndpoint.objects.create(url='http://127.0.0.1:8800/', api_key='k', verify_ssl=False),
        ]
        for endpoint in endpoints:
            page = self.client.get(endpoint.get_absolute_url()).content.decode()
            self.assertEqual(self.WARNING in page, not endpoint.verify_ssl, endpoint)
        for name, count in (('proxmoxendpoint', 1), ('netboxendpoint', 1), ('fastapiendpoint', 1)):
            listing = self.client.get(reverse(f'plugins:netbox_proxbox:{name}_list')).content.decode()
            self.assertEqual(listing.count(self.WARNING), count, name)

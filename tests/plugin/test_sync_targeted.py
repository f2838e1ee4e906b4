"""
Targeted syncs in the plugin: POST /sync/ with a `scope` records a `targeted` run on the endpoint its
cluster is synced from (every enabled one when the cluster is not synced yet), locked like any sync;
a bad scope is a clear 400; the request sent to proxbox-api carries the scope. The **Sync now**
button shows on a synced VM, a Proxmox node's device, a synced cluster and a Proxmox cluster record,
only with the run_sync permission and only on objects Proxbox syncs, and starts that object's scope.
Runs filter by kind.
"""

from django.urls import reverse
from rest_framework import status

from dcim.models import Device
from extras.models import Tag
from utilities.testing import TestCase
from virtualization.models import Cluster, ClusterType, VirtualMachine

from netbox_proxbox.constants import RUN_SYNC_PERMISSION
from netbox_proxbox.filtersets import SyncRunFilterSet
from netbox_proxbox.models import NetBoxEndpoint, SyncRun
from netbox_proxbox.sync.payload import build_sync_request
from netbox_proxbox.sync.targets import scope_of_key

from .factories import make_endpoint, make_proxmox_cluster
from .sync_helpers import clear_run_keys, make_run
from .test_sync_api import SyncApiTestCase

NOW_URL = reverse('plugins:netbox_proxbox:sync_now')


class TargetedApiTestCase(SyncApiTestCase):
    """POST /sync/ with a scope."""

    def setUp(self):
        super().setUp()
        make_proxmox_cluster('cl-b', endpoint=self.pve_b)

    def test_a_scope_runs_on_the_endpoint_of_its_cluster(self):
        self.allow()
        response = self.post({'scope': {'cluster': 'cl-b', 'vmid': 101}})
        self.assertHttpStatus(response, status.HTTP_202_ACCEPTED)
        body = response.json()['run']
        self.assertEqual((body['kind']['value'], body['scope']), ('targeted', {'cluster': 'cl-b', 'vmid': 101}))
        run = SyncRun.objects.get(pk=body['id'])
        self.assertEqual([e.name for e in run.endpoints.all()], ['pve-b'])
        self.assertEqual(run.scope_display, 'guest cl-b/101')
        NetBoxEndpoint.objects.create(url='http://netbox.example.com/', token='nbt_abc.def')
        self.assertEqual(build_sync_request(run, list(run.endpoints.all()))['scope'], {'cluster': 'cl-b', 'vmid': 101})

    def test_a_cluster_scope_of_some_families(self):
        self.allow()
        body = self.post({'scope': {'cluster': 'cl-b', 'families': ['backups', 'storage']}}).json()['run']
        self.assertEqual(body['scope'], {'cluster': 'cl-b', 'families': ['storage', 'backups']})
        self.assertEqual(SyncRun.objects.get(pk=body['id']).scope_display, 'cluster cl-b (storage, backups)')

    def test_a_cluster_not_synced_yet_is_looked_for_on_every_enabled_endpoint(self):
        self.allow()
        body = self.post({'scope': {'cluster': 'new-cluster', 'node': 'pve1'}}).json()['run']
        self.assertEqual({e['name'] for e in body['endpoints']}, {'pve-a', 'pve-b'})
        self.assertEqual(body['scope'], {'cluster': 'new-cluster', 'node': 'pve1'})

    def test_a_targeted_sync_waits_for_no_one_else_on_its_endpoint(self):
        self.allow()
        running = self.post({'endpoints': ['pve-b']}).json()['run']
        response = self.post({'scope': {'cluster': 'cl-b'}})
        self.assertHttpStatus(response, status.HTTP_409_CONFLICT)
        self.assertEqual(response.json()['run_id'], running['id'])
        self.assertHttpStatus(self.post({'scope': {'cluster': 'other', 'vmid': 5}, 'endpoints': ['pve-a']}), 202)

    def test_bad_scopes_are_clear_400s(self):
        self.allow()
        for scope, field in (
            ({'cluster': 'cl-b', 'node': 'pve1', 'vmid': 100}, 'not both'),
            ({'vmid': 100}, 'cluster'),
            ({'cluster': 'cl-b', 'vmid': 0}, 'vmid'),
            ({'cluster': 'cl-b', 'vmid': 100, 'families': ['backups']}, 'cluster scope only'),
            ({'cluster': 'cl-b', 'families': ['backup']}, 'not a valid choice'),
            ({'cluster': 'cl-b', 'families': []}, 'families'),
        ):
            response = self.post({'scope': scope})
            self.assertHttpStatus(response, status.HTTP_400_BAD_REQUEST)
            self.assertIn(field, str(response.json()))
        self.assertFalse(SyncRun.objects.exists())

    def test_runs_filter_by_kind(self):
        full = make_run([self.pve_a], status='completed')
        targeted = make_run([self.pve_b], status='completed')
        SyncRun.objects.filter(pk=targeted.pk).update(kind='targeted', scope={'cluster': 'cl-b'})
        filtered = SyncRunFilterSet({'kind': ['targeted']}, SyncRun.objects.all()).qs
        self.assertEqual(list(filtered), [SyncRun.objects.get(pk=targeted.pk)])
        by_cluster = SyncRunFilterSet({'scope_cluster': 'cl-b'}, SyncRun.objects.all()).qs
        self.assertEqual([run.pk for run in by_cluster], [targeted.pk])
        self.assertEqual(SyncRun.objects.get(pk=full.pk).kind, 'full')


class ScopeOfKeyTestCase(TestCase):
    def test_keys(self):
        self.assertEqual(scope_of_key('pve:c/guest/100'), {'cluster': 'c', 'vmid': 100})
        self.assertEqual(scope_of_key('pve:c/node/pve1'), {'cluster': 'c', 'node': 'pve1'})
        self.assertEqual(scope_of_key('pve:c'), {'cluster': 'c'})
        for key in (None, '', 'pve:c/guest/100/net0', 'pve:c/storage/local', 'other:c', 'pve:/guest/1'):
            self.assertIsNone(scope_of_key(key), key)


class SyncNowTestCase(TestCase):
    """The Sync now button and what it posts."""

    def setUp(self):
        super().setUp()
        self.addCleanup(clear_run_keys)
        self.endpoint = make_endpoint('pve-a')
        self.pve = make_proxmox_cluster('cl-a', endpoint=self.endpoint)
        proxbox = Tag.objects.get_or_create(slug='proxbox', defaults={'name': 'Proxbox'})[0]
        kind = ClusterType.objects.create(name='Proxmox', slug='proxmox')
        self.cluster = Cluster.objects.create(name='cl-a', type=kind, custom_field_data={'proxbox_id': 'pve:cl-a'})
        self.vm = VirtualMachine.objects.create(
            name='web', cluster=self.cluster, custom_field_data={'proxbox_id': 'pve:cl-a/guest/100'}
        )
        self.hand_made = VirtualMachine.objects.create(name='by-hand', cluster=self.cluster)
        for obj in (self.cluster, self.vm):
            obj.tags.add(proxbox)
        self.add_permissions(
            'virtualization.view_virtualmachine',
            'virtualization.view_cluster',
            'netbox_proxbox.view_proxmoxcluster',
            'netbox_proxbox.view_syncrun',
            'netbox_proxbox.view_proxmoxendpoint',
        )

    def page(self, obj):
        response = self.client.get(obj.get_absolute_url())
        self.assertHttpStatus(response, 200)
        return response.content.decode()

    def test_the_button_needs_run_sync_and_a_synced_object(self):
        self.assertNotIn('proxbox-sync-now', self.page(self.vm))
        self.add_permissions(RUN_SYNC_PERMISSION)
        for obj, label in ((self.vm, 'virtualization.virtualmachine'), (self.cluster, 'virtualization.cluster')):
            content = self.page(obj)
            self.assertIn('id="proxbox-sync-now"', content)
            self.assertIn(f'name="object_type" value="{label}"', content)
        self.assertIn('id="proxbox-sync-now"', self.page(self.pve))
        self.assertNotIn('proxbox-sync-now', self.page(self.hand_made))

    def test_sync_now_starts_the_objects_scope(self):
        self.add_permissions(RUN_SYNC_PERMISSION)
        for obj, label, scope in (
            (self.vm, 'virtualization.virtualmachine', {'cluster': 'cl-a', 'vmid': 100}),
            (self.pve, 'netbox_proxbox.proxmoxcluster', {'cluster': 'cl-a'}),
        ):
            SyncRun.objects.all().delete()
            response = self.client.post(NOW_URL, {'object_type': label, 'object_id': obj.pk})
            run = SyncRun.objects.get()
            self.assertRedirects(response, run.get_absolute_url(), fetch_redirect_response=False)
            self.assertEqual((run.kind, run.scope, run.trigger), ('targeted', scope, 'button'))
            self.assertEqual(list(run.endpoints.all()), [self.endpoint])

    def test_sync_now_refuses_what_proxbox_does_not_sync(self):
        self.add_permissions(RUN_SYNC_PERMISSION, 'dcim.view_device')
        response = self.client.post(
            NOW_URL, {'object_type': 'virtualization.virtualmachine', 'object_id': self.hand_made.pk}, follow=True
        )
        self.assertIn('not synced by Proxbox', response.content.decode())
        self.assertHttpStatus(self.client.post(NOW_URL, {'object_type': 'dcim.site', 'object_id': 1}), 404)
        self.assertHttpStatus(self.client.post(NOW_URL, {'object_type': 'dcim.device', 'object_id': 999}), 404)
        self.assertFalse(SyncRun.objects.exists())
        self.assertFalse(Device.objects.exists())

    def test_sync_now_needs_run_sync(self):
        response = self.client.post(NOW_URL, {'object_type': 'virtualization.virtualmachine', 'object_id': self.vm.pk})
        self.assertHttpStatus(response, 403)
        self.assertFalse(SyncRun.objects.exists())

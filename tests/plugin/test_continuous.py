"""
Continuous mode's ticks (`sync.continuous`): each tick schedules the next one interval later, polls
proxbox-api (`/v1/poll`, answered here by an httpx mock of it) with the state the previous tick kept,
and starts one targeted run (kind `continuous`, scope: the cluster and the changed guests). Nothing
found is lost: guests stay pending while the endpoint is busy or the poll fails, and a failed run's
guests are pending again. Re-arming (saving the endpoint) ends the old chain; an endpoint switched
off, disabled or deleted ends it too. Jobs are enqueued on commit, which a TestCase never does.
An endpoint following Proxmox notifications reads proxbox-api's inbox each tick (NotificationsTestCase).
"""

import json
from unittest import mock

import httpx

from utilities.testing import TestCase

from netbox_proxbox.models import ProxboxPluginSettings, SyncRun
from netbox_proxbox.sync import continuous
from netbox_proxbox.sync.client import ProxboxApi
from netbox_proxbox.sync.problems import ProxboxApiFailed

from .factories import make_endpoint, make_node, make_proxmox_cluster
from .sync_helpers import clear_run_keys


class FakeQueue:
    def __init__(self):
        self.now, self.later = [], []

    def enqueue(self, func, *args, **kwargs):
        self.now.append(args)

    def enqueue_in(self, delay, func, *args, **kwargs):
        self.later.append((delay.total_seconds(), args))


class _Ticking(TestCase):
    """An endpoint (`make`) whose ticks go to a fake queue and talk to a fake proxbox-api (`api`)."""

    def arm(self, endpoint):
        self.addCleanup(clear_run_keys)
        self.endpoint = endpoint
        self.queue = FakeQueue()
        patches = (
            mock.patch.object(continuous, '_queue', return_value=self.queue),
            mock.patch.object(ProxboxApi, 'from_settings', side_effect=self.api),
        )
        for patch in patches:
            patch.start()
            self.addCleanup(patch.stop)
        self.generation = continuous.arm(self.endpoint)


class ContinuousTestCase(_Ticking):
    def setUp(self):
        super().setUp()
        self.polls = []  # the request bodies proxbox-api received
        self.answers = []  # what it answers, one per poll
        endpoint = make_endpoint('pve-a', continuous_interval=30)
        make_proxmox_cluster('cl-a', endpoint=endpoint)
        self.arm(endpoint)

    def api(self):
        def handler(request):
            self.polls.append(json.loads(request.content))
            answer = self.answers.pop(0)
            return answer if isinstance(answer, httpx.Response) else httpx.Response(200, json=answer)

        return ProxboxApi('http://proxbox-api.test/', 'key', transport=httpx.MockTransport(handler))

    def answer(self, *vmids, ok=True, state=None, reasons=('changed',)):
        changes = [{'vmid': vmid, 'reasons': list(reasons)} for vmid in vmids]
        found = {'endpoint': 'pve-a', 'ok': ok, 'error': None if ok else 'connection failed', 'changes': changes}
        found['state'] = state if state is not None else {'guests': {str(v): 'x' for v in vmids}, 'task_cursor': 1}
        self.answers.append({'endpoints': [found]})

    def test_a_tick_polls_and_syncs_the_changed_guests(self):
        self.assertEqual(self.queue.now, [(self.endpoint.pk, self.generation)])
        self.answer()  # the first poll: the baseline
        self.assertIsNone(continuous.tick(self.endpoint.pk, self.generation))
        self.assertEqual(self.queue.later, [(30.0, (self.endpoint.pk, self.generation))])
        self.assertEqual(self.polls[0]['state'], {})
        self.assertEqual(self.polls[0]['endpoints'][0]['name'], 'pve-a')
        self.answer(101, 105, state={'guests': {'101': 'y'}, 'task_cursor': 9})
        run = continuous.tick(self.endpoint.pk, self.generation)
        self.assertEqual(self.polls[1]['state'], {'pve-a': {'guests': {}, 'task_cursor': 1}})
        self.assertEqual(
            (run.kind, run.trigger, run.scope), ('continuous', 'schedule', {'cluster': 'cl-a', 'vmids': [101, 105]})
        )
        self.assertEqual(list(run.endpoints.all()), [self.endpoint])
        state = continuous.poll_state(self.endpoint.pk)
        self.assertEqual((state['run'], state['pending'], state['poll']['task_cursor']), (run.pk, [], 9))

    def test_a_backup_task_syncs_the_guest_then_the_clusters_backups(self):
        self.answer()
        continuous.tick(self.endpoint.pk, self.generation)
        self.answer(101, reasons=('task vzdump ended',))
        run = continuous.tick(self.endpoint.pk, self.generation)
        self.assertEqual(run.scope, {'cluster': 'cl-a', 'vmids': [101]})
        SyncRun.objects.filter(pk=run.pk).update(status='completed')
        self.answer()
        families_run = continuous.tick(self.endpoint.pk, self.generation)
        self.assertEqual(families_run.scope, {'cluster': 'cl-a', 'families': ['backups', 'storage']})

    def test_guests_wait_while_a_sync_runs_and_come_back_when_one_fails(self):
        self.answer()
        continuous.tick(self.endpoint.pk, self.generation)
        self.answer(101)
        first = continuous.tick(self.endpoint.pk, self.generation)
        self.answer(102)  # the first run has not finished: 102 waits
        self.assertIsNone(continuous.tick(self.endpoint.pk, self.generation))
        self.assertEqual(continuous.poll_state(self.endpoint.pk)['pending'], [102])
        SyncRun.objects.filter(pk=first.pk).update(status='failed')
        self.answer()
        retry = continuous.tick(self.endpoint.pk, self.generation)
        self.assertEqual(retry.scope['vmids'], [101, 102])

    def test_a_failed_poll_keeps_the_state_and_the_pending_guests(self):
        self.answer()
        continuous.tick(self.endpoint.pk, self.generation)
        kept = continuous.poll_state(self.endpoint.pk)['poll']
        self.answer(ok=False, state=kept)
        self.assertIsNone(continuous.tick(self.endpoint.pk, self.generation))
        state = continuous.poll_state(self.endpoint.pk)
        self.assertEqual((state['poll'], state['error']), (kept, 'connection failed'))
        self.answers.append(httpx.Response(503, json={'detail': 'down'}))
        self.assertIsNone(continuous.tick(self.endpoint.pk, self.generation))
        self.assertIn('503', continuous.poll_state(self.endpoint.pk)['error'])
        self.assertFalse(SyncRun.objects.exists())

    def test_re_arming_or_switching_off_ends_the_chain(self):
        newer = continuous.arm(self.endpoint)
        self.assertIsNone(continuous.tick(self.endpoint.pk, self.generation))  # the old chain stops
        self.assertEqual((self.queue.later, self.polls), ([], []))
        self.endpoint.continuous_interval = None
        self.endpoint.save()
        self.assertIsNone(continuous.tick(self.endpoint.pk, newer))
        self.assertEqual((self.queue.later, self.polls), ([], []))

    def test_an_endpoint_never_synced_waits_for_a_full_update(self):
        other = make_endpoint('pve-new', continuous_interval=15)
        generation = continuous.arm(other)
        self.answer()
        continuous.tick(other.pk, generation)
        self.answer(101)
        self.assertIsNone(continuous.tick(other.pk, generation))
        self.assertEqual(continuous.poll_state(other.pk)['pending'], [])
        self.assertFalse(SyncRun.objects.exists())


class NotificationsTestCase(_Ticking):
    """An endpoint that follows notifications ticks every NOTIFICATION_TICK seconds and reads proxbox-api's
    inbox (`/v1/notifications`): the guests named by events from its nodes are synced, an event that names
    only a node (a fencing) syncs that node next, events from other clusters' nodes are left; the Proxmox
    poll still runs only once its interval has passed."""

    def setUp(self):
        super().setUp()
        self.requests = []  # (path, query) proxbox-api received
        self.pages = []  # inbox pages it answers, one per request to /v1/notifications
        endpoint = make_endpoint('pve-n', follow_notifications=True)
        cluster = make_proxmox_cluster('cl-n', endpoint=endpoint)
        make_node(cluster, 'pve1')
        make_node(cluster, 'pve2')
        self.arm(endpoint)

    def api(self):
        def handler(request):
            self.requests.append((request.url.path, dict(request.url.params)))
            if request.url.path.endswith('/v1/poll'):
                found = {'endpoint': 'pve-n', 'ok': True, 'changes': [], 'state': {'guests': {}, 'task_cursor': 1}}
                return httpx.Response(200, json={'endpoints': [found]})
            return httpx.Response(200, json=self.pages.pop(0))

        return ProxboxApi('http://proxbox-api.test/', 'key', transport=httpx.MockTransport(handler))

    def page(self, *items, next_seq=None, lost=False):
        keep = [{'type': kind, 'hostname': host, 'vmids': list(vmids)} for kind, host, vmids in items]
        self.pages.append({'instance': 'i1', 'next': next_seq or len(keep), 'lost': lost, 'items': keep})

    def test_named_guests_then_the_named_node(self):
        self.assertEqual(self.queue.now, [(self.endpoint.pk, self.generation)])
        self.page(('vzdump', 'pve1', [101, 102]), ('fencing', 'pve2.example.com', []), ('vzdump', 'other', [900]))
        run = continuous.tick(self.endpoint.pk, self.generation)
        self.assertEqual(self.queue.later, [(5.0, (self.endpoint.pk, self.generation))])
        self.assertEqual(self.requests, [('/v1/notifications', {'after': '0'})])
        self.assertEqual((run.kind, run.scope), ('continuous', {'cluster': 'cl-n', 'vmids': [101, 102]}))
        state = continuous.poll_state(self.endpoint.pk)
        self.assertEqual((state['pending_nodes'], state['inbox']), (['pve2'], {'instance': 'i1', 'next': 3}))
        SyncRun.objects.filter(pk=run.pk).update(status='completed')
        self.page(next_seq=3)
        node_run = continuous.tick(self.endpoint.pk, self.generation)
        self.assertEqual(self.requests[-1], ('/v1/notifications', {'after': '3', 'instance': 'i1'}))
        self.assertEqual(node_run.scope, {'cluster': 'cl-n', 'node': 'pve2'})
        SyncRun.objects.filter(pk=node_run.pk).update(status='failed')  # the node comes back
        self.page(next_seq=3)
        retried = continuous.tick(self.endpoint.pk, self.generation)
        self.assertEqual(retried.scope['node'], 'pve2')
        SyncRun.objects.filter(pk=retried.pk).update(status='completed')
        self.page(next_seq=3)  # last, the backups the vzdump made: the cluster's storage and backups
        families_run = continuous.tick(self.endpoint.pk, self.generation)
        self.assertEqual(families_run.scope, {'cluster': 'cl-n', 'families': ['backups', 'storage']})
        self.assertEqual(families_run.scope_display, 'cluster cl-n (backups, storage)')
        SyncRun.objects.filter(pk=families_run.pk).update(status='completed')
        self.page(next_seq=3)
        self.assertIsNone(continuous.tick(self.endpoint.pk, self.generation))

    def test_a_failed_replication_syncs_its_guest_then_the_jobs(self):
        self.page(('replication', 'pve2', [105]))
        run = continuous.tick(self.endpoint.pk, self.generation)
        self.assertEqual(run.scope, {'cluster': 'cl-n', 'vmids': [105]})
        SyncRun.objects.filter(pk=run.pk).update(status='completed')
        settings = ProxboxPluginSettings.current()
        settings.sync_replications = False  # switched off meanwhile: not synced
        settings.save()
        self.page(next_seq=1)
        self.assertIsNone(continuous.tick(self.endpoint.pk, self.generation))
        self.assertEqual(continuous.poll_state(self.endpoint.pk)['pending_families'], [])

    def test_an_event_naming_its_cluster_is_only_that_clusters(self):
        self.page(('vzdump', 'pve1', [101]), ('vzdump', 'pve1', [102]), ('vzdump', 'pve1', [103]))
        for item, cluster in zip(self.pages[-1]['items'], ('cl-n', 'cl-other', None), strict=True):
            item['cluster'] = cluster  # another cluster with a node named pve1 too
        run = continuous.tick(self.endpoint.pk, self.generation)
        self.assertEqual(run.scope, {'cluster': 'cl-n', 'vmids': [101, 103]})

    def test_events_that_name_nothing_to_sync(self):
        self.page(('package-updates', 'pve1', []), ('unknown', None, []))
        self.assertIsNone(continuous.tick(self.endpoint.pk, self.generation))
        state = continuous.poll_state(self.endpoint.pk)
        self.assertEqual((state['pending'], state['pending_nodes']), ([], []))

    def test_the_poll_runs_at_its_own_interval(self):
        self.endpoint.continuous_interval = 30
        self.endpoint.save()
        generation = continuous.arm(self.endpoint)
        self.page()
        self.page()
        continuous.tick(self.endpoint.pk, generation)
        continuous.tick(self.endpoint.pk, generation)  # 5 s later: no poll is due yet
        self.assertEqual([path for path, _ in self.requests], ['/v1/poll', '/v1/notifications', '/v1/notifications'])
        self.assertEqual(self.queue.later[-1][0], 5.0)

    def test_an_unreachable_inbox_is_reported_and_nothing_is_lost(self):
        with mock.patch.object(ProxboxApi, 'notifications', side_effect=ProxboxApiFailed('proxbox-api is down')):
            self.assertIsNone(continuous.tick(self.endpoint.pk, self.generation))
        state = continuous.poll_state(self.endpoint.pk)
        self.assertIn('notifications: proxbox-api failed: proxbox-api is down', state['error'])
        self.assertIsNone(state['inbox'])  # the next tick asks from where this one would have
        self.page()
        continuous.tick(self.endpoint.pk, self.generation)
        self.assertIsNone(continuous.poll_state(self.endpoint.pk)['error'])

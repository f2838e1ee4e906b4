"""
The Full Update REST API contract (what pxb is built on): POST /sync/ answers 202 {run, job},
409 {detail, run} while an endpoint is busy, 403 without the run_sync permission; runs can be
cancelled (202, or 409 once finished) and their events read as a resumable event stream.
Jobs are enqueued on commit, which a TestCase never does: nothing reaches the queue here.
"""

from django.urls import reverse
from django.utils import timezone
from rest_framework import status

from core.models import Job
from users.models import ObjectPermission
from utilities.testing import APITestCase

from netbox_proxbox.constants import RUN_SYNC_PERMISSION
from netbox_proxbox.models import SyncRun
from netbox_proxbox.sync.liveness import HEARTBEAT_TTL
from netbox_proxbox.sync.recorder import RunRecorder
from netbox_proxbox.sync.runs import WORKER_GONE
from netbox_proxbox.sync.streams import RunKeys, redis

from .factories import make_endpoint
from .sync_helpers import PLAN, clear_run_keys, make_run, sse_events

SYNC_URL = '/api/plugins/proxbox/sync/'


def run_url(run, action=''):
    return reverse('plugins-api:netbox_proxbox-api:syncrun-detail', kwargs={'pk': run.pk}) + (
        f'{action}/' if action else ''
    )


class SyncApiTestCase(APITestCase):
    """Shared set-up: two enabled endpoints and a disabled one."""

    model = SyncRun
    view_namespace = 'plugins-api:netbox_proxbox'

    def setUp(self):
        super().setUp()
        self.pve_a, self.pve_b = make_endpoint('pve-a'), make_endpoint('pve-b')
        self.off = make_endpoint('pve-off', enabled=False)
        self.addCleanup(clear_run_keys)

    def post(self, body, url=SYNC_URL):
        return self.client.post(url, body, format='json', **self.header)

    def allow(self):
        self.add_permissions(RUN_SYNC_PERMISSION, 'netbox_proxbox.view_syncrun', 'netbox_proxbox.view_proxmoxendpoint')


class StartSyncTestCase(SyncApiTestCase):
    """POST /sync/ records a pending run with its job, and says 202."""

    def test_all_enabled_endpoints_by_default(self):
        self.allow()
        response = self.post({})
        self.assertHttpStatus(response, status.HTTP_202_ACCEPTED)
        body = response.json()
        run = SyncRun.objects.get(pk=body['run']['id'])
        self.assertEqual((run.status, run.trigger, run.dry_run, run.user), ('pending', 'api', False, self.user))
        self.assertEqual({e.name for e in run.endpoints.all()}, {'pve-a', 'pve-b'})
        job = Job.objects.get(pk=body['job']['id'])
        self.assertEqual(body['job']['status'], 'pending')
        self.assertTrue(body['job']['url'].endswith(f'/api/core/jobs/{job.pk}/'))
        self.assertEqual((job.object_id, job.name, job.queue_name, run.job), (run.pk, 'Proxbox sync', 'high', job))

    def test_endpoints_by_id_or_name_as_cli_preview(self):
        self.allow()
        body = self.post({'endpoints': [self.pve_a.pk, 'pve-b'], 'dry_run': True, 'trigger': 'cli'}).json()
        run = SyncRun.objects.get(pk=body['run']['id'])
        self.assertEqual((run.trigger, run.dry_run, run.endpoints.count()), ('cli', True, 2))

    def test_unknown_or_invisible_endpoint_is_a_clear_400(self):
        self.add_permissions(RUN_SYNC_PERMISSION, 'netbox_proxbox.view_syncrun')
        permission = ObjectPermission.objects.create(name='only pve-a', actions=['view'], constraints={'name': 'pve-a'})
        permission.users.add(self.user)
        permission.object_types.add(*self.object_types('proxmoxendpoint'))
        response = self.post({'endpoints': ['pve-b', 999]})
        self.assertHttpStatus(response, status.HTTP_400_BAD_REQUEST)
        self.assertIn('pve-b', response.json()['endpoints'][0])
        self.assertHttpStatus(self.post({'endpoints': ['pve-a']}), status.HTTP_202_ACCEPTED)

    def object_types(self, model):
        from core.models import ObjectType

        return [ObjectType.objects.get(app_label='netbox_proxbox', model=model)]

    def test_refused_without_permission_or_with_a_read_only_token(self):
        self.add_permissions('netbox_proxbox.view_syncrun', 'netbox_proxbox.view_proxmoxendpoint')
        self.assertHttpStatus(self.post({}), status.HTTP_403_FORBIDDEN)
        self.allow()
        self.token.write_enabled = False
        self.token.save()
        self.assertHttpStatus(self.post({}), status.HTTP_403_FORBIDDEN)
        self.assertFalse(SyncRun.objects.exists())


class LockTestCase(SyncApiTestCase):
    """One sync per endpoint: a busy endpoint gets 409 with the running run; a dead run frees it."""

    def test_second_sync_of_a_busy_endpoint_gets_409(self):
        self.allow()
        first = self.post({'endpoints': ['pve-a']}).json()['run']
        response = self.post({'endpoints': ['pve-a', 'pve-b']})
        self.assertHttpStatus(response, status.HTTP_409_CONFLICT)
        body = response.json()
        self.assertIn('already running', body['detail'])
        self.assertTrue(body['run'].endswith(f'/api/plugins/proxbox/sync-runs/{first["id"]}/'))
        self.assertHttpStatus(self.post({'endpoints': ['pve-b']}), status.HTTP_202_ACCEPTED)

    def test_a_run_whose_worker_died_is_closed_and_frees_the_endpoint(self):
        self.allow()
        dead = make_run([self.pve_a], status='running', started=timezone.now())  # no heartbeat in Redis
        self.assertHttpStatus(self.post({'endpoints': ['pve-a']}), status.HTTP_202_ACCEPTED)
        dead.refresh_from_db()
        self.assertEqual(dead.status, 'failed')
        self.assertIn(WORKER_GONE, dead.error_summary)
        self.assertEqual(dead.events[-1]['event'], 'run_finished')

    def test_a_running_run_with_a_heartbeat_holds_the_lock(self):
        self.allow()
        alive = make_run([self.pve_a], status='running', started=timezone.now())
        redis().set(RunKeys(alive.pk).heartbeat, '1', ex=HEARTBEAT_TTL)
        self.assertHttpStatus(self.post({'endpoints': ['pve-a']}), status.HTTP_409_CONFLICT)


class ApplyPreviewTestCase(SyncApiTestCase):
    """apply_run applies a completed preview's plan to the preview's endpoints, once."""

    def test_apply_a_preview(self):
        self.allow()
        preview = make_run([self.pve_b], dry_run=True, status='completed', plan=PLAN)
        body = self.post({'apply_run': preview.pk}).json()
        run = SyncRun.objects.get(pk=body['run']['id'])
        self.assertEqual((run.applies_run, run.dry_run, list(run.endpoints.all())), (preview, False, [self.pve_b]))
        run.status = 'completed'
        run.save()
        again = self.post({'apply_run': preview.pk})
        self.assertHttpStatus(again, status.HTTP_400_BAD_REQUEST)
        self.assertIn('already been applied', again.json()['detail'])

    def test_only_completed_previews_with_a_plan(self):
        self.allow()
        for run in (
            make_run([self.pve_a], status='completed', plan=PLAN),
            make_run([self.pve_a], dry_run=True, status='failed'),
        ):
            response = self.post({'apply_run': run.pk})
            self.assertHttpStatus(response, status.HTTP_400_BAD_REQUEST)
            self.assertIn('preview again', response.json()['detail'])
        preview = make_run([self.pve_a], dry_run=True, status='completed', plan=PLAN)
        self.assertHttpStatus(self.post({'apply_run': preview.pk, 'dry_run': True}), status.HTTP_400_BAD_REQUEST)


class CancelTestCase(SyncApiTestCase):
    """POST cancel: 202 for an unfinished run, 409 for a finished one, 403 without run_sync."""

    def test_cancel_a_waiting_run(self):
        self.allow()
        body = self.post({'endpoints': ['pve-a']}).json()
        run = SyncRun.objects.get(pk=body['run']['id'])
        response = self.post({}, url=run_url(run, 'cancel'))
        self.assertHttpStatus(response, status.HTTP_202_ACCEPTED)
        run.refresh_from_db()
        self.assertEqual(run.status, 'cancelled')
        self.assertEqual(run.events[-1], {'id': 2, 'event': 'run_finished', 'data': run.events[-1]['data']})
        self.assertEqual(run.events[-1]['data']['status'], 'cancelled')
        self.assertIn('Cancelled by testuser', run.error_summary)
        self.assertEqual(Job.objects.get(pk=body['job']['id']).status, 'failed')
        self.assertHttpStatus(self.post({}, url=run_url(run, 'cancel')), status.HTTP_409_CONFLICT)

    def test_cancel_a_running_run_asks_its_job(self):
        self.allow()
        run = make_run([self.pve_a], status='running', started=timezone.now())
        redis().set(RunKeys(run.pk).heartbeat, '1', ex=HEARTBEAT_TTL)
        self.assertHttpStatus(self.post({}, url=run_url(run, 'cancel')), status.HTTP_202_ACCEPTED)
        self.assertEqual(redis().get(RunKeys(run.pk).cancel), b'testuser')
        run.refresh_from_db()
        self.assertEqual(run.status, 'running')  # the job ends it, and says so in the events

    def test_cancel_needs_run_sync(self):
        self.add_permissions('netbox_proxbox.view_syncrun')
        run = make_run([self.pve_a])
        self.assertHttpStatus(self.post({}, url=run_url(run, 'cancel')), status.HTTP_403_FORBIDDEN)
        self.assertEqual(SyncRun.objects.get(pk=run.pk).status, 'pending')


class EventsTestCase(SyncApiTestCase):
    """GET events: text/event-stream of (id, event, data), resumable with Last-Event-ID, ending after run_finished."""

    def finished_run(self):
        run = make_run([self.pve_a], status='running')
        recorder = RunRecorder(run)
        recorder.emit('run_started', {'run_id': '#1'})
        recorder.emit('stage_started', {'stage': 'proxmox'})
        recorder.emit('stage_finished', {'stage': 'proxmox', 'duration': 1.5})
        recorder.emit('run_finished', {'status': 'completed', 'summary': {}, 'counts': {}})
        recorder.finish()
        return run

    def get(self, run, **headers):
        return self.client.get(run_url(run, 'events'), HTTP_ACCEPT='text/event-stream', **self.header, **headers)

    def test_live_stream_replays_and_resumes(self):
        self.add_permissions('netbox_proxbox.view_syncrun')
        run = self.finished_run()
        response = self.get(run)
        self.assertHttpStatus(response, status.HTTP_200_OK)
        self.assertEqual(response['Content-Type'], 'text/event-stream')
        events = sse_events(response)
        self.assertEqual([(e.id, e.event) for e in events][-1], (4, 'run_finished'))
        self.assertEqual([e.id for e in events], [1, 2, 3, 4])
        resumed = sse_events(self.get(run, HTTP_LAST_EVENT_ID='2'))
        self.assertEqual([(e.id, e.event) for e in resumed], [(3, 'stage_finished'), (4, 'run_finished')])
        self.assertEqual(resumed[0].data, {'stage': 'proxmox', 'duration': 1.5})

    def test_stored_events_when_the_redis_stream_is_gone(self):
        self.add_permissions('netbox_proxbox.view_syncrun')
        run = self.finished_run()
        clear_run_keys()
        self.assertEqual([e.id for e in sse_events(self.get(run, HTTP_LAST_EVENT_ID='1'))], [2, 3, 4])

    def test_needs_view_permission(self):
        run = self.finished_run()
        self.assertHttpStatus(self.get(run), status.HTTP_403_FORBIDDEN)


class StatusAndTestTestCase(SyncApiTestCase):
    """status/ and endpoints/proxmox/{id}/test/ say what is missing when proxbox-api is not configured."""

    def test_status_names_the_missing_service(self):
        self.add_permissions('netbox_proxbox.view_proxmoxendpoint')
        body = self.client.get('/api/plugins/proxbox/status/', **self.header).json()
        self.assertTrue(body['netbox']['ok'])
        self.assertFalse(body['proxbox_api']['ok'])
        self.assertIn('no proxbox-api endpoint is defined', body['proxbox_api']['detail'])
        self.assertEqual({e['name'] for e in body['endpoints']}, {'pve-a', 'pve-b'})
        self.assertEqual(set(body['worker']), {'ok', 'detail'})
        self.assertEqual(body['capabilities']['apply']['version'], 1)

    def test_status_needs_view_on_endpoints(self):
        self.assertHttpStatus(self.client.get('/api/plugins/proxbox/status/', **self.header), 403)

    def test_endpoint_test_without_proxbox_api(self):
        self.allow()
        url = reverse('plugins-api:netbox_proxbox-api:proxmoxendpoint-test', kwargs={'pk': self.pve_a.pk})
        body = self.post({}, url=url).json()
        self.assertFalse(body['ok'])
        self.assertIn('proxbox-api', body['detail'])

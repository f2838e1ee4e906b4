"""
The parts of Full Update, one contract each: the fix offered for each error a person can act on,
the SSE parser, run counts from a result, schedule times and their wording, the plan diff, the
sync request built from the models (secrets included, never stored), the run recorder's closing
event, run liveness (heartbeat, waiting job, grace), the heartbeat's cancel watch, and the
schedule kept as NetBox jobs (replaced on change, removed with the endpoint, ended when unwanted).
"""

import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django.test import SimpleTestCase, override_settings
from django.urls import reverse

from core.models import Job
from utilities.testing import TestCase

from netbox_proxbox.jobs import ProxboxScheduledSyncJob
from netbox_proxbox.models import FastAPIEndpoint, NetBoxEndpoint, ProxmoxEndpoint, SyncRun
from netbox_proxbox.sync.client import SseEvent, iter_sse
from netbox_proxbox.sync.liveness import PENDING_GRACE, Heartbeat, is_alive, request_cancel
from netbox_proxbox.sync.payload import build_sync_request
from netbox_proxbox.sync.plan_diff import format_value, plan_sections
from netbox_proxbox.sync.problems import ProxboxApiUnreachable, fix_for_error
from netbox_proxbox.sync.recorder import RunRecorder, run_counts
from netbox_proxbox.sync.schedule import first_run_at, schedule_endpoint, scheduled_job
from netbox_proxbox.sync.streams import RunEvent, RunStream
from netbox_proxbox.ui.panels import interval_text

from .factories import make_endpoint
from .sync_helpers import PLAN, clear_run_keys, make_run

T0 = datetime(2026, 3, 1, 14, 30, tzinfo=UTC)


class FixesTestCase(SimpleTestCase):
    """Each user-actionable error kind gets a fix that names what to change."""

    def test_fixes(self):
        self.assertIn('token name and secret', fix_for_error('ProxmoxAuthError', 'Proxmox endpoint a: 401'))
        self.assertIn('PVEAuditor', fix_for_error('ProxmoxPermissionError', '403'))
        self.assertIn('sync user', fix_for_error('NetBoxAuthError', 'HTTP 401 Invalid token'))
        self.assertIn('view, add, change and delete', fix_for_error('NetBoxPermissionError', 'HTTP 403'))
        self.assertIn('permission', fix_for_error(None, 'create dcim.device x: HTTP 403 You do not have permission'))
        self.assertIn('preview again', fix_for_error('StalePlan', 'changed'))
        self.assertEqual(fix_for_error('SomethingElse', 'odd'), '')

    def test_problem_event(self):
        event = ProxboxApiUnreachable('no answer from http://x/').as_event()
        self.assertEqual(event['kind'], 'ProxboxApiUnreachable')
        self.assertIn('Start proxbox-api', event['fix'])


class ParsingAndCountsTestCase(SimpleTestCase):
    """SSE parsing; counts of a preview (what it would do) and of an applied run (what it did)."""

    def test_iter_sse(self):
        lines = [
            'retry: 2000',
            '',
            ': keep-alive',
            '',
            'id: 3',
            'event: progress',
            'data: {"done": 1}',
            '',
            'data: {}',
            '',
        ]
        self.assertEqual(list(iter_sse(lines)), [SseEvent(3, 'progress', {'done': 1}), SseEvent(None, 'message', {})])

    def test_run_counts(self):
        finished = {
            'summary': {'vm': {'create': 2, 'update': 1, 'unchanged': 5, 'conflict': 1}},
            'counts': {'vm': {'created': 2, 'failed': 1}},
        }
        self.assertEqual(
            run_counts(finished, dry_run=True), {'vm': {'created': 2, 'updated': 1, 'unchanged': 5, 'conflict': 1}}
        )
        self.assertEqual(
            run_counts(finished, dry_run=False), {'vm': {'unchanged': 5, 'conflict': 1, 'created': 2, 'failed': 1}}
        )


class ScheduleTimesTestCase(SimpleTestCase):
    """Daily schedules start at the next 03:00 local time; a given start anchors every later run."""

    @override_settings(TIME_ZONE='Europe/Berlin')
    def test_nightly_default(self):
        first = first_run_at(1440, now=T0)
        self.assertEqual(first.astimezone(ZoneInfo('Europe/Berlin')).replace(tzinfo=None), datetime(2026, 3, 2, 3, 0))

    def test_interval_and_anchor(self):
        self.assertEqual(first_run_at(90, now=T0), T0 + timedelta(minutes=90))
        self.assertEqual(first_run_at(60, start=T0 + timedelta(minutes=5), now=T0), T0 + timedelta(minutes=5))
        self.assertEqual(first_run_at(60, start=T0 - timedelta(minutes=150), now=T0), T0 + timedelta(minutes=30))

    def test_wording(self):
        self.assertEqual(
            [str(interval_text(m)) for m in (1440, 2880, 60, 180, 45)],
            ['every day (nightly)', 'every 2 days', 'every hour', 'every 3 hours', 'every 45 minutes'],
        )


class PlanDiffTestCase(SimpleTestCase):
    """The plan reads per object type, conflicts first, updates with old and new values."""

    def test_sections(self):
        (section,) = plan_sections(PLAN)
        self.assertEqual(section['label'], 'Virtual machines')
        self.assertEqual([g['action'] for g in section['groups']], ['conflict', 'create', 'update', 'mark'])
        update = section['groups'][2]['rows'][0]
        self.assertEqual(update['changes'], [('memory', '1024', '4096'), ('name', 'db', 'db-1')])
        self.assertEqual(update['url'], '/virtualization/virtual-machines/7/')
        self.assertIsNone(section['groups'][0]['rows'][0]['url'])

    def test_values(self):
        self.assertEqual(format_value(None), '—')
        self.assertEqual(format_value({'$ref': ['dcim.device', 'pve:a/node/n1']}), '→ pve:a/node/n1')
        self.assertEqual(format_value(['a', 1]), 'a, 1')
        self.assertEqual(len(format_value('x' * 500)), 120)


class RequestAndRecorderTestCase(TestCase):
    """The request carries what proxbox-api needs; the recorder always closes a run's events."""

    def setUp(self):
        super().setUp()
        self.addCleanup(clear_run_keys)

    def test_sync_request(self):
        NetBoxEndpoint.objects.create(url='http://netbox.example.com/', token='nbt_abc.def')
        FastAPIEndpoint.objects.create(url='http://api.example.com/', api_key='k' * 20)
        token = make_endpoint('pve-a', ca_certificate='-----BEGIN CERTIFICATE-----')
        password = make_endpoint(
            'pve-b', token_name='', token_secret='', password='pw', verify_ssl=False, ca_certificate='x'
        )
        preview = make_run([token], dry_run=True, status='completed', plan=PLAN)
        run = make_run([token, password], applies_run=preview, trigger='button')
        request = build_sync_request(run, [token, password])
        self.assertEqual(
            request['netbox'], {'url': 'http://netbox.example.com/', 'token': 'nbt_abc.def', 'verify_tls': True}
        )
        first, second = request['endpoints']
        self.assertEqual(
            (first['token_id'], first['token_secret'], first['ca_pem']),
            ('root@pam!sync', 's', '-----BEGIN CERTIFICATE-----'),
        )
        self.assertEqual((second['username'], second['password'], second.get('ca_pem')), ('root@pam', 'pw', None))
        self.assertEqual(
            (request['run_id'], request['expected_plan_digest']), (f'#{run.pk} (button)', 'feedc0ffee123456')
        )
        self.assertIn('snapshots', request['options']['families'])

    def test_recorder_closes_a_failed_run(self):
        run = make_run([make_endpoint('pve-a')], status='running')
        recorder = RunRecorder(run)
        recorder.relay(SseEvent(1, 'error', {'message': 'Proxmox endpoint pve-a: 401', 'kind': 'ProxmoxAuthError'}))
        recorder.relay(SseEvent(2, 'plan', {'digest': 'd', 'operations': []}))
        status = recorder.finish()
        run.refresh_from_db()
        self.assertEqual((status, run.status), ('failed', 'failed'))
        self.assertEqual([e['event'] for e in run.events], ['error', 'run_finished'])
        self.assertIn('Fix: Proxmox refused the credentials', run.error_summary)
        self.assertEqual(run.plan['digest'], 'd')

    def test_stale_keys_of_a_reused_run_id_are_replaced(self):
        run = make_run(status='running')
        stale = RunStream(run.pk)
        for number in (1, 2, 3):  # an earlier database's run with the same id
            stale.append(RunEvent(number, 'progress', {'done': number}))
        recorder = RunRecorder(run)
        recorder.emit('run_started', {'run_id': 'x'})
        recorder.finish()
        self.assertEqual([e.to_json() for e in stale.after(0)], SyncRun.objects.get(pk=run.pk).events)


class LivenessTestCase(TestCase):
    """Alive: running with a heartbeat, or pending within the grace period or with a waiting RQ job."""

    def setUp(self):
        super().setUp()
        self.addCleanup(clear_run_keys)

    def test_liveness(self):
        run = make_run(status='running')
        self.assertFalse(is_alive(run))
        with Heartbeat(run.pk):
            self.assertTrue(is_alive(run))
        self.assertFalse(is_alive(run))
        pending = make_run()
        self.assertTrue(is_alive(pending))
        self.assertFalse(is_alive(pending, now=pending.created + PENDING_GRACE + timedelta(seconds=1)))

    def test_heartbeat_notices_cancel(self):
        run = make_run(status='running')
        calls = []
        with Heartbeat(run.pk, on_cancel=lambda: calls.append(1)) as beat:
            request_cancel(run, self.user)
            deadline = time.monotonic() + 5
            while not beat.cancelled.is_set() and time.monotonic() < deadline:
                time.sleep(0.1)
        self.assertEqual((calls, beat.cancelled_by), ([1], self.user.username))


class ScheduleJobsTestCase(TestCase):
    """One waiting scheduled job per endpoint, kept in step with its interval and start."""

    def test_schedule_follows_the_endpoint(self):
        endpoint = make_endpoint('pve-a', sync_interval=60, sync_start=T0 + timedelta(days=3650))
        job = schedule_endpoint(endpoint)
        self.assertEqual(
            (job.interval, job.scheduled, job.object_id, job.queue_name), (60, endpoint.sync_start, endpoint.pk, 'high')
        )
        self.assertEqual(schedule_endpoint(endpoint), job)  # unchanged: kept
        endpoint.sync_interval = 120
        moved = schedule_endpoint(endpoint)
        self.assertNotEqual(moved.pk, job.pk)
        self.assertFalse(Job.objects.filter(pk=job.pk).exists())
        endpoint.enabled = False
        self.assertIsNone(schedule_endpoint(endpoint))
        self.assertIsNone(scheduled_job(endpoint))

    def test_saving_an_endpoint_schedules_it_and_deleting_unschedules(self):
        with self.captureOnCommitCallbacks() as callbacks:
            endpoint = make_endpoint('pve-a', sync_interval=1440)
        with self.captureOnCommitCallbacks():  # the job's own enqueue stays uncommitted
            for callback in callbacks:
                callback()
        self.assertEqual(scheduled_job(endpoint).interval, 1440)
        endpoint.delete()
        self.assertFalse(Job.objects.filter(name='Proxbox scheduled sync').exists())

    def test_default_interval_comes_from_the_settings(self):
        from netbox_proxbox.forms import ProxmoxEndpointForm
        from netbox_proxbox.models import ProxboxPluginSettings

        self.assertEqual(ProxmoxEndpointForm().initial['sync_interval'], 1440)
        ProxboxPluginSettings.objects.create(default_schedule_interval=360)
        self.assertEqual(ProxmoxEndpointForm().initial['sync_interval'], 360)
        self.assertIsNone(make_endpoint('pve-b').sync_interval)  # made in code: no schedule unless asked
        self.add_permissions('netbox_proxbox.add_proxmoxendpoint')
        body = {'name': 'pve-c', 'host': 'pve-c.example.com', 'username': 'root@pam', 'password': 'pw'}
        response = self.client.post('/api/plugins/proxbox/endpoints/proxmox/', body, content_type='application/json')
        self.assertEqual((response.status_code, response.json()['sync_interval']), (201, 360))

    def test_default_timeout_comes_from_the_settings(self):
        from netbox_proxbox.forms import ProxmoxEndpointForm
        from netbox_proxbox.models import ProxboxPluginSettings

        self.assertEqual(ProxmoxEndpointForm().initial['timeout'], 30)
        ProxboxPluginSettings.objects.create(proxmox_timeout=45)
        self.assertEqual(ProxmoxEndpointForm().initial['timeout'], 45)
        self.add_permissions('netbox_proxbox.add_proxmoxendpoint', 'netbox_proxbox.view_proxmoxendpoint')
        body = {'name': 'pve-c', 'host': 'pve-c.example.com', 'username': 'root@pam', 'password': 'pw'}
        response = self.client.post('/api/plugins/proxbox/endpoints/proxmox/', body, content_type='application/json')
        self.assertEqual((response.status_code, response.json()['timeout']), (201, 45))
        csv = 'name,host,username,password\npve-d,pve-d.example.com,root@pam,pw'
        url = reverse('plugins:netbox_proxbox:proxmoxendpoint_bulk_import')
        self.client.post(url, {'data': csv, 'format': 'csv', 'csv_delimiter': ','})
        self.assertEqual(ProxmoxEndpoint.objects.get(name='pve-d').timeout, 45)
        csv = f'id,timeout\n{ProxmoxEndpoint.objects.get(name="pve-d").pk},'
        self.add_permissions('netbox_proxbox.change_proxmoxendpoint')
        self.client.post(url, {'data': csv, 'format': 'csv', 'csv_delimiter': ','})
        self.assertEqual(ProxmoxEndpoint.objects.get(name='pve-d').timeout, 45)  # an empty cell keeps it

    def test_a_schedule_that_is_no_longer_wanted_ends(self):
        endpoint = make_endpoint('pve-a', sync_interval=60, enabled=False)
        job = Job.objects.create(name='Proxbox scheduled sync', job_id='00000000-0000-0000-0000-0000000000aa',
                                 object=endpoint, interval=60)  # fmt: skip
        ProxboxScheduledSyncJob(job).run()
        self.assertIsNone(job.interval)  # so NetBox does not schedule it again
        self.assertFalse(endpoint.sync_runs.exists())

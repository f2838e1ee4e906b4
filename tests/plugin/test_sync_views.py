"""
The Full Update pages: the buttons appear only with the run_sync permission and start, preview or
apply a sync (or lead to the one already running); a run's page follows its events and offers
Cancel, Apply this plan or Preview again as its state allows; a preview's plan reads as a diff;
the events and the service log honour view permissions and LOGIN_REQUIRED.
"""

from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from utilities.testing import TestCase

from netbox_proxbox.constants import RUN_SYNC_PERMISSION
from netbox_proxbox.models import ProxmoxEndpoint, SyncRun
from netbox_proxbox.sync import continuous
from netbox_proxbox.sync.schedule import schedule_endpoint

from .factories import make_endpoint
from .sync_helpers import PLAN, clear_run_keys, make_run, sse_events

START_URL = reverse('plugins:netbox_proxbox:sync_start')


class SyncPagesTestCase(TestCase):
    def setUp(self):
        super().setUp()
        self.endpoint = make_endpoint('pve-a', sync_interval=1440)
        self.addCleanup(clear_run_keys)

    def page(self, url):
        response = self.client.get(url)
        self.assertHttpStatus(response, 200)
        return response.content.decode()


class ButtonsTestCase(SyncPagesTestCase):
    """Full Update and Preview on the endpoint page (this endpoint) and the runs list (all endpoints)."""

    def test_buttons_need_run_sync(self):
        self.add_permissions('netbox_proxbox.view_proxmoxendpoint', 'netbox_proxbox.view_syncrun')
        endpoint_page = self.endpoint.get_absolute_url()
        list_page = reverse('plugins:netbox_proxbox:syncrun_list')
        for url in (endpoint_page, list_page):
            self.assertNotIn('proxbox-full-update', self.page(url))
        self.add_permissions(RUN_SYNC_PERMISSION)
        content = self.page(endpoint_page)
        for marker in ('id="proxbox-full-update"', 'id="proxbox-preview"', 'id="proxbox-test-endpoint"'):
            self.assertIn(marker, content)
        self.assertIn(f'name="endpoints" value="{self.endpoint.pk}"', content)
        self.assertIn('id="proxbox-full-update"', self.page(list_page))
        self.assertNotIn('name="endpoints"', self.page(list_page))

    def test_endpoint_page_shows_its_schedule(self):
        self.add_permissions('netbox_proxbox.view_proxmoxendpoint', 'netbox_proxbox.view_syncrun')
        job = schedule_endpoint(self.endpoint)
        content = self.page(self.endpoint.get_absolute_url())
        self.assertIn('every day (nightly)', content)
        self.assertIn(job.get_absolute_url(), content)
        self.assertEqual(timezone.localtime(job.scheduled).hour, 3)

    def test_endpoint_page_shows_continuous_mode_and_what_it_waits_for(self):
        self.add_permissions('netbox_proxbox.view_proxmoxendpoint', 'netbox_proxbox.view_syncrun')
        self.assertIn('<span class="text-muted">Off</span>', self.page(self.endpoint.get_absolute_url()))
        ProxmoxEndpoint.objects.filter(pk=self.endpoint.pk).update(continuous_interval=30, follow_notifications=True)
        state = {**continuous.poll_state(self.endpoint.pk), 'last_poll': '2026-12-07T10:00:00.123456+00:00'}
        state.update(pending=[101, 102], pending_nodes=['pve2'], error='notifications: proxbox-api is down')
        continuous._save(self.endpoint.pk, state)
        self.addCleanup(continuous.redis().delete, continuous._key(self.endpoint.pk, 'state'))
        content = self.page(self.endpoint.get_absolute_url())
        for text in ('polls every 30 s', '2026-12-07T10:00:00', 'notifications: proxbox-api is down', '101, 102, pve2'):
            self.assertIn(text, content)

    def test_button_starts_a_run_and_shows_it(self):
        self.add_permissions(RUN_SYNC_PERMISSION, 'netbox_proxbox.view_proxmoxendpoint', 'netbox_proxbox.view_syncrun')
        response = self.client.post(START_URL, {'endpoints': [self.endpoint.pk], 'dry_run': 'on'})
        run = SyncRun.objects.get()
        self.assertRedirects(response, run.get_absolute_url(), fetch_redirect_response=False)
        self.assertEqual((run.trigger, run.dry_run, run.user, run.status), ('button', True, self.user, 'pending'))
        content = self.page(run.get_absolute_url())
        self.assertIn(reverse('plugins:netbox_proxbox:syncrun_events', kwargs={'pk': run.pk}), content)
        self.assertIn('id="proxbox-cancel"', content)

    def test_busy_endpoint_leads_to_the_running_sync(self):
        self.add_permissions(RUN_SYNC_PERMISSION, 'netbox_proxbox.view_proxmoxendpoint', 'netbox_proxbox.view_syncrun')
        running = make_run([self.endpoint])
        response = self.client.post(START_URL, {}, follow=True)
        self.assertRedirects(response, running.get_absolute_url())
        self.assertIn('already running', response.content.decode())
        self.assertEqual(SyncRun.objects.count(), 1)

    def test_start_needs_run_sync(self):
        self.add_permissions('netbox_proxbox.view_proxmoxendpoint')
        self.assertHttpStatus(self.client.post(START_URL, {}), 403)
        self.assertFalse(SyncRun.objects.exists())

    @override_settings(LOGIN_REQUIRED=True)
    def test_anonymous_is_sent_to_log_in(self):
        self.client.logout()
        for url in (START_URL, reverse('plugins:netbox_proxbox:service_log')):
            response = self.client.post(url) if url == START_URL else self.client.get(url)
            self.assertEqual(response.status_code, 302)
            self.assertIn('/login/', response['Location'])


class RunPageTestCase(SyncPagesTestCase):
    """The run page's controls follow the run's state; the plan tab shows the diff."""

    def setUp(self):
        super().setUp()
        self.add_permissions(RUN_SYNC_PERMISSION, 'netbox_proxbox.view_syncrun', 'netbox_proxbox.view_proxmoxendpoint')

    def test_finished_preview_offers_apply_and_its_plan(self):
        preview = make_run([self.endpoint], dry_run=True, status='completed', plan=PLAN)
        content = self.page(preview.get_absolute_url())
        self.assertIn('id="proxbox-apply"', content)
        self.assertNotIn('id="proxbox-cancel"', content)
        plan = self.page(reverse('plugins:netbox_proxbox:syncrun_plan', kwargs={'pk': preview.pk}))
        for text in ('feedc0ffee123456', 'web-1', '→ pve:a', '1024', '4096', 'gone from Proxmox since', 'made by hand'):
            self.assertIn(text, plan)
        for action in ('create', 'update', 'mark', 'conflict'):
            self.assertIn(f'data-action="{action}"', plan)
        self.assertIn('/virtualization/virtual-machines/7/', plan)

    def test_applied_preview_is_not_offered_again(self):
        preview = make_run([self.endpoint], dry_run=True, status='completed', plan=PLAN)
        make_run([self.endpoint], status='completed', applies_run=preview)
        self.assertNotIn('id="proxbox-apply"', self.page(preview.get_absolute_url()))

    def test_stale_apply_offers_a_new_preview(self):
        preview = make_run([self.endpoint], dry_run=True, status='completed', plan=PLAN)
        events = [{'id': 1, 'event': 'error', 'data': {'kind': 'StalePlan', 'message': 'changed'}}]
        stale = make_run([self.endpoint], status='failed', applies_run=preview, events=events)
        content = self.page(stale.get_absolute_url())
        self.assertIn('id="proxbox-stale"', content)
        self.assertIn('id="proxbox-preview-again"', content)

    def test_cancel_button(self):
        run = make_run([self.endpoint])
        response = self.client.post(reverse('plugins:netbox_proxbox:syncrun_cancel', kwargs={'pk': run.pk}))
        self.assertRedirects(response, run.get_absolute_url(), fetch_redirect_response=False)
        self.assertEqual(SyncRun.objects.get(pk=run.pk).status, 'cancelled')

    def test_a_run_whose_worker_died_shows_as_failed(self):
        run = make_run([self.endpoint], status='running', started=timezone.now())
        self.page(run.get_absolute_url())
        self.assertEqual(SyncRun.objects.get(pk=run.pk).status, 'failed')

    def test_events_view(self):
        run = make_run([self.endpoint], status='completed', events=[{'id': 1, 'event': 'run_finished', 'data': {}}])
        response = self.client.get(reverse('plugins:netbox_proxbox:syncrun_events', kwargs={'pk': run.pk}))
        self.assertEqual([(e.id, e.event) for e in sse_events(response)], [(1, 'run_finished')])


class PermissionsTestCase(SyncPagesTestCase):
    """Following a run needs view on it; the service log needs view on the proxbox-api endpoint."""

    def test_events_need_view(self):
        run = make_run([self.endpoint], status='completed')
        self.assertHttpStatus(
            self.client.get(reverse('plugins:netbox_proxbox:syncrun_events', kwargs={'pk': run.pk})), 403
        )

    def test_service_log(self):
        url = reverse('plugins:netbox_proxbox:service_log')
        self.assertHttpStatus(self.client.get(url), 403)
        self.add_permissions('netbox_proxbox.view_fastapiendpoint')
        self.assertIn('proxbox-log', self.page(url))
        response = self.client.get(reverse('plugins:netbox_proxbox:service_log_stream'))
        (problem,) = sse_events(response)
        self.assertEqual(problem.event, 'problem')
        self.assertIn('no proxbox-api endpoint', problem.data['message'])

    def test_endpoint_test_without_proxbox_api(self):
        self.add_permissions(RUN_SYNC_PERMISSION, 'netbox_proxbox.view_proxmoxendpoint')
        url = reverse('plugins:netbox_proxbox:proxmoxendpoint_test', kwargs={'pk': self.endpoint.pk})
        response = self.client.post(url, follow=True)
        self.assertIn('not checked', response.content.decode())

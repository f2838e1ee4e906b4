"""
SyncRun: written by the sync, so the UI lists, shows and deletes runs and the REST API reads and
deletes them; nobody creates or edits one by hand. The detail page shows the outcome (counts,
stage durations, errors, job, events) and never renders the bulky plan in the list.
"""

from datetime import UTC, datetime, timedelta

from django.test import TestCase
from django.urls import reverse
from rest_framework import status

from core.models import Job
from utilities.testing import APITestCase, APIViewTestCases, TableTestCases, ViewTestCases

from netbox_proxbox.filtersets import SyncRunFilterSet
from netbox_proxbox.graphql.types import ProxboxSyncRunType
from netbox_proxbox.models import SyncRun
from netbox_proxbox.tables import SyncRunTable

from . import base
from .factories import make_endpoint

T0 = datetime(2026, 1, 1, 2, 0, tzinfo=UTC)
COUNTS = {
    'virtualization.virtualmachine': {'created': 3, 'updated': 1, 'deleted': 0, 'unchanged': 40, 'failed': 1},
    'dcim.device': {'created': 0, 'updated': 0, 'deleted': 0, 'unchanged': 3, 'conflict': 2, 'failed': 0},
}


def make_runs():
    pve_a, pve_b = make_endpoint('pve-a'), make_endpoint('pve-b')
    job = Job.objects.create(name='Proxbox sync', job_id='00000000-0000-0000-0000-000000000001')
    runs = SyncRun.objects.bulk_create(
        [
            SyncRun(
                trigger='button',
                dry_run=True,
                status='completed',
                started=T0,
                finished=T0 + timedelta(seconds=75),
                counts=COUNTS,
                stage_durations={'read': 12.5, 'plan': 0.4, 'apply': 61.1},
                plan={'operations': ['SECRET-PLAN-MARKER']},
                events=[{'id': 1, 'event': 'stage', 'data': {'stage': 'read'}}],
                job=job,
            ),
            SyncRun(trigger='schedule', status='failed', started=T0, error_summary='pve-b: connection refused'),
            SyncRun(trigger='api', status='running', started=T0 + timedelta(hours=1)),
        ]
    )
    runs[0].endpoints.set([pve_a, pve_b])
    runs[1].endpoints.set([pve_b])
    return runs


class SyncRunViewTestCase(
    base.PluginViewMixin,
    ViewTestCases.GetObjectViewTestCase,
    ViewTestCases.GetObjectChangelogViewTestCase,
    ViewTestCases.ListObjectsViewTestCase,
    ViewTestCases.DeleteObjectViewTestCase,
    ViewTestCases.BulkDeleteObjectsViewTestCase,
):
    """List, detail, changelog, delete and bulk delete views (there are no add/edit views)."""

    model = SyncRun

    @classmethod
    def setUpTestData(cls):
        make_runs()


class SyncRunDetailTestCase(base.PluginViewMixin, ViewTestCases.GetObjectViewTestCase):
    """The detail page shows counts, totals, stage durations, errors, the job and the events."""

    model = SyncRun

    @classmethod
    def setUpTestData(cls):
        make_runs()

    def test_outcome_is_shown(self):
        self.add_permissions('netbox_proxbox.view_syncrun')
        run = SyncRun.objects.get(dry_run=True)
        content = self.client.get(run.get_absolute_url()).content.decode()
        for text in ('virtualization.virtualmachine', 'dcim.device', 'Total', '12.5 s', 'Show 1 event', 'Proxbox sync'):
            self.assertIn(text, content)
        self.assertNotIn('SECRET-PLAN-MARKER', content)

    def test_errors_are_shown(self):
        self.add_permissions('netbox_proxbox.view_syncrun')
        run = SyncRun.objects.get(status='failed')
        self.assertIn('connection refused', self.client.get(run.get_absolute_url()).content.decode())

    def test_list_leaves_plan_out(self):
        self.add_permissions('netbox_proxbox.view_syncrun')
        response = self.client.get(reverse('plugins:netbox_proxbox:syncrun_list'))
        self.assertHttpStatus(response, 200)
        self.assertNotIn('SECRET-PLAN-MARKER', response.content.decode())

    def test_no_add_view(self):
        with self.assertRaises(Exception):
            reverse('plugins:netbox_proxbox:syncrun_add')


class SyncRunAPITestCase(
    APIViewTestCases.GetObjectViewTestCase,
    APIViewTestCases.ListObjectsViewTestCase,
    APIViewTestCases.DeleteObjectViewTestCase,
    APIViewTestCases.GraphQLTestCase,
):
    """REST API read and delete, GraphQL."""

    model = SyncRun
    view_namespace = f'plugins-api:{base.APP}'
    brief_fields = ['display', 'dry_run', 'id', 'kind', 'status', 'trigger', 'url']
    graphql_base_name = 'proxbox_sync_run'
    type_class = ProxboxSyncRunType

    @classmethod
    def setUpTestData(cls):
        make_runs()


class SyncRunAPIReadOnlyTestCase(APITestCase):
    """POST, PUT and PATCH are refused with 405: runs are the sync's record."""

    def test_writes_refused(self):
        self.add_permissions('netbox_proxbox.add_syncrun', 'netbox_proxbox.change_syncrun')
        run = make_runs()[0]
        list_url = reverse('plugins-api:netbox_proxbox-api:syncrun-list')
        detail_url = reverse('plugins-api:netbox_proxbox-api:syncrun-detail', kwargs={'pk': run.pk})
        response = self.client.post(list_url, {'trigger': 'api'}, format='json', **self.header)
        self.assertEqual(response.status_code, status.HTTP_405_METHOD_NOT_ALLOWED)
        for method in (self.client.put, self.client.patch):
            response = method(detail_url, {'status': 'failed'}, format='json', **self.header)
            self.assertEqual(response.status_code, status.HTTP_405_METHOD_NOT_ALLOWED)
        self.assertEqual(SyncRun.objects.get(pk=run.pk).status, 'completed')


class SyncRunFilterSetTestCase(base.PluginFilterSetTestMixin, TestCase):
    """Every model field has its filter, and the filters select what they say."""

    queryset = SyncRun.objects.all()
    filterset = SyncRunFilterSet
    ignore_fields = ('counts', 'stage_durations', 'plan', 'events', 'scope')  # scope: by scope_cluster

    @classmethod
    def setUpTestData(cls):
        make_runs()

    def count(self, params):
        return self.filterset(params, self.queryset).qs.count()

    def test_q(self):
        self.assertEqual(self.count({'q': 'refused'}), 1)
        self.assertEqual(self.count({'q': 'pve-b'}), 2)

    def test_endpoint(self):
        endpoint = SyncRun.objects.get(status='failed').endpoints.get()
        self.assertEqual(self.count({'proxmox_endpoint_id': [endpoint.pk]}), 2)

    def test_trigger_status_dry_run(self):
        self.assertEqual(self.count({'trigger': ['button', 'api']}), 2)
        self.assertEqual(self.count({'status': ['failed']}), 1)
        self.assertEqual(self.count({'dry_run': True}), 1)

    def test_job(self):
        self.assertEqual(self.count({'job_id': [Job.objects.get().pk]}), 1)


class SyncRunTableTestCase(TableTestCases.StandardTableTestCase):
    """Every orderable column of the list table renders."""

    table = SyncRunTable

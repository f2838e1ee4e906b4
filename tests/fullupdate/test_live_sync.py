"""
Full Update with real processes (NetBox runserver, `netbox rqworker`, proxbox-api, the simulator):
the button path, the REST API path with its resumable event stream, preview then apply (and a
stale preview), one sync per endpoint at a time (409 with the running run), cancel, a targeted sync
through the API, continuous mode following a change made in Proxmox, a Proxmox VE webhook
notification (a backup) reaching NetBox through proxbox-api with no click, and a NetBox event rule's
webhook firing (to a receiver on loopback) for a VM the in-NetBox apply changed.
"""

import base64
import http.server
import json
import threading
import time
from typing import ClassVar

import pytest

from proxbox_api.proxmox.notification import NOTIFICATION_BODY

from .live import SMALL, follow, login, run_id_from, run_of, start, wait_finished
from .stack import NOTIFY_KEY

pytestmark = [pytest.mark.e2e]


def endpoint_id(stack, name=SMALL):
    return stack.info['endpoints'][name]


def netbox_count(stack, path, **params):
    response = stack.api('GET', path, params={'limit': 1, **params})
    assert response.status_code == 200, response.text
    return response.json()['count']


def vm_count(stack, endpoint=SMALL, **params):
    """NetBox VMs in the cluster synced from an endpoint (found through the plugin's cluster record)."""
    records = stack.api('GET', '/api/plugins/proxbox/clusters/', params={'endpoint_id': endpoint_id(stack, endpoint)})
    (record,) = records.json()['results']
    return netbox_count(stack, '/api/virtualization/virtual-machines/', cluster_id=record['cluster']['id'], **params)


def guests(stack, fleet=SMALL):
    return stack.sim_guests(fleet)


class TestButton:
    """A person clicks Full Update on the endpoint page: the run is recorded, queued, run by the worker."""

    def test_button_starts_a_full_update_that_fills_netbox(self, live_stack):
        session = login(live_stack, 'operator')
        page = session.get(f'/plugins/proxbox/endpoints/proxmox/{endpoint_id(live_stack)}/')
        assert page.status_code == 200
        assert 'id="proxbox-full-update"' in page.text and 'id="proxbox-preview"' in page.text
        response = session.post(
            '/plugins/proxbox/sync/start/',
            data={'endpoints': endpoint_id(live_stack), 'csrfmiddlewaretoken': session.cookies['csrftoken']},
        )
        assert response.status_code == 302
        run_id = run_id_from(response.headers['location'])
        events = follow(live_stack, run_id, client=session, path=f'/plugins/proxbox/sync-runs/{run_id}/events/')
        assert events[-1].event == 'run_finished' and events[-1].data['status'] == 'completed', events[-1].data
        run = run_of(live_stack, run_id)
        assert run['trigger']['value'] == 'button' and run['user']['username'] == 'operator'
        assert [endpoint['name'] for endpoint in run['endpoints']] == [SMALL]
        assert run['status']['value'] == 'completed'
        job = live_stack.api('GET', run['job']['url']).json()
        assert job['status']['value'] == 'completed' and job['object_id'] == run_id
        vms = vm_count(live_stack)
        assert vms == len(guests(live_stack))
        assert run['counts']['virtualization.virtualmachine'].get('created', 0) in (0, vms)

    def test_viewer_sees_no_button_and_cannot_start(self, live_stack):
        session = login(live_stack, 'viewer')
        page = session.get(f'/plugins/proxbox/endpoints/proxmox/{endpoint_id(live_stack)}/')
        assert page.status_code == 200 and 'proxbox-full-update' not in page.text
        data = {'csrfmiddlewaretoken': session.cookies['csrftoken']}
        response = session.post('/plugins/proxbox/sync/start/', data=data)
        assert response.status_code == 403


class TestApi:
    """POST /sync/ answers 202 {run, job}; the event stream is readable, resumable and ends after run_finished."""

    def test_api_sync_and_resumable_event_stream(self, live_stack):
        answer = start(live_stack, endpoints=[SMALL], trigger='cli')
        run, job = answer['run'], answer['job']
        assert run['status']['value'] == 'pending' and run['trigger']['value'] == 'cli'
        assert set(job) == {'id', 'url', 'status'} and job['url'].endswith(f'/api/core/jobs/{job["id"]}/')
        first = follow(live_stack, run['id'], limit=2)
        rest = follow(live_stack, run['id'], last_id=first[-1].id)
        events = first + rest
        assert [event.id for event in events] == list(range(1, len(events) + 1))
        assert events[0].event == 'run_started' and events[-1].event == 'run_finished'
        stored = run_of(live_stack, run['id'])
        assert [item['id'] for item in stored['events']] == [event.id for event in events]

        assert stored['status']['value'] == 'completed'
        assert events[-1].data['writes'] == 0  # the button test synced it already (or this is the first)
        again = follow(live_stack, run['id'])  # a finished run replays whole, then ends
        assert [event.id for event in again] == [event.id for event in events]

    def test_preview_of_all_enabled_endpoints(self, live_stack):
        run = start(live_stack, dry_run=True)['run']
        assert {endpoint['name'] for endpoint in run['endpoints']} >= {SMALL, 'alpha'}
        finished = wait_finished(live_stack, run['id'])
        assert finished['dry_run'] and finished['status']['value'] == 'completed', finished['error_summary']
        assert finished['plan']['digest'] and 'operations' in finished['plan']

    def test_permission_and_token_checks(self, live_stack):
        tokens = live_stack.info['tokens']
        assert live_stack.api('POST', '/api/plugins/proxbox/sync/', tokens['viewer'], json={}).status_code == 403
        assert live_stack.api('POST', '/api/plugins/proxbox/sync/', 'nbt_bad.token', json={}).status_code in (401, 403)
        bad = live_stack.api('POST', '/api/plugins/proxbox/sync/', json={'endpoints': ['no-such-endpoint']})
        assert bad.status_code == 400 and 'no-such-endpoint' in bad.text


class TestPreviewApply:
    """Preview shows the plan; "Apply this plan" applies exactly it, or refuses when the world changed."""

    def test_preview_then_apply_then_stale_preview(self, live_stack):
        vmid = guests(live_stack)[0]['vmid']
        live_stack.sim_control(SMALL, 'POST', f'/guests/{vmid}/rename', json={'name': 'renamed-by-test'})
        preview = wait_finished(live_stack, start(live_stack, endpoints=[SMALL], dry_run=True)['run']['id'])
        updates = [op for op in preview['plan']['operations'] if op['action'] == 'update']
        assert any(op['changes'].get('name', {}).get('new') == 'renamed-by-test' for op in updates)
        assert netbox_count(live_stack, '/api/virtualization/virtual-machines/', name='renamed-by-test') == 0
        page = login(live_stack, 'operator').get(f'/plugins/proxbox/sync-runs/{preview["id"]}/plan/')
        assert page.status_code == 200 and 'renamed-by-test' in page.text and 'id="proxbox-apply"' in page.text

        applied = wait_finished(live_stack, start(live_stack, apply_run=preview['id'])['run']['id'])
        assert applied['status']['value'] == 'completed', applied['error_summary']
        assert applied['applies_run'] == preview['id'] and not applied['dry_run']
        assert netbox_count(live_stack, '/api/virtualization/virtual-machines/', name='renamed-by-test') == 1
        twice = live_stack.api('POST', '/api/plugins/proxbox/sync/', json={'apply_run': preview['id']})
        assert twice.status_code == 400 and 'already been applied' in twice.text

        stale = wait_finished(live_stack, start(live_stack, endpoints=[SMALL], dry_run=True)['run']['id'])
        live_stack.sim_control(SMALL, 'POST', f'/guests/{vmid}/rename', json={'name': 'renamed-again'})
        refused = wait_finished(live_stack, start(live_stack, apply_run=stale['id'])['run']['id'])
        assert refused['status']['value'] == 'failed'
        errors = [item['data'] for item in refused['events'] if item['event'] == 'error']
        assert errors[0]['kind'] == 'StalePlan' and 'preview again' in errors[0]['fix']
        assert netbox_count(live_stack, '/api/virtualization/virtual-machines/', name='renamed-again') == 0
        page = login(live_stack, 'operator').get(f'/plugins/proxbox/sync-runs/{refused["id"]}/')
        assert 'id="proxbox-stale"' in page.text and 'id="proxbox-preview-again"' in page.text


class TestLockAndCancel:
    """A second sync of a busy endpoint gets 409 with the running run; cancel stops a running sync."""

    def test_lock_then_cancel(self, live_stack):
        slow = {'kind': 'latency', 'path': '/nodes/*', 'ms': 1500}
        live_stack.sim_control(SMALL, 'POST', '/faults/add', json=slow)
        try:
            run = start(live_stack, endpoints=[SMALL])['run']
            busy = live_stack.api('POST', '/api/plugins/proxbox/sync/', json={'endpoints': [endpoint_id(live_stack)]})
            assert busy.status_code == 409, busy.text
            assert busy.json()['run'].endswith(f'/api/plugins/proxbox/sync-runs/{run["id"]}/')
            assert 'already running' in busy.json()['detail']
            follow(live_stack, run['id'], limit=2)  # run_started, stage_started: it is running now
            cancelled = live_stack.api('POST', f'/api/plugins/proxbox/sync-runs/{run["id"]}/cancel/')
            assert cancelled.status_code == 202, cancelled.text
            events = follow(live_stack, run['id'])
            assert events[-1].event == 'run_finished' and events[-1].data['status'] == 'cancelled'
            final = run_of(live_stack, run['id'])
            assert final['status']['value'] == 'cancelled' and 'Cancelled by admin' in final['error_summary']
            again = live_stack.api('POST', f'/api/plugins/proxbox/sync-runs/{run["id"]}/cancel/')
            assert again.status_code == 409
            job = live_stack.api('GET', final['job']['url']).json()
            assert job['status']['value'] == 'failed'
        finally:
            live_stack.sim_control(SMALL, 'DELETE', '/faults')
        after = wait_finished(live_stack, start(live_stack, endpoints=[SMALL])['run']['id'])  # the lock is free
        assert after['status']['value'] == 'completed', after['error_summary']


class TestTargetedAndContinuous:
    """With the real processes: a targeted sync through the API writes one guest; continuous mode (an
    endpoint with continuous_interval) finds a change made in Proxmox and syncs it alone, with no click."""

    def test_targeted_then_continuous(self, live_stack):
        endpoint = live_stack.info['endpoints'][SMALL]
        assert wait_finished(live_stack, start(live_stack, endpoints=[SMALL])['run']['id'])['status']['value'] in (
            'completed',
            'partial',
        )
        first, second = guests(live_stack)[:2]
        # A standalone node's cluster is named after the node: ask NetBox what it synced the endpoint as.
        clusters = live_stack.api('GET', '/api/plugins/proxbox/clusters/', params={'endpoint_id': endpoint}).json()
        (cluster,) = [item['name'] for item in clusters['results']]
        live_stack.sim_control(SMALL, 'POST', f'/guests/{first["vmid"]}/rename', json={'name': 'targeted-by-test'})
        live_stack.sim_control(SMALL, 'POST', f'/guests/{second["vmid"]}/rename', json={'name': 'not-this-time'})
        body = {'scope': {'cluster': cluster, 'vmid': first['vmid']}}
        run = wait_finished(live_stack, start(live_stack, **body)['run']['id'])
        assert run['status']['value'] == 'completed' and run['kind']['value'] == 'targeted', run['error_summary']
        assert run['counts']['virtualization.virtualmachine'].get('updated') == 1
        assert netbox_count(live_stack, '/api/virtualization/virtual-machines/', name='targeted-by-test') == 1
        assert netbox_count(live_stack, '/api/virtualization/virtual-machines/', name='not-this-time') == 0

        path = f'/api/plugins/proxbox/endpoints/proxmox/{endpoint}/'
        assert live_stack.api('PATCH', path, json={'continuous_interval': 10}).status_code == 200
        try:
            time.sleep(14)  # the baseline poll, then a quiet one
            live_stack.sim_control(SMALL, 'POST', f'/guests/{first["vmid"]}/rename', json={'name': 'found-by-a-poll'})
            deadline = time.monotonic() + 90
            while netbox_count(live_stack, '/api/virtualization/virtual-machines/', name='found-by-a-poll') == 0:
                assert time.monotonic() < deadline, 'continuous mode did not sync the renamed guest'
                time.sleep(2)
            runs = live_stack.api('GET', '/api/plugins/proxbox/sync-runs/', params={'kind': 'continuous'}).json()
            assert runs['count'] >= 1
            latest = runs['results'][0]
            assert latest['scope']['cluster'] == cluster and first['vmid'] in latest['scope']['vmids']
            assert second['vmid'] not in latest['scope']['vmids']  # renamed before the baseline: a Full Update's
        finally:
            live_stack.api('PATCH', path, json={'continuous_interval': None})


def b64(text):
    return base64.b64encode(text.encode()).decode()


class TestNotifications:
    """Proxmox VE's webhook target (configured through the simulated PVE API, as an admin would, with the
    body Proxbox documents) sends a backup's notification to proxbox-api; the plugin, following the
    endpoint's notifications, syncs that one guest, then the cluster's storage and backups: its new backup
    is in NetBox within seconds, no click."""

    def test_a_backup_notification_syncs_its_guest(self, live_stack):
        endpoint = live_stack.info['endpoints'][SMALL]
        assert wait_finished(live_stack, start(live_stack, endpoints=[SMALL])['run']['id'])['status']['value'] in (
            'completed',
            'partial',
        )
        (guest, *_) = guests(live_stack)
        before = netbox_count(live_stack, '/api/plugins/proxbox/backups/')
        clusters = live_stack.api('GET', '/api/plugins/proxbox/clusters/', params={'endpoint_id': endpoint}).json()
        (cluster,) = [item['name'] for item in clusters['results']]  # a standalone node's: the node's name
        live_stack.pve(SMALL, 'POST', '/cluster/notifications/endpoints/webhook', data={
            'name': 'proxbox', 'method': 'post', 'url': live_stack.api_url + f'v1/notify?cluster={cluster}',
            'body': b64(NOTIFICATION_BODY),
            'header': [f'name=X-API-Key,value={b64("{{ secrets.key }}")}'],
            'secret': [f'name=key,value={b64(NOTIFY_KEY)}'],
        })  # fmt: skip
        live_stack.pve(SMALL, 'POST', '/cluster/notifications/matchers', data={'name': 'nb', 'target': ['proxbox']})
        path = f'/api/plugins/proxbox/endpoints/proxmox/{endpoint}/'
        assert live_stack.api('PATCH', path, json={'follow_notifications': True}).status_code == 200
        try:
            started = time.monotonic()
            live_stack.sim_control(SMALL, 'POST', f'/guests/{guest["vmid"]}/backups', json={})
            deadline = started + 60
            while netbox_count(live_stack, '/api/plugins/proxbox/backups/') == before:
                if time.monotonic() > deadline:
                    deliveries = live_stack.sim_control(SMALL, 'GET', '/notifications')
                    runs = live_stack.api('GET', '/api/plugins/proxbox/sync-runs/', params={'limit': 3}).json()
                    summary = [(r['kind'], r['status'], r['scope']) for r in runs['results']]
                    pytest.fail(
                        f'the backup notification did not reach NetBox: deliveries {deliveries}, runs {summary}'
                    )
                time.sleep(1)
            assert [d['status'] for d in live_stack.sim_control(SMALL, 'GET', '/notifications')] == [202]
            runs = live_stack.api('GET', '/api/plugins/proxbox/sync-runs/', params={'kind': 'continuous'}).json()
            scopes = [run['scope'] for run in runs['results'][:2]]  # newest first: the backups, after the guest
            assert scopes == [{'cluster': cluster, 'families': ['backups', 'storage']},
                              {'cluster': cluster, 'vmids': [guest['vmid']]}]  # fmt: skip
        finally:
            live_stack.api('PATCH', path, json={'follow_notifications': False})
            live_stack.pve(SMALL, 'DELETE', '/cluster/notifications/matchers/nb')
            live_stack.pve(SMALL, 'DELETE', '/cluster/notifications/endpoints/webhook/proxbox')


class _Receiver(http.server.BaseHTTPRequestHandler):
    """A webhook receiver on loopback: keeps each POST's JSON body."""

    bodies: ClassVar[list[dict]] = []

    def do_POST(self):  # noqa: N802 (http.server's name)
        length = int(self.headers.get('Content-Length', 0))
        type(self).bodies.append(json.loads(self.rfile.read(length) or b'{}'))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        return None


@pytest.fixture
def receiver():
    _Receiver.bodies = []
    server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), _Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f'http://127.0.0.1:{server.server_address[1]}/hook', _Receiver.bodies
    finally:
        server.shutdown()
        server.server_close()


class TestEventRules:
    """An event rule with a webhook on virtual machines fires, through NetBox's own RQ worker, for a VM
    the in-NetBox apply updated, as it would for a REST write: a real receiver on loopback gets it."""

    def test_a_synced_change_reaches_a_webhook(self, live_stack, receiver):
        url, bodies = receiver
        endpoint = live_stack.info['endpoints'][SMALL]
        webhook = live_stack.api('POST', '/api/extras/webhooks/', json={'name': 'proxbox-test', 'payload_url': url})
        assert webhook.status_code == 201, webhook.text
        rule = live_stack.api('POST', '/api/extras/event-rules/', json={
            'name': 'vm-updated', 'object_types': ['virtualization.virtualmachine'], 'event_types': ['object_updated'],
            'action_type': 'webhook', 'action_object_type': 'extras.webhook', 'action_object_id': webhook.json()['id'],
        })  # fmt: skip
        assert rule.status_code == 201, rule.text
        try:
            assert wait_finished(live_stack, start(live_stack, endpoints=[SMALL])['run']['id'])['status']['value'] in (
                'completed',
                'partial',
            )
            clusters = live_stack.api('GET', '/api/plugins/proxbox/clusters/', params={'endpoint_id': endpoint}).json()
            (cluster,) = [item['name'] for item in clusters['results']]
            (guest, *_) = guests(live_stack)
            live_stack.sim_control(SMALL, 'POST', f'/guests/{guest["vmid"]}/rename', json={'name': 'webhook-by-test'})
            bodies.clear()
            run = wait_finished(
                live_stack, start(live_stack, scope={'cluster': cluster, 'vmid': guest['vmid']})['run']['id']
            )
            assert run['status']['value'] == 'completed', run['error_summary']
            finished = next(e['data'] for e in reversed(run['events']) if e['event'] == 'run_finished')
            assert finished['write_path'] == 'inside'
            deadline = time.monotonic() + 60
            while not any(body.get('data', {}).get('name') == 'webhook-by-test' for body in bodies):
                assert time.monotonic() < deadline, f'no webhook for the renamed VM: {bodies}'
                time.sleep(0.5)
            (sent,) = [body for body in bodies if body.get('data', {}).get('name') == 'webhook-by-test']
            assert (sent['event'], sent['object_type']) == ('updated', 'virtualization.virtualmachine')
            assert sent['snapshots']['prechange']['name'] != 'webhook-by-test'
            # The sync user's change, made by the in-NetBox apply's request (its id is the change log's).
            assert (sent['request']['user'], sent['request']['path']) == ('sync', '/api/plugins/proxbox/apply/')
            assert sent['request']['id']
        finally:
            live_stack.api('DELETE', f'/api/extras/event-rules/{rule.json()["id"]}/')
            live_stack.api('DELETE', f'/api/extras/webhooks/{webhook.json()["id"]}/')

"""
No secret leaves Proxbox. After real Full Updates (the plugin's job, proxbox-api served in a thread,
a NetBox live server and the Proxmox simulator; one endpoint logs in with an API token, the other
with a password; a preview, a sync, and a run that fails on a revoked token), every REST API answer
of the plugin (full and brief), every page, every GraphQL list with all its scalar fields, the
change log, the jobs, the runs and their event streams, proxbox-api's log (and its bridge), the
endpoint tests and every log line of the process at DEBUG (httpx and httpcore included) are
scanned for the Proxmox token secret and password, the NetBox token and the proxbox-api key:
none may appear. The scan is shown to work by planting a secret where each channel can see it.
"""

import logging
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
import uvicorn
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from users.models import Token

from netbox_proxbox.bootstrap import ensure_sync_objects
from netbox_proxbox.models import FastAPIEndpoint, NetBoxEndpoint, ProxboxPluginSettings, ProxmoxEndpoint, SyncRun
from netbox_proxbox.sync.client import ProxboxApi
from netbox_proxbox.sync.runs import start_sync
from netbox_proxbox.sync.sse import log_event_stream
from netbox_proxbox.sync.streams import redis
from proxbox_api.api import create_app
from proxbox_api.settings import ServiceSettings
from proxmox_sim import Fleet, FleetSpec, SimServer
from proxmox_sim.faults import FaultRule
from tests.fullupdate.harness import free_port

from .scan import Scan, Secrets, collect_api, collect_graphql, collect_pages, collect_records

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@contextmanager
def proxbox_api(api_key):
    """proxbox-api on a free loopback port (its app too, to read its log buffer)."""
    port = free_port()
    app = create_app(ServiceSettings(api_key=api_key, port=port, log_level='debug'))
    server = uvicorn.Server(uvicorn.Config(app, host='127.0.0.1', port=port, log_level='debug', lifespan='on'))
    thread = threading.Thread(target=server.run, name='proxbox-api', daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), 'proxbox-api did not start'
        time.sleep(0.05)
    try:
        yield f'http://127.0.0.1:{port}/', app
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def world():
    """The secrets, a simulated Proxmox (two clusters) that knows them, and proxbox-api with its key."""
    keys = Secrets()
    fleet = Fleet(FleetSpec(seed=21, clusters=2, nodes=2, guests=10, password=keys.proxmox_password))
    with SimServer(fleet) as sim, proxbox_api(keys.api_key) as (url, app):
        token_cluster = sim.endpoints[0].cluster
        fleet.add_token('root@pam!scan', keys.proxmox_token, cluster=token_cluster)
        yield keys, fleet, sim, url, app
    conn = redis()
    from django.db import connection

    stale = list(conn.scan_iter(match=f'proxbox:{connection.settings_dict["NAME"]}:*', count=1000))
    if stale:
        conn.delete(*stale)


def configure(keys, sim, live_url, api_url):
    """The plugin's endpoints as a person would enter them; returns (admin, admin's API header, keys)."""
    ensure_sync_objects()
    users = get_user_model().objects
    sync_user = users.create_user(username='proxbox-sync', is_superuser=True)
    token = Token.objects.create(user=sync_user)
    netbox_token = f'{token.get_auth_header_prefix().removeprefix("Bearer ")}{token.token}'
    keys = Secrets(keys.proxmox_token, keys.proxmox_password, keys.api_key, netbox_token)
    ProxboxPluginSettings.objects.create(task_history_days=365)  # the simulator's tasks are from its epoch
    NetBoxEndpoint.objects.create(url=live_url + '/', token=netbox_token)
    FastAPIEndpoint.objects.create(url=api_url, api_key=keys.api_key, timeout=60)
    ca = Path(sim.endpoints[0].cert_path).read_text()
    by_token, by_password = sim.endpoints
    ProxmoxEndpoint.objects.create(
        name=by_token.cluster, host=by_token.host, port=by_token.port, username='root@pam', token_name='scan',
        token_secret=keys.proxmox_token, ca_certificate=ca,
    )  # fmt: skip
    ProxmoxEndpoint.objects.create(
        name=by_password.cluster, host=by_password.host, port=by_password.port, username='root@pam',
        password=keys.proxmox_password, ca_certificate=ca,
    )  # fmt: skip
    admin = users.create_user(username='scan-admin', is_superuser=True)
    admin_token = Token.objects.create(user=admin)
    header = {'HTTP_AUTHORIZATION': f'{admin_token.get_auth_header_prefix()}{admin_token.token}'}
    return admin, header, keys


def run_syncs(admin, fleet):
    """A preview, its application, a plain sync, then a sync that fails: the token revoked mid-read."""
    preview = start_sync(admin, dry_run=True, immediate=True)
    assert SyncRun.objects.get(pk=preview.pk).status == 'completed', SyncRun.objects.get(pk=preview.pk).error_summary
    applied = start_sync(admin, apply_run=SyncRun.objects.get(pk=preview.pk), immediate=True)
    assert SyncRun.objects.get(pk=applied.pk).status == 'completed', SyncRun.objects.get(pk=applied.pk).error_summary
    again = start_sync(admin, immediate=True)
    assert SyncRun.objects.get(pk=again.pk).status == 'completed'
    fleet.set_faults([FaultRule(kind='error', path='/cluster/resources', status=401, message='token revoked')])
    failed = start_sync(admin, immediate=True)
    fleet.reset_faults()
    failed = SyncRun.objects.get(pk=failed.pk)
    assert failed.status == 'failed' and failed.error_summary
    return failed


def collect_actions(scan, api, header, ui):
    """Test connection (REST and page, with its message) and the status report."""
    for endpoint in ProxmoxEndpoint.objects.all():
        url = reverse('plugins-api:netbox_proxbox-api:proxmoxendpoint-test', kwargs={'pk': endpoint.pk})
        response = api.post(url, {}, format='json', **header)
        assert response.status_code == 200 and response.json()['ok'], response.content
        scan.add('api', url, response.content.decode())
        page = ui.post(reverse('plugins:netbox_proxbox:proxmoxendpoint_test', kwargs={'pk': endpoint.pk}), follow=True)
        scan.add('page', f'test {endpoint}', page.content.decode())
    scan.add('api', 'status', api.get(reverse('plugins-api:netbox_proxbox-api:status'), **header).content.decode())


def collect_service_log(scan, app):
    """proxbox-api's kept log and metrics, and the log through the plugin's bridge (the log page's stream)."""
    scan.add('log', 'proxbox-api buffer', app.state.logs.since(0))
    api = ProxboxApi.from_settings()
    for path in ('health', 'metrics'):
        answer = httpx.get(f'{api.url}{path}', headers={'X-API-Key': api.api_key}, timeout=10)
        assert answer.status_code == 200
        scan.add('api', f'proxbox-api /{path}', answer.text)
    bridged = ''.join(log_event_stream(ProxboxApi.from_settings(), 0, max_seconds=3))
    assert 'sync' in bridged
    scan.add('sse', 'service log stream', bridged)


def scan_everything(scan, api, header, ui, app, caplog):
    objects = {type(obj): obj for model in scan_models() for obj in model.objects.all()[:1]}
    collect_api(scan, api, objects)
    collect_pages(scan, ui, objects)
    empty = collect_graphql(scan, api, header)
    assert len(empty) <= 1, f'GraphQL lists with nothing in them to scan: {empty}'
    collect_records(scan)
    collect_service_log(scan, app)
    scan.add('log', 'caplog', '\n'.join(f'{r.name} {r.getMessage()} {r.exc_text or ""}' for r in caplog.records))
    scan.add('log', 'caplog text', caplog.text)


def scan_models():
    from django.apps import apps

    return apps.get_app_config('netbox_proxbox').get_models()


def test_no_secret_anywhere_after_full_updates(world, live_server, caplog):
    caplog.set_level(logging.DEBUG)
    for name in ('proxbox_api', 'httpx', 'httpcore', 'netbox_proxbox', 'uvicorn', 'django'):
        caplog.set_level(logging.DEBUG, logger=name)
    keys, fleet, sim, api_url, app = world
    admin, header, keys = configure(keys, sim, live_server.url, api_url)
    failed = run_syncs(admin, fleet)
    assert 'root@pam!scan' in failed.error_summary or '401' in failed.error_summary, failed.error_summary
    api, ui = APIClient(), Client()
    api.credentials(**header)
    ui.force_login(admin)
    scan = Scan(keys)
    collect_actions(scan, api, header, ui)
    scan_everything(scan, api, header, ui, app, caplog)
    assert {'api', 'page', 'graphql', 'changelog', 'job', 'run', 'sse', 'log', 'exception'} <= set(scan.channels())
    assert len(scan.texts) > 300, len(scan.texts)
    assert any(r.name.startswith('httpcore') for r in caplog.records), 'httpcore was not logged at DEBUG'
    assert scan.findings() == [], '\n'.join(scan.findings())

    # The scan would have caught a leak: plant the secrets where each channel shows them, scan again.
    endpoint = ProxmoxEndpoint.objects.get(token_name='scan')
    url = reverse('plugins-api:netbox_proxbox-api:proxmoxendpoint-detail', kwargs={'pk': endpoint.pk})
    planted = api.patch(url, {'description': f'planted {keys.proxmox_token}'}, format='json', **header)
    assert planted.status_code == 200
    logging.getLogger('netbox_proxbox').warning('planted %s', keys.proxmox_password)
    run = SyncRun.objects.get(pk=failed.pk)
    run.error_summary += f' planted {keys.netbox_token}'
    run.save()
    again = Scan(keys)
    scan_everything(again, api, header, ui, app, caplog)
    where = {line.split(' ', 3)[2] for line in again.findings()}
    assert {'api', 'page', 'graphql', 'changelog', 'log', 'exception'} <= where, again.findings()

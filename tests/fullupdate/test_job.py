"""
ProxboxSyncJob run with immediate=True (no worker): a run that cannot reach or use proxbox-api,
or whose Proxmox refuses the credentials, ends failed with the problem and what to fix in its
events, its error summary and its NetBox job; its event stream still ends with run_finished.
(The successful paths run against real processes in test_live_*.py.)
"""

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from netbox_proxbox.models import FastAPIEndpoint, NetBoxEndpoint, ProxmoxEndpoint, SyncRun
from netbox_proxbox.sync.runs import start_sync
from netbox_proxbox.sync.streams import RunStream

from .harness import API_KEY, free_port

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def admin():
    return get_user_model().objects.create_user(username='job-admin', is_superuser=True)


@pytest.fixture
def endpoint(sim):
    ep = sim.endpoints[0]
    user, name = ep.token_id.split('!')
    NetBoxEndpoint.objects.create(url='http://127.0.0.1:9/', token='nbt_unused.token')
    return ProxmoxEndpoint.objects.create(
        name=ep.cluster, host=ep.host, port=ep.port, username=user, token_name=name, token_secret=ep.token_secret,
        ca_certificate=Path(ep.cert_path).read_text(), sync_interval=None,
    )  # fmt: skip


def failed(admin):
    run = SyncRun.objects.get(pk=start_sync(admin, immediate=True).pk)
    assert run.status == 'failed'
    assert run.job.status == 'failed'
    assert [e.to_json() for e in RunStream(run.pk).after(0)] == run.events
    assert run.events[-1]['event'] == 'run_finished' and run.events[-1]['data']['status'] == 'failed'
    (error,) = [e['data'] for e in run.events if e['event'] == 'error']
    return run, error


def test_proxbox_api_unreachable(admin, endpoint):
    FastAPIEndpoint.objects.create(url=f'http://127.0.0.1:{free_port()}/', api_key=API_KEY)
    run, error = failed(admin)
    assert error['kind'] == 'ProxboxApiUnreachable' and 'Start proxbox-api' in error['fix']
    assert 'proxbox-api is unreachable' in run.error_summary


def test_wrong_api_key(admin, endpoint, proxbox_api_url):
    FastAPIEndpoint.objects.create(url=proxbox_api_url, api_key='not-the-key-0123456789')
    run, error = failed(admin)
    assert error['kind'] == 'ProxboxApiKeyRejected' and 'PROXBOX_API_API_KEY' in error['fix']
    assert 'not-the-key' not in str(run.events) + run.error_summary


def test_not_configured(admin, endpoint, proxbox_api_url):
    FastAPIEndpoint.objects.create(url=proxbox_api_url, api_key=API_KEY)
    NetBoxEndpoint.objects.all().delete()
    _, error = failed(admin)
    assert error['kind'] == 'NotConfigured' and 'NetBox Endpoint' in error['fix']


def test_proxmox_refuses_the_credentials(admin, endpoint, proxbox_api_url):
    FastAPIEndpoint.objects.create(url=proxbox_api_url, api_key=API_KEY)
    endpoint.token_secret = 'wrong-secret'
    endpoint.save()
    run, error = failed(admin)
    assert error['kind'] == 'ProxmoxAuthError' and 'token name and secret' in error['fix']
    assert 'wrong-secret' not in str(run.events)
    log = ' '.join(entry['message'] for entry in run.job.log_entries)
    assert 'Fix: Proxmox refused the credentials' in log

"""
proxbox-api's edges used by Full Update, against the service served by uvicorn and the simulator:
POST /v1/endpoints/test says exactly what is wrong with a Proxmox endpoint (and never echoes a
secret); /v1/logs/ws needs the key and sends the kept lines, then new ones; the plugin's client
maps each failure to a problem a person can fix, and its log bridge relays the WebSocket as SSE.
"""

import json
import logging
import time
from pathlib import Path

import httpx
import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from netbox_proxbox.sync.client import ProxboxApi
from netbox_proxbox.sync.problems import ProxboxApiKeyRejected, ProxboxApiUnreachable
from netbox_proxbox.sync.sse import log_event_stream

from .harness import API_KEY, free_port


def spec(ep, **overrides):
    data = {'name': ep.cluster, 'host': ep.host, 'port': ep.port, 'token_id': ep.token_id,
            'token_secret': ep.token_secret, 'ca_pem': Path(ep.cert_path).read_text()}  # fmt: skip
    return {**data, **overrides}


def check(url, *specs, key=API_KEY):
    return httpx.post(url + 'v1/endpoints/test', json={'endpoints': list(specs)}, headers={'X-API-Key': key})


class TestEndpointCheck:
    """Reachability, TLS, login and privileges, each reported in words."""

    def test_reports_each_problem(self, proxbox_api_url, sim):
        ep = sim.endpoints[0]
        sim.fleet.add_token('root@pam!auditless', 'auditless-secret', privileges=['VM.Audit'])
        specs = [
            spec(ep),
            spec(ep, name='wrong', token_secret='wrong-secret-value'),
            spec(ep, name='limited', token_id='root@pam!auditless', token_secret='auditless-secret'),
            spec(ep, name='closed', port=free_port()),
            spec(ep, name='untrusted', ca_pem=None),
        ]
        response = check(proxbox_api_url, *specs)
        assert response.status_code == 200, response.text
        results = {item['name']: item for item in response.json()['results']}
        assert results[ep.cluster]['ok'] and results[ep.cluster]['nodes'] == 2 and results[ep.cluster]['guests'] == 8
        assert 'Proxmox VE 8.3' in results[ep.cluster]['detail']
        assert (
            not results['wrong']['ok'] and 'refused the credentials of root@pam!proxbox' in results['wrong']['detail']
        )
        assert not results['limited']['ok'] and 'PVEAuditor' in results['limited']['detail']
        assert not results['closed']['ok'] and 'Cannot connect' in results['closed']['detail']
        assert not results['untrusted']['ok'] and 'CA certificate' in results['untrusted']['detail']
        assert 'wrong-secret-value' not in response.text and ep.token_secret not in response.text

    def test_needs_the_key(self, proxbox_api_url, sim):
        assert check(proxbox_api_url, spec(sim.endpoints[0]), key='wrong').status_code == 401


class TestLogSocket:
    """The kept lines, then live ones; the key is required; `after` skips what the reader has."""

    def test_backlog_then_live_lines(self, proxbox_api_url):
        url = proxbox_api_url.replace('http://', 'ws://') + 'v1/logs/ws'
        with connect(url, additional_headers={'X-API-Key': API_KEY}, open_timeout=10) as socket:
            first = json.loads(socket.recv(timeout=10))
            assert first['logger'] == 'proxbox_api' and 'ready' in first['message']
            logging.getLogger('proxbox_api').warning('marker %s', 'one')
            lines = [json.loads(socket.recv(timeout=10))]
            while lines[-1]['message'] != 'marker one':
                lines.append(json.loads(socket.recv(timeout=10)))
            assert lines[-1]['level'] == 'WARNING' and lines[-1]['seq'] > first['seq']
        with connect(f'{url}?after={lines[-1]["seq"] - 1}', additional_headers={'X-API-Key': API_KEY}) as socket:
            assert json.loads(socket.recv(timeout=10))['message'] == 'marker one'

    def test_key_required(self, proxbox_api_url):
        url = proxbox_api_url.replace('http://', 'ws://') + 'v1/logs/ws'
        with pytest.raises(InvalidStatus) as refused:
            connect(url, additional_headers={'X-API-Key': 'nope'}, open_timeout=10)
        assert refused.value.response.status_code == 403


class TestPluginClient:
    """The plugin's view of proxbox-api: problems with fixes, and the log bridged as SSE."""

    def test_problems(self, proxbox_api_url):
        assert ProxboxApi(proxbox_api_url, API_KEY).health()['status'] == 'ok'
        ProxboxApi(proxbox_api_url, API_KEY).check_key()
        with pytest.raises(ProxboxApiKeyRejected) as rejected:
            ProxboxApi(proxbox_api_url, 'not-the-key-0123456789').check_key()
        assert 'PROXBOX_API_API_KEY' in rejected.value.fix and 'not-the-key' not in str(rejected.value)
        with pytest.raises(ProxboxApiUnreachable) as unreachable:
            ProxboxApi(f'http://127.0.0.1:{free_port()}/', API_KEY, timeout=2).health()
        assert 'Start proxbox-api' in unreachable.value.fix

    def test_log_bridge(self, proxbox_api_url):
        started = time.monotonic()
        chunks = list(log_event_stream(ProxboxApi(proxbox_api_url, API_KEY, timeout=5), max_seconds=1.5))
        assert time.monotonic() - started < 20
        assert chunks[0].startswith('retry:')
        assert any(chunk.startswith('id: ') and 'event: log' in chunk and 'ready' in chunk for chunk in chunks)
        (problem,) = [
            c for c in log_event_stream(ProxboxApi(proxbox_api_url, 'wrong-key-0123456789')) if 'problem' in c
        ]
        assert 'rejected the API key' in problem
        closed = ProxboxApi(f'http://127.0.0.1:{free_port()}/', API_KEY, timeout=2)
        (problem,) = [c for c in log_event_stream(closed) if 'problem' in c]
        assert 'unreachable' in problem and 'API_KEY' not in problem

"""
The plugin's client of proxbox-api (httpx, synchronous: it runs in NetBox's worker and views).

Every failure to talk to the service becomes a `SyncProblem` that says what to fix. The sync
stream is read as Server-Sent Events; `SyncStream.abort()` may be called from another thread
(the job's heartbeat, on cancel) and shuts the connection down, which makes proxbox-api cancel
the run.
"""

import json
import socket
from dataclasses import dataclass
from urllib.parse import urlencode, urljoin, urlsplit, urlunsplit

import httpx
from django.conf import settings

from .problems import NotConfigured, ProxboxApiFailed, ProxboxApiKeyRejected, ProxboxApiUnreachable

__all__ = ('ProxboxApi', 'SseEvent', 'SyncStream', 'iter_sse')


@dataclass(frozen=True, slots=True)
class SseEvent:
    id: int | None
    event: str
    data: dict


def iter_sse(lines):
    """Parse Server-Sent Events (id, event, data; comments and retry ignored) from text lines."""
    event_id, name, data = None, 'message', []
    for line in lines:
        if not line:
            if data:
                yield SseEvent(event_id, name, json.loads('\n'.join(data)))
            event_id, name, data = None, 'message', []
            continue
        if line.startswith(':'):
            continue
        field, _, value = line.partition(':')
        value = value.removeprefix(' ')
        if field == 'data':
            data.append(value)
        elif field == 'event':
            name = value
        elif field == 'id' and value.isdigit():
            event_id = int(value)


class SyncStream:
    """An open sync stream: iterate it for events; `abort()` from any thread ends it."""

    def __init__(self, response):
        self.response = response
        self.aborted = False

    def __iter__(self):
        try:
            yield from iter_sse(self.response.iter_lines())
        except httpx.HTTPError as exc:
            if not self.aborted:
                raise ProxboxApiFailed(f'the event stream broke off: {exc}') from exc

    def abort(self):
        """Shut the connection down (a plain close would not wake a thread blocked reading it)."""
        self.aborted = True
        stream = self.response.extensions.get('network_stream')
        sock = stream.get_extra_info('socket') if stream is not None else None
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class ProxboxApi:
    """proxbox-api at `url`, called with `api_key` (never logged, never in an error)."""

    def __init__(self, url, api_key, verify=True, timeout=30, transport=None):
        self.url = url.rstrip('/') + '/'
        self.api_key = api_key
        self.verify = verify
        self.timeout = timeout
        self.transport = transport

    @classmethod
    def from_settings(cls):
        """The configured service: the proxbox-api endpoint, else the plugin setting `proxbox_api_url`."""
        from ..models import FastAPIEndpoint

        endpoint = FastAPIEndpoint.get_solo()
        config = settings.PLUGINS_CONFIG['netbox_proxbox']
        if endpoint is not None:
            return cls(endpoint.url, endpoint.api_key, endpoint.verify_ssl, endpoint.timeout)
        if config.get('proxbox_api_url'):
            return cls(config['proxbox_api_url'], config.get('proxbox_api_key') or '')
        raise NotConfigured(
            'no proxbox-api endpoint is defined',
            'Add one under Proxbox > Endpoints > proxbox-api Endpoint (its URL and API key), '
            'or set the plugin setting proxbox_api_url.',
        )

    def _client(self, read_timeout):
        timeout = httpx.Timeout(self.timeout, read=read_timeout)
        headers = {'X-API-Key': self.api_key, 'User-Agent': 'netbox-proxbox'}
        return httpx.Client(
            base_url=self.url, headers=headers, verify=self.verify, timeout=timeout, transport=self.transport
        )

    def _check(self, response):
        if response.status_code == 401:
            raise ProxboxApiKeyRejected(f'{self.url} answered 401 Unauthorized')
        if response.status_code >= 400:
            response.read()
            raise ProxboxApiFailed(f'{self.url} answered {response.status_code}: {_detail(response)}')
        return response

    def _unreachable(self, exc):
        return ProxboxApiUnreachable(f'no answer from {self.url} ({type(exc).__name__}: {exc})')

    def request(self, method, path, json_body=None):
        """One JSON request; returns the decoded answer."""
        try:
            with self._client(self.timeout) as client:
                return self._check(client.request(method, path, json=json_body)).json()
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.RemoteProtocolError) as exc:
            raise self._unreachable(exc) from exc
        except httpx.TimeoutException as exc:
            raise ProxboxApiFailed(f'{self.url} did not answer within {self.timeout} s') from exc

    def health(self):
        return self.request('GET', 'health')

    def check_key(self):
        """Raise unless the service answers an authenticated request."""
        try:
            with self._client(self.timeout) as client:
                self._check(client.get('metrics'))
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.RemoteProtocolError) as exc:
            raise self._unreachable(exc) from exc

    def test_endpoints(self, specs):
        """Reachability and credentials of Proxmox endpoints: [{name, ok, detail, ...}]."""
        return self.request('POST', 'v1/endpoints/test', {'endpoints': specs})['results']

    def poll(self, specs, state):
        """Continuous mode's look at each endpoint: {endpoints: [{endpoint, ok, error, changes, state, ...}]}."""
        return self.request('POST', 'v1/poll', {'endpoints': specs, 'state': state})

    def notifications(self, after, instance):
        """Proxmox notifications received after `after`: {instance, next, lost, items: [{type, hostname, vmids}]}."""
        query = urlencode({'after': after, **({'instance': instance} if instance else {})})
        return self.request('GET', f'v1/notifications?{query}')

    def open_sync_stream(self, payload):
        """Start a sync; returns (client, SyncStream). The caller closes the client."""
        client = self._client(None)
        try:
            request = client.build_request('POST', 'v1/sync/stream', json=payload)
            response = self._check(client.send(request, stream=True))
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.RemoteProtocolError) as exc:
            client.close()
            raise self._unreachable(exc) from exc
        except BaseException:
            client.close()
            raise
        return client, SyncStream(response)

    def websocket_url(self, path):
        parts = urlsplit(urljoin(self.url, path))
        scheme = 'wss' if parts.scheme == 'https' else 'ws'
        return urlunsplit((scheme, parts.netloc, parts.path, parts.query, ''))


def _detail(response):
    try:
        body = response.json()
    except ValueError:
        return response.text[:300]
    detail = body.get('detail', body) if isinstance(body, dict) else body
    return json.dumps(detail)[:500] if not isinstance(detail, str) else detail[:500]

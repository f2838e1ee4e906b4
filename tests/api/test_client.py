"""Contract: ProxmoxClient authenticates, unwraps, retries and fails the way the reference says PVE needs.

Token header; ticket login, renewal (fake clock) and re-login on 401; CSRF only on writes; retries
with backoff on timeouts and 5xx, never on 4xx or 595; bounded concurrency; TLS verified by default;
and no error message, log-able repr or exception text ever contains a secret.
"""

import asyncio
import ssl
from collections.abc import Callable
from pathlib import Path

import certifi
import httpx
import pytest
from pydantic import ValidationError

from proxbox_api.proxmox import client as client_module
from proxbox_api.proxmox.client import ProxmoxClient
from proxbox_api.proxmox.errors import (
    NodeUnreachable,
    ProxmoxAuthError,
    ProxmoxConnectionError,
    ProxmoxError,
    ProxmoxGuestAgentError,
    ProxmoxNotFound,
    ProxmoxNotImplemented,
    ProxmoxPermissionError,
    ProxmoxProtocolError,
    ProxmoxRequestError,
    ProxmoxServerError,
    ProxmoxTimeout,
)
from proxbox_api.proxmox.settings import ClientOptions, ProxmoxEndpoint

from .pve_http import auth_error, error, ok

SECRET = '0a1b2c3d-4e5f-6789-abcd-ef0123456789'
PASSWORD = 'hunter2-correct-horse'
TOKEN = ProxmoxEndpoint(host='pve1.lab', token_id='root@pam!sync', token_secret=SECRET)
USER = ProxmoxEndpoint(host='pve1.lab', username='root@pam', password=PASSWORD)
Handler = Callable[[httpx.Request], httpx.Response]


class Sleeps:
    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)


def make(handler: Handler, endpoint: ProxmoxEndpoint = TOKEN, **kwargs: object) -> tuple[ProxmoxClient, Sleeps]:
    sleeps = Sleeps()
    options = kwargs.pop('options', ClientOptions(max_retries=3))
    client = ProxmoxClient(endpoint, options, transport=httpx.MockTransport(handler), sleep=sleeps, **kwargs)  # type: ignore[arg-type]
    return client, sleeps


class TestEndpoint:
    """Endpoint settings: one auth method, URL building, TLS verification on by default."""

    def test_base_url(self) -> None:
        assert TOKEN.base_url == 'https://pve1.lab:8006/api2/json'
        assert ProxmoxEndpoint(host='::1', port=8443, token_id='a@pve!t', token_secret='s').base_url == (
            'https://[::1]:8443/api2/json'
        )
        assert ProxmoxEndpoint(host='http://127.0.0.1:9000', username='u@pam', password='p').base_url == (
            'http://127.0.0.1:9000/api2/json'
        )

    @pytest.mark.parametrize(
        'kwargs',
        [{}, {'token_id': 'a@pam!t', 'token_secret': 's', 'username': 'u@pam', 'password': 'p'},
         {'token_id': 'a@pam!t'}, {'token_id': 'no-bang', 'token_secret': 's'}, {'username': 'u@pam'},
         {'username': 'u@pam', 'password': 'p', 'verify_tls': False, 'ca_bundle': '/tmp/ca.pem'}],
    )  # fmt: skip
    def test_invalid(self, kwargs: dict[str, object]) -> None:
        with pytest.raises(ValidationError):
            ProxmoxEndpoint(host='pve1', **kwargs)  # type: ignore[arg-type]

    def test_tls_verified_by_default(self) -> None:
        assert TOKEN.verify_tls is True
        assert client_module._verify(TOKEN) is True
        assert client_module._verify(TOKEN.model_copy(update={'verify_tls': False})) is False

    def test_ca_bundle(self) -> None:
        ca = Path(certifi.where())  # any valid PEM bundle will do
        context = client_module._verify(TOKEN.model_copy(update={'ca_bundle': ca}))
        assert isinstance(context, ssl.SSLContext) and context.verify_mode == ssl.CERT_REQUIRED

    def test_reprs_hide_secrets(self) -> None:
        client, _ = make(lambda r: ok(None))
        for text in (repr(TOKEN), str(TOKEN), repr(USER), TOKEN.model_dump_json(), repr(client)):
            assert SECRET not in text and PASSWORD not in text


class TestTokenAuth:
    """API token: one header, no login, no CSRF."""

    async def test_header_and_unwrap(self) -> None:
        seen: list[httpx.Request] = []

        def handler(request: httpx.Request) -> httpx.Response:
            seen.append(request)
            return ok({'version': '8.2.4'})

        client, _ = make(handler)
        assert await client.get('/version') == {'version': '8.2.4'}
        await client.post('/nodes/pve1/qemu/100/status/start')
        assert str(seen[0].url) == 'https://pve1.lab:8006/api2/json/version'
        assert seen[0].headers['Authorization'] == f'PVEAPIToken=root@pam!sync={SECRET}'
        assert 'CSRFPreventionToken' not in seen[1].headers
        await client.aclose()

    async def test_bad_token_is_not_retried(self) -> None:
        calls: list[int] = []

        def handler(request: httpx.Request) -> httpx.Response:
            calls.append(1)
            return auth_error(f"no such token 'sync' for user 'root@pam' {request.headers['Authorization']}")

        client, _ = make(handler)
        with pytest.raises(ProxmoxAuthError) as info:
            await client.get('/version')
        assert len(calls) == 1 and info.value.status == 401
        assert SECRET not in str(info.value) and '***' in str(info.value)


class FakePve:
    """Ticket endpoint with a clock: tickets expire after ``lifetime`` seconds."""

    def __init__(self, now: list[float], lifetime: float = 7200) -> None:
        self.now, self.lifetime = now, lifetime
        self.logins: list[dict[str, str]] = []
        self.tickets: dict[str, float] = {}
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith('/access/ticket'):
            return self.login(dict(httpx.QueryParams(request.content.decode())))
        self.requests.append(request)
        ticket = request.headers.get('Cookie', '').removeprefix('PVEAuthCookie=')
        if self.now[0] - self.tickets.get(ticket, -1e9) >= self.lifetime:
            return auth_error('permission denied - invalid PVE ticket')
        if request.method != 'GET' and request.headers.get('CSRFPreventionToken') != f'csrf-{ticket}':
            return auth_error('Permission denied - invalid csrf token')
        return ok('fine')

    def login(self, form: dict[str, str]) -> httpx.Response:
        self.logins.append(form)
        valid = form['password'] == PASSWORD or self.now[0] - self.tickets.get(form['password'], -1e9) < self.lifetime
        if form['username'] != 'root@pam' or not valid:
            return error(401, 'authentication failure')
        ticket = f'PVE:root@pam:{len(self.tickets):08X}::sig'
        self.tickets[ticket] = self.now[0]
        return ok({'username': 'root@pam', 'ticket': ticket, 'CSRFPreventionToken': f'csrf-{ticket}'})


class TestTicketAuth:
    """Ticket: login on first use, cookie + CSRF on writes, renewal before expiry, re-login on 401."""

    async def test_login_cookie_and_csrf(self) -> None:
        now = [0.0]
        pve = FakePve(now)
        client, _ = make(pve, USER, clock=lambda: now[0])
        assert await client.get('/version') == 'fine'
        assert await client.post('/nodes/pve1/qemu/100/status/start') == 'fine'
        assert pve.logins == [{'username': 'root@pam', 'password': PASSWORD}]
        assert 'CSRFPreventionToken' not in pve.requests[0].headers
        assert pve.requests[1].headers['CSRFPreventionToken'].startswith('csrf-')

    async def test_renewal_with_ticket_then_full_login(self) -> None:
        now = [0.0]
        pve = FakePve(now)
        client, _ = make(pve, USER, clock=lambda: now[0])
        await client.get('/version')
        now[0] = 3700  # past renew_after: renew with the ticket as password
        await client.get('/version')
        assert pve.logins[1]['password'] == 'PVE:root@pam:00000000::sig'
        now[0] = 3700 + 7190  # near the end of the renewed ticket's lifetime: fresh password login
        await client.get('/version')
        assert [form['password'] for form in pve.logins][2] == PASSWORD
        assert len(pve.logins) == 3

    async def test_relogin_on_401(self) -> None:
        now = [0.0]
        pve = FakePve(now, lifetime=100)  # the server expires tickets earlier than we expect
        client, _ = make(pve, USER, clock=lambda: now[0])
        await client.get('/version')
        now[0] = 150
        assert await client.get('/version') == 'fine'
        assert len(pve.logins) == 2

    async def test_wrong_password(self) -> None:
        pve = FakePve([0.0])
        client, _ = make(pve, USER.model_copy(update={'username': 'bob@pve'}))
        with pytest.raises(ProxmoxAuthError) as info:
            await client.get('/version')
        assert PASSWORD not in str(info.value) and len(pve.logins) == 1


class TestRetries:
    """Retry with backoff on timeouts, connection errors and 5xx; never on 4xx, 595 or agent errors."""

    @staticmethod
    def failing(responses: list[Callable[[], httpx.Response]]) -> tuple[Handler, list[int]]:
        calls: list[int] = []

        def handler(request: httpx.Request) -> httpx.Response:
            calls.append(1)
            return responses[min(len(calls), len(responses)) - 1]()

        return handler, calls

    async def test_5xx_then_success(self) -> None:
        handler, calls = self.failing([lambda: error(503, 'busy'), lambda: error(500, 'oops'), lambda: ok(1)])
        client, sleeps = make(handler, options=ClientOptions(max_retries=3, backoff_base=1, backoff_max=1.5))
        assert await client.get('/cluster/resources') == 1
        assert len(calls) == 3 and len(sleeps.delays) == 2
        assert 0.5 <= sleeps.delays[0] <= 1 and 0.75 <= sleeps.delays[1] <= 1.5  # jittered, bounded

    async def test_5xx_gives_up(self) -> None:
        handler, calls = self.failing([lambda: error(502, 'Bad Gateway')])
        client, sleeps = make(handler, options=ClientOptions(max_retries=2))
        with pytest.raises(ProxmoxServerError) as info:
            await client.get('/cluster/resources')
        assert len(calls) == 3 and len(sleeps.delays) == 2 and info.value.status == 502

    async def test_timeouts_and_connection_errors(self) -> None:
        def raise_timeout() -> httpx.Response:
            raise httpx.ReadTimeout('read timed out')

        def raise_connect() -> httpx.Response:
            raise httpx.ConnectError(f'refused (token {SECRET})')

        handler, calls = self.failing([raise_timeout, raise_connect, lambda: ok('up')])
        client, _ = make(handler)
        assert await client.get('/version') == 'up' and len(calls) == 3
        for failure, expected in ((raise_timeout, ProxmoxTimeout), (raise_connect, ProxmoxConnectionError)):
            client, _ = make(self.failing([failure])[0], options=ClientOptions(max_retries=1))
            with pytest.raises(expected) as info:
                await client.get('/version')
            assert SECRET not in str(info.value)

    @pytest.mark.parametrize(
        ('response', 'expected'),
        [(error(400, 'Parameter verification failed.', errors={'type': 'bad'}), ProxmoxRequestError),
         (error(403, 'Permission check failed (/vms/100, VM.Audit)'), ProxmoxPermissionError),
         (error(404, 'not found'), ProxmoxNotFound),
         (error(501, "Method 'GET /nodes/pve1/lxc/101/interfaces' not implemented"), ProxmoxNotImplemented),
         (error(500, "Configuration file 'nodes/pve1/qemu-server/999.conf' does not exist"), ProxmoxNotFound),
         (error(500, 'QEMU guest agent is not running'), ProxmoxGuestAgentError),
         (error(595, 'No route to host', with_message=False), NodeUnreachable),
         (error(596, 'Connection timed out', with_message=False), NodeUnreachable)],
    )  # fmt: skip
    async def test_not_retried(self, response: httpx.Response, expected: type[ProxmoxError]) -> None:
        handler, calls = self.failing([lambda: response])
        client, sleeps = make(handler)
        with pytest.raises(expected) as info:
            await client.get('/nodes/pve1/qemu/100/config')
        assert len(calls) == 1 and sleeps.delays == []
        assert type(info.value) is expected and info.value.path == '/nodes/pve1/qemu/100/config'
        assert response.reason_phrase in str(info.value)

    async def test_400_lists_parameter_errors(self) -> None:
        client, _ = make(lambda r: error(400, 'Parameter verification failed.', errors={'type': 'bad value'}))
        with pytest.raises(ProxmoxRequestError, match='type: bad value'):
            await client.get('/cluster/resources', {'type': 'pool'})

    async def test_per_call_retry_override(self) -> None:
        handler, calls = self.failing([lambda: error(500, 'flaky')])
        client, _ = make(handler)
        with pytest.raises(ProxmoxServerError):
            await client.get('/x', retries=0)
        assert len(calls) == 1

    async def test_non_envelope(self) -> None:
        client, _ = make(lambda r: httpx.Response(200, content=b'<html>'))
        with pytest.raises(ProxmoxProtocolError):
            await client.get('/version')


class TestSecretsNeverLeak:
    """Whatever the server echoes back, error texts are redacted."""

    @pytest.mark.parametrize('endpoint', [TOKEN, USER])
    async def test_echoing_server(self, endpoint: ProxmoxEndpoint) -> None:
        def handler(request: httpx.Request) -> httpx.Response:
            if request.url.path.endswith('/access/ticket'):
                return ok({'ticket': 'PVE:root@pam:1::TICKETSIG', 'CSRFPreventionToken': 'c'})
            own_secret = SECRET if endpoint is TOKEN else PASSWORD
            return error(500, f'boom {request.headers} {request.url} {own_secret}')

        client, _ = make(handler, endpoint, options=ClientOptions(max_retries=0))
        with pytest.raises(ProxmoxError) as info:
            await client.get('/version')
        for text in (str(info.value), repr(info.value), info.value.message):
            assert SECRET not in text and PASSWORD not in text and 'TICKETSIG' not in text


class TestConcurrency:
    """``max_concurrency`` bounds requests in flight."""

    async def test_bounded(self) -> None:
        in_flight, peak = [0], [0]

        async def handler(request: httpx.Request) -> httpx.Response:
            in_flight[0] += 1
            peak[0] = max(peak[0], in_flight[0])
            await asyncio.sleep(0.005)
            in_flight[0] -= 1
            return ok(None)

        client = ProxmoxClient(TOKEN, ClientOptions(max_concurrency=3), transport=httpx.MockTransport(handler))
        async with client:
            await asyncio.gather(*(client.get(f'/nodes/pve1/qemu/{i}/config') for i in range(20)))
        assert peak[0] == 3

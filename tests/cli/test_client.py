"""ProxboxClient: the Authorization header, one exception per failure (never echoing the token),
NetBox's paginated lists, and an event stream that resumes with Last-Event-ID."""

import json
from collections.abc import Callable

import httpx
import pytest

from proxbox_cli.client import ProxboxClient
from proxbox_cli.errors import (
    ApiError,
    AuthenticationFailed,
    Conflict,
    ConnectionFailed,
    InvalidRequest,
    NotFound,
    PermissionDenied,
    StreamBroken,
    SyncAlreadyRunning,
    UnexpectedAnswer,
)
from proxbox_cli.settings import Settings

from .fake_plugin import V2_TOKEN, FakePlugin

V1 = 'a' * 40


def _client(handler: Callable[[httpx.Request], httpx.Response], token: str = V2_TOKEN) -> ProxboxClient:
    settings = Settings.model_validate({'netbox_url': 'http://nb', 'netbox_token': token})
    return ProxboxClient(settings, transport=httpx.MockTransport(handler), sleep=lambda _: None, stream_retries=2)


def _answer(status: int, body: object = None, **kw: object) -> Callable[[httpx.Request], httpx.Response]:
    return lambda request: httpx.Response(status, json=body, **kw)  # type: ignore[arg-type]


class TestAuthorization:
    """v2 tokens as Bearer, v1 as Token; every request carries it."""

    @pytest.mark.parametrize(('token', 'header'), [(V2_TOKEN, f'Bearer {V2_TOKEN}'), (V1, f'Token {V1}')])
    def test_header(self, token: str, header: str) -> None:
        seen: list[httpx.Request] = []

        def handler(request: httpx.Request) -> httpx.Response:
            seen.append(request)
            return httpx.Response(200, json={'netbox-version': '4.7.3'})

        with _client(handler, token) as client:
            assert client.netbox_version() == '4.7.3'
        assert seen[0].headers['Authorization'] == header
        assert seen[0].headers['User-Agent'].startswith('pxb')


class TestErrors:
    """Each failure is one exception class with a message fit to print."""

    @pytest.mark.parametrize(
        ('status', 'body', 'error', 'message'),
        [
            (403, {'detail': 'Invalid v2 token'}, AuthenticationFailed, 'NetBox rejected the token: Invalid v2 token'),
            (401, {'detail': 'Token expired'}, AuthenticationFailed, 'NetBox rejected the token: Token expired'),
            (403, {'detail': 'Authentication credentials were not provided.'}, AuthenticationFailed, 'rejected'),
            (403, {'detail': 'You do not have permission to perform this action.'}, PermissionDenied,
             'permission denied: You do not have permission to perform this action.'),
            (403, {'detail': 'Starting a sync needs a write-enabled token.'}, PermissionDenied, 'write-enabled'),
            (403, {'detail': 'Source IP 10.1.1.1 is not permitted to authenticate using this token.'},
             AuthenticationFailed, 'NetBox rejected the token: Source IP'),
            (404, {'detail': 'Not found.'}, NotFound, 'not found: /api/plugins/proxbox/status/ (Not found.)'),
            (500, None, ApiError, 'NetBox answered HTTP 500: Internal Server Error'),
            (500, {'error': 'FOR UPDATE cannot be applied', 'exception': 'NotSupportedError'},
             ApiError, 'NetBox answered HTTP 500: NotSupportedError: FOR UPDATE cannot be applied'),
            (409, {'detail': 'busy'}, Conflict, 'busy'),
        ],
    )  # fmt: skip
    def test_status_codes(self, status: int, body: object, error: type[Exception], message: str) -> None:
        with _client(_answer(status, body)) as client, pytest.raises(error) as caught:
            client.status()
        assert type(caught.value) is error and message in str(caught.value)

    def test_field_errors(self) -> None:
        body = {'name': ['Proxmox endpoint with this name already exists.'], 'port': 'Ensure this value is <= 65535.'}
        with _client(_answer(400, body)) as client, pytest.raises(InvalidRequest) as caught:
            client.add_endpoint({'name': 'x'})
        assert caught.value.fields == {'name': ['Proxmox endpoint with this name already exists.'],
                                       'port': ['Ensure this value is <= 65535.']}  # fmt: skip
        assert 'name: Proxmox endpoint with this name already exists.' in str(caught.value)

    def test_a_running_sync(self) -> None:
        body = {'detail': 'A sync is already running.', 'run': 'http://nb/api/plugins/proxbox/sync-runs/12/'}
        with _client(_answer(409, body)) as client, pytest.raises(SyncAlreadyRunning) as caught:
            client.start_sync(endpoint_ids=None, dry_run=False, apply_run=None)
        assert caught.value.run_id == 12 and str(caught.value) == 'A sync is already running.'

    def test_a_running_sync_named_by_id(self) -> None:
        body = {'detail': 'Sync #3 is running.', 'run': 'http://nb/api/plugins/proxbox/sync-runs/3', 'run_id': 3}
        with _client(_answer(409, body)) as client, pytest.raises(SyncAlreadyRunning) as caught:
            client.start_sync(endpoint_ids=[1], dry_run=True, apply_run=None)
        assert caught.value.run_id == 3

    def test_connection_refused(self) -> None:
        def refuse(request: httpx.Request) -> httpx.Response:
            raise httpx.ConnectError('[Errno 111] Connection refused', request=request)

        with _client(refuse) as client, pytest.raises(ConnectionFailed) as caught:
            client.status()
        assert str(caught.value) == 'cannot reach NetBox at http://nb/: Connection refused'

    def test_untrusted_certificate_says_what_to_set(self) -> None:
        def tls(request: httpx.Request) -> httpx.Response:
            raise httpx.ConnectError('[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed', request=request)

        with _client(tls) as client, pytest.raises(ConnectionFailed, match='PROXBOX_CA_BUNDLE'):
            client.status()

    def test_html_instead_of_json(self) -> None:
        page = _answer(200, headers={'Content-Type': 'text/html'}, content=b'<html>login</html>')
        with _client(lambda r: page(r)) as client, pytest.raises(UnexpectedAnswer, match='text/html, not JSON'):
            client.status()

    def test_a_job_brief_without_an_id(self) -> None:
        from proxbox_cli.models import Job

        assert Job.model_validate({'url': 'http://nb/api/core/jobs/17/', 'status': {'value': 'running'}}).id == 17

    def test_a_wrong_shape(self) -> None:
        with _client(_answer(200, {'worker': 'yes'})) as client, pytest.raises(UnexpectedAnswer, match='status'):
            client.status()


class TestLists:
    """Lists follow NetBox's ``next`` links; endpoint names resolve or fail naming the known ones."""

    def test_pages(self) -> None:
        def handler(request: httpx.Request) -> httpx.Response:
            offset = int(request.url.params.get('offset', 0))
            rows = [{'id': offset + i, 'name': f'ep{offset + i}', 'host': 'h'} for i in (1, 2)]
            nxt = 'http://nb/api/plugins/proxbox/endpoints/proxmox/?limit=2&offset=2' if offset == 0 else None
            return httpx.Response(200, json={'count': 4, 'next': nxt, 'results': rows})

        with _client(handler) as client:
            assert [e.name for e in client.list_endpoints()] == ['ep1', 'ep2', 'ep3', 'ep4']

    def test_endpoint_by_name(self) -> None:
        plugin = FakePlugin()
        with _client(plugin.handle) as client:
            assert client.endpoint_by_name('bravo').id == 2
            with pytest.raises(NotFound, match=r"no Proxmox endpoint named 'x' \(known: alpha, bravo\)"):
                client.endpoint_by_name('x')


class TestEvents:
    """The stream yields typed events, resumes after a drop without repeating any, and gives up clearly."""

    def _started(self, plugin: FakePlugin, client: ProxboxClient) -> int:
        return client.start_sync(endpoint_ids=None, dry_run=False, apply_run=None).run.id

    def test_all_events_in_order(self) -> None:
        plugin = FakePlugin()
        with _client(plugin.handle) as client:
            run_id = self._started(plugin, client)
            events = list(client.events(run_id))
        assert [e.id for e in events] == list(range(1, len(plugin.events[run_id]) + 1))
        assert events[-1].name == 'run_finished' and events[-1].data['status'] == 'completed'

    def test_resumes_with_last_event_id(self) -> None:
        plugin = FakePlugin(drops=[3, 0, 4])
        with _client(plugin.handle) as client:
            run_id = self._started(plugin, client)
            events = list(client.events(run_id))
        assert [e.id for e in events] == list(range(1, len(plugin.events[run_id]) + 1))
        resumed = [r.headers.get('Last-Event-ID') for r in plugin.seen('GET', '/events/')]
        assert resumed == [None, '3', '3', '7']

    def test_a_cleanly_closed_connection_is_resumed_without_counting_as_a_failure(self) -> None:
        plugin = FakePlugin(cuts=[2, 0, 0, 0, 0, 0, 0, 3])  # more empty connections than stream_retries
        with _client(plugin.handle) as client:
            run_id = self._started(plugin, client)
            events = list(client.events(run_id))
        assert [e.id for e in events] == list(range(1, len(plugin.events[run_id]) + 1))
        assert {e.name for e in events} <= {'run_started', 'stage_started', 'stage_finished', 'warning', 'progress',
                                             'error', 'run_finished'}  # no event for `retry:` or comments  # fmt: skip

    def test_gives_up_after_the_retries(self) -> None:
        plugin = FakePlugin(drops=[0, 0, 0, 0])
        with _client(plugin.handle) as client:
            run_id = self._started(plugin, client)
            with pytest.raises(StreamBroken, match=f'lost the event stream of sync run {run_id}: connection reset'):
                list(client.events(run_id))
        assert len(plugin.seen('GET', '/events/')) == 3  # the first try and two retries

    def test_a_finished_run_without_run_finished_ends_the_stream(self) -> None:
        plugin = FakePlugin()

        def handler(request: httpx.Request) -> httpx.Response:
            if request.url.path.endswith('/events/'):
                body = b'id: 1\nevent: run_started\ndata: {}\n\n'
                return httpx.Response(200, headers={'Content-Type': 'text/event-stream'}, content=body)
            return plugin.handle(request)

        plugin.add_run('cancelled')
        with _client(handler) as client:
            assert [e.name for e in client.events(1)] == ['run_started']

    def test_not_an_event_stream(self) -> None:
        plugin = FakePlugin()
        plugin.add_run('running')

        def handler(request: httpx.Request) -> httpx.Response:
            if request.url.path.endswith('/events/'):
                return httpx.Response(200, json={'events': []})
            return plugin.handle(request)

        with _client(handler) as client, pytest.raises(UnexpectedAnswer, match='not an event stream'):
            list(client.events(1))

    def test_unknown_run(self) -> None:
        with _client(FakePlugin().handle) as client, pytest.raises(NotFound, match='No SyncRun matches'):
            list(client.events(99))

    def test_gateway_errors_are_retried(self) -> None:
        plugin = FakePlugin()
        calls = []

        def handler(request: httpx.Request) -> httpx.Response:
            if request.url.path.endswith('/events/') and not calls:
                calls.append(request)
                return httpx.Response(502, text='Bad Gateway')
            return plugin.handle(request)

        with _client(handler) as client:
            run_id = client.start_sync(endpoint_ids=None, dry_run=False, apply_run=None).run.id
            assert list(client.events(run_id))[-1].name == 'run_finished'

    def test_event_data_that_is_not_an_object(self) -> None:
        from proxbox_cli.models import RunEvent

        assert RunEvent.from_sse('4', 'warning', 'plain text').data == {'message': 'plain text'}
        assert RunEvent.from_sse('', 'x', json.dumps([1])).model_dump() == {
            'id': None,
            'name': 'x',
            'data': {'value': [1]},
        }

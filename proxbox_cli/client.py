"""Client for the Proxbox plugin's REST API in NetBox (``/api/plugins/proxbox/``).

Synchronous (pxb does one thing at a time) on an ``httpx.Client`` whose transport can be injected:
unit tests pass an ``httpx.MockTransport``, integration tests talk to a real NetBox. Every failure
is raised as one of the exceptions in :mod:`proxbox_cli.errors` (``ClientError`` and below), with a
message that says what is wrong and never contains the token. A run's event stream is followed
with ``Last-Event-ID`` and resumed after a dropped connection.
"""

import time
from collections.abc import Callable, Iterator, Mapping
from importlib import metadata
from typing import Any

import httpx
from httpx_sse import SSEError, connect_sse
from pydantic import BaseModel, ValidationError

from .errors import (
    ApiError,
    AuthenticationFailed,
    ConnectionFailed,
    InvalidRequest,
    NotFound,
    PermissionDenied,
    StreamBroken,
    SyncAlreadyRunning,
    UnexpectedAnswer,
)
from .errors import Conflict as ConflictError
from .models import EndpointTest, ProxmoxEndpoint, RunEvent, StatusReport, SyncRun, SyncStarted
from .settings import Settings

__all__ = ['API_ROOT', 'ProxboxClient']

API_ROOT = 'api/plugins/proxbox/'
_TRANSIENT = frozenset({502, 503, 504})
# NetBox answers a failed token authentication with 403 (not 401); these phrases tell it from a
# missing permission (netbox/api/authentication.py and DRF's NotAuthenticated).
_AUTH_HINTS = (
    'invalid v1 token',
    'invalid v2 token',
    'invalid authorization header',
    'token expired',
    'token disabled',
    'not permitted to authenticate',
    'client ip address could not be determined',
    'user inactive',
    'credentials were not provided',
)


def _user_agent() -> str:
    try:
        return f'pxb/{metadata.version("netbox-proxbox")}'
    except metadata.PackageNotFoundError:
        return 'pxb'


def _field_errors(body: Any) -> dict[str, list[str]]:
    if not isinstance(body, dict):
        return {}
    return {str(name): [str(e) for e in (errs if isinstance(errs, list) else [errs])] for name, errs in body.items()}


def _detail(body: Any) -> str:
    if isinstance(body, dict):
        detail = body.get('detail')
        if isinstance(detail, str):
            return detail
        if isinstance(body.get('error'), str):  # NetBox's answer to an unhandled exception
            return f'{body.get("exception", "error")}: {body["error"]}'
        return '; '.join(f'{name}: {" ".join(errors)}' for name, errors in _field_errors(body).items())
    if isinstance(body, list):
        return '; '.join(map(str, body))
    return str(body or '').strip()[:200]


def _body(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return response.text


def _connection_reason(exc: httpx.TransportError) -> str:
    text = str(exc) or type(exc).__name__
    if 'CERTIFICATE_VERIFY_FAILED' in text:
        return 'its TLS certificate is not trusted (set PROXBOX_CA_BUNDLE, or PROXBOX_VERIFY_TLS=false)'
    if isinstance(exc, httpx.TimeoutException):
        return 'no answer in time'
    return text.removeprefix('[Errno 111] ')


class ProxboxClient:
    """The Proxbox REST API of one NetBox. Use as a context manager (it owns its connections)."""

    def __init__(
        self,
        settings: Settings,
        *,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        stream_retries: int = 5,
        stream_read_timeout: float = 120.0,
    ) -> None:
        self.base_url = settings.netbox_url
        self._sleep, self._retries = sleep, stream_retries
        self._stream_timeout = httpx.Timeout(settings.timeout, read=stream_read_timeout)
        headers = {'Authorization': settings.token.header, 'Accept': 'application/json', 'User-Agent': _user_agent()}
        self._http = httpx.Client(
            base_url=settings.netbox_url,
            headers=headers,
            verify=settings.tls(),
            timeout=settings.timeout,
            transport=transport,
        )

    def __enter__(self) -> 'ProxboxClient':
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    # -- transport ----------------------------------------------------------------------------
    def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            return self._http.request(method, path, **kwargs)
        except httpx.TransportError as exc:
            raise ConnectionFailed(f'cannot reach NetBox at {self.base_url}: {_connection_reason(exc)}') from None

    def _check(self, response: httpx.Response) -> None:
        if response.is_success:
            return
        status, body = response.status_code, _body(response)
        detail = _detail(body) or response.reason_phrase
        if status == 401 or (status == 403 and any(hint in detail.lower() for hint in _AUTH_HINTS)):
            raise AuthenticationFailed(status, f'NetBox rejected the token: {detail}', body)
        if status == 403:
            raise PermissionDenied(status, f'permission denied: {detail}', body)
        if status == 404:
            raise NotFound(status, f'not found: {response.request.url.path} ({detail})', body)
        if status == 400:
            raise InvalidRequest(status, f'NetBox refused the request: {detail}', body, _field_errors(body))
        if status == 409:
            raise ConflictError(status, detail, body)
        raise ApiError(status, f'NetBox answered HTTP {status}: {detail}', body)

    def _json(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self._send(method, path, **kwargs)
        self._check(response)
        if response.status_code == 204 or not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            kind = response.headers.get('content-type', 'no content type')
            raise UnexpectedAnswer(
                f'{self.base_url} answered {kind}, not JSON, for {path}: is PROXBOX_NETBOX_URL the NetBox URL?'
            ) from None

    def _model[M: BaseModel](self, model: type[M], data: Any, what: str) -> M:
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            problems = '; '.join(
                f'{".".join(map(str, error["loc"])) or "answer"}: {error["msg"]}'
                for error in exc.errors(include_input=False, include_url=False)
            )
            raise UnexpectedAnswer(
                f'unexpected answer for {what} (is the Proxbox plugin up to date?): {problems}'
            ) from None

    def _pages(self, path: str, params: dict[str, Any]) -> Iterator[Any]:
        url: str | None = path
        query: dict[str, Any] | None = params
        while url:
            page = self._json('GET', url, params=query)
            if not isinstance(page, dict) or not isinstance(page.get('results'), list):
                raise UnexpectedAnswer(f'unexpected answer for {path}: not a NetBox list')
            yield from page['results']
            url, query = page.get('next'), None  # "next" carries the query itself

    # -- NetBox and services ------------------------------------------------------------------
    def netbox_version(self) -> str:
        data = self._json('GET', 'api/status/')
        return str(data.get('netbox-version', '?')) if isinstance(data, dict) else '?'

    def status(self) -> StatusReport:
        return self._model(StatusReport, self._json('GET', API_ROOT + 'status/'), 'status')

    # -- Proxmox endpoints --------------------------------------------------------------------
    def list_endpoints(self) -> list[ProxmoxEndpoint]:
        rows = self._pages(API_ROOT + 'endpoints/proxmox/', {'limit': 1000, 'ordering': 'name'})
        return [self._model(ProxmoxEndpoint, row, 'Proxmox endpoints') for row in rows]

    def endpoint_by_name(self, name: str) -> ProxmoxEndpoint:
        rows = list(self._pages(API_ROOT + 'endpoints/proxmox/', {'name': name}))
        if rows:
            return self._model(ProxmoxEndpoint, rows[0], 'Proxmox endpoint')
        known = ', '.join(endpoint.name for endpoint in self.list_endpoints()) or 'none'
        raise NotFound(404, f'no Proxmox endpoint named {name!r} (known: {known})')

    def add_endpoint(self, payload: dict[str, Any]) -> ProxmoxEndpoint:
        data = self._json('POST', API_ROOT + 'endpoints/proxmox/', json=payload)
        return self._model(ProxmoxEndpoint, data, 'the new Proxmox endpoint')

    def test_endpoint(self, endpoint_id: int) -> EndpointTest:
        data = self._json('POST', f'{API_ROOT}endpoints/proxmox/{endpoint_id}/test/')
        return self._model(EndpointTest, data, 'the endpoint test')

    # -- sync runs ----------------------------------------------------------------------------
    def start_sync(
        self,
        *,
        endpoint_ids: list[int] | None,
        dry_run: bool,
        apply_run: int | None,
        scope: Mapping[str, Any] | None = None,
    ) -> SyncStarted:
        body: dict[str, Any] = {'dry_run': dry_run, 'trigger': 'cli'}
        if endpoint_ids:
            body['endpoints'] = endpoint_ids
        if scope:
            body['scope'] = dict(scope)
        if apply_run is not None:
            body['apply_run'] = apply_run
        try:
            data = self._json('POST', API_ROOT + 'sync/', json=body)
        except ConflictError as exc:
            body = exc.body if isinstance(exc.body, dict) else {}
            running = SyncAlreadyRunning(exc.status, exc.detail, exc.body, run_url=body.get('run'))
            if isinstance(body.get('run_id'), int):
                running.run_id = body['run_id']
            raise running from None
        return self._model(SyncStarted, data, 'the new sync')

    def get_run(self, run_id: int) -> SyncRun:
        return self._model(SyncRun, self._json('GET', f'{API_ROOT}sync-runs/{run_id}/'), f'sync run {run_id}')

    def list_runs(self, *, limit: int, status: str | None = None) -> list[SyncRun]:
        params: dict[str, Any] = {'limit': limit, 'ordering': '-created', 'omit': 'plan,events'}
        if status:
            params['status'] = status
        page = self._json('GET', API_ROOT + 'sync-runs/', params=params)
        rows = page.get('results') if isinstance(page, dict) else None
        if not isinstance(rows, list):
            raise UnexpectedAnswer('unexpected answer for sync runs: not a NetBox list')
        return [self._model(SyncRun, row, 'sync runs') for row in rows]

    def cancel_run(self, run_id: int) -> None:
        try:
            self._json('POST', f'{API_ROOT}sync-runs/{run_id}/cancel/')
        except ConflictError as exc:
            raise ConflictError(exc.status, f'sync run {run_id} cannot be cancelled: {exc.detail}', exc.body) from None

    # -- event stream -------------------------------------------------------------------------
    def events(self, run_id: int, *, after: int | None = None) -> Iterator[RunEvent]:
        """The run's events from the one after ``after``, until ``run_finished`` or the run ends.

        The server may close a connection at any time (NetBox does every few minutes): pxb then
        reconnects with ``Last-Event-ID``. A broken connection is retried with back-off; after
        ``stream_retries`` broken ones in a row, :class:`StreamBroken` is raised.
        """
        last, failures = after, 0
        while True:
            received = False
            try:
                for event in self._stream_once(run_id, last):
                    if last is not None and event.id is not None and event.id <= last:
                        continue  # a server that resends the event named in Last-Event-ID
                    received, failures, last = True, 0, event.id if event.id is not None else last
                    yield event
                    if event.name == 'run_finished':
                        return
                reason = None
            except (httpx.TransportError, _Transient) as exc:
                reason = _connection_reason(exc) if isinstance(exc, httpx.TransportError) else str(exc)
            if self.get_run(run_id).is_finished:
                return
            if reason is None:  # closed cleanly: resume at once, or after a pause if it brought nothing
                if not received:
                    self._sleep(1.0)
                continue
            failures += 1
            if failures > self._retries:
                raise StreamBroken(f'lost the event stream of sync run {run_id}: {reason}')
            self._sleep(min(0.5 * 2**failures, 10.0))

    def _stream_once(self, run_id: int, last: int | None) -> Iterator[RunEvent]:
        headers = {'Last-Event-ID': str(last)} if last is not None else {}
        path = f'{API_ROOT}sync-runs/{run_id}/events/'
        try:
            with connect_sse(self._http, 'GET', path, headers=headers, timeout=self._stream_timeout) as source:
                response = source.response
                if response.status_code in _TRANSIENT:
                    raise _Transient(f'NetBox answered HTTP {response.status_code}')
                if not response.is_success:
                    response.read()
                    self._check(response)
                for sse in source.iter_sse():
                    if sse.data or sse.event != 'message':  # skip bare `retry:` and keep-alive blocks
                        yield RunEvent.from_sse(sse.id, sse.event, sse.data)
        except SSEError as exc:
            raise UnexpectedAnswer(f'the event stream of sync run {run_id} is not an event stream: {exc}') from None


class _Transient(Exception):
    """A gateway error on the stream: worth another try."""

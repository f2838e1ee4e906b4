"""Async Proxmox VE API client (httpx): token or ticket auth, retries with backoff, bounded concurrency.

Errors::

    ProxmoxError                      status, path; message never holds a secret, password or ticket
    ├── ProxmoxRequestError           4xx and deterministic answers: never retried
    │   ├── ProxmoxAuthError          401
    │   ├── ProxmoxPermissionError    403
    │   └── ProxmoxNotFound           404, 500 "... does not exist" / "hostname lookup ... failed"
    │       └── ProxmoxNotImplemented 501 (path absent in this PVE version)
    ├── ProxmoxServerError            other 5xx: retried with jittered exponential backoff
    │   └── ProxmoxGuestAgentError    500 from the QEMU guest agent: not retried
    ├── ProxmoxUnavailable
    │   ├── ProxmoxTimeout            retried
    │   ├── ProxmoxConnectionError    retried
    │   └── NodeUnreachable           595-599 (the proxied-to node is down): raised at once
    └── ProxmoxProtocolError          not a {"data": ...} JSON envelope

Pass ``transport=httpx.MockTransport(...)`` (or a whole ``http_client``) to test without a server.
"""

import asyncio
import random
import re
import ssl
import time
from collections.abc import Awaitable, Callable, Mapping
from types import TracebackType
from typing import Any, Self

import httpx

from ._auth import make_auth
from .errors import (
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
from .settings import ClientOptions, ProxmoxEndpoint

__all__ = ['ProxmoxClient']

Params = Mapping[str, str | int | float]
_NOT_FOUND_RE = re.compile(r'does not exist|hostname lookup .* failed|no such (resource|task)', re.IGNORECASE)
_AGENT_RE = re.compile(r'guest agent|is not running|Agent error', re.IGNORECASE)
_STATUS_ERRORS: dict[int, type[ProxmoxError]] = {
    401: ProxmoxAuthError,
    403: ProxmoxPermissionError,
    404: ProxmoxNotFound,
    501: ProxmoxNotImplemented,
}


def _verify(endpoint: ProxmoxEndpoint) -> ssl.SSLContext | bool:
    """TLS verification: on by default, against a CA bundle if given, off only when asked."""
    if not endpoint.verify_tls:
        return False
    if endpoint.ca_bundle is not None:
        return ssl.create_default_context(cafile=str(endpoint.ca_bundle))
    return True


def _error_text(response: httpx.Response) -> str:
    """PVE puts the message in the reason phrase; 8.4+ also in ``message``; 400s add ``errors``."""
    try:
        body = response.json()
    except ValueError:
        body = None
    body = body if isinstance(body, dict) else {}
    text = str(body.get('message') or response.reason_phrase or '').strip()
    errors = body.get('errors')
    if isinstance(errors, dict) and errors:
        text += ' (' + '; '.join(f'{k}: {v}' for k, v in errors.items()) + ')'
    return text


def _error_class(status: int, text: str) -> type[ProxmoxError]:
    if status in _STATUS_ERRORS:
        return _STATUS_ERRORS[status]
    if 595 <= status <= 599:
        return NodeUnreachable
    if status < 500:
        return ProxmoxRequestError
    if status == 500 and _NOT_FOUND_RE.search(text):
        return ProxmoxNotFound
    if status == 500 and _AGENT_RE.search(text):
        return ProxmoxGuestAgentError
    return ProxmoxServerError


class ProxmoxClient:
    """One Proxmox VE API endpoint. Use ``async with`` or call ``aclose()``.

    ``clock``, ``sleep`` and ``rng`` are injectable so tests control ticket age and backoff.
    """

    def __init__(
        self,
        endpoint: ProxmoxEndpoint,
        options: ClientOptions | None = None,
        *,
        http_client: httpx.AsyncClient | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self.endpoint = endpoint
        self.options = options or ClientOptions()
        self._owns_http = http_client is None
        self._http = http_client or httpx.AsyncClient(
            verify=_verify(endpoint), timeout=endpoint.timeout, transport=transport
        )
        self._base = endpoint.base_url.rstrip('/')
        self._secrets = endpoint.secrets()
        self._semaphore = asyncio.Semaphore(self.options.max_concurrency)
        self.sent = 0  # HTTP requests sent (retries and logins included)
        self._sleep, self._rng = sleep, rng or random.Random()
        self._auth = make_auth(endpoint, self.options, clock, self._login)

    def __repr__(self) -> str:
        return f'ProxmoxClient({self.endpoint.name!r}, {self._base!r})'

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._owns_http:
            await self._http.aclose()

    async def get(self, path: str, params: Params | None = None, *, retries: int | None = None) -> Any:
        """GET ``path`` (relative to ``/api2/json``) and return the unwrapped ``data``."""
        return await self.request('GET', path, params=params, retries=retries)

    async def post(self, path: str, data: Params | None = None) -> Any:
        return await self.request('POST', path, data=data)

    async def request(
        self, method: str, path: str, *, params: Params | None = None, data: Params | None = None,
        retries: int | None = None, authenticated: bool = True,
    ) -> Any:  # fmt: skip
        """Send with retries on retryable errors; ``retries`` overrides ``ClientOptions.max_retries``."""
        budget = self.options.max_retries if retries is None else retries
        attempt = 0
        while True:
            try:
                return await self._send_authenticated(method, path, params, data, authenticated)
            except ProxmoxError as exc:
                if not exc.retryable or attempt >= budget:
                    raise
            await self._sleep(self._backoff(attempt))
            attempt += 1

    def _backoff(self, attempt: int) -> float:
        """Exponential, bounded, with 'equal jitter' so many clients do not retry in step."""
        delay = min(self.options.backoff_max, self.options.backoff_base * 2.0**attempt)
        return delay / 2 + self._rng.random() * delay / 2

    async def _login(self, form: dict[str, str]) -> Any:
        return await self.request('POST', '/access/ticket', data=form, authenticated=False)

    async def _send_authenticated(
        self, method: str, path: str, params: Params | None, data: Params | None, authenticated: bool
    ) -> Any:
        if not authenticated:
            return self._unwrap(method, path, await self._send(method, path, params, data, {}))
        headers, generation = await self._auth.headers(method)
        response = await self._send(method, path, params, data, headers)
        if response.status_code == 401 and self._auth.can_relogin:
            self._auth.invalidate(generation)  # expired or revoked ticket: log in again, once
            headers, _ = await self._auth.headers(method)
            response = await self._send(method, path, params, data, headers)
        return self._unwrap(method, path, response)

    async def _send(
        self, method: str, path: str, params: Params | None, data: Params | None, headers: dict[str, str]
    ) -> httpx.Response:
        url = self._base + '/' + path.lstrip('/')
        self.sent += 1
        try:
            async with self._semaphore:
                return await self._http.request(method, url, params=params, data=data, headers=headers)
        except httpx.TimeoutException as exc:
            raise ProxmoxTimeout(self._redact(f'{method} {path}: timed out ({exc!s})'), path=path) from None
        except httpx.TransportError as exc:
            message = f'{method} {path}: connection failed: {type(exc).__name__}: {exc!s}'
            raise ProxmoxConnectionError(self._redact(message), path=path) from None

    def _unwrap(self, method: str, path: str, response: httpx.Response) -> Any:
        status = response.status_code
        if status >= 400 or status < 200:
            text = _error_text(response)
            error = _error_class(status, text)
            raise error(self._redact(f'{method} {path}: HTTP {status} {text}'.rstrip()), status=status, path=path)
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict) or 'data' not in body:
            raise ProxmoxProtocolError(f'{method} {path}: response is not a {{"data": ...}} envelope', path=path)
        return body['data']

    def _redact(self, text: str) -> str:
        secrets = (*self._secrets, getattr(self._auth, 'ticket', None) or '')
        for secret in secrets:
            if secret:
                text = text.replace(secret, '***')
        return text

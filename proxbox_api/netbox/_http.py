"""One HTTP exchange with NetBox, and the retry policy around it.

``Sender.send`` makes exactly one attempt and raises the client's exceptions; ``Sender.request``
retries it. Bulk writes drive their own retry loop (``_bulk``) because what may be resent depends
on which objects NetBox rejected or may already have written.
"""

import asyncio
import random
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import httpx

from ._auth import TokenAuth
from ._responses import error_for_response, error_for_transport, json_body
from .errors import NetBoxProtocolError, NetBoxUnavailable
from .settings import NetBoxClientOptions

__all__ = ['Params', 'Sender', 'api_path', 'decode']

Params = Mapping[str, str | int | float | bool]
Sleep = Callable[[float], Awaitable[None]]
_METHODS = ('GET', 'POST', 'PATCH', 'DELETE')


def api_path(path: str) -> str:
    """``dcim/sites``, ``/api/dcim/sites`` and ``/api/dcim/sites/`` all become ``/api/dcim/sites/``."""
    path = path.strip('/')
    if not path.startswith('api/') and path != 'api':
        path = 'api/' + path
    return '/' + path + '/'


class Sender:
    """Sends requests with the token, bounds concurrency (reads and writes apart) and counts them."""

    def __init__(
        self, base_url: str, auth: TokenAuth, http: httpx.AsyncClient, options: NetBoxClientOptions,
        sleep: Sleep, rng: random.Random,
    ) -> None:  # fmt: skip
        self.base = base_url
        self.auth = auth
        self.http = http
        self.options = options
        self.read_slot = asyncio.Semaphore(options.read_concurrency)
        self.write_slot = asyncio.Semaphore(options.write_concurrency)
        self.stats = dict.fromkeys((*_METHODS, 'retries'), 0)
        self._sleep, self._rng = sleep, rng

    async def send(
        self, method: str, path: str, *, params: Params | None = None, json: Any = None, slot: bool = True
    ) -> httpx.Response:
        """One attempt. ``slot=False`` when the caller already holds the matching semaphore."""
        if not slot:
            return await self._send(method, path, params, json)
        async with self.read_slot if method == 'GET' else self.write_slot:
            return await self._send(method, path, params, json)

    async def request(
        self, method: str, path: str, *, params: Params | None = None, json: Any = None, idempotent: bool = True
    ) -> Any:
        """Send with retries; an ambiguous failure of a non-idempotent request is raised, not resent."""
        attempt = 0
        while True:
            try:
                return decode(method, path, await self.send(method, path, params=params, json=json))
            except NetBoxUnavailable as exc:
                if attempt >= self.options.max_retries or (exc.ambiguous and not idempotent):
                    raise
                await self.pause(attempt, exc)
                attempt += 1

    async def pause(self, attempt: int, error: NetBoxUnavailable) -> None:
        """Sleep before retry ``attempt + 1``: jittered exponential backoff, at least the ``Retry-After``."""
        delay = min(self.options.backoff_max, self.options.backoff_base * 2.0**attempt)
        delay = delay / 2 + self._rng.random() * delay / 2  # 'equal jitter': clients do not retry in step
        if error.retry_after is not None:
            delay = max(delay, min(error.retry_after, self.options.retry_after_max))
        self.stats['retries'] += 1
        await self._sleep(delay)

    async def _send(self, method: str, path: str, params: Params | None, json: Any) -> httpx.Response:
        headers = {'Authorization': self.auth.header, 'Accept': 'application/json'}
        self.stats[method] = self.stats.get(method, 0) + 1
        try:
            response = await self.http.request(
                method, self.base + path, params=params, json=json, headers=headers
            )  # fmt: skip
        except httpx.TransportError as exc:
            raise error_for_transport(method, path, exc, self.auth.redact) from None
        if not 200 <= response.status_code < 300:
            raise error_for_response(method, path, response, self.auth.redact)
        return response


def decode(method: str, path: str, response: httpx.Response) -> Any:
    """The JSON body of a 2xx answer (``None`` for 204)."""
    if response.status_code == 204 or not response.content:
        return None
    body = json_body(response)
    if body is None:
        raise NetBoxProtocolError(f'{method} {path}: HTTP {response.status_code} response is not JSON', path=path)
    return body

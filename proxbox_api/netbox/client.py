"""Async NetBox REST API client (httpx): paged reads, batched bulk writes, retries, per-object outcomes.

Errors::

    NetBoxError                      status, path; the message never holds the token
    ├── NetBoxRequestError           4xx: never retried
    │   ├── NetBoxAuthError          401
    │   ├── NetBoxPermissionError    403 for the whole request (names the action and endpoint)
    │   ├── NetBoxNotFound           404
    │   └── NetBoxValidationError    400/409, or a 403 naming objects; .errors holds NetBox's per-object errors
    ├── NetBoxUnavailable            5xx, 429, network: retried with jittered backoff (>= Retry-After)
    │   └── NetBoxTimeout            .ambiguous when NetBox may have applied the request
    └── NetBoxProtocolError          the answer is not JSON

``bulk_create`` / ``bulk_update`` / ``bulk_delete`` never raise for a failed object or batch: they
return one ``WriteResult`` per object, in the caller's order. Pass ``transport=httpx.MockTransport(...)``
(or a whole ``http_client``) to test without a server.
"""

import asyncio
import builtins
import random
import ssl
from collections.abc import Awaitable, Callable, Hashable, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import httpx

from ._apply import APPLY_PATH, ApplyWrite
from ._auth import TokenAuth
from ._bulk import BulkWrite, Item, Kind
from ._http import Params, Sender, api_path
from .errors import NetBoxNotFound, NetBoxPermissionError
from .results import Recover, WriteResult
from .settings import NetBoxClientOptions

__all__ = ['NetBoxClient', 'NetBoxClientOptions', 'Recover', 'WriteResult']

Obj = dict[str, Any]
_MAX_MESSAGE = 200  # core.ObjectChange.message is a varchar(200)


def _verify(verify: bool | str | Path) -> ssl.SSLContext | bool:
    """TLS verification: on by default, against a CA bundle when given a path, off only when asked."""
    if isinstance(verify, bool):
        return verify
    return ssl.create_default_context(cafile=str(verify))


def _base_url(url: str) -> str:
    """``https://nb.example/``, ``https://nb.example/api`` -> ``https://nb.example`` (paths add ``/api/``)."""
    base = url.strip().rstrip('/')
    return base.removesuffix('/api')


def _message(changelog_message: str) -> str:
    if not changelog_message.strip() or len(changelog_message) > _MAX_MESSAGE:
        raise ValueError(f'changelog_message must be 1-{_MAX_MESSAGE} characters (NetBox stores at most 200)')
    return changelog_message


class NetBoxClient:
    """One NetBox instance, as the sync user. Use ``async with`` or call ``aclose()``.

    ``token`` is a v2 ``nbt_<key>.<token>`` (sent as ``Bearer``) or a 40-character v1 token (``Token``).
    ``sleep`` and ``rng`` are injectable so tests control backoff.
    """

    def __init__(
        self,
        url: str,
        token: str,
        *,
        verify: bool | str | Path = True,
        timeout: float = 120.0,
        options: NetBoxClientOptions | None = None,
        http_client: httpx.AsyncClient | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self.options = options or NetBoxClientOptions()
        self.url = _base_url(url)
        auth = TokenAuth(token)
        self._owns_http = http_client is None
        http = http_client or httpx.AsyncClient(verify=_verify(verify), timeout=timeout, transport=transport)
        self._sender = Sender(self.url, auth, http, self.options, sleep, rng or random.Random())
        # Bulk writes go through the plugin's in-NetBox apply instead of NetBox's REST bulk endpoints.
        self.inside = False

    def __repr__(self) -> str:
        return f'NetBoxClient({self.url!r})'

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._owns_http:
            await self._sender.http.aclose()

    @property
    def stats(self) -> dict[str, int]:
        """Requests sent, by method, and retries (whole-batch or single-request) since the client was made."""
        return dict(self._sender.stats)

    def redact(self, text: str) -> str:
        """``text`` with the token removed, for callers that log NetBox's answers themselves."""
        return self._sender.auth.redact(text)

    # --- reads -------------------------------------------------------------------------------

    async def status(self) -> Obj:
        """GET /api/status/ (NetBox, Django and plugin versions, workers running)."""
        body = await self.get('status')
        return body if isinstance(body, dict) else {}

    async def get(self, path: str, params: Params | None = None) -> Any:
        return await self._sender.request('GET', api_path(path), params=params)

    async def list(
        self, path: str, params: Params | None = None, *, fields: Sequence[str] | None = None
    ) -> builtins.list[Obj]:
        """Every object of a list endpoint: the first page, then the rest concurrently, in order.

        ``fields`` asks NetBox for only those fields (``?fields=``). Pages are ordered by ``id`` unless
        ``params`` sets ``ordering``, so concurrent offsets neither skip nor repeat objects.
        """
        return await self.map(path, _same, params, fields=fields)

    async def map[T](
        self, path: str, transform: Callable[[Obj], T], params: Params | None = None, *,
        fields: Sequence[str] | None = None,
    ) -> builtins.list[T]:  # fmt: skip
        """Like ``list``, with ``transform`` applied to each object as its page arrives.

        A page's JSON is dropped once it is transformed, so reading 100,000 objects into compact records
        holds at most ``read_concurrency`` pages of JSON at a time, never the whole answer.
        """
        query: dict[str, str | int | float | bool] = {'ordering': 'id', **(params or {})}
        if fields:
            query['fields'] = ','.join(dict.fromkeys(fields))
        path = api_path(path)
        first = await self._page(path, query, 0, self.options.page_size)
        rows = first.get('results') or []
        count = int(first.get('count') or 0)
        # NetBox clamps limit to its MAX_PAGE_SIZE: step by what actually came back.
        step = len(rows) if 0 < len(rows) < min(count, self.options.page_size) else self.options.page_size
        results = [transform(row) for row in rows]
        del first, rows

        async def page(offset: int) -> builtins.list[T]:
            body = await self._page(path, query, offset, step)
            return [transform(row) for row in body.get('results') or []]

        for done in await asyncio.gather(*(page(offset) for offset in range(step, count, step))):
            results.extend(done)
        return results

    async def _page(self, path: str, query: Mapping[str, str | int | float | bool], offset: int, limit: int) -> Obj:
        body = await self._sender.request('GET', path, params={**query, 'limit': limit, 'offset': offset})
        return body if isinstance(body, dict) else {}

    async def inside_capability(self) -> Obj | None:
        """The plugin's in-NetBox apply (``GET /api/plugins/proxbox/apply/``), or None when this NetBox has none
        (no plugin, an older one) or the token may not see it."""
        try:
            body = await self._sender.request('GET', APPLY_PATH)
        except (NetBoxNotFound, NetBoxPermissionError):
            return None
        version = body.get('version') if isinstance(body, dict) else None
        return body if isinstance(version, int) and version >= 1 else None

    def _bulk(self, kind: Kind, path: str, recover: Recover | None = None) -> BulkWrite:
        writer = ApplyWrite if self.inside else BulkWrite
        return writer(self._sender, kind, api_path(path), recover)

    # --- single writes -----------------------------------------------------------------------

    async def post(self, path: str, data: Obj, *, changelog_message: str | None = None) -> Any:
        """Create one object. Not resent after an ambiguous failure (it could be created twice)."""
        body = self._with_message(data, changelog_message)
        return await self._sender.request('POST', api_path(path), json=body, idempotent=False)

    async def patch(self, path: str, data: Obj, *, changelog_message: str | None = None) -> Any:
        return await self._sender.request('PATCH', api_path(path), json=self._with_message(data, changelog_message))

    async def delete(self, path: str, *, changelog_message: str | None = None) -> None:
        body = self._with_message({}, changelog_message) or None
        await self._sender.request('DELETE', api_path(path), json=body)

    # --- bulk writes -------------------------------------------------------------------------

    async def bulk_create(
        self,
        path: str,
        objects: Sequence[Obj],
        *,
        changelog_message: str,
        recover: Recover | None = None,
        groups: Sequence[Hashable] | None = None,
    ) -> builtins.list[WriteResult]:
        """POST ``objects`` in batches. See ``Recover`` for what happens when a batch's fate is unknown.
        ``groups`` (one per object, equal ones adjacent): objects of a group go in the same batch."""
        message = _message(changelog_message)
        items = [Item(i, {**obj, 'changelog_message': message}, obj) for i, obj in enumerate(objects)]
        return await self._bulk('create', path, recover).run(items, groups)

    async def bulk_update(
        self,
        path: str,
        objects_with_id: Sequence[Obj],
        *,
        changelog_message: str,
        groups: Sequence[Hashable] | None = None,
    ) -> builtins.list[WriteResult]:
        """PATCH ``objects_with_id`` (each with an integer ``id``) in batches; resending is idempotent."""
        message = _message(changelog_message)
        items = [
            Item(i, {**obj, 'changelog_message': message}, obj, _require_id(obj))
            for i, obj in enumerate(objects_with_id)
        ]
        return await self._bulk('update', path).run(items, groups)

    async def bulk_delete(
        self, path: str, ids: Sequence[int], *, changelog_message: str, groups: Sequence[Hashable] | None = None
    ) -> builtins.list[WriteResult]:
        """DELETE ``ids`` in batches. An ID that no longer exists counts as done (``ok``, status 404)."""
        message = _message(changelog_message)
        items = [Item(i, {'id': oid, 'changelog_message': message}, {'id': oid}, oid) for i, oid in enumerate(ids)]
        return await self._bulk('delete', path).run(items, groups)

    @staticmethod
    def _with_message(data: Obj, changelog_message: str | None) -> Obj:
        return data if changelog_message is None else {**data, 'changelog_message': _message(changelog_message)}


def _same(obj: Obj) -> Obj:
    return obj


def _require_id(obj: Obj) -> int:
    oid = obj.get('id')
    if not isinstance(oid, int) or isinstance(oid, bool):
        raise ValueError('bulk_update: every object needs an integer "id"')
    return oid

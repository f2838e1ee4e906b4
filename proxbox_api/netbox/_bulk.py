"""Bulk writes: batches, bounded concurrency, whole-batch retries and per-object outcomes.

NetBox 4.7 applies a bulk POST/PATCH/DELETE atomically: one bad object rolls the batch back with a
400/403/409 naming each bad object by ``index`` (its position in the request) or ``id``. A batch is
therefore a loop: send the pending objects; drop the ones NetBox named (failed, or for a delete of
an object that no longer exists, gone) and resend the rest; retry the whole batch on 5xx/429/network
failures; stop at the first success, a whole-request refusal, or when nothing is left.
"""

import asyncio
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import httpx

from ._http import Sender, decode
from .errors import (
    NetBoxAuthError,
    NetBoxError,
    NetBoxPermissionError,
    NetBoxProtocolError,
    NetBoxUnavailable,
    NetBoxValidationError,
)
from .results import Recover, WriteResult

__all__ = ['BulkWrite', 'Item']

Kind = Literal['create', 'update', 'delete']
_METHOD: dict[Kind, str] = {'create': 'POST', 'update': 'PATCH', 'delete': 'DELETE'}
# Read-only fields NetBox renders in every answer to a POST or PATCH (links, counts, config context:
# reverse URL lookups and a subquery per object) that the client never reads back. ``?omit=`` them:
# NetBox ignores names a model does not have, and omitting read-only fields leaves the input alone.
SLIM_OMIT = (
    'url', 'display_url', 'display', 'created', 'last_updated', 'config_context', 'interface_count',
    'virtual_disk_count', 'count_ipaddresses', 'count_fhrp_groups', 'mac_addresses', 'l2vpn_termination',
    'device_count', 'virtualmachine_count',
)  # fmt: skip
AMBIGUOUS_CREATE = 'may have been created (the request failed after it was sent); will reconcile on next sync'


@dataclass(frozen=True, slots=True)
class Item:
    """One object of the caller's list: its position, the body to send, and (update/delete) its ID."""

    index: int
    payload: dict[str, Any]
    original: dict[str, Any]
    key: int | None = None


@dataclass
class BulkWrite:
    """One bulk call: every batch shares the endpoint and stops sending after a 401 or a 403."""

    sender: Sender
    kind: Kind
    path: str
    recover: Recover | None = None
    refused: NetBoxError | None = field(default=None, init=False)

    async def run(self, items: list[Item], groups: Sequence[Hashable] | None = None) -> list[WriteResult]:
        chains = _chains(items, self.sender.options.batch_size, groups)
        done = await asyncio.gather(*(self._chain(chain) for chain in chains))
        return sorted((result for results in done for result in results), key=lambda result: result.index)

    async def _chain(self, batches: list[list[Item]]) -> list[WriteResult]:
        """Batches sent one after the other (the pieces of a group larger than a batch)."""
        results: list[WriteResult] = []
        for batch in batches:
            results += await self._batch(batch)
        return results

    async def _batch(self, items: list[Item]) -> list[WriteResult]:
        results: dict[int, WriteResult] = {}
        pending, attempt = items, 0
        while pending:
            try:
                response = await self._send(pending)
            except NetBoxValidationError as exc:
                pending = self._drop_named(pending, exc, results) if exc.errors else self._fail(pending, exc, results)
            except NetBoxUnavailable as exc:
                pending = await self._unavailable(pending, exc, attempt, results)
                if pending:
                    await self.sender.pause(attempt, exc)
                    attempt += 1
            except NetBoxError as exc:
                if isinstance(exc, NetBoxAuthError | NetBoxPermissionError):
                    self.refused = self.refused or exc
                pending = self._fail(pending, exc, results)
            else:
                self._record(pending, response, results)
                pending = []
        return [results[item.index] for item in items]

    async def _send(self, pending: list[Item]) -> httpx.Response:
        async with self.sender.write_slot:
            self._check_refused()
            body = [item.payload for item in pending]
            method, params = _METHOD[self.kind], self._params(body)
            return await self.sender.send(method, self.path, params=params, json=body, slot=False)

    def _check_refused(self) -> None:
        """Called inside the write slot: batches queued behind a 401 or 403 never go out."""
        if self.refused is not None:
            raise type(self.refused)(f'not sent: {self.refused.message}', status=self.refused.status, path=self.path)

    def _params(self, body: list[dict[str, Any]]) -> dict[str, str] | None:
        if self.kind == 'delete' or not self.sender.options.slim_answers:
            return None
        sent = {key for item in body for key in item}
        return {'omit': ','.join(name for name in SLIM_OMIT if name not in sent)}

    async def _unavailable(
        self, pending: list[Item], exc: NetBoxUnavailable, attempt: int, results: dict[int, WriteResult]
    ) -> list[Item]:
        """What is left to resend after a 5xx/429/network failure (empty: give up on the batch)."""
        if exc.ambiguous and self.kind == 'create':
            if self.recover is None:
                return self._fail(pending, exc, results, f'{AMBIGUOUS_CREATE}: {exc.message}')
            pending = await self._recovered(pending, exc, results)
        if pending and attempt >= self.sender.options.max_retries:
            return self._fail(pending, exc, results, f'gave up after {attempt + 1} attempts: {exc.message}')
        return pending

    async def _recovered(
        self, pending: list[Item], exc: NetBoxUnavailable, results: dict[int, WriteResult]
    ) -> list[Item]:
        """Ask the engine which objects were in fact created; those are done, the rest are resent."""
        assert self.recover is not None
        try:
            found = await self.recover([dict(item.original) for item in pending])
            if len(found) != len(pending):
                raise ValueError(f'recover returned {len(found)} results for {len(pending)} objects')
        except Exception as err:  # a broken callback fails its batch, not the run
            reason = f'{AMBIGUOUS_CREATE}: {exc.message} (recover failed: {type(err).__name__}: {err})'
            return self._fail(pending, exc, results, self.sender.auth.redact(reason))
        rest = []
        for item, obj in zip(pending, found, strict=True):
            if obj is None:
                rest.append(item)
            else:
                results[item.index] = WriteResult(item.index, True, id=_id(obj), data=obj)
        return rest

    def _drop_named(
        self, pending: list[Item], exc: NetBoxValidationError, results: dict[int, WriteResult]
    ) -> list[Item]:
        """Settle the objects NetBox named; the rest were rolled back with them and are resent."""
        named: set[int] = set()
        for error in exc.errors:
            for position in _positions(pending, error.index, error.id):
                named.add(position)
                item = pending[position]
                if self.kind == 'delete' and _is_missing(error.fields):
                    results[item.index] = WriteResult(item.index, True, id=item.key, status=404)
                else:
                    results[item.index] = WriteResult(item.index, False, id=item.key, error=error.message,
                                                      status=exc.status)  # fmt: skip
        if not named:  # NetBox named nothing we sent: resending the same batch would loop
            return self._fail(pending, exc, results)
        return [item for position, item in enumerate(pending) if position not in named]

    def _fail(
        self, pending: list[Item], exc: NetBoxError, results: dict[int, WriteResult], reason: str | None = None
    ) -> list[Item]:
        for item in pending:
            results[item.index] = WriteResult(item.index, False, id=item.key, error=reason or exc.message,
                                              status=exc.status)  # fmt: skip
        return []

    def _record(self, pending: list[Item], response: httpx.Response, results: dict[int, WriteResult]) -> None:
        try:
            body = decode(_METHOD[self.kind], self.path, response)
        except NetBoxProtocolError:  # written (2xx) but unreadable: still written, just without the objects
            body = None
        objects = body if isinstance(body, list) else []
        by_id = {_id(obj): obj for obj in objects if isinstance(obj, dict)}
        positional = self.kind == 'create' and len(objects) == len(pending)  # created in request order
        for position, item in enumerate(pending):
            obj = objects[position] if positional else by_id.get(item.key)
            obj = obj if isinstance(obj, dict) else None
            oid = _id(obj) if obj is not None else item.key
            results[item.index] = WriteResult(item.index, True, id=oid, data=obj, status=response.status_code)


def _chains(items: list[Item], size: int, groups: Sequence[Hashable] | None) -> list[list[list[Item]]]:
    """Batches of at most ``size`` items, each in a chain of batches sent one after the other; chains
    go side by side. With ``groups`` (one per item, equal ones adjacent), a group never straddles two
    batches that may be in flight together: it fits in one batch, or (larger than a batch) its pieces
    form one chain. NetBox keeps some totals on the parent (a VM's disk size is the sum of its disks,
    recomputed by a signal in each write's transaction), and two concurrent transactions holding
    children of one parent leave it wrong."""
    if groups is None:
        return [[items[i : i + size]] for i in range(0, len(items), size)]
    runs: list[list[Item]] = []
    for index, item in enumerate(items):
        if index and groups[index] == groups[index - 1]:
            runs[-1].append(item)
        else:
            runs.append([item])
    chains: list[list[list[Item]]] = []
    current: list[Item] = []
    for run in runs:
        if len(run) > size:
            chains.append([run[i : i + size] for i in range(0, len(run), size)])
            continue
        if len(current) + len(run) > size:
            chains.append([current])
            current = []
        current.extend(run)
    if current:
        chains.append([current])
    return chains


def _positions(pending: list[Item], index: int | None, oid: int | None) -> list[int]:
    if index is not None:
        return [index] if 0 <= index < len(pending) else []
    return [position for position, item in enumerate(pending) if oid is not None and item.key == oid]


def _is_missing(fields: dict[str, Any]) -> bool:
    """NetBox's ``{"id": ["Object with ID 7 does not exist"]}``: the object is already gone."""
    return set(fields) == {'id'} and 'does not exist' in str(fields['id'])


def _id(obj: dict[str, Any] | None) -> int | None:
    value = (obj or {}).get('id')
    return value if isinstance(value, int) else None

"""``apply(plan)``: execute a plan through NetBox's bulk REST endpoints and record each outcome.

Kinds go in dependency order (creates, then updates and marks); deletes go last, children
first. References to objects created in this run are resolved as their ids become known; an
object whose reference could not be resolved (its target failed) fails with that reason, and
nothing else does. Writes carry the run's change-log message.

An ``Applier`` can also run a plan in stages (a subset of kinds at a time, e.g. the inventory,
then each data-protection family), sharing what earlier stages created.
"""

import builtins
from collections import defaultdict
from collections.abc import Awaitable, Callable, Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from ..netbox import WriteResult
from .kinds import KIND_ORDER, KindSpec, kind_spec
from .plan import Operation, Plan

__all__ = ['Applier', 'ApplyResult', 'NetBoxWriter', 'Outcome', 'ProgressCallback', 'apply']

ProgressCallback = Callable[[str, int, int], Awaitable[None]]


class NetBoxWriter(Protocol):
    async def list(
        self, path: str, params: Mapping[str, Any] | None = None, *, fields: Sequence[str] | None = None
    ) -> builtins.list[dict[str, Any]]: ...

    async def bulk_create(
        self,
        path: str,
        objects: Sequence[dict[str, Any]],
        *,
        changelog_message: str,
        recover: Any = None,
        groups: Sequence[Hashable] | None = None,
    ) -> builtins.list[WriteResult]: ...

    async def bulk_update(
        self,
        path: str,
        objects_with_id: Sequence[dict[str, Any]],
        *,
        changelog_message: str,
        groups: Sequence[Hashable] | None = None,
    ) -> builtins.list[WriteResult]: ...

    async def bulk_delete(
        self, path: str, ids: Sequence[int], *, changelog_message: str, groups: Sequence[Hashable] | None = None
    ) -> builtins.list[WriteResult]: ...


@dataclass(frozen=True, slots=True)
class Outcome:
    kind: str
    key: str
    action: str
    ok: bool
    id: int | None = None
    error: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            'kind': self.kind,
            'key': self.key,
            'action': self.action,
            'ok': self.ok,
            'id': self.id,
            'error': self.error,
        }


@dataclass
class ApplyResult:
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def failed(self) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if not outcome.ok]

    def counts(self) -> dict[str, dict[str, int]]:
        result: dict[str, dict[str, int]] = {}
        for outcome in self.outcomes:
            bucket = result.setdefault(outcome.kind, {})
            name = _PAST[outcome.action] if outcome.ok else 'failed'
            bucket[name] = bucket.get(name, 0) + 1
        return result

    def totals(self, start: int = 0) -> dict[str, int]:
        """created/updated/marked/deleted/failed over every kind, from outcome ``start`` on."""
        result: dict[str, int] = {}
        for outcome in self.outcomes[start:]:
            name = _PAST[outcome.action] if outcome.ok else 'failed'
            result[name] = result.get(name, 0) + 1
        return result


_PAST = {'create': 'created', 'update': 'updated', 'mark': 'marked', 'delete': 'deleted'}


class _Unresolved(Exception):
    pass


def _payload_value(name: str, value: Any, ids: Mapping[tuple[str, str], int]) -> Any:
    if isinstance(value, dict) and set(value) == {'$ref'}:
        kind, key = value['$ref']
        found = ids.get((kind, key))
        if found is None:
            raise _Unresolved(f'depends on {key}, which was not written')
        return found
    if name == 'tags':
        return [{'slug': slug} for slug in value]
    if isinstance(value, list):
        return [_payload_value('', item, ids) for item in value]
    return value


class Applier:
    """Writes plans, or parts of one; ``result`` gathers every outcome so far."""

    def __init__(self, client: NetBoxWriter, message: str, progress: ProgressCallback | None = None) -> None:
        self.client, self.message, self.progress = client, message, progress
        self.ids: dict[tuple[str, str], int] = {}
        self.result = ApplyResult()
        self._started = 0
        self._total = 0

    def payload(self, op: Operation) -> dict[str, Any]:
        return {name: _payload_value(name, value, self.ids) for name, value in op.attrs.items()}

    def record(self, op: Operation, ok: bool, oid: int | None = None, error: str | None = None) -> None:
        self.result.outcomes.append(Outcome(op.kind, op.key, op.action, ok, oid, error))
        if ok and oid is not None and op.action == 'create':
            self.ids[(op.kind, op.key)] = oid

    def _prepare(self, ops: Sequence[Operation], with_id: bool) -> list[tuple[Operation, dict[str, Any]]]:
        ready = []
        for op in ops:
            try:
                body = self.payload(op)
                oid = op.id if op.id is not None else self.ids.get((kind_spec(op.kind).base or op.kind, op.key))
                if with_id and oid is None:
                    raise _Unresolved(f'{op.key} was not created')
            except _Unresolved as exc:
                self.record(op, False, error=str(exc))
                continue
            ready.append((op, {**body, 'id': oid} if with_id else body))
        return ready

    async def _report(self, kind: str) -> None:
        if self.progress is not None:
            await self.progress(kind, len(self.result.outcomes) - self._started, self._total)

    async def write(self, kind: str, action: Literal['create', 'update'], ops: Sequence[Operation]) -> None:
        spec = kind_spec(kind)
        ready = self._prepare(_by_group(spec, ops), with_id=action == 'update')
        if not ready:
            return
        bodies = [body for _, body in ready]
        groups = [spec.batch_group(op.key) for op, _ in ready] if spec.same_batch else None
        if action == 'create':
            results = await self.client.bulk_create(
                spec.path, bodies, changelog_message=self.message, recover=_recover(self.client, spec), groups=groups
            )
        else:
            results = await self.client.bulk_update(spec.path, bodies, changelog_message=self.message, groups=groups)
        res: WriteResult
        for (op, _), res in zip(ready, results, strict=True):
            self.record(op, res.ok, res.id or op.id, res.error)

    async def delete(self, kind: str, ops: Sequence[Operation]) -> None:
        spec = kind_spec(kind)
        ops = _by_group(spec, ops)
        ids = [op.id for op in ops if op.id is not None]
        groups = [spec.batch_group(op.key) for op in ops] if spec.same_batch else None
        results = await self.client.bulk_delete(spec.path, ids, changelog_message=self.message, groups=groups)
        result: WriteResult
        for op, result in zip(ops, results, strict=True):
            self.record(op, result.ok, op.id, result.error)

    async def run(self, plan: Plan, kinds: Collection[str] | None = None) -> ApplyResult:
        """Write the plan's operations on ``kinds`` (all by default); returns every outcome so far."""
        by_kind: dict[str, dict[str, list[Operation]]] = defaultdict(lambda: defaultdict(list))
        for op in plan.operations:
            if kinds is None or op.kind in kinds:
                group = 'update' if op.action == 'mark' else op.action
                by_kind[op.kind][group].append(op)
        order = sorted(by_kind, key=lambda kind: KIND_ORDER[kind])
        self._started = len(self.result.outcomes)
        self._total = sum(len(ops) for groups in by_kind.values() for name, ops in groups.items() if name in _PAST)
        for kind in order:
            await self.write(kind, 'create', by_kind[kind]['create'])
            await self.write(kind, 'update', by_kind[kind]['update'])
            await self._report(kind)
        for kind in reversed(order):
            if by_kind[kind]['delete']:
                await self.delete(kind, by_kind[kind]['delete'])
                await self._report(kind)
        return self.result


def _by_group(spec: KindSpec, ops: Sequence[Operation]) -> Sequence[Operation]:
    """The operations with each batch group's together (stable), for kinds written group by group."""
    return sorted(ops, key=lambda op: spec.batch_group(op.key)) if spec.same_batch else ops


def _recover(client: NetBoxWriter, spec: KindSpec) -> Callable[[list[dict[str, Any]]], Awaitable[list[Any]]]:
    """After an ambiguous bulk create: find which objects NetBox did create, by their Proxmox identity
    (``proxbox_id``), or for the shared lookup objects (tags, roles, ...) by their slug."""
    by_slug = spec.identity == 'shared' and spec.natural == ('slug',)

    def identity(obj: dict[str, Any]) -> Any:
        return obj.get('slug') if by_slug else (obj.get('custom_fields') or {}).get('proxbox_id')

    async def recover(objects: list[dict[str, Any]]) -> list[dict[str, Any] | None]:
        wanted = [identity(obj) for obj in objects]
        found: dict[str, dict[str, Any]] = {}
        keys_ = [key for key in wanted if key]
        if keys_:
            for row in await client.list(spec.path, {'slug' if by_slug else 'cf_proxbox_id': keys_}):
                found[str(identity(row))] = row
        return [found.get(key) if key else None for key in wanted]

    return recover


async def apply(
    plan: Plan, client: NetBoxWriter, *, changelog_message: str, progress: ProgressCallback | None = None
) -> ApplyResult:
    """Write the plan's creates, updates, marks and deletes; return one outcome per operation."""
    return await Applier(client, changelog_message, progress).run(plan)

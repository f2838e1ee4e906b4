"""The floor: how long NetBox itself takes to bulk-write the objects a first sync writes.

The payloads are the first sync's own: a dry run against the same empty NetBox gives the plan, and
the plan is written through ``apply`` with a writer that times only the bulk calls. References
(a VM's cluster, an interface's VM) are resolved between calls, before the clock starts, so what is
timed is NetBox answering POSTs and PATCHes of ready bodies with the sync's batch size and write
concurrency, in the same dependency order. Reading Proxmox, reading NetBox and planning are not in
the floor: they are what a sync adds to it.
"""

import builtins
import time
from collections.abc import Hashable, Mapping, Sequence
from typing import Any

from proxbox_api.engine import apply
from proxbox_api.engine.kinds import KINDS
from proxbox_api.engine.plan import Plan
from proxbox_api.netbox import NetBoxClient, NetBoxClientOptions, Recover, WriteResult

__all__ = ['TimedWriter', 'delete_created', 'measure_floor']

MESSAGE = 'Proxbox benchmark: floor'


class TimedWriter:
    """Passes every call to a ``NetBoxClient`` and adds up the time spent in bulk writes, per path."""

    def __init__(self, client: NetBoxClient) -> None:
        self.client = client
        self.seconds = 0.0
        self.by_path: dict[str, dict[str, float]] = {}

    def _add(self, path: str, action: str, count: int, seconds: float) -> None:
        self.seconds += seconds
        entry = self.by_path.setdefault(f'{action} {path}', {'objects': 0, 'seconds': 0.0})
        entry['objects'] += count
        entry['seconds'] = round(entry['seconds'] + seconds, 3)

    async def list(
        self, path: str, params: Mapping[str, Any] | None = None, *, fields: Sequence[str] | None = None
    ) -> builtins.list[dict[str, Any]]:
        return await self.client.list(path, params, fields=fields)

    async def bulk_create(
        self,
        path: str,
        objects: Sequence[dict[str, Any]],
        *,
        changelog_message: str,
        recover: Recover | None = None,
        groups: Sequence[Hashable] | None = None,
    ) -> builtins.list[WriteResult]:
        started = time.perf_counter()
        results = await self.client.bulk_create(
            path, objects, changelog_message=changelog_message, recover=recover, groups=groups
        )
        self._add(path, 'create', len(objects), time.perf_counter() - started)
        return results

    async def bulk_update(
        self,
        path: str,
        objects_with_id: Sequence[dict[str, Any]],
        *,
        changelog_message: str,
        groups: Sequence[Hashable] | None = None,
    ) -> builtins.list[WriteResult]:
        started = time.perf_counter()
        results = await self.client.bulk_update(
            path, objects_with_id, changelog_message=changelog_message, groups=groups
        )
        self._add(path, 'update', len(objects_with_id), time.perf_counter() - started)
        return results

    async def bulk_delete(
        self, path: str, ids: Sequence[int], *, changelog_message: str, groups: Sequence[Hashable] | None = None
    ) -> builtins.list[WriteResult]:
        started = time.perf_counter()
        results = await self.client.bulk_delete(path, ids, changelog_message=changelog_message, groups=groups)
        self._add(path, 'delete', len(ids), time.perf_counter() - started)
        return results


async def delete_created(url: str, token: str, options: NetBoxClientOptions, created: Mapping[str, list[int]]) -> None:
    """Delete what the floor created, children first (for runs that share one NetBox with the sync)."""
    async with NetBoxClient(url, token, options=options) as client:
        for spec in reversed(KINDS):
            ids = created.get(spec.kind)
            if ids and not spec.is_phase:
                await client.bulk_delete(spec.path, ids, changelog_message=MESSAGE)


def _requests(stats: Mapping[str, int]) -> dict[str, int]:
    methods = {name: count for name, count in stats.items() if count and name != 'retries'}
    return {**methods, 'total': sum(methods.values()), 'retries': stats.get('retries', 0)}


async def measure_floor(
    plan: Plan, url: str, token: str, options: NetBoxClientOptions
) -> tuple[dict[str, Any], dict[str, list[int]]]:
    """Write ``plan`` to the (empty) NetBox at ``url``, timing the bulk calls only; the figures and the new ids."""
    async with NetBoxClient(url, token, options=options) as client:
        writer = TimedWriter(client)
        outcome = await apply(plan, writer, changelog_message=MESSAGE)
        stats = client.stats
    created: dict[str, list[int]] = {}
    for item in outcome.outcomes:
        if item.ok and item.action == 'create' and item.id is not None:
            created.setdefault(item.kind, []).append(item.id)
    figures = {
        'seconds': round(writer.seconds, 3),
        'writes': sum(1 for item in outcome.outcomes if item.ok),
        'failed': len(outcome.failed),
        'errors': sorted({str(item.error) for item in outcome.failed})[:5],
        'by_path': writer.by_path,
        'requests': {'netbox': _requests(stats)},
    }
    return figures, created

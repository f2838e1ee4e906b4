"""Read the data-protection side of a cluster: storages, backups, snapshots, backup and replication
jobs, tasks. Runs after ``read_cluster`` and skips nodes and guests it marked incomplete.

Backup content is read once per storage that holds backups (dir-like and PBS), from the first node
where it is active; shared storages are not read once per node.
"""

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from . import _protection_items as items
from ._context import ReadContext, ReadOptions
from ._values import as_dict, as_list
from .client import ProxmoxClient
from .models import Guest, ProxmoxSnapshot
from .protection_models import Backup, DataProtectionSnapshot, GuestSnapshot, ReplicationJob, StorageStatus, Task

__all__ = ['read_data_protection']

_BACKUP_TYPES = frozenset({'dir', 'nfs', 'cifs', 'cephfs', 'btrfs', 'pbs'})
_TASK_LIMIT = 50


def _each[T](raw: Any, convert: Callable[[dict[str, Any]], T]) -> list[T]:
    """Convert every well-formed entry; entries missing an identifying key are skipped."""
    result = []
    for entry in map(as_dict, as_list(raw)):
        try:
            result.append(convert(dict(entry)))
        except KeyError:
            continue
    return result


async def _storage_status(ctx: ReadContext, nodes: list[str]) -> list[StorageStatus]:
    async def one(node: str) -> list[StorageStatus]:
        raw = await ctx.optional(f'node/{node}/storage', ctx.client.get(f'/nodes/{node}/storage'), [])
        return _each(raw, lambda e: items.storage_status(node, e))

    return [status for per_node in await asyncio.gather(*map(one, nodes)) for status in per_node]


def _backup_sources(statuses: Iterable[StorageStatus], content: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """storage → the node to list its backups from."""
    sources: dict[str, str] = {}
    for status in statuses:
        holds_backups = 'backup' in content.get(status.storage, ('backup',))
        if status.active and status.type in _BACKUP_TYPES and holds_backups:
            sources.setdefault(status.storage, status.node)
    return sources


async def _backups(ctx: ReadContext, sources: dict[str, str]) -> list[Backup]:
    async def one(storage: str, node: str) -> list[Backup]:
        path = f'/nodes/{node}/storage/{storage}/content'
        raw = await ctx.optional(f'storage/{storage}', ctx.client.get(path, {'content': 'backup'}), [])
        return _each(raw, lambda e: items.backup(node, storage, e))

    found = await asyncio.gather(*(one(storage, node) for storage, node in sorted(sources.items())))
    return [b for per_storage in found for b in per_storage]


async def _snapshots(ctx: ReadContext, guests: Iterable[Guest]) -> list[GuestSnapshot]:
    async def one(g: Guest) -> list[GuestSnapshot]:
        path = f'/nodes/{g.node}/{g.type}/{g.vmid}/snapshot'
        raw = await ctx.optional(f'guest/{g.type}/{g.vmid}/snapshots', ctx.client.get(path), [])
        snaps = _each(raw, lambda e: items.guest_snapshot(g.vmid, g.type, g.node, e))
        return [s for s in snaps if s.name != 'current']

    return [s for per_guest in await asyncio.gather(*map(one, guests)) for s in per_guest]


async def _replication(ctx: ReadContext, nodes: list[str]) -> list[ReplicationJob]:
    jobs = await ctx.optional('cluster/replication', ctx.client.get('/cluster/replication'), [])
    calls = [ctx.optional(f'node/{n}/replication', ctx.client.get(f'/nodes/{n}/replication'), []) for n in nodes]
    states = dict(pair for raw in await asyncio.gather(*calls) for pair in _each(raw, lambda e: (str(e['id']), e)))
    return _each(jobs, lambda e: items.replication_job(e, states.get(str(e['id'])) or {}))


async def _tasks(ctx: ReadContext, nodes: list[str]) -> list[Task]:
    calls: list[Awaitable[Any]] = [ctx.optional('cluster/tasks', ctx.client.get('/cluster/tasks'), [])]
    params = {'limit': _TASK_LIMIT}
    calls += [ctx.optional(f'node/{n}/tasks', ctx.client.get(f'/nodes/{n}/tasks', params), []) for n in nodes]
    unique = {t.upid: t for raw in await asyncio.gather(*calls) for t in _each(raw, items.task)}
    return sorted(unique.values(), key=lambda t: (-(t.starttime or 0), t.upid))


async def read_data_protection(client: ProxmoxClient, cluster: ProxmoxSnapshot) -> DataProtectionSnapshot:
    """Read storages, backups, snapshots, jobs and tasks for the readable parts of ``cluster``."""
    ctx = ReadContext(client=client, options=ReadOptions(), release=(0, 0))
    nodes = [n.name for n in cluster.nodes if n.online and cluster.is_complete(f'node/{n.name}')]
    storages = _each(await ctx.optional('storage', client.get('/storage'), []), items.storage)
    statuses = await _storage_status(ctx, nodes)
    sources = _backup_sources(statuses, {s.storage: s.content for s in storages})
    backups, snapshots, jobs, replication, tasks = await asyncio.gather(
        _backups(ctx, sources),
        _snapshots(ctx, (g for g in cluster.guests if g.complete)),
        ctx.optional('cluster/backup', client.get('/cluster/backup'), []),
        _replication(ctx, nodes),
        _tasks(ctx, nodes),
    )
    return DataProtectionSnapshot(
        storages=tuple(storages),
        storage_status=tuple(statuses),
        backups=tuple(backups),
        snapshots=tuple(snapshots),
        backup_jobs=tuple(_each(jobs, items.backup_job)),
        replication_jobs=tuple(replication),
        tasks=tuple(tasks),
        incomplete_scopes=ctx.scopes(),
    )

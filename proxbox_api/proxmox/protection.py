"""Read the data-protection side of a cluster: storages, backups, snapshots, backup and replication
jobs, tasks. Runs after ``read_cluster`` and skips nodes and guests it marked incomplete.

Backups are read once per storage that holds them (dir-like and PBS): a shared storage from the
first node where it is active, a node-local one from every node that has it (each node's disk holds
its own archives). Tasks are read per node, newest first, page by page back to ``tasks_since``.
What cannot be read becomes an incomplete scope: ``storage``, ``storage/<id>``, ``node/<n>/storage``,
``guest/<type>/<vmid>/snapshots``, ``cluster/backup``, ``cluster/replication``, ``node/<n>/replication``,
``node/<n>/tasks``.
"""

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from . import _protection_items as items
from ._context import ReadContext, ReadOptions
from ._values import as_dict, as_list
from .client import ProxmoxClient
from .models import Guest, ProxmoxSnapshot
from .protection_models import (
    Backup,
    DataProtectionSnapshot,
    GuestSnapshot,
    ProtectionOptions,
    ReplicationJob,
    Storage,
    StorageStatus,
    Task,
)

__all__ = ['ProtectionOptions', 'backup_sources', 'read_data_protection']

_BACKUP_TYPES = frozenset({'dir', 'nfs', 'cifs', 'cephfs', 'btrfs', 'glusterfs', 'pbs'})
_MAX_TASK_PAGES = 200  # a server that ignores ``start`` must not keep us paging forever


def _each[T](raw: Any, convert: Callable[[dict[str, Any]], T]) -> list[T]:
    """Convert every well-formed entry; entries missing an identifying key are skipped."""
    result = []
    for entry in map(as_dict, as_list(raw)):
        try:
            result.append(convert(dict(entry)))
        except KeyError:
            continue
    return result


async def _nothing() -> list[Any]:
    return []


async def _storage_status(ctx: ReadContext, nodes: list[str]) -> list[StorageStatus]:
    async def one(node: str) -> list[StorageStatus]:
        raw = await ctx.optional(f'node/{node}/storage', ctx.client.get(f'/nodes/{node}/storage'), [])
        return _each(raw, lambda e: items.storage_status(node, e))

    return [status for per_node in await asyncio.gather(*map(one, nodes)) for status in per_node]


def backup_sources(statuses: Iterable[StorageStatus], storages: Iterable[Storage]) -> list[tuple[str, str]]:
    """(storage, node) pairs to list backups from: a shared storage once, a local one on every node."""
    config = {s.storage: s for s in storages}
    sources: dict[str, list[str]] = {}
    for status in statuses:
        cfg = config.get(status.storage)
        holds_backups = cfg is None or 'backup' in cfg.content
        if not (status.active and status.type in _BACKUP_TYPES and holds_backups):
            continue
        nodes = sources.setdefault(status.storage, [])
        shared = status.shared or (cfg is not None and cfg.shared)
        if not (shared and nodes):
            nodes.append(status.node)
    return sorted((storage, node) for storage, nodes in sources.items() for node in nodes)


async def _backups(ctx: ReadContext, sources: list[tuple[str, str]]) -> list[Backup]:
    async def one(storage: str, node: str) -> list[Backup]:
        path = f'/nodes/{node}/storage/{storage}/content'
        raw = await ctx.optional(f'storage/{storage}', ctx.client.get(path, {'content': 'backup'}), [])
        return _each(raw, lambda e: items.backup(node, storage, e))

    found = await asyncio.gather(*(one(storage, node) for storage, node in sources))
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


async def _node_tasks(ctx: ReadContext, node: str, options: ProtectionOptions) -> list[Task]:
    """A node's tasks (running and finished), newest first, back to ``tasks_since`` (or one page)."""
    found: dict[str, Task] = {}
    since = options.tasks_since
    for _ in range(_MAX_TASK_PAGES):
        params: dict[str, Any] = {'start': len(found), 'limit': options.task_page, 'source': 'all'}
        if since is not None:
            params['since'] = since
        raw = await ctx.optional(f'node/{node}/tasks', ctx.client.get(f'/nodes/{node}/tasks', params), None)
        page = _each(raw, items.task)
        before = len(found)
        found.update((t.upid, t) for t in page)
        oldest = min((t.starttime or 0 for t in page), default=0)
        if since is None or len(page) < options.task_page or oldest < since or len(found) == before:
            break
    return list(found.values())


async def _tasks(ctx: ReadContext, nodes: list[str], options: ProtectionOptions) -> list[Task]:
    calls: list[Awaitable[list[Task]]] = [_node_tasks(ctx, n, options) for n in nodes]
    recent = ctx.optional('cluster/tasks', ctx.client.get('/cluster/tasks'), [])
    per_source = await asyncio.gather(recent, *calls)
    unique = {t.upid: t for t in _each(per_source[0], items.task)}
    unique.update((t.upid, t) for per_node in per_source[1:] for t in per_node)  # the node's archive wins
    since = options.tasks_since
    kept = (t for t in unique.values() if since is None or (t.starttime or 0) >= since)
    return sorted(kept, key=lambda t: (-(t.starttime or 0), t.upid))


async def read_data_protection(
    client: ProxmoxClient, cluster: ProxmoxSnapshot, options: ProtectionOptions | None = None
) -> DataProtectionSnapshot:
    """Read storages, backups, snapshots, jobs and tasks for the readable parts of ``cluster``."""
    opts = options or ProtectionOptions()
    ctx = ReadContext(client=client, options=ReadOptions(), release=(0, 0))
    nodes = [n.name for n in cluster.nodes if n.online and cluster.is_complete(f'node/{n.name}')]
    wants_storage = opts.storage or opts.backups
    raw_storages = await ctx.optional('storage', client.get('/storage'), []) if wants_storage else []
    storages = _each(raw_storages, items.storage)
    statuses = await _storage_status(ctx, nodes) if wants_storage else []
    guests = [g for g in cluster.guests if g.complete] if opts.snapshots else []
    backups, snapshots, jobs, replication, tasks = await asyncio.gather(
        _backups(ctx, backup_sources(statuses, storages)) if opts.backups else _nothing(),
        _snapshots(ctx, guests),
        ctx.optional('cluster/backup', client.get('/cluster/backup'), []) if opts.backup_jobs else _nothing(),
        _replication(ctx, nodes) if opts.replication else _nothing(),
        _tasks(ctx, nodes, opts) if opts.tasks else _nothing(),
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

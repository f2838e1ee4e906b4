"""Cluster-level endpoints: version, status, resources, jobs, tasks, pools, HA and storage configuration."""

from __future__ import annotations

from typing import Any

from ..errors import ApiError
from ..render import cluster as render
from ..render import jobs
from ..render.guests import guest_resource
from ..render.storage import storage_config
from ..server.routing import Context
from . import ROUTER

RESOURCE_TYPES = ('vm', 'storage', 'node', 'sdn')


@ROUTER.get('/version')
def version(ctx: Context) -> dict[str, Any]:
    return render.version_info(ctx.cluster)


@ROUTER.get('/cluster/status')
def cluster_status(ctx: Context) -> list[dict[str, Any]]:
    ctx.require('/', 'Sys.Audit')
    return render.cluster_status(ctx.cluster)


@ROUTER.get('/cluster/resources')
def cluster_resources(ctx: Context) -> list[dict[str, Any]]:
    kind = ctx.enum('type', RESOURCE_TYPES)
    return render.cluster_resources(ctx.cluster, kind, ctx.allowed)


@ROUTER.get('/nodes')
def nodes(ctx: Context) -> list[dict[str, Any]]:
    return render.node_list(ctx.cluster, ctx.allowed('Sys.Audit'))


@ROUTER.get('/cluster/backup')
def backup_jobs(ctx: Context) -> list[dict[str, Any]]:
    ctx.require('/', 'Sys.Audit')
    return jobs.backup_jobs(ctx.cluster)


@ROUTER.get('/cluster/backup/{id}')
def backup_job(ctx: Context) -> dict[str, Any]:
    ctx.require('/', 'Sys.Audit')
    for job in jobs.backup_jobs(ctx.cluster):
        if job['id'] == ctx.args['id']:
            return job
    raise ApiError(500, f"job '{ctx.args['id']}' does not exist")


@ROUTER.get('/cluster/replication')
def replication(ctx: Context) -> list[dict[str, Any]]:
    return jobs.cluster_replication(ctx.cluster) if ctx.allowed('VM.Audit') else []


@ROUTER.get('/cluster/tasks')
def tasks(ctx: Context) -> list[dict[str, Any]]:
    items = jobs.cluster_tasks(ctx.cluster)
    if ctx.allowed('Sys.Audit'):
        return items
    return [item for item in items if item['user'] == ctx.principal.userid]


@ROUTER.get('/cluster/ha/resources')
def ha_resources(ctx: Context) -> list[dict[str, Any]]:
    ctx.require('/', 'Sys.Audit')
    return jobs.ha_resources(ctx.cluster, ctx.enum('type', ('ct', 'vm')))


@ROUTER.get('/cluster/ha/resources/{sid}')
def ha_resource(ctx: Context) -> dict[str, Any]:
    ctx.require('/', 'Sys.Audit')
    sid = ctx.args['sid']
    sid = sid if ':' in sid else f'vm:{sid}'
    for item in jobs.ha_resources(ctx.cluster, None):
        if item['sid'] == sid:
            return item
    raise ApiError(500, f"no such resource '{sid}'")


def _pool_members(ctx: Context, poolid: str, kind: str | None) -> list[dict[str, Any]]:
    cluster = ctx.cluster
    members = []
    for vmid in sorted(cluster.guests, key=str):
        guest = cluster.guests[vmid]
        if guest.pool == poolid and kind in (None, guest.kind) and ctx.allowed('VM.Audit'):
            members.append(guest_resource(guest, cluster.version, cluster.nodes[guest.node].online))
    return members


@ROUTER.get('/pools')
def pools(ctx: Context) -> list[dict[str, Any]]:
    poolid = ctx.params.get('poolid')
    if not ctx.cluster.version.has_pool_query and ctx.params:
        name = sorted(ctx.params)[0]
        raise ApiError.param(
            {name: 'property is not defined in schema and the schema does not allow additional properties'}
        )
    if not ctx.allowed('Pool.Audit'):
        return []
    if poolid is None:
        return jobs.pool_list(ctx.cluster)
    if poolid not in ctx.cluster.pools:
        raise ApiError(500, f"pool '{poolid}' does not exist")
    kind = ctx.enum('type', ('qemu', 'lxc', 'storage'))
    return [jobs.pool_detail(ctx.cluster, poolid, _pool_members(ctx, poolid, kind), legacy=False)]


@ROUTER.get('/pools/{poolid}')
def pool(ctx: Context) -> dict[str, Any]:
    poolid = ctx.args['poolid']
    ctx.require(f'/pool/{poolid}', 'Pool.Audit')
    if poolid not in ctx.cluster.pools:
        raise ApiError(500, f"pool '{poolid}' does not exist")
    kind = ctx.enum('type', ('qemu', 'lxc', 'storage'))
    members = _pool_members(ctx, poolid, kind)
    return jobs.pool_detail(ctx.cluster, poolid, members, legacy=not ctx.cluster.version.has_pool_query)


@ROUTER.get('/storage')
def storages(ctx: Context) -> list[dict[str, Any]]:
    kind = ctx.params.get('type')
    if not ctx.allowed('Datastore.Audit'):
        return []
    return [storage_config(s) for s in ctx.cluster.storages.values() if kind in (None, s.type)]


@ROUTER.get('/storage/{storage}')
def storage(ctx: Context) -> dict[str, Any]:
    name = ctx.args['storage']
    ctx.require(f'/storage/{name}', 'Datastore.Allocate')
    target = ctx.cluster.storages.get(name)
    if target is None:
        raise ApiError(500, f"storage '{name}' does not exist")
    return storage_config(target)


# What a token with every privilege holds on ``/`` (propagated), as GET /access/permissions lists it.
ALL_PRIVILEGES = (
    'Datastore.Allocate', 'Datastore.AllocateSpace', 'Datastore.Audit', 'Pool.Audit', 'SDN.Audit', 'Sys.Audit',
    'Sys.Console', 'Sys.Modify', 'Sys.PowerMgmt', 'VM.Audit', 'VM.Config.Options', 'VM.Console', 'VM.Monitor',
    'VM.PowerMgmt', 'VM.Snapshot',
)  # fmt: skip


@ROUTER.get('/access/permissions')
def permissions(ctx: Context) -> dict[str, dict[str, int]]:
    """The caller's privileges by path; the simulator's privileges hold on every path (granted on ``/``)."""
    held = ALL_PRIVILEGES if ctx.principal.privileges is None else sorted(ctx.principal.privileges)
    return {'/': dict.fromkeys(held, 1)}


@ROUTER.get('/access/ticket')
def ticket_noop(ctx: Context) -> None:  # noqa: ARG001  (Proxmox answers null)
    return None

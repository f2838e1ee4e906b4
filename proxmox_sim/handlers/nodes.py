"""Node endpoints: status, network, storage and its content, tasks and replication status."""

from __future__ import annotations

import re
from typing import Any

from ..errors import ApiError
from ..render import cluster as render
from ..render import jobs
from ..render.storage import backup_content, node_storage
from ..server.routing import Context, Payload
from . import ROUTER

NETWORK_TYPES = (
    'bridge',
    'bond',
    'eth',
    'alias',
    'vlan',
    'fabric',
    'OVSBridge',
    'OVSBond',
    'OVSPort',
    'OVSIntPort',
    'vnet',
    'any_bridge',
    'any_local_bridge',
    'include_sdn',
)
CONTENT_TYPES = ('backup', 'images', 'iso', 'rootdir', 'snippets', 'vztmpl', 'import')
_UPID_RE = re.compile(
    r'^UPID:([a-zA-Z0-9]([a-zA-Z0-9\-]*[a-zA-Z0-9])?):([0-9A-Fa-f]{8}):([0-9A-Fa-f]{8,9}):([0-9A-Fa-f]{8}):'
    r'([^:\s/]+):([^:\s/]*):([^:\s/]+):$'
)


@ROUTER.get('/nodes/{node}')
def node_index(ctx: Context) -> list[dict[str, str]]:
    ctx.node()
    names = ('qemu', 'lxc', 'status', 'network', 'storage', 'tasks', 'replication', 'version')
    return [{'name': name} for name in names]


@ROUTER.get('/nodes/{node}/status')
def node_status(ctx: Context) -> dict[str, Any]:
    node = ctx.node()
    ctx.require(f'/nodes/{node.name}', 'Sys.Audit')
    return render.node_status(ctx.cluster, node)


@ROUTER.get('/nodes/{node}/version')
def node_version(ctx: Context) -> dict[str, Any]:
    ctx.node()
    return render.version_info(ctx.cluster)


@ROUTER.get('/nodes/{node}/network')
def node_network(ctx: Context) -> list[dict[str, Any]]:
    node = ctx.node()
    return render.node_network(ctx.cluster, node, ctx.enum('type', NETWORK_TYPES))


@ROUTER.get('/nodes/{node}/storage')
def storage_list(ctx: Context) -> list[dict[str, Any]]:
    node = ctx.node()
    filters = {key: value for key, value in ctx.params.items() if key in ('content', 'enabled', 'storage')}
    if 'storage' in filters and filters['storage'] not in ctx.cluster.storages:
        raise ApiError.param({'storage': 'No such storage.'})
    if not ctx.allowed('Datastore.Audit'):
        return []
    return node_storage(ctx.cluster, node, filters)


def _node_storage(ctx: Context) -> tuple[Any, Any]:
    node = ctx.node()
    name = ctx.args['storage']
    storage = ctx.cluster.storages.get(name)
    if storage is None or not storage.on_node(node.name):
        raise ApiError(500, f"storage '{name}' does not exist")
    ctx.require(f'/storage/{name}', 'Datastore.Audit', 'Datastore.AllocateSpace')
    return node, storage


@ROUTER.get('/nodes/{node}/storage/{storage}/status')
def storage_status(ctx: Context) -> dict[str, Any]:
    node, storage = _node_storage(ctx)
    return node_storage(ctx.cluster, node, {'storage': storage.storage})[0]


@ROUTER.get('/nodes/{node}/storage/{storage}/content')
def storage_content(ctx: Context) -> list[dict[str, Any]]:
    node, storage = _node_storage(ctx)
    content = ctx.enum('content', CONTENT_TYPES)
    vmid = ctx.integer('vmid')
    if storage.disabled:
        raise ApiError(500, f"storage '{storage.storage}' is disabled")
    if content not in (None, 'backup') or 'backup' not in storage.content:
        return []
    return backup_content(ctx.cluster, storage, node, vmid)


@ROUTER.get('/nodes/{node}/tasks')
def node_tasks(ctx: Context) -> Payload:
    node = ctx.node()
    items, total = jobs.node_tasks(ctx.cluster, node.name, ctx.params)
    if not ctx.allowed('Sys.Audit'):
        items = [item for item in items if item['user'] == ctx.principal.userid]
        total = len(items)
    return Payload(items, {'total': total})


@ROUTER.get('/nodes/{node}/tasks/{upid}/status')
def task_status(ctx: Context) -> dict[str, Any]:
    ctx.node()
    upid = ctx.args['upid']
    if _UPID_RE.match(upid) is None:
        raise ApiError.param({'upid': 'unable to parse worker upid'})
    for task in ctx.cluster.tasks:
        if task.upid == upid:
            return jobs.task_status(task)
    raise ApiError.param({'upid': 'no such task'})


@ROUTER.get('/nodes/{node}/replication')
def node_replication(ctx: Context) -> list[dict[str, Any]]:
    node = ctx.node()
    guest = ctx.integer('guest')
    return jobs.node_replication(ctx.cluster, node.name, guest) if ctx.allowed('VM.Audit') else []

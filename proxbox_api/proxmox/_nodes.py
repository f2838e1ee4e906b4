"""Reading nodes: online state from ``/cluster/resources``, IPs from ``/cluster/status``, then per node
``/nodes/{node}/status`` and ``/nodes/{node}/network``. A node that cannot be read marks ``node/<name>``
incomplete; the others are still read."""

import asyncio
from collections.abc import Mapping
from typing import Any

from ._context import ReadContext
from ._values import as_bool, as_dict, as_int, as_list, as_str
from .errors import ProxmoxAuthError, ProxmoxError
from .models import Node, NodeInterface

__all__ = ['node_scope', 'read_nodes']


def node_scope(name: str) -> str:
    return f'node/{name}'


def parse_interface(item: Mapping[str, Any]) -> NodeInterface:
    """One ``/nodes/{node}/network`` entry (``netmask`` is a prefix length string; 0/1 booleans)."""
    return NodeInterface(
        name=as_str(item.get('iface')) or '?',
        type=as_str(item.get('type')) or 'unknown',
        active=as_bool(item.get('active')),
        autostart=as_bool(item.get('autostart')),
        method=as_str(item.get('method')),
        method6=as_str(item.get('method6')),
        cidr=as_str(item.get('cidr')),
        gateway=as_str(item.get('gateway')),
        cidr6=as_str(item.get('cidr6')),
        gateway6=as_str(item.get('gateway6')),
        bridge_ports=tuple((as_str(item.get('bridge_ports')) or '').split()),
        bridge_vlan_aware=as_bool(item.get('bridge_vlan_aware')),
        slaves=tuple((as_str(item.get('slaves')) or '').split()),
        bond_mode=as_str(item.get('bond_mode')),
        vlan_id=as_int(item.get('vlan-id')),
        vlan_raw_device=as_str(item.get('vlan-raw-device')),
        mtu=as_int(item.get('mtu')),
        comments=(as_str(item.get('comments')) or '').strip() or None,
    )


def _pve_version(status: Mapping[str, Any]) -> str | None:
    """``pve-manager/8.2.4/faa83925c9641325`` → ``8.2.4``."""
    parts = (as_str(status.get('pveversion')) or '').split('/')
    return parts[1] if len(parts) >= 2 else None


async def _read_node(ctx: ReadContext, base: Node) -> Node:
    if not base.online:
        ctx.mark_incomplete(node_scope(base.name), 'node is offline')
        return base
    if not ctx.options.node_details:
        return base
    try:
        status = as_dict(await ctx.client.get(f'/nodes/{base.name}/status'))
        network = as_list(await ctx.client.get(f'/nodes/{base.name}/network'))
    except ProxmoxAuthError:  # the credentials stopped working: nothing read from here on is sound
        raise
    except ProxmoxError as exc:
        ctx.mark_incomplete(node_scope(base.name), str(exc))
        return base
    cpuinfo, memory = as_dict(status.get('cpuinfo')), as_dict(status.get('memory'))
    interfaces = sorted((parse_interface(as_dict(i)) for i in network), key=lambda i: i.name)
    return base.model_copy(
        update={
            'pve_version': _pve_version(status),
            'cpu_model': as_str(cpuinfo.get('model')),
            'cpus': as_int(cpuinfo.get('cpus')) or base.cpus,
            'memory_bytes': as_int(memory.get('total')) or base.memory_bytes,
            'uptime': as_int(status.get('uptime')) or base.uptime,
            'interfaces': tuple(interfaces),
        }
    )


def _base_nodes(resources: list[Any], cluster_status: list[Any]) -> list[Node]:
    ips = {as_str(e.get('name')): as_str(e.get('ip')) for e in map(as_dict, cluster_status) if e.get('type') == 'node'}
    nodes = []
    for item in map(as_dict, resources):
        name = as_str(item.get('node'))
        if item.get('type') != 'node' or name is None:
            continue
        nodes.append(
            Node(
                name=name,
                online=item.get('status') == 'online',
                ip=ips.get(name),
                cpus=as_int(item.get('maxcpu')),
                memory_bytes=as_int(item.get('maxmem')),
                uptime=as_int(item.get('uptime')),
            )
        )
    return sorted(nodes, key=lambda n: n.name)


async def read_nodes(ctx: ReadContext, resources: list[Any], cluster_status: list[Any]) -> tuple[Node, ...]:
    """All nodes, read concurrently (the client bounds how many requests are in flight)."""
    bases = _base_nodes(resources, cluster_status)
    return tuple(await asyncio.gather(*(_read_node(ctx, node) for node in bases)))

"""Cluster-wide and node payloads: version, cluster status and resources, node list, status and network."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..model import Cluster, Node
from .guests import guest_resource
from .storage import storage_resource

__all__ = ['cluster_resources', 'cluster_status', 'node_list', 'node_network', 'node_status', 'version_info']

Allowed = Callable[[str], bool]  # does the caller hold this privilege?


def version_info(cluster: Cluster) -> dict[str, Any]:
    version = cluster.version
    return {'version': version.full, 'release': version.release, 'repoid': version.repoid}


def cluster_status(cluster: Cluster) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    nodes = list(cluster.nodes.values())
    if not cluster.standalone:
        quorate = sum(node.online for node in nodes) * 2 > len(nodes)
        items.append(
            {
                'type': 'cluster',
                'id': 'cluster',
                'name': cluster.name,
                'nodes': len(nodes),
                'quorate': int(quorate),
                'version': 3 + cluster.revision % 50,
            }
        )
    for position, node in enumerate(nodes):
        items.append(
            {
                'type': 'node',
                'id': f'node/{node.name}',
                'name': node.name,
                'nodeid': node.nodeid,
                'ip': node.ip,
                'local': int(position == 0),
                'online': int(node.online),
                'level': node.level,
            }
        )
    return items


def _node_entry(node: Node, with_stats: bool) -> dict[str, Any]:
    item: dict[str, Any] = {
        'id': f'node/{node.name}',
        'type': 'node',
        'node': node.name,
        'status': 'online' if node.online else 'offline',
        'level': node.level,
    }
    if with_stats:
        item.update({'maxcpu': node.maxcpu, 'maxmem': node.maxmem, 'maxdisk': node.maxdisk})
        if node.online:
            item.update({'cpu': node.cpu, 'mem': node.mem, 'disk': node.disk, 'uptime': node.uptime})
    return item


def _pool_resources(cluster: Cluster) -> list[dict[str, Any]]:
    items = []
    for pool in cluster.pools.values():
        members = [guest for guest in cluster.guests.values() if guest.pool == pool.poolid]
        items.append(
            {
                'id': f'/pool/{pool.poolid}',
                'type': 'pool',
                'pool': pool.poolid,
                'cpu': round(sum(g.stats.cpu for g in members), 4),
                'maxcpu': sum(g.vcpus for g in members),
                'mem': sum(g.stats.mem for g in members),
                'maxmem': sum(g.memory_mib for g in members) << 20,
                'uptime': max((g.stats.uptime for g in members), default=0),
            }
        )
    return items


def cluster_resources(cluster: Cluster, kind: str | None, allowed: Allowed) -> list[dict[str, Any]]:
    """``/cluster/resources`` in Proxmox's order: pools, guests by vmid as text, nodes, storages, sdn."""
    items: list[dict[str, Any]] = []
    version = cluster.version
    if kind is None and allowed('Pool.Audit'):
        items += _pool_resources(cluster)
    if kind in (None, 'vm') and allowed('VM.Audit'):
        for vmid in sorted(cluster.guests, key=str):
            guest = cluster.guests[vmid]
            items.append(guest_resource(guest, version, cluster.nodes[guest.node].online))
    if kind in (None, 'node') and allowed('Sys.Audit'):
        items += [_node_entry(node, True) for node in cluster.nodes.values()]
    if kind in (None, 'storage') and allowed('Datastore.Audit'):
        for node in cluster.nodes.values():
            items += [storage_resource(s, node) for s in cluster.storages.values() if s.on_node(node.name)]
    if kind in (None, 'sdn') and allowed('SDN.Audit'):
        items += _sdn_resources(cluster)
    return items


def _sdn_resources(cluster: Cluster) -> list[dict[str, Any]]:
    items = []
    for node in cluster.nodes.values():
        status = 'ok' if node.online else 'unknown'
        if cluster.version.has_network_resources:
            items.append(
                {
                    'id': f'network/{node.name}/zone/localnetwork',
                    'type': 'network',
                    'network-type': 'zone',
                    'network': 'localnetwork',
                    'node': node.name,
                    'status': status,
                }
            )
        else:
            items.append(
                {
                    'id': f'sdn/{node.name}/localnetwork',
                    'type': 'sdn',
                    'sdn': 'localnetwork',
                    'node': node.name,
                    'status': status,
                }
            )
    return items


def node_list(cluster: Cluster, with_stats: bool) -> list[dict[str, Any]]:
    items = []
    for node in cluster.nodes.values():
        item = _node_entry(node, with_stats)
        item['ssl_fingerprint'] = node.ssl_fingerprint
        items.append(item)
    return items


def node_status(cluster: Cluster, node: Node) -> dict[str, Any]:
    version = cluster.version
    build = '#1 SMP PREEMPT_DYNAMIC PMX 6.8.12-4 (2024-11-06T15:04Z)'
    memory: dict[str, int] = {'total': node.maxmem, 'used': node.mem, 'free': node.maxmem - node.mem}
    if version.is_nine:
        memory['available'] = node.maxmem - node.mem
    status: dict[str, Any] = {
        'uptime': node.uptime,
        'idle': 0,
        'cpu': node.cpu,
        'wait': 0.0012,
        'loadavg': ['0.35', '0.41', '0.39'],
        'kversion': f'Linux {node.kernel} {build}',
        'cpuinfo': {
            'model': node.cpu_model,
            'sockets': node.cpu_sockets,
            'cores': node.cpu_cores,
            'cpus': node.maxcpu,
            'mhz': '3000.000',
            'hvm': '1',
            'flags': 'fpu vme de pse tsc msr pae',
            'user_hz': 100,
        },
        'memory': memory,
        'swap': {'total': 8589934592, 'used': 0, 'free': 8589934592},
        'ksm': {'shared': 0},
        'rootfs': {
            'total': node.maxdisk,
            'used': node.disk,
            'avail': node.maxdisk - node.disk,
            'free': node.maxdisk - node.disk,
        },
        'pveversion': version.pveversion,
    }
    if version.has_node_kernel_info:
        status['current-kernel'] = {'sysname': 'Linux', 'release': node.kernel, 'version': build, 'machine': 'x86_64'}
        status['boot-info'] = {'mode': 'efi', 'secureboot': 0} if node.efi else {'mode': 'legacy-bios'}
    return status


def node_network(cluster: Cluster, node: Node, kind: str | None) -> list[dict[str, Any]]:
    gateway = cluster.networks[0].ipv4_prefix.rsplit('.', 1)[0] + '.1'
    length = cluster.networks[0].ipv4_prefix.split('/')[1]
    vids = ' '.join(str(network.vlan) for network in cluster.networks if network.vlan)
    ifaces: list[dict[str, Any]] = [
        {
            'iface': name,
            'type': 'eth',
            'method': 'manual',
            'method6': 'manual',
            'families': ['inet'],
            'exists': 1,
            'active': 1,
            'autostart': 1,
            'priority': position,
        }
        for position, name in enumerate(('eno1', 'eno2', 'eno3'), start=1)
    ]
    ifaces += [
        {
            'iface': 'bond0',
            'type': 'bond',
            'method': 'manual',
            'method6': 'manual',
            'families': ['inet'],
            'slaves': 'eno2 eno3',
            'bond_mode': '802.3ad',
            'bond_xmit_hash_policy': 'layer3+4',
            'active': 1,
            'autostart': 1,
            'priority': 4,
        },
        {
            'iface': 'vmbr0',
            'type': 'bridge',
            'method': 'static',
            'method6': 'manual',
            'families': ['inet'],
            'address': node.ip,
            'netmask': length,
            'cidr': f'{node.ip}/{length}',
            'gateway': gateway,
            'bridge_ports': 'eno1',
            'bridge_stp': 'off',
            'bridge_fd': '0',
            'active': 1,
            'autostart': 1,
            'priority': 5,
            'comments': 'management\n',
        },
        {
            'iface': 'vmbr1',
            'type': 'bridge',
            'method': 'manual',
            'method6': 'manual',
            'families': ['inet'],
            'bridge_ports': 'bond0',
            'bridge_stp': 'off',
            'bridge_fd': '0',
            'bridge_vlan_aware': 1,
            'bridge_vids': vids,
            'active': 1,
            'autostart': 1,
            'priority': 6,
        },
    ]
    if kind in (None, 'any'):
        return ifaces
    if kind == 'any_bridge':
        return [iface for iface in ifaces if iface['type'] in ('bridge', 'OVSBridge')]
    return [iface for iface in ifaces if iface['type'] == kind]

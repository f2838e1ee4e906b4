"""Clusters and nodes: NetBox clusters, devices with their interfaces and IPs, and the plugin's records."""

from typing import Any

from ...proxmox import Node, NodeInterface, ProxmoxSnapshot
from .. import keys
from ..records import Ref
from .context import Collector, MappingContext, slugify

__all__ = ['cluster_name', 'map_infrastructure', 'owned']

_IF_TYPES = {
    'bridge': 'bridge',
    'OVSBridge': 'bridge',
    'bond': 'lag',
    'OVSBond': 'lag',
    'vlan': 'virtual',
    'OVSIntPort': 'virtual',
    'eth': 'other',
}


def cluster_name(snapshot: ProxmoxSnapshot) -> str:
    if snapshot.cluster_name and not snapshot.standalone:
        return snapshot.cluster_name
    return snapshot.nodes[0].name if snapshot.nodes else snapshot.endpoint


def owned(key: str, extra_tags: list[str] | None = None, **custom_fields: Any) -> dict[str, Any]:
    """The tags and custom fields every object Proxbox owns carries."""
    return {
        'tags': sorted({'proxbox', *(extra_tags or [])}),
        'custom_fields': {'proxbox_id': key, 'proxbox_orphaned_since': None, **custom_fields},
    }


def _shared_basics(out: Collector, ctx: MappingContext) -> dict[str, Any]:
    out.shared('extras.tag', 'proxbox', {'name': 'Proxbox', 'color': 'ff9800', 'description': 'Synced by Proxbox'})
    site: int | Ref = ctx.site_id or out.shared('dcim.site', 'proxmox', {'name': 'Proxmox', 'status': 'active'})
    kind = out.shared('virtualization.clustertype', 'proxmox-ve', {'name': 'Proxmox VE'})
    maker = out.shared('dcim.manufacturer', 'proxmox', {'name': 'Proxmox'})
    dtype = out.shared('dcim.devicetype', 'proxmox-ve-node', {'manufacturer': maker, 'model': 'Proxmox VE node'})
    role = out.shared('dcim.devicerole', 'proxmox-node', {'name': 'Proxmox node', 'color': 'e65100', 'vm_role': False})
    return {'site': site, 'type': kind, 'device_type': dtype, 'role': role}


def map_infrastructure(snapshot: ProxmoxSnapshot, ctx: MappingContext, out: Collector) -> dict[str, Any]:
    """Map the cluster and its nodes; returns what guests refer to (cluster, site, node devices)."""
    name = cluster_name(snapshot)
    basics = _shared_basics(out, ctx)
    ckey = keys.cluster_key(name)
    cluster = out.add(
        'virtualization.cluster',
        ckey,
        {
            'name': name,
            'type': basics['type'],
            'status': 'active',
            'scope_type': 'dcim.site',
            'scope_id': basics['site'],
            **owned(ckey),
        },
        ckey,
    )
    if ctx.endpoint_id is not None:
        out.add(
            'netbox_proxbox.proxmoxcluster',
            ckey,
            {
                'endpoint': ctx.endpoint_id,
                'name': name,
                'standalone': snapshot.standalone,
                'quorate': snapshot.quorate,
                'pve_version': snapshot.version,
                'node_count': len(snapshot.nodes),
                'cluster': cluster,
            },
            ckey,
        )
    devices = {node.name: _map_node(node, name, cluster, basics, ctx, out) for node in snapshot.nodes}
    return {'cluster': cluster, 'site': basics['site'], 'devices': devices, 'name': name}


def _device_name(node: Node, cluster: str, ctx: MappingContext) -> str:
    return f'{node.name}.{cluster}' if node.name in ctx.taken_device_names else node.name


def _map_node(
    node: Node, cluster: str, cluster_ref: Ref, basics: dict[str, Any], ctx: MappingContext, out: Collector
) -> Ref | None:
    nkey = keys.node_key(cluster, node.name)
    read_ok = node.online and node.pve_version is not None
    if not read_ok:
        out.protect(nkey, 'node offline or unreachable')
    if 'nodes' not in ctx.families:
        return None
    attrs = {
        'name': _device_name(node, cluster, ctx),
        'device_type': basics['device_type'],
        'role': basics['role'],
        'site': basics['site'],
        'cluster': cluster_ref,
        'status': 'active' if node.online else 'offline',
        **owned(nkey),
    }
    device = out.add('dcim.device', nkey, attrs, keys.cluster_key(cluster))
    if ctx.endpoint_id is not None:
        _plugin_node(node, cluster, device, read_ok, out)
    if read_ok:
        for interface in node.interfaces:
            _map_node_interface(interface, node.name, cluster, device, out)
    return device


def _plugin_node(node: Node, cluster: str, device: Ref, read_ok: bool, out: Collector) -> None:
    attrs: dict[str, Any] = {
        'cluster': Ref('netbox_proxbox.proxmoxcluster', keys.cluster_key(cluster)),
        'name': node.name,
        'online': node.online,
        'device': device,
    }
    if read_ok:  # an unreadable node keeps what was last known
        attrs.update(
            ip_address=node.ip,
            pve_version=node.pve_version or '',
            cpu_model=node.cpu_model or '',
            cpu_count=node.cpus,
            memory_total=node.memory_bytes,
        )
    out.add('netbox_proxbox.proxmoxnode', keys.node_key(cluster, node.name), attrs, keys.cluster_key(cluster))


def _map_node_interface(interface: NodeInterface, node: str, cluster: str, device: Ref, out: Collector) -> None:
    if interface.type not in _IF_TYPES:
        return
    ikey = keys.node_if_key(cluster, node, interface.name)
    attrs = {
        'device': device,
        'name': interface.name,
        'type': _IF_TYPES[interface.type],
        'enabled': interface.active,
        'mtu': interface.mtu,
        'description': (interface.comments or '').strip()[:200],
        **owned(ikey),
    }
    ref = out.add('dcim.interface', ikey, attrs, keys.cluster_key(cluster), parent=device)
    for cidr in (interface.cidr, interface.cidr6):
        if cidr:
            ipkey = keys.node_ip_key(cluster, node, cidr)
            ip_attrs = {
                'address': cidr,
                'status': 'active',
                'assigned_object_type': 'dcim.interface',
                'assigned_object_id': ref,
                **owned(ipkey),
            }
            out.add('ipam.ipaddress', ipkey, ip_attrs, keys.cluster_key(cluster), parent=device)


__all__ += ['slugify']

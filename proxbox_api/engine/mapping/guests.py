"""Guests: VMs and containers with their interfaces, MACs, VLANs, IP addresses and virtual disks."""

import ipaddress
import math
from collections.abc import Sequence
from typing import Any

from ...proxmox import Guest, GuestIp
from ...proxmox.parsers import LxcMount, LxcNic, QemuDisk, QemuNic
from .. import keys
from ..records import Ref
from .context import Collector, MappingContext, slugify
from .infra import owned

__all__ = ['map_guests']

_MIB = 1024 * 1024
_STATUS = {'running': 'active', 'stopped': 'offline', 'paused': 'paused', 'suspended': 'paused'}
_DISK_KINDS = frozenset({'disk', 'efidisk', 'tpmstate', 'cloudinit'})
Nic = QemuNic | LxcNic


def map_guests(guests: Sequence[Guest], ctx: MappingContext, infra: dict[str, Any], out: Collector) -> None:
    names = _unique_names(guests)
    for guest in guests:
        if _skipped(guest, ctx, infra['name'], out):
            continue
        _map_guest(guest, names[guest.vmid], ctx, infra, out)


def _skipped(guest: Guest, ctx: MappingContext, cluster: str, out: Collector) -> bool:
    """Guests we do not sync (switched off, templates skipped, unreadable) are also never pruned."""
    gkey = keys.guest_key(cluster, guest.vmid)
    family = 'virtual_machines' if guest.type == 'qemu' else 'containers'
    reason = None
    if family not in ctx.families:
        reason = f'{family.replace("_", " ")} are not synced'
    elif guest.template and ctx.templates == 'skip':
        reason = 'templates are not synced'
    elif not guest.complete:
        reason = 'configuration could not be read'
    if reason is not None:
        out.protect(gkey, reason)
    return reason is not None


def _unique_names(guests: Sequence[Guest]) -> dict[int, str]:
    """NetBox needs unique VM names per cluster; Proxmox does not. Later duplicates get their VMID."""
    seen: set[str] = set()
    names: dict[int, str] = {}
    for guest in sorted(guests, key=lambda g: g.vmid):
        name = guest.name if guest.name.lower() not in seen else f'{guest.name} ({guest.vmid})'
        seen.add(name.lower())
        names[guest.vmid] = name
    return names


def _guest_tags(guest: Guest, out: Collector) -> list[str]:
    pairs = [(f'pve-{slugify(tag)}', f'pve:{tag}') for tag in guest.tags]
    if guest.pool:
        pairs.append((f'pve-pool-{slugify(guest.pool)}', f'pool:{guest.pool}'))
    slugs = out.tags(pairs)
    if guest.template:
        out.shared('extras.tag', 'proxmox-template', {'name': 'Proxmox template', 'color': '9e9e9e'})
        slugs.append('proxmox-template')
    return slugs


def _platform(guest: Guest, out: Collector) -> Ref | None:
    if guest.ostype is None:
        return None
    return out.shared('dcim.platform', f'proxmox-{slugify(guest.ostype.code)}', {'name': guest.ostype.label})


_ROLES = {
    'qemu': ('proxmox-vm', {'name': 'Virtual machine', 'color': '2196f3', 'vm_role': True}),
    'lxc': ('proxmox-container', {'name': 'Container', 'color': '9c27b0', 'vm_role': True}),
}


def _role(guest: Guest, out: Collector) -> Ref:
    slug, attrs = _ROLES[guest.type]
    return out.shared('dcim.devicerole', slug, attrs)


def _map_guest(guest: Guest, name: str, ctx: MappingContext, infra: dict[str, Any], out: Collector) -> None:
    cluster = infra['name']
    gkey = keys.guest_key(cluster, guest.vmid)
    if not guest.ips_complete:
        out.protect(keys.guest_ips_scope(cluster, guest.vmid), 'guest addresses could not be read')
    ha_state = {'proxmox_ha_state': guest.ha_state} if guest.ha_state or infra.get('ha_known', True) else {}
    attrs = {
        'name': name,
        'description': _first_line(guest.description),
        'comments': guest.description or '',
        'status': 'offline' if guest.template else _STATUS.get(guest.status, 'active'),
        'cluster': infra['cluster'],
        'device': infra['devices'].get(guest.node),
        'site': infra['site'],
        'role': _role(guest, out),
        'platform': _platform(guest, out),
        'vcpus': guest.cpus,
        'memory': guest.memory_bytes // _MIB if guest.memory_bytes is not None else None,
        **owned(gkey, _guest_tags(guest, out), proxmox_vmid=guest.vmid, **ha_state),
    }
    vm = out.add('virtualization.virtualmachine', gkey, attrs, keys.cluster_key(cluster))
    interfaces = _map_nics(guest, cluster, vm, out) if 'interfaces' in ctx.families else {}
    if 'ip_addresses' in ctx.families:
        _map_ips(guest, cluster, vm, interfaces, out)
    if 'virtual_disks' in ctx.families:
        _map_disks(guest, cluster, vm, out)


def _first_line(notes: str | None) -> str:
    """A VM's description: the first line of its Proxmox notes (NetBox keeps 200 characters)."""
    line = next((text.strip() for text in (notes or '').splitlines() if text.strip()), '')
    return line.lstrip('#').strip()[:200]


def _vlan(cluster: str, vid: int, out: Collector) -> Ref:
    gkey = keys.vlan_group_key(cluster)
    if gkey not in out.objects.get('ipam.vlangroup', {}):
        cref = Ref('virtualization.cluster', keys.cluster_key(cluster))
        out.add(
            'ipam.vlangroup',
            gkey,
            {
                'name': f'{cluster} VLANs',
                'slug': f'pve-{slugify(cluster)}-vlans',
                'scope_type': 'virtualization.cluster',
                'scope_id': cref,
                **owned(gkey),
            },
            keys.cluster_key(cluster),
        )
    vkey = keys.vlan_key(cluster, vid)
    group = Ref('ipam.vlangroup', gkey)
    vlan_attrs = {'vid': vid, 'name': f'VLAN {vid}', 'group': group, 'status': 'active', **owned(vkey)}
    return out.add('ipam.vlan', vkey, vlan_attrs, keys.cluster_key(cluster))


def _vlan_attrs(nic: Nic, cluster: str, out: Collector) -> dict[str, Any]:
    untagged = _vlan(cluster, nic.tag, out) if nic.tag else None
    if nic.trunks:
        tagged = [_vlan(cluster, vid, out) for vid in sorted(set(nic.trunks))]
        return {'mode': 'tagged', 'untagged_vlan': untagged, 'tagged_vlans': tagged}
    return {'mode': 'access' if untagged else None, 'untagged_vlan': untagged, 'tagged_vlans': []}


def _describe(nic: Nic) -> str:
    what = nic.model if isinstance(nic, QemuNic) else nic.name
    return ' on '.join(part for part in (what, nic.bridge) if part)


def _map_nics(guest: Guest, cluster: str, vm: Ref, out: Collector) -> dict[str, Ref]:
    """Returns the interface reference for each NIC, by MAC and by name (netN and the LXC name)."""
    found: dict[str, Ref] = {}
    for nic in guest.nics:
        ikey = keys.guest_nic_key(cluster, guest.vmid, nic.index)
        attrs = {
            'virtual_machine': vm,
            'name': f'net{nic.index}',
            'enabled': not nic.link_down,
            'mtu': nic.mtu,
            'description': _describe(nic),
            **_vlan_attrs(nic, cluster, out),
            **owned(ikey),
        }
        ref = out.add('virtualization.vminterface', ikey, attrs, keys.cluster_key(cluster), parent=vm)
        found[f'net{nic.index}'] = ref
        if isinstance(nic, LxcNic) and nic.name:
            found[nic.name] = ref
        if nic.mac:
            found[nic.mac.upper()] = ref
            _map_mac(nic, guest.vmid, cluster, ref, out)
    return found


def _map_mac(nic: Nic, vmid: int, cluster: str, interface: Ref, out: Collector) -> None:
    mkey = keys.mac_key(cluster, vmid, nic.index)
    attrs = {
        'mac_address': (nic.mac or '').upper(),
        'assigned_object_type': 'virtualization.vminterface',
        'assigned_object_id': interface,
        **owned(mkey),
    }
    mac = out.add('dcim.macaddress', mkey, attrs, keys.cluster_key(cluster), parent=interface)
    out.add('virtualization.vminterface#mac', interface.key, {'primary_mac_address': mac}, keys.cluster_key(cluster))


def _interface_of(ip: GuestIp, interfaces: dict[str, Ref]) -> Ref | None:
    if ip.mac and ip.mac.upper() in interfaces:
        return interfaces[ip.mac.upper()]
    return interfaces.get(ip.interface or '')


def _map_ips(guest: Guest, cluster: str, vm: Ref, interfaces: dict[str, Ref], out: Collector) -> None:
    primary: dict[int, Ref] = {}
    for ip in guest.ips:
        interface = _interface_of(ip, interfaces)
        if interface is None:
            continue  # an address on something Proxmox does not know (a docker bridge in the guest)
        address = str(ipaddress.ip_interface(ip.address))
        ipkey = keys.guest_ip_key(cluster, guest.vmid, address)
        attrs = {
            'address': address,
            'status': 'active',
            'assigned_object_type': 'virtualization.vminterface',
            'assigned_object_id': interface,
            **owned(ipkey),
        }
        ref = out.add('ipam.ipaddress', ipkey, attrs, keys.cluster_key(cluster), parent=vm)
        primary.setdefault(ipaddress.ip_interface(address).version, ref)
    if not guest.ips_complete:
        return  # a guest agent that did not answer says nothing about the primary IPs: leave them be
    phase = {'primary_ip4': primary.get(4), 'primary_ip6': primary.get(6)}
    out.add('virtualization.virtualmachine#primary', vm.key, phase, keys.cluster_key(cluster))


def _size_mb(size: int | None) -> int:
    return math.ceil(size / _MIB) if size else 0


def _disk_attrs(disk: QemuDisk | LxcMount, vm: Ref, dkey: str) -> dict[str, Any]:
    return {
        'virtual_machine': vm,
        'name': disk.key,
        'size': _size_mb(disk.size_bytes),
        'description': (disk.volid or '')[:200],
        **owned(dkey),
    }


def _map_disks(guest: Guest, cluster: str, vm: Ref, out: Collector) -> None:
    disks: list[QemuDisk | LxcMount] = [d for d in guest.disks if d.kind in _DISK_KINDS and not d.empty]
    disks += [m for m in guest.mounts if m.kind == 'volume']
    for disk in disks:
        dkey = keys.disk_key(cluster, guest.vmid, disk.key)
        out.add('virtualization.virtualdisk', dkey, _disk_attrs(disk, vm, dkey), keys.cluster_key(cluster), parent=vm)

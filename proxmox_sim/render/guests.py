"""Guest payloads: list entries, ``/cluster/resources`` entries, agent and container interfaces, snapshots."""

from __future__ import annotations

from typing import Any

from ..errors import ApiError
from ..model import Guest, Nic
from ..version import PveVersion
from .config import config_digest

__all__ = ['agent_interfaces', 'guest_list_item', 'guest_resource', 'lxc_interfaces', 'snapshot_list']

MIB = 1024 * 1024
PRESSURE_KEYS = (
    'pressurecpusome',
    'pressurecpufull',
    'pressureiosome',
    'pressureiofull',
    'pressurememorysome',
    'pressurememoryfull',
)


def _stats(guest: Guest) -> dict[str, Any]:
    stats = guest.stats
    return {
        'uptime': stats.uptime,
        'cpu': stats.cpu,
        'mem': stats.mem,
        'disk': stats.disk,
        'netin': stats.netin,
        'netout': stats.netout,
        'diskread': stats.diskread,
        'diskwrite': stats.diskwrite,
    }


def _flags(guest: Guest, item: dict[str, Any]) -> None:
    if guest.tags:
        item['tags'] = ';'.join(guest.tags)
    if guest.lock:
        item['lock'] = guest.lock


def guest_list_item(guest: Guest, version: PveVersion) -> dict[str, Any]:
    """An entry of ``/nodes/{node}/qemu`` or ``/nodes/{node}/lxc``."""
    vmid: int | str = guest.vmid if guest.kind == 'qemu' or version.lxc_vmid_is_int else str(guest.vmid)
    item: dict[str, Any] = {'vmid': vmid}
    if guest.kind == 'lxc':
        item['type'] = 'lxc'
    item.update({'name': guest.name, 'status': guest.status, 'cpus': guest.vcpus, 'maxmem': guest.memory_mib * MIB})
    item['maxdisk'] = guest.maxdisk
    item.update(_stats(guest))
    if guest.kind == 'lxc':
        item.update({'swap': 0, 'maxswap': guest.swap_mib * MIB})
    if guest.running:
        item['pid'] = guest.stats.pid
        if version.is_nine:
            item.update(dict.fromkeys(PRESSURE_KEYS, 0))
    if guest.kind == 'qemu' and version.is_nine:
        item['memhost'] = guest.stats.mem
    if guest.template:
        item['template'] = 1
    _flags(guest, item)
    return item


def guest_resource(guest: Guest, version: PveVersion, node_online: bool) -> dict[str, Any]:
    """A guest entry of ``/cluster/resources``; guests on an offline node report ``unknown`` and no stats."""
    item: dict[str, Any] = {
        'id': f'{guest.kind}/{guest.vmid}',
        'type': guest.kind,
        'vmid': guest.vmid,
        'node': guest.node,
        'name': guest.name,
    }
    item['status'] = guest.status if node_online else 'unknown'
    item['template'] = int(guest.template)
    item.update({'maxcpu': guest.vcpus, 'maxmem': guest.memory_mib * MIB, 'maxdisk': guest.maxdisk})
    if node_online:
        item.update(_stats(guest))
        if guest.kind == 'qemu' and version.is_nine:
            item['memhost'] = guest.stats.mem
    if guest.pool:
        item['pool'] = guest.pool
    _flags(guest, item)
    if guest.ha is not None:
        item['hastate'] = guest.ha.state
    return item


def _link_local(mac: str) -> str:
    octets = [int(part, 16) for part in mac.split(':')]
    octets[0] ^= 0x02
    groups = [(octets[0] << 8) | octets[1], (octets[2] << 8) | 0xFF, 0xFE00 | octets[3], (octets[4] << 8) | octets[5]]
    return 'fe80::' + ':'.join(f'{group:x}' for group in groups)


def _addresses(nic: Nic, v4: str, v6: str) -> list[dict[str, Any]]:
    found = []
    if nic.ipv4:
        address, prefix = nic.ipv4.split('/')
        found.append({'ip-address-type': v4, 'ip-address': address, 'prefix': int(prefix)})
    if nic.ipv6:
        address, prefix = nic.ipv6.split('/')
        found.append({'ip-address-type': v6, 'ip-address': address, 'prefix': int(prefix)})
    found.append({'ip-address-type': v6, 'ip-address': _link_local(nic.mac), 'prefix': 64})
    return found


def _counters(guest: Guest, nic: Nic) -> dict[str, int]:
    share = nic.index + 1
    rx, tx = guest.stats.netin // share, guest.stats.netout // share
    return {
        'rx-bytes': rx,
        'rx-packets': rx // 1200,
        'rx-errs': 0,
        'rx-dropped': 0,
        'tx-bytes': tx,
        'tx-packets': tx // 1200,
        'tx-errs': 0,
        'tx-dropped': 0,
    }


def agent_interfaces(guest: Guest) -> dict[str, Any]:
    """``agent/network-get-interfaces``, or the 500 a real node answers, checked in Proxmox's order."""
    if guest.agent == 'none':
        raise ApiError(500, 'No QEMU guest agent configured')
    if not guest.running:
        raise ApiError(500, f'VM {guest.vmid} is not running')
    if guest.agent != 'ok':
        raise ApiError(500, 'QEMU guest agent is not running')
    windows = guest.ostype.startswith('win')
    loopback = {
        'name': 'Loopback Pseudo-Interface 1' if windows else 'lo',
        'hardware-address': '00:00:00:00:00:00',
        'ip-addresses': [
            {'ip-address-type': 'ipv4', 'ip-address': '127.0.0.1', 'prefix': 8},
            {'ip-address-type': 'ipv6', 'ip-address': '::1', 'prefix': 128},
        ],
    }
    result: list[dict[str, Any]] = [loopback]
    for nic in guest.nics:
        name = (f'Ethernet {nic.index + 1}' if nic.index else 'Ethernet') if windows else f'ens{18 + nic.index}'
        result.append(
            {
                'name': name,
                'hardware-address': nic.mac.lower(),
                'ip-addresses': _addresses(nic, 'ipv4', 'ipv6'),
                'statistics': _counters(guest, nic),
            }
        )
    return {'result': result}


def lxc_interfaces(guest: Guest) -> list[dict[str, Any]] | None:
    """``/lxc/{vmid}/interfaces``: null for a stopped container, ``inet``/``inet6`` address types."""
    if not guest.running:
        return None
    result: list[dict[str, Any]] = [
        {
            'name': 'lo',
            'hwaddr': '00:00:00:00:00:00',
            'hardware-address': '00:00:00:00:00:00',
            'inet': '127.0.0.1/8',
            'inet6': '::1/128',
            'ip-addresses': [
                {'ip-address-type': 'inet', 'ip-address': '127.0.0.1', 'prefix': 8},
                {'ip-address-type': 'inet6', 'ip-address': '::1', 'prefix': 128},
            ],
        },
    ]
    for nic in guest.nics:
        addresses = _addresses(nic, 'inet', 'inet6')
        entry: dict[str, Any] = {
            'name': f'eth{nic.index}',
            'hwaddr': nic.mac.lower(),
            'hardware-address': nic.mac.lower(),
        }
        if nic.ipv4:
            entry['inet'] = nic.ipv4
        entry['inet6'] = f'{addresses[-1]["ip-address"]}/64'
        entry['ip-addresses'] = addresses
        result.append(entry)
    return result


def snapshot_list(guest: Guest, config: dict[str, Any]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for snapshot in guest.snapshots:
        item: dict[str, Any] = {
            'name': snapshot.name,
            'snaptime': snapshot.snaptime,
            'description': snapshot.description,
        }
        if guest.kind == 'qemu':
            item['vmstate'] = int(snapshot.vmstate)
        if snapshot.parent:
            item['parent'] = snapshot.parent
        items.append(item)
    current: dict[str, Any] = {
        'name': 'current',
        'digest': config_digest(config),
        'running': int(guest.running),
        'description': 'You are here!',
    }
    if guest.snapshots:
        current['parent'] = guest.snapshots[-1].name
    items.append(current)
    return items

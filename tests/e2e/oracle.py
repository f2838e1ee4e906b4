"""
What NetBox must hold after a Full Update, derived from the simulator's ground truth (its
`/_sim/fleet` dump and, for node networks, its Proxmox API), written from Proxmox's semantics and
docs/concepts/mapping.md, never from the sync engine's code: a key (the `proxbox_id`, or the
plugin record's name) per object of every kind, and the fields a sample is compared on.

    expected = expect(world, node_networks)   # {kind: {key: {field: value}}}
"""

import ipaddress
import re
from datetime import UTC, datetime
from typing import Any

__all__ = ('KINDS', 'Expected', 'expect', 'guest_ips', 'utc')

Expected = dict[str, dict[str, dict[str, Any]]]
KINDS = (
    'cluster', 'plugin_cluster', 'device', 'plugin_node', 'interface', 'vm', 'vminterface', 'mac', 'vlan', 'ip',
    'disk', 'storage', 'snapshot', 'backup', 'backup_job', 'replication', 'task',
)  # fmt: skip

_IF_TYPES = {'bridge': 'bridge', 'OVSBridge': 'bridge', 'bond': 'lag', 'OVSBond': 'lag', 'vlan': 'virtual',
             'OVSIntPort': 'virtual', 'eth': 'other'}  # fmt: skip
_CONTENT = {'images', 'rootdir', 'vztmpl', 'iso', 'backup', 'snippets', 'import'}


def utc(epoch: int | None) -> str | None:
    return datetime.fromtimestamp(epoch, UTC).strftime('%Y-%m-%dT%H:%M:%SZ') if epoch else None


def slug(text: str) -> str:
    return re.sub(r'[^a-z0-9_-]+', '-', text.lower()).strip('-') or 'x'


def cidr(text: str) -> str:
    return str(ipaddress.ip_interface(text))


def _release(version: str) -> tuple[int, int]:
    major, minor = re.split(r'[.-]', version)[:2]
    return int(major), int(minor)


def expect(world: dict[str, Any], networks: dict[str, dict[str, list[dict[str, Any]]]]) -> Expected:
    """Every cluster of the dump; `networks[cluster][node]` is GET /nodes/{node}/network."""
    out: Expected = {kind: {} for kind in KINDS}
    for cluster in world['clusters']:
        _cluster(cluster, networks.get(cluster['name'], {}), out)
    return out


def _cluster(cluster: dict[str, Any], networks: dict[str, list[dict[str, Any]]], out: Expected) -> None:
    name, pve = cluster['name'], f'pve:{cluster["name"]}'
    out['cluster'][pve] = {'name': name, 'type': 'proxmox-ve', 'status': 'active'}
    nodes = {node['name']: node for node in cluster['nodes']}
    out['plugin_cluster'][name] = {'standalone': cluster['standalone'], 'node_count': len(nodes),
                                   'pve_version': cluster['version'], 'cluster': name, 'endpoint': name}  # fmt: skip
    for node in nodes.values():
        _node(pve, node, networks.get(node['name'], []), out)
    online = {node['name'] for node in nodes.values() if node['online']}
    names = _unique_names(cluster['guests'])
    release = _release(cluster['version'])
    for guest in cluster['guests']:
        if guest['node'] in online:
            _guest(pve, guest, names[guest['vmid']], release, out)
    _protection(pve, cluster, online, out)


def _node(pve: str, node: dict[str, Any], network: list[dict[str, Any]], out: Expected) -> None:
    key = f'{pve}/node/{node["name"]}'
    status = 'active' if node['online'] else 'offline'
    out['device'][key] = {'name': node['name'], 'status': status, 'cluster': pve.removeprefix('pve:'),
                          'role': 'proxmox-node', 'site': 'proxmox', 'device_type': 'proxmox-ve-node'}  # fmt: skip
    plugin = {'online': node['online'], 'device': node['name']}
    if node['online']:
        plugin |= {'ip_address': node['ip'], 'cpu_model': node['cpu_model'], 'memory_total': node['maxmem'],
                   'cpu_count': node['cpu_sockets'] * node['cpu_cores'] * 2}  # fmt: skip
    out['plugin_node'][node['name']] = plugin
    if not node['online']:
        return
    for item in network:
        if item.get('type') not in _IF_TYPES:
            continue
        ikey = f'{key}/if/{item["iface"]}'
        out['interface'][ikey] = {
            'name': item['iface'],
            'type': _IF_TYPES[item['type']],
            'enabled': bool(item.get('active')),
            'mtu': item.get('mtu'),
            'description': (item.get('comments') or '').strip()[:200],
        }
        for address in (item.get('cidr'), item.get('cidr6')):
            if address:
                out['ip'][f'{key}/ip/{address}'] = {'address': cidr(address), 'interface': item['iface'],
                                                    'vm': None, 'status': 'active'}  # fmt: skip


def _unique_names(guests: list[dict[str, Any]]) -> dict[int, str]:
    seen: set[str] = set()
    names = {}
    for guest in sorted(guests, key=lambda g: g['vmid']):
        name = guest['name'] if guest['name'].lower() not in seen else f'{guest["name"]} ({guest["vmid"]})'
        seen.add(name.lower())
        names[guest['vmid']] = name
    return names


def _guest_tags(guest: dict[str, Any]) -> list[str]:
    tags = {'proxbox', *(f'pve-{slug(tag)}' for tag in guest['tags'])}
    if guest['pool']:
        tags.add(f'pve-pool-{slug(guest["pool"])}')
    if guest['template']:
        tags.add('proxmox-template')
    return sorted(tags)


def _guest(pve: str, guest: dict[str, Any], name: str, release: tuple[int, int], out: Expected) -> None:
    key = f'{pve}/guest/{guest["vmid"]}'
    notes = next((line.strip() for line in guest['description'].splitlines() if line.strip()), '')
    status = 'offline' if guest['template'] else {'running': 'active', 'stopped': 'offline'}[guest['status']]
    ips = guest_ips(guest, release)
    out['vm'][key] = {
        'name': name,
        'status': status,
        'cluster': pve.removeprefix('pve:'),
        'device': guest['node'],
        'role': 'proxmox-vm' if guest['type'] == 'qemu' else 'proxmox-container',
        'vcpus': float(guest['cores'] * (guest['sockets'] if guest['type'] == 'qemu' else 1)),
        'memory': guest['memory_mib'],
        'description': notes.lstrip('#').strip()[:200],
        'comments': guest['description'],
        'site': 'proxmox',
        'platform': f'proxmox-{slug(guest["ostype"])}',
        'tags': _guest_tags(guest),
        'proxmox_vmid': guest['vmid'],
        'proxmox_ha_state': guest['ha']['state'] if guest['ha'] else None,
        'primary_ip4': next((ip for ip, _ in ips if ipaddress.ip_interface(ip).version == 4), None),
        'primary_ip6': next((ip for ip, _ in ips if ipaddress.ip_interface(ip).version == 6), None),
    }
    for nic in guest['nics']:
        _nic(pve, key, guest, nic, out)
    for address, index in ips:
        out['ip'][f'{key}/ip/{address}'] = {'address': address, 'interface': f'net{index}', 'vm': name,
                                            'status': 'active'}  # fmt: skip
    for disk in guest['disks']:
        _disk(key, guest, disk, out)


def _nic(pve: str, key: str, guest: dict[str, Any], nic: dict[str, Any], out: Expected) -> None:
    trunks = sorted(set(nic['trunks']))
    what = nic['model'] if guest['type'] == 'qemu' else f'eth{nic["index"]}'
    out['vminterface'][f'{key}/net{nic["index"]}'] = {
        'name': f'net{nic["index"]}',
        'enabled': not nic['link_down'],
        'mtu': None,
        'mode': 'tagged' if trunks else ('access' if nic['tag'] else None),
        'untagged_vlan': nic['tag'] or None,
        'tagged_vlans': trunks,
        'description': f'{what} on {nic["bridge"]}',
        'primary_mac_address': nic['mac'].upper(),
    }
    out['mac'][f'{key}/net{nic["index"]}/mac'] = {'mac_address': nic['mac'].upper(), 'interface': f'net{nic["index"]}'}
    for vid in [nic['tag'], *trunks]:
        if vid:
            group = f'{pve.removeprefix("pve:")} VLANs'
            out['vlan'][f'{pve}/vlan/{vid}'] = {'vid': vid, 'name': f'VLAN {vid}', 'group': group}


def guest_ips(guest: dict[str, Any], release: tuple[int, int]) -> list[tuple[str, int]]:
    """(address, NIC index): what a running guest reports (QEMU agent; LXC /interfaces from 8.1),
    else the static configuration (cloud-init ipconfigN; LXC ip=/ip6=). Loopback and link-local
    never count; an agent that does not answer leaves the configuration's addresses."""
    running = guest['status'] == 'running'
    if guest['type'] == 'qemu':
        reported = running and guest['agent'] == 'ok'
        static = [(nic, nic['ipv4_dhcp']) for nic in guest['nics']] if guest['cloudinit'] else []
    else:
        reported = running and release >= (8, 1)
        static = [(nic, nic['ipv4_dhcp']) for nic in guest['nics']]
    found = []
    for nic in guest['nics'] if reported else [nic for nic, _ in static]:
        dhcp = nic['ipv4_dhcp'] and not reported
        v4 = nic['ipv4'] if nic['ipv4'] and not dhcp else None
        v6 = nic['ipv6'] if nic['ipv6'] and not dhcp and (reported or guest['type'] == 'lxc' or v4) else None
        found += [(cidr(address), nic['index']) for address in (v4, v6) if address]
    return found


def _disk(key: str, guest: dict[str, Any], disk: dict[str, Any], out: Expected) -> None:
    volid = disk['volid']
    if guest['type'] == 'qemu':
        cloudinit = disk['volume'].endswith('-cloudinit')
        if volid == 'none' or (disk['media'] == 'cdrom' and not cloudinit):
            return
        size = 0 if cloudinit else disk['size_mib']
    else:
        if not disk['storage']:
            return
        size = disk['size_mib']
    out['disk'][f'{key}/disk/{disk["key"]}'] = {'name': disk['key'], 'size': size, 'description': volid[:200]}


def _protection(pve: str, cluster: dict[str, Any], online: set[str], out: Expected) -> None:
    nodes = sorted(node['name'] for node in cluster['nodes'])
    storages = {storage['storage']: storage for storage in cluster['storages']}
    for storage in storages.values():
        key = f'{pve}/storage/{storage["storage"]}'
        out['storage'][key] = {
            'type': storage['type'],
            'shared': storage['shared'],
            'enabled': not storage['disabled'],
            'content': sorted(set(storage['content']) & _CONTENT),
            'nodes': sorted(storage['nodes'] or nodes),
        }
        seen_on = storage['nodes'] or nodes
        if storage['shared'] or all(node in online for node in seen_on):  # else: the last known usage stays
            total = None if storage['disabled'] else storage['total'] * (1 if storage['shared'] else len(seen_on))
            out['storage'][key]['total'] = total
    guests = {guest['vmid']: guest for guest in cluster['guests'] if guest['node'] in online}
    for guest in guests.values():
        for snap in guest['snapshots']:
            out['snapshot'][f'{pve}/guest/{guest["vmid"]}/snapshot/{snap["name"]}'] = {
                'name': snap['name'],
                'parent': snap['parent'] or '',
                'vmstate': snap['vmstate'],
                'description': ' '.join(snap['description'].split())[:200],
                'snapshot_time': utc(snap['snaptime']),
            }
    for backup in cluster['backups']:
        storage = storages[backup['storage']]
        if storage['disabled'] or (backup['node'] and backup['node'] not in online):
            continue  # not listed (or a node that cannot be read): nothing to create
        out['backup'][f'{pve}/storage/{backup["storage"]}/backup/{backup["volid"]}'] = {
            'guest_id': backup['vmid'],
            'guest_type': backup['subtype'],
            'size': backup['size'],
            'protected': backup['protected'],
            'creation_time': utc(backup['ctime']),
            'storage': backup['storage'],
        }
    _jobs(pve, cluster, online, out)


def _jobs(pve: str, cluster: dict[str, Any], online: set[str], out: Expected) -> None:
    for job in cluster['backup_jobs']:
        selection = 'pool' if job['pool'] else ('guests' if job['vmids'] and not job['all'] else 'all')
        ids = [] if job['pool'] else sorted(set(job['vmids'] if selection == 'guests' else job['exclude']))
        out['backup_job'][f'{pve}/backup-job/{job["id"]}'] = {
            'schedule': job['schedule'],
            'enabled': job['enabled'],
            'mode': job['mode'],
            'compression': job['compress'],
            'selection': selection,
            'guest_ids': ids,
            'pool': job['pool'] or '',
            'storage': job['storage'],
            'keep_daily': job['keep_daily'],
            'keep_weekly': job['keep_weekly'],
        }
    where = {guest['vmid']: guest['node'] for guest in cluster['guests']}
    for job in cluster['replication']:
        out['replication'][f'{pve}/replication/{job["id"]}'] = {
            'guest_id': job['guest'],
            'source': where.get(job['guest']),
            'target': job['target'],
            'disabled': job['disable'],
            'rate': job['rate'],
        }
    for task in cluster['tasks']:
        if task['node'] not in online:
            continue
        status = task['status']
        state = 'ok' if status == 'OK' else ('warning' if status.startswith('WARNINGS') else 'error')
        out['task'][f'{pve}/task/{task["upid"]}'] = {
            'task_type': task['type'],
            'object_id': task['id'],
            'user': task['user'],
            'status': 'running' if task['endtime'] is None else state,
            'node': task['node'],
            'start_time': utc(task['starttime']),
        }

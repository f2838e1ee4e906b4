"""Changes to one cluster between syncs. The :class:`~proxmox_sim.fleet.Fleet` wraps each in its lock.

Each change records the task a real Proxmox would have run (``qmigrate``, ``qmsnapshot`` ...), stamped
with the cluster's logical clock so that task lists stay deterministic.
"""

from __future__ import annotations

import random
from typing import Any

from .errors import SimError
from .generator import allocate_address, make_backup, make_guest, make_task, new_mac
from .model import Backup, Cluster, Guest, Nic, ReplicationJob, Snapshot

__all__ = [
    'add_backup',
    'add_guest',
    'add_nic',
    'add_snapshot',
    'fail_replication',
    'find_guest',
    'migrate_guest',
    'now',
    'reconfigure_guest',
    'remove_backup',
    'remove_guest',
    'remove_snapshot',
    'resize_disk',
    'set_node_online',
]

RECONFIGURABLE = frozenset(
    {
        'name',
        'cores',
        'sockets',
        'memory',
        'tags',
        'description',
        'onboot',
        'lock',
        'status',
        'pool',
        'template',
        'agent',
    }
)
AGENT_STATES = ('none', 'down', 'ok')


def now(cluster: Cluster) -> int:
    return cluster.epoch + 60 * (cluster.revision + 1)


def _record(cluster: Cluster, node: str, task_type: str, task_id: str) -> None:
    cluster.tasks.append(make_task(cluster, node, task_type, task_id, now(cluster), 'OK'))


def find_guest(cluster: Cluster, vmid: int) -> Guest:
    guest = cluster.guests.get(int(vmid))
    if guest is None:
        raise SimError(f"guest {vmid} does not exist in cluster '{cluster.name}'", 404)
    return guest


def _check_node(cluster: Cluster, node: str) -> None:
    if node not in cluster.nodes:
        raise SimError(f"node '{node}' does not exist in cluster '{cluster.name}'", 404)


def add_guest(
    cluster: Cluster, rng: random.Random, kind: str, vmid: int | None, node: str | None, config: dict[str, Any]
) -> Guest:
    if kind not in ('qemu', 'lxc'):
        raise SimError(f"guest type must be 'qemu' or 'lxc', not {kind!r}")
    vmid = int(vmid) if vmid is not None else max(cluster.guests, default=99) + 1
    if vmid < 100 or vmid in cluster.guests:
        raise SimError(f'vmid {vmid} is invalid or already in use', 409)
    node = node or min(sorted(cluster.nodes), key=lambda name: len(cluster.guests_on(name)))
    _check_node(cluster, node)
    name = str(config.pop('name', f'new-{vmid}' if kind == 'qemu' else f'new-ct{vmid}'))
    guest = make_guest(rng, cluster, vmid, node, kind, name)
    guest.template, guest.lock = False, None
    cluster.guests[vmid] = guest
    reconfigure_guest(cluster, guest, {'status': 'running', **config})
    _record(cluster, node, 'qmcreate' if kind == 'qemu' else 'vzcreate', str(vmid))
    return guest


def remove_guest(cluster: Cluster, vmid: int) -> None:
    guest = find_guest(cluster, vmid)
    del cluster.guests[guest.vmid]
    cluster.backups = [backup for backup in cluster.backups if backup.vmid != guest.vmid]
    cluster.replication = [job for job in cluster.replication if job.guest != guest.vmid]
    for nic in guest.nics:
        cluster.macs.discard(nic.mac)
    _record(cluster, guest.node, 'qmdestroy' if guest.kind == 'qemu' else 'vzdestroy', str(guest.vmid))


def reconfigure_guest(cluster: Cluster, guest: Guest, changes: dict[str, Any]) -> None:
    unknown = sorted(set(changes) - RECONFIGURABLE)
    if unknown:
        raise SimError(f'cannot change {", ".join(unknown)}; allowed: {", ".join(sorted(RECONFIGURABLE))}')
    for key, value in changes.items():
        _apply(cluster, guest, key, value)


def _apply(cluster: Cluster, guest: Guest, key: str, value: Any) -> None:
    if key in ('cores', 'sockets', 'memory'):
        number = int(value)
        if number < 1:
            raise SimError(f'{key} must be positive')
        setattr(guest, 'memory_mib' if key == 'memory' else key, number)
    elif key == 'tags':
        items = value if isinstance(value, list) else str(value).replace(',', ';').split(';')
        guest.tags = sorted({str(tag).strip().lower() for tag in items if str(tag).strip()})
    elif key == 'status':
        _set_status(guest, str(value))
    elif key == 'pool':
        if value is not None and value not in cluster.pools:
            raise SimError(f"pool '{value}' does not exist", 404)
        guest.pool = value
    elif key == 'agent':
        if value not in AGENT_STATES or guest.kind != 'qemu':
            raise SimError(f'agent must be one of {", ".join(AGENT_STATES)} (QEMU only)')
        guest.agent = value
    elif key in ('onboot', 'template'):
        setattr(guest, key, bool(value))
    elif key == 'lock':
        guest.lock = str(value) if value else None
    else:  # name, description
        setattr(guest, key, str(value))


def _set_status(guest: Guest, status: str) -> None:
    if status not in ('running', 'stopped'):
        raise SimError("status must be 'running' or 'stopped'")
    if status == guest.status:
        return
    guest.status = status
    stats = guest.stats
    if status == 'stopped':
        stats.cpu = stats.mem = stats.uptime = stats.pid = stats.disk = 0
        stats.netin = stats.netout = stats.diskread = stats.diskwrite = 0
    else:
        stats.cpu, stats.mem, stats.uptime, stats.pid = 0.01, guest.memory_mib * 1024 * 1024 // 4, 60, 4242 + guest.vmid


def migrate_guest(cluster: Cluster, vmid: int, target: str) -> None:
    guest = find_guest(cluster, vmid)
    _check_node(cluster, target)
    if target == guest.node:
        raise SimError(f"guest {vmid} is already on node '{target}'", 409)
    if not cluster.nodes[target].online or not cluster.nodes[guest.node].online:
        raise SimError(f"cannot migrate guest {vmid}: node '{target}' or '{guest.node}' is offline", 409)
    source = guest.node
    guest.node = target
    for backup in cluster.backups:
        if backup.vmid == guest.vmid and backup.node == source:
            backup.node = target  # the file moves with it in this model: keeps node and storage views consistent
    for job in cluster.replication:
        if job.guest == guest.vmid and job.target == target:
            job.target = source  # Proxmox swaps source and target when a guest moves to its replica
    _record(cluster, source, 'qmigrate' if guest.kind == 'qemu' else 'vzmigrate', str(vmid))


def resize_disk(cluster: Cluster, vmid: int, disk: str, size_mib: int) -> None:
    """Grow a disk, as ``PUT .../resize`` does (Proxmox never shrinks one); logged as a ``resize`` task."""
    guest = find_guest(cluster, vmid)
    found = next((item for item in guest.disks if item.key == disk and item.media != 'cdrom'), None)
    if found is None:
        raise SimError(f"guest {vmid} has no disk '{disk}'", 404)
    if size_mib <= found.size_mib:
        raise SimError(f"shrinking disk '{disk}' is not supported: {size_mib} MiB <= {found.size_mib} MiB")
    found.size_mib = size_mib
    _record(cluster, guest.node, 'resize', str(vmid))


def add_nic(cluster: Cluster, rng: random.Random, vmid: int) -> Nic:
    """Add a network device on the cluster's first network (a config change: Proxmox logs no task for it)."""
    guest = find_guest(cluster, vmid)
    network = cluster.networks[0]
    index = max((nic.index for nic in guest.nics), default=-1) + 1
    model = 'veth' if guest.kind == 'lxc' else 'virtio'
    nic = Nic(index=index, model=model, mac=new_mac(rng, cluster), bridge=network.bridge, tag=network.vlan or None)
    nic.ipv4, nic.ipv6 = allocate_address(network)
    guest.nics.append(nic)
    return nic


def set_node_online(cluster: Cluster, node: str, online: bool) -> None:
    _check_node(cluster, node)
    cluster.nodes[node].online = online


def add_snapshot(cluster: Cluster, vmid: int, name: str, description: str = '', vmstate: bool = False) -> Snapshot:
    guest = find_guest(cluster, vmid)
    if not name or name == 'current' or any(snap.name == name for snap in guest.snapshots):
        raise SimError(f"snapshot name '{name}' is invalid or already used", 409)
    parent = guest.snapshots[-1].name if guest.snapshots else None
    snapshot = Snapshot(name, now(cluster), description, vmstate and guest.kind == 'qemu', parent)
    guest.snapshots.append(snapshot)
    _record(cluster, guest.node, 'qmsnapshot' if guest.kind == 'qemu' else 'vzsnapshot', str(vmid))
    return snapshot


def remove_snapshot(cluster: Cluster, vmid: int, name: str) -> None:
    guest = find_guest(cluster, vmid)
    for position, snapshot in enumerate(guest.snapshots):
        if snapshot.name == name:
            del guest.snapshots[position]
            for child in guest.snapshots:
                if child.parent == name:
                    child.parent = snapshot.parent
            _record(cluster, guest.node, 'qmdelsnapshot' if guest.kind == 'qemu' else 'vzdelsnapshot', str(vmid))
            return
    raise SimError(f"snapshot '{name}' does not exist", 404)


def add_backup(cluster: Cluster, rng: random.Random, vmid: int, storage: str | None) -> Backup:
    guest = find_guest(cluster, vmid)
    candidates = [s.storage for s in cluster.storages.values() if 'backup' in s.content and not s.disabled]
    storage = storage or candidates[-1]
    if storage not in candidates:
        raise SimError(f"storage '{storage}' does not exist or holds no backups", 404)
    backup = make_backup(rng, cluster, guest, storage, now(cluster))
    cluster.backups.append(backup)
    _record(cluster, guest.node, 'vzdump', str(vmid))
    return backup


def fail_replication(cluster: Cluster, job_id: str, error: str) -> ReplicationJob:
    for job in cluster.replication:
        if job.id == job_id:
            job.fail_count += 1
            job.error = error
            return job
    raise SimError(f"replication job '{job_id}' does not exist", 404)


def remove_backup(cluster: Cluster, volid: str) -> None:
    for position, backup in enumerate(cluster.backups):
        if backup.volid == volid:
            del cluster.backups[position]
            return
    raise SimError(f"backup '{volid}' does not exist", 404)

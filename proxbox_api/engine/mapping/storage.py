"""Storages (with the nodes that see them and their usage) and the backups they hold."""

import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from ...proxmox import DataProtectionSnapshot, ProxmoxSnapshot
from ...proxmox.protection_models import Backup, Storage, StorageStatus
from .. import keys
from ..records import Ref
from .context import Collector
from .infra import owned

__all__ = ['STORAGE', 'BACKUP', 'map_backups', 'map_storages', 'utc_text']

STORAGE = 'netbox_proxbox.proxmoxstorage'
BACKUP = 'netbox_proxbox.vmbackup'
PLUGIN_CLUSTER = 'netbox_proxbox.proxmoxcluster'
PLUGIN_NODE = 'netbox_proxbox.proxmoxnode'
VM = 'virtualization.virtualmachine'

# The plugin's StorageContentChoices; anything else (``none``, future types) is left out.
_CONTENT = frozenset({'images', 'rootdir', 'vztmpl', 'iso', 'backup', 'snippets', 'import'})
_VERIFICATION = frozenset({'ok', 'failed'})
_VMID_IN_VOLID = re.compile(r'(?:vzdump-(qemu|lxc|openvz)-|backup/(vm|ct)/)(\d+)')


def utc_text(epoch: int | None) -> str | None:
    """A Proxmox epoch time as NetBox's REST API writes date-times (UTC, ``...Z``); 0 means never."""
    if not epoch:
        return None
    return datetime.fromtimestamp(epoch, UTC).strftime('%Y-%m-%dT%H:%M:%SZ')


def _usage(storage: Storage, seen: list[StorageStatus], nodes: list[str], readable: frozenset[str]) -> dict[str, Any]:
    """Total/used/available: a shared storage's from any node, a local one's summed over its nodes.
    Left out (NetBox keeps the last known figures) when the nodes that hold it could not be read."""
    read = [node in readable for node in nodes]
    if not any(read) or (not storage.shared and not all(read)):
        return {}
    active = [status for status in seen if status.active and status.total]
    if not active:
        return {'total': None, 'used': None, 'available': None}
    parts = active[:1] if storage.shared else active
    total = sum(status.total or 0 for status in parts)
    used = sum(status.used or 0 for status in parts)
    free = sum(s.avail if s.avail is not None else (s.total or 0) - (s.used or 0) for s in parts)
    return {'total': total, 'used': used, 'available': max(free, 0)}


def map_storages(
    snapshot: ProxmoxSnapshot, data: DataProtectionSnapshot, cluster: str, readable: frozenset[str], out: Collector
) -> dict[str, Ref]:
    """One ProxmoxStorage per storage.cfg entry; returns the storage references by storage id."""
    ckey = keys.cluster_key(cluster)
    all_nodes = [node.name for node in snapshot.nodes]
    plugin_nodes = out.objects.get(PLUGIN_NODE, {})
    refs: dict[str, Ref] = {}
    for storage in data.storages:
        key = keys.storage_key(cluster, storage.storage)
        nodes = [node for node in (storage.nodes or all_nodes) if node in all_nodes]
        node_refs = [Ref(PLUGIN_NODE, keys.node_key(cluster, n)) for n in nodes]
        seen = [status for status in data.storage_status if status.storage == storage.storage]
        attrs = {
            'cluster': Ref(PLUGIN_CLUSTER, ckey),
            'name': storage.storage[:100],
            'type': storage.type,
            'content': sorted(set(storage.content) & _CONTENT),
            'shared': storage.shared,
            'enabled': storage.enabled,
            'path': storage.path or '',
            'nodes': [ref for ref in node_refs if ref.key in plugin_nodes],
            **_usage(storage, seen, nodes, readable),
            **owned(key),
        }
        refs[storage.storage] = out.add(STORAGE, key, attrs, ckey)
    return refs


def _guest(backup: Backup) -> tuple[int | None, str]:
    """The backup's VMID and guest type, from the listing or else from its volume id."""
    match = _VMID_IN_VOLID.search(backup.volid)
    kind = backup.subtype or (match and (match.group(1) or match.group(2))) or ''
    vmid = backup.vmid if backup.vmid is not None else (int(match.group(3)) if match else None)
    return vmid, 'qemu' if kind in ('qemu', 'vm') else 'lxc'


def _backup_attrs(backup: Backup, vmid: int, guest_type: str, cluster: str, storage: Ref) -> dict[str, Any]:
    return {
        'storage': storage,
        'volume_id': backup.volid[:500],
        'virtual_machine': Ref(VM, keys.guest_key(cluster, vmid), optional=True),
        'guest_id': vmid,
        'guest_type': guest_type,
        'format': (backup.format or '')[:30],
        'size': backup.size,
        'creation_time': utc_text(backup.ctime),
        'notes': backup.notes or '',
        'protected': backup.protected,
        'verification_state': backup.verification if backup.verification in _VERIFICATION else 'none',
        'encrypted': backup.encrypted,
    }


def map_backups(backups: Iterable[Backup], cluster: str, storages: Mapping[str, Ref], out: Collector) -> None:
    """One VMBackup per archive on a storage that was mapped, linked to its guest when NetBox has it."""
    ckey = keys.cluster_key(cluster)
    for backup in backups:
        storage = storages.get(backup.storage)
        if storage is None:
            continue  # its storage is not in storage.cfg any more, or could not be read
        vmid, guest_type = _guest(backup)
        key = keys.backup_key(cluster, backup.storage, backup.volid)
        if vmid is None:
            out.warnings.append(f'{cluster}: backup {backup.volid} names no guest; left out')
            continue
        if key in out.objects.get(BACKUP, {}):
            out.warnings.append(f'{cluster}: backup {backup.volid} is on two nodes; synced once')
            continue
        attrs = {**_backup_attrs(backup, vmid, guest_type, cluster, storage), **owned(key)}
        out.add(BACKUP, key, attrs, ckey, parent=storage)

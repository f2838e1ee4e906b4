"""Storage payloads: configuration, per-node status, ``/cluster/resources`` entries and backup content."""

from __future__ import annotations

import hashlib
from typing import Any

from ..model import Backup, Cluster, Node, Storage

__all__ = ['backup_content', 'node_storage', 'storage_config', 'storage_resource']


def storage_config(storage: Storage) -> dict[str, Any]:
    item: dict[str, Any] = {'storage': storage.storage, 'type': storage.type, **storage.settings}
    item['content'] = ','.join(storage.content)
    if storage.shared and storage.type in ('dir', 'lvm'):
        item['shared'] = 1
    if 'backup' in storage.content:
        item['prune-backups'] = 'keep-all=1'
    if storage.nodes:
        item['nodes'] = ','.join(storage.nodes)
    if storage.disabled:
        item['disable'] = 1
    item['digest'] = hashlib.sha1(repr(sorted(item.items())).encode()).hexdigest()
    return item


def _available(storage: Storage, node: Node) -> bool:
    return node.online and not storage.disabled


def storage_resource(storage: Storage, node: Node) -> dict[str, Any]:
    item: dict[str, Any] = {
        'id': f'storage/{node.name}/{storage.storage}',
        'type': 'storage',
        'storage': storage.storage,
        'node': node.name,
        'plugintype': storage.type,
        'status': 'available' if _available(storage, node) else 'unknown',
        'shared': int(storage.shared),
        'content': ','.join(storage.content),
    }
    if _available(storage, node):
        item.update({'disk': storage.used, 'maxdisk': storage.total})
    return item


def node_storage(cluster: Cluster, node: Node, filters: dict[str, str]) -> list[dict[str, Any]]:
    """``/nodes/{node}/storage`` filtered by ``content``, ``enabled`` and ``storage``."""
    items = []
    for storage in cluster.storages.values():
        if not storage.on_node(node.name):
            continue
        if 'content' in filters and filters['content'] not in storage.content:
            continue
        if filters.get('enabled') in ('1', 'true', 'yes', 'on') and storage.disabled:
            continue
        if 'storage' in filters and filters['storage'] != storage.storage:
            continue
        items.append(_storage_status(storage))
    return items


def _storage_status(storage: Storage) -> dict[str, Any]:
    active = not storage.disabled
    total, used = (storage.total, storage.used) if active else (0, 0)
    item: dict[str, Any] = {
        'storage': storage.storage,
        'type': storage.type,
        'content': ','.join(storage.content),
        'active': int(active),
        'enabled': int(active),
        'shared': int(storage.shared),
        'total': total,
        'used': used,
        'avail': total - used,
    }
    if total:
        item['used_fraction'] = round(used / total, 6)
    return item


def _backup_item(backup: Backup) -> dict[str, Any]:
    item: dict[str, Any] = {
        'volid': backup.volid,
        'content': 'backup',
        'format': backup.format,
        'subtype': backup.subtype,
        'vmid': backup.vmid,
        'ctime': backup.ctime,
        'size': backup.size,
    }
    if backup.notes:
        item['notes'] = backup.notes
    if backup.protected:
        item['protected'] = 1
    if backup.verified:
        upid = f'UPID:pbs:000003E8:0000ABCD:00000002:{backup.ctime + 3600:08X}:verificationjob:store1:root@pam:'
        item['verification'] = {'state': backup.verified, 'upid': upid}
    if backup.encrypted:
        item['encrypted'] = backup.encrypted
    return item


def backup_content(cluster: Cluster, storage: Storage, node: Node, vmid: int | None) -> list[dict[str, Any]]:
    """Backups visible on ``storage`` from ``node``: all of a shared storage, the node's own of a local one."""
    items = []
    for backup in cluster.backups:
        if backup.storage != storage.storage or (backup.node is not None and backup.node != node.name):
            continue
        if vmid is not None and backup.vmid != vmid:
            continue
        items.append(_backup_item(backup))
    return items

"""Converters from raw data-protection API items to the frozen models (pure, tolerant of 0/1 and strings)."""

import re
from collections.abc import Mapping
from typing import Any

from ._values import as_bool, as_dict, as_int, as_str
from .protection_models import Backup, BackupJob, GuestSnapshot, ReplicationJob, Storage, StorageStatus, Task

__all__ = ['backup', 'backup_job', 'guest_snapshot', 'replication_job', 'storage', 'storage_status', 'task']


def _split(value: object) -> tuple[str, ...]:
    return tuple(part for part in re.split(r'[,;\s]+', as_str(value) or '') if part)


def _ints(value: object) -> tuple[int, ...]:
    return tuple(int(part) for part in _split(value) if part.isascii() and part.isdigit())


def _number(value: object) -> float | None:
    try:
        return float(str(value)) if value is not None else None
    except ValueError:
        return None


# Storage types that are shared by nature (storage.cfg only says ``shared`` for dir/lvm-like ones).
_SHARED_TYPES = frozenset({'nfs', 'cifs', 'cephfs', 'rbd', 'pbs', 'glusterfs', 'iscsi', 'iscsidirect', 'zfs'})
# Where a storage lives: on a server, its export/share/datastore; else its local path, pool or VG.
_REMOTE_KEYS = ('export', 'share', 'datastore', 'pool', 'volume', 'target', 'path')
_LOCAL_KEYS = ('path', 'pool', 'vgname', 'target')


def _first(item: Mapping[str, Any], keys: tuple[str, ...]) -> str | None:
    return next((text for text in (as_str(item.get(key)) for key in keys) if text), None)


def _location(item: Mapping[str, Any]) -> str | None:
    server = as_str(item.get('server')) or as_str(item.get('portal')) or as_str(item.get('monhost'))
    place = _first(item, _REMOTE_KEYS) if server else _first(item, _LOCAL_KEYS)
    text = f'{server}:{place}' if server and place else (server or place)
    return text[:255] if text else None


def storage(item: Mapping[str, Any]) -> Storage:
    content = _split(item.get('content'))
    kind = as_str(item.get('type')) or 'unknown'
    return Storage(
        storage=str(item['storage']),
        type=kind,
        content=() if content == ('none',) else content,
        shared=as_bool(item.get('shared')) or kind in _SHARED_TYPES,
        enabled=not as_bool(item.get('disable')),
        nodes=_split(item.get('nodes')),
        path=_location(item),
    )


def storage_status(node: str, item: Mapping[str, Any]) -> StorageStatus:
    return StorageStatus(
        node=node,
        storage=str(item['storage']),
        type=as_str(item.get('type')) or 'unknown',
        active=as_bool(item.get('active')),
        enabled=as_bool(item.get('enabled')),
        shared=as_bool(item.get('shared')),
        total=as_int(item.get('total')),
        used=as_int(item.get('used')),
        avail=as_int(item.get('avail')),
    )


def backup(node: str, storage_id: str, item: Mapping[str, Any]) -> Backup:
    return Backup(
        volid=str(item['volid']),
        storage=storage_id,
        node=node,
        vmid=as_int(item.get('vmid')),
        subtype=as_str(item.get('subtype')),
        format=as_str(item.get('format')),
        ctime=as_int(item.get('ctime')),
        size=as_int(item.get('size')),
        notes=as_str(item.get('notes')),
        protected=as_bool(item.get('protected')),
        verification=as_str(as_dict(item.get('verification')).get('state')),
        encrypted=bool(item.get('encrypted')),
    )


def guest_snapshot(vmid: int, kind: str, node: str, item: Mapping[str, Any]) -> GuestSnapshot:
    return GuestSnapshot(
        vmid=vmid,
        type=kind,
        node=node,
        name=str(item['name']),
        snaptime=as_int(item.get('snaptime')),
        description=as_str(item.get('description')),
        parent=as_str(item.get('parent')),
        vmstate=as_bool(item.get('vmstate')),
    )


def _keep(value: object) -> tuple[tuple[str, int], ...]:
    """``prune-backups``: an object (9.x: ``{"keep-daily": "7"}``) or a property string (``keep-daily=7,...``)."""
    raw: Mapping[str, Any] = as_dict(value)
    if not raw and as_str(value):
        raw = dict(part.split('=', 1) for part in _split(value) if '=' in part)
    pairs = ((str(key).removeprefix('keep-'), as_int(count)) for key, count in raw.items())
    return tuple(sorted((key, count) for key, count in pairs if count is not None and key != 'all'))


def backup_job(item: Mapping[str, Any]) -> BackupJob:
    return BackupJob(
        id=str(item['id']),
        enabled=as_bool(item.get('enabled', 1)),
        schedule=as_str(item.get('schedule')),
        storage=as_str(item.get('storage')),
        mode=as_str(item.get('mode')),
        all=as_bool(item.get('all')),
        vmids=_ints(item.get('vmid')),
        exclude=_ints(item.get('exclude')),
        pool=as_str(item.get('pool')),
        node=as_str(item.get('node')),
        next_run=as_int(item.get('next-run')),
        comment=as_str(item.get('comment')),
        compress=as_str(item.get('compress')),
        keep=_keep(item.get('prune-backups')),
    )


def replication_job(item: Mapping[str, Any], state: Mapping[str, Any]) -> ReplicationJob:
    """Config from ``/cluster/replication`` merged with the source node's ``/nodes/{node}/replication`` entry."""
    return ReplicationJob(
        id=str(item['id']),
        guest=as_int(item.get('guest')) or 0,
        source=as_str(item.get('source')),
        target=as_str(item.get('target')) or '',
        schedule=as_str(item.get('schedule')) or '*/15',
        enabled=not as_bool(item.get('disable')),
        rate=_number(item.get('rate')),
        comment=as_str(item.get('comment')),
        last_sync=as_int(state.get('last_sync')),
        last_try=as_int(state.get('last_try')),
        next_sync=as_int(state.get('next_sync')),
        duration=_number(state.get('duration')),
        fail_count=as_int(state.get('fail_count')) or 0,
        error=as_str(state.get('error')),
    )


_UPID_RE = re.compile(r'^UPID:([^:]+):[0-9A-Fa-f]{8}:[0-9A-Fa-f]{8,9}:([0-9A-Fa-f]{8}):([^:]*):([^:]*):([^:]*):$')


def task(item: Mapping[str, Any]) -> Task:
    """A task; fields missing from the item are taken from its UPID (node, start, type, id, user)."""
    upid = str(item['upid'])
    match = _UPID_RE.match(upid)
    node, start, kind, oid, user = match.groups() if match else ('', None, '', '', '')
    return Task(
        upid=upid,
        node=as_str(item.get('node')) or node,
        type=as_str(item.get('type')) or kind,
        id=as_str(item.get('id')) or oid or None,
        user=as_str(item.get('user')) or user or None,
        starttime=as_int(item.get('starttime')) or (int(start, 16) if start else None),
        endtime=as_int(item.get('endtime')),
        status=as_str(item.get('status')),
    )

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


def storage(item: Mapping[str, Any]) -> Storage:
    content = _split(item.get('content'))
    return Storage(
        storage=str(item['storage']),
        type=as_str(item.get('type')) or 'unknown',
        content=() if content == ('none',) else content,
        shared=as_bool(item.get('shared')),
        enabled=not as_bool(item.get('disable')),
        nodes=_split(item.get('nodes')),
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


def task(item: Mapping[str, Any]) -> Task:
    return Task(
        upid=str(item['upid']),
        node=as_str(item.get('node')) or '',
        type=as_str(item.get('type')) or '',
        id=as_str(item.get('id')),
        user=as_str(item.get('user')),
        starttime=as_int(item.get('starttime')),
        endtime=as_int(item.get('endtime')),
        status=as_str(item.get('status')),
    )

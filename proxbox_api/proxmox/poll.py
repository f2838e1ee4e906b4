"""A cheap look at one cluster, for continuous mode: ``/cluster/resources?type=vm`` and
``/cluster/tasks``, two requests whatever the size of the cluster.

Each guest is reduced to a fingerprint of what ``/cluster/resources`` says of it (name, node,
status, template, tags, CPUs, memory, disk size, lock, pool, HA state); each recent task to its UPID,
start time, type and the VMID it names. Comparing two looks (``engine.poll``) tells which guests
appeared, disappeared, moved, were renamed, resized, re-tagged, started or stopped, or had a task.
"""

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict

from ._values import as_dict, as_int, as_list, as_str
from .client import ProxmoxClient

__all__ = ['PollSnapshot', 'TaskMark', 'fingerprint', 'read_poll']

# What of a guest's /cluster/resources entry a sync would write (or that says it changed).
_FINGERPRINTED = (
    'name',
    'node',
    'status',
    'template',
    'tags',
    'maxcpu',
    'maxmem',
    'maxdisk',
    'lock',
    'pool',
    'hastate',
)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra='forbid')


class TaskMark(_Frozen):
    upid: str
    starttime: int
    type: str
    vmid: int | None = None
    running: bool = False


class PollSnapshot(_Frozen):
    """One look at a cluster: VMID -> fingerprint of each guest, and the recent tasks."""

    guests: dict[int, str]
    tasks: tuple[TaskMark, ...] = ()


def fingerprint(item: Mapping[str, Any]) -> str:
    """A short, stable digest of a guest's resources entry (the fields a sync cares about)."""
    picked = {name: item.get(name) for name in _FINGERPRINTED}
    return hashlib.sha256(json.dumps(picked, sort_keys=True, default=str).encode()).hexdigest()[:16]


def _task(item: Mapping[str, Any]) -> TaskMark | None:
    upid, start = as_str(item.get('upid')), as_int(item.get('starttime'))
    if upid is None or start is None:
        return None
    task_id = as_str(item.get('id')) or ''
    return TaskMark(
        upid=upid,
        starttime=start,
        type=as_str(item.get('type')) or '',
        vmid=int(task_id) if task_id.isdigit() else None,
        running=item.get('endtime') is None and item.get('status') in (None, 'running', ''),
    )


async def read_poll(client: ProxmoxClient) -> PollSnapshot:
    """The guests and the recent tasks of the cluster behind ``client`` (raises ``ProxmoxError``)."""
    resources = as_list(await client.get('/cluster/resources', params={'type': 'vm'}))
    guests: dict[int, str] = {}
    for item in map(as_dict, resources):
        vmid = as_int(item.get('vmid'))
        if vmid is not None and item.get('type') in ('qemu', 'lxc'):
            guests[vmid] = fingerprint(item)
    tasks = (_task(item) for item in map(as_dict, as_list(await client.get('/cluster/tasks'))))
    return PollSnapshot(guests=guests, tasks=tuple(task for task in tasks if task is not None))

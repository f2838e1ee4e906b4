"""Guest snapshots, backup jobs, replication jobs with their state, and the task history."""

import re
from collections.abc import Iterable, Mapping
from typing import Any

from ...proxmox.protection_models import BackupJob, GuestSnapshot, ReplicationJob, Task
from .. import keys
from ..records import Ref
from .context import Collector
from .infra import owned
from .storage import PLUGIN_CLUSTER, PLUGIN_NODE, STORAGE, VM, utc_text

__all__ = [
    'REPLICATION',
    'ROUTINE',
    'SNAPSHOT',
    'TASK',
    'map_replications',
    'map_routines',
    'map_snapshots',
    'map_tasks',
]

SNAPSHOT = 'netbox_proxbox.vmsnapshot'
ROUTINE = 'netbox_proxbox.backuproutine'
REPLICATION = 'netbox_proxbox.replication'
TASK = 'netbox_proxbox.vmtaskhistory'

_MODES = frozenset({'snapshot', 'suspend', 'stop'})
_COMPRESSION = frozenset({'0', '1', 'gzip', 'lzo', 'zstd'})
_KEEP = ('last', 'hourly', 'daily', 'weekly', 'monthly', 'yearly')
# Task types whose id is a guest's VMID: qmstart, qmigrate, vzdump, vzstart, ...
_GUEST_TASK = re.compile(r'^(qm|vz)')


def _line(text: str | None, limit: int) -> str:
    return ' '.join((text or '').split())[:limit]


def map_snapshots(snapshots: Iterable[GuestSnapshot], cluster: str, out: Collector) -> None:
    """One VMSnapshot per snapshot of a guest whose VM is synced in this run."""
    ckey = keys.cluster_key(cluster)
    vms = out.objects.get(VM, {})
    for snap in snapshots:
        gkey = keys.guest_key(cluster, snap.vmid)
        if gkey not in vms:
            continue  # the guest is not synced (switched off, skipped or unreadable): it is protected
        key = keys.snapshot_key(cluster, snap.vmid, snap.name)
        vm = Ref(VM, gkey)
        attrs = {
            'virtual_machine': vm,
            'name': snap.name[:100],
            'parent': (snap.parent or '')[:100],
            'snapshot_time': utc_text(snap.snaptime),
            'vmstate': snap.vmstate,
            'description': _line(snap.description, 200),
            **owned(key),
        }
        out.add(SNAPSHOT, key, attrs, ckey, parent=vm)


def _selection(job: BackupJob) -> tuple[str, list[int], str]:
    """(selection, guest_ids, pool): guests excluded from "all", the guests listed, or the pool."""
    if job.pool:
        return 'pool', [], job.pool[:100]
    if job.vmids and not job.all:
        return 'guests', sorted(set(job.vmids)), ''
    return 'all', sorted(set(job.exclude)), ''


def map_routines(jobs: Iterable[BackupJob], cluster: str, out: Collector) -> None:
    ckey = keys.cluster_key(cluster)
    for job in jobs:
        key = keys.backup_job_key(cluster, job.id)
        selection, guest_ids, pool = _selection(job)
        keep = dict(job.keep)
        storage = Ref(STORAGE, keys.storage_key(cluster, job.storage), optional=True) if job.storage else None
        attrs: dict[str, Any] = {
            'cluster': Ref(PLUGIN_CLUSTER, ckey),
            'job_id': job.id[:100],
            'schedule': (job.schedule or '')[:200],
            'enabled': job.enabled,
            'storage': storage,
            'node': (job.node or '')[:100],
            'mode': job.mode if job.mode in _MODES else 'snapshot',
            'compression': job.compress if job.compress in _COMPRESSION else '',
            'selection': selection,
            'guest_ids': guest_ids,
            'pool': pool,
            **{f'keep_{name}': keep.get(name) for name in _KEEP},
            'next_run': utc_text(job.next_run),
            'comment': _line(job.comment, 500),
            **owned(key),
        }
        out.add(ROUTINE, key, attrs, ckey)


def map_replications(
    jobs: Iterable[ReplicationJob], cluster: str, guest_nodes: Mapping[int, str], state_unknown: frozenset[str],
    out: Collector,
) -> None:  # fmt: skip
    """One Replication per job; its last state only when the source node's status could be read."""
    ckey = keys.cluster_key(cluster)
    for job in jobs:
        key = keys.replication_key(cluster, job.id)
        source = job.source or guest_nodes.get(job.guest)
        attrs: dict[str, Any] = {
            'cluster': Ref(PLUGIN_CLUSTER, ckey),
            'job_id': job.id[:50],
            'guest_id': job.guest,
            'virtual_machine': Ref(VM, keys.guest_key(cluster, job.guest), optional=True),
            'source': Ref(PLUGIN_NODE, keys.node_key(cluster, source), optional=True) if source else None,
            'target': Ref(PLUGIN_NODE, keys.node_key(cluster, job.target), optional=True) if job.target else None,
            'schedule': job.schedule[:200],
            'rate': job.rate,
            'disabled': not job.enabled,
            'comment': _line(job.comment, 500),
            **owned(key),
        }
        if source is not None and source not in state_unknown:
            attrs.update(
                last_sync=utc_text(job.last_sync),
                next_sync=utc_text(job.next_sync),
                duration=job.duration,
                fail_count=job.fail_count,
                error=job.error or '',
            )
        out.add(REPLICATION, key, attrs, ckey)


def _task_status(task: Task) -> tuple[str, str]:
    """(status, exit status): running, ok, warning (``WARNINGS: N``) or error (any other text)."""
    text = (task.status or '').strip()
    if task.endtime is None and text.upper() in ('', 'RUNNING'):
        return 'running', ''
    if text == 'OK':
        return 'ok', text
    return ('warning' if text.startswith('WARNINGS') else 'error'), text[:500]


def _task_guest(task: Task, cluster: str) -> Ref | None:
    if task.id and task.id.isdigit() and _GUEST_TASK.match(task.type):
        return Ref(VM, keys.guest_key(cluster, int(task.id)), optional=True)
    return None


def map_tasks(tasks: Iterable[Task], cluster: str, since: int | None, out: Collector) -> None:
    """One VMTaskHistory per task (by UPID) started inside the window, on a node synced in this run."""
    ckey = keys.cluster_key(cluster)
    nodes = out.objects.get(PLUGIN_NODE, {})
    for task in tasks:
        node_key = keys.node_key(cluster, task.node)
        if task.starttime is None or (since is not None and task.starttime < since) or node_key not in nodes:
            continue
        key = keys.task_key(cluster, task.upid)
        status, exit_status = _task_status(task)
        attrs = {
            'node': Ref(PLUGIN_NODE, node_key),
            'upid': task.upid[:255],
            'task_type': task.type[:50],
            'object_id': (task.id or '')[:100],
            'user': (task.user or 'unknown')[:100],
            'start_time': utc_text(task.starttime),
            'end_time': utc_text(task.endtime),
            'status': status,
            'exit_status': exit_status,
            'virtual_machine': _task_guest(task, cluster),
            **owned(key),
        }
        out.add(TASK, key, attrs, ckey)

"""Job and bookkeeping payloads: backup jobs, replication, tasks, pools and HA resources."""

from __future__ import annotations

import hashlib
import re
from typing import Any

from ..model import BackupJob, Cluster, Guest, ReplicationJob, Task

__all__ = [
    'backup_jobs',
    'cluster_replication',
    'cluster_tasks',
    'ha_resources',
    'node_replication',
    'node_tasks',
    'pool_detail',
    'pool_list',
    'task_status',
]

DAYS = ('mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun')
_TIME_RE = re.compile(r'(\d{1,2}):(\d{2})$')


def _next_run(schedule: str, now: int) -> int:
    """The next start of a ``[days] HH:MM`` calendar event after ``now`` (UTC; enough for a simulator)."""
    match = _TIME_RE.search(schedule)
    hour, minute = (int(match[1]), int(match[2])) if match else (0, 0)
    spec = schedule[: match.start()].strip() if match else ''
    allowed = _days(spec)
    start = now - now % 86400 + hour * 3600 + minute * 60
    for offset in range(8):
        candidate = start + offset * 86400
        weekday = (candidate // 86400 + 3) % 7  # 1970-01-01 was a Thursday
        if candidate > now and DAYS[weekday] in allowed:
            return candidate
    return start + 86400


def _days(spec: str) -> tuple[str, ...]:
    if not spec or spec.startswith('*'):
        return DAYS
    if '..' in spec:
        first, last = spec.split('..')
        return DAYS[DAYS.index(first) : DAYS.index(last) + 1]
    return tuple(day for day in spec.split(',') if day in DAYS)


def _backup_job(job: BackupJob, now: int) -> dict[str, Any]:
    item: dict[str, Any] = {'id': job.id, 'type': 'vzdump', 'enabled': int(job.enabled), 'schedule': job.schedule}
    if job.enabled:
        item['next-run'] = _next_run(job.schedule, now)
    item.update({'storage': job.storage, 'mode': job.mode, 'compress': job.compress})
    if job.all:
        item['all'] = 1
    if job.vmids:
        item['vmid'] = ','.join(str(vmid) for vmid in job.vmids)
    if job.pool:
        item['pool'] = job.pool
    if job.exclude:
        item['exclude'] = ','.join(str(vmid) for vmid in job.exclude)
    if job.node:
        item['node'] = job.node
    if job.comment:
        item['comment'] = job.comment
    item['notes-template'] = '{{guestname}} {{node}}'
    item['prune-backups'] = {'keep-daily': str(job.keep_daily), 'keep-weekly': str(job.keep_weekly)}
    return item


def backup_jobs(cluster: Cluster) -> list[dict[str, Any]]:
    return [_backup_job(job, cluster.epoch) for job in cluster.backup_jobs]


def _replication_base(job: ReplicationJob, guest: Guest) -> dict[str, Any]:
    item: dict[str, Any] = {
        'id': job.id,
        'type': 'local',
        'guest': job.guest,
        'jobnum': job.jobnum,
        'target': job.target,
        'source': guest.node,
    }
    if job.schedule:
        item['schedule'] = job.schedule
    if job.rate:
        item['rate'] = job.rate
    if job.comment:
        item['comment'] = job.comment
    if job.disable:
        item['disable'] = 1
    return item


def cluster_replication(cluster: Cluster) -> list[dict[str, Any]]:
    items = []
    for job in cluster.replication:
        item = _replication_base(job, cluster.guests[job.guest])
        item['digest'] = hashlib.sha1(repr(sorted(item.items())).encode()).hexdigest()
        items.append(item)
    return items


def node_replication(cluster: Cluster, node: str, guest_filter: int | None) -> list[dict[str, Any]]:
    items = []
    for job in cluster.replication:
        guest = cluster.guests[job.guest]
        if guest.node != node or (guest_filter is not None and job.guest != guest_filter):
            continue
        item = _replication_base(job, guest)
        item.setdefault('schedule', '*/15')
        last_try = job.last_sync or cluster.epoch - 600
        retry = 30 if job.fail_count > 3 else 5 * job.fail_count
        next_sync = 0 if job.disable else (last_try + retry * 60 if job.fail_count else last_try + 900)
        item.update(
            {
                'vmtype': guest.kind,
                'last_sync': job.last_sync,
                'last_try': last_try,
                'next_sync': next_sync,
                'duration': job.duration,
                'fail_count': job.fail_count,
            }
        )
        if job.error:
            item['error'] = job.error
        items.append(item)
    return items


def _task_item(task: Task) -> dict[str, Any]:
    item: dict[str, Any] = {
        'upid': task.upid,
        'node': task.node,
        'pid': task.pid,
        'pstart': task.pstart,
        'starttime': task.starttime,
        'type': task.type,
        'id': task.id,
        'user': task.user,
    }
    if task.endtime is not None:
        item.update({'endtime': task.endtime, 'status': task.status})
    return item


def _newest_first(tasks: list[Task]) -> list[Task]:
    return sorted(tasks, key=lambda task: (task.starttime, task.pid), reverse=True)


def node_tasks(cluster: Cluster, node: str, params: dict[str, str]) -> tuple[list[dict[str, Any]], int]:
    """Finished tasks of a node, newest first, filtered and paged; returns the page and the total."""
    tasks = _newest_first([task for task in cluster.tasks if task.node == node])
    if 'vmid' in params:
        tasks = [task for task in tasks if task.id == params['vmid']]
    if 'typefilter' in params:
        tasks = [task for task in tasks if task.type == params['typefilter']]
    if params.get('errors') in ('1', 'true'):
        tasks = [task for task in tasks if task.status != 'OK']
    start, limit = int(params.get('start', 0)), int(params.get('limit', 50))
    return [_task_item(task) for task in tasks[start : start + limit]], len(tasks)


def cluster_tasks(cluster: Cluster) -> list[dict[str, Any]]:
    items = []
    for task in _newest_first(cluster.tasks)[:25]:
        item = _task_item(task)
        item['saved'] = '1'
        items.append(item)
    return items


def task_status(task: Task) -> dict[str, Any]:
    item = _task_item(task)
    item.pop('endtime', None)
    item['status'] = 'running' if task.running else 'stopped'
    if not task.running:
        item['exitstatus'] = task.status
    return item


def pool_list(cluster: Cluster) -> list[dict[str, Any]]:
    return [
        {'poolid': pool.poolid, **({'comment': pool.comment} if pool.comment else {})}
        for pool in cluster.pools.values()
    ]


def pool_detail(cluster: Cluster, poolid: str, members: list[dict[str, Any]], legacy: bool) -> dict[str, Any]:
    """One pool with members (resources entries without ``pool``); 7.x's ``/pools/{id}`` has no ``poolid``."""
    pool = cluster.pools[poolid]
    item: dict[str, Any] = {} if legacy else {'poolid': poolid}
    if pool.comment:
        item['comment'] = pool.comment
    item['members'] = [{key: value for key, value in member.items() if key != 'pool'} for member in members]
    return item


def ha_resources(cluster: Cluster, kind: str | None) -> list[dict[str, Any]]:
    items = []
    for vmid in sorted(cluster.guests):
        guest = cluster.guests[vmid]
        ha = guest.ha
        if ha is None or (kind is not None and kind != ('vm' if guest.kind == 'qemu' else 'ct')):
            continue
        item: dict[str, Any] = {
            'sid': guest.ha_sid,
            'type': 'vm' if guest.kind == 'qemu' else 'ct',
            'state': ha.state,
            'max_restart': ha.max_restart,
            'max_relocate': ha.max_relocate,
        }
        if ha.group and not cluster.version.is_nine:
            item['group'] = ha.group
        if cluster.version.is_nine and ha.failback:
            item['failback'] = 1
        if ha.comment:
            item['comment'] = ha.comment
        item['digest'] = hashlib.sha1(f'{cluster.name}:{item}'.encode()).hexdigest()
        items.append(item)
    return items

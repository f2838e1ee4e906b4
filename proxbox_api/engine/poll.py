"""Continuous mode's change detection: which guests changed between two looks at a cluster.

Pure: the previous ``PollState`` (held by the caller: the service keeps no state) and a new
``PollSnapshot`` give the guests to sync, each with why, and the state to keep for next time. A
guest changed when it appeared or disappeared, when its ``/cluster/resources`` fingerprint differs
(renamed, migrated, resized, re-tagged, started, stopped, locked), or when a task named it since the
last look (created, cloned, restored, migrated, reconfigured, snapshotted, backed up). The first look
(no state) only sets the baseline. What the poll cannot see (a NIC changed without a task, guest agent
addresses) waits for the periodic full sync.
"""

from pydantic import BaseModel, ConfigDict, Field

from ..proxmox.poll import PollSnapshot

__all__ = ['GuestChange', 'PollState', 'changed_guests']

# How many UPIDs of the newest second to remember (tasks can start in the same second).
_SEEN = 200


class PollState(BaseModel):
    """What a caller keeps between two polls of one endpoint."""

    model_config = ConfigDict(extra='forbid')

    guests: dict[int, str] = Field(default_factory=dict, description='VMID -> fingerprint at the last look')
    task_cursor: int = Field(default=0, description='Start time of the newest task seen')
    seen_tasks: list[str] = Field(default_factory=list, description='UPIDs seen at or after task_cursor')
    running_tasks: list[str] = Field(default_factory=list, description='UPIDs that were still running')


class GuestChange(BaseModel):
    vmid: int
    reasons: list[str]


def _task_reasons(previous: PollState, now: PollSnapshot) -> dict[int, list[str]]:
    seen, running = set(previous.seen_tasks), set(previous.running_tasks)
    found: dict[int, list[str]] = {}
    for task in now.tasks:
        new = task.starttime > previous.task_cursor or (
            task.starttime == previous.task_cursor and task.upid not in seen
        )
        ended = task.upid in running and not task.running  # it changed the guest when it finished
        if task.vmid is not None and (new or ended):
            found.setdefault(task.vmid, []).append(f'task {task.type}' + (' ended' if ended and not new else ''))
    return found


def _next_state(now: PollSnapshot, previous: PollState | None) -> PollState:
    cursor = max((task.starttime for task in now.tasks), default=previous.task_cursor if previous else 0)
    if previous is not None:
        cursor = max(cursor, previous.task_cursor)
    seen = sorted(task.upid for task in now.tasks if task.starttime >= cursor)[:_SEEN]
    running = sorted(task.upid for task in now.tasks if task.running)
    return PollState(guests=dict(now.guests), task_cursor=cursor, seen_tasks=seen, running_tasks=running)


def changed_guests(previous: PollState | None, now: PollSnapshot) -> tuple[list[GuestChange], PollState]:
    """The guests to sync (sorted by VMID) and the state for the next poll."""
    state = _next_state(now, previous)
    if previous is None:
        return [], state
    reasons: dict[int, list[str]] = {}
    for vmid, mark in now.guests.items():
        before = previous.guests.get(vmid)
        if before is None:
            reasons.setdefault(vmid, []).append('appeared')
        elif before != mark:
            reasons.setdefault(vmid, []).append('changed')
    for vmid in previous.guests.keys() - now.guests.keys():
        reasons.setdefault(vmid, []).append('disappeared')
    for vmid, why in _task_reasons(previous, now).items():
        reasons.setdefault(vmid, []).extend(why)
    return [GuestChange(vmid=vmid, reasons=reasons[vmid]) for vmid in sorted(reasons)], state

"""What to do with a Proxbox object that is no longer in Proxmox: the guards, then the policy.

Guards (checked first; each keeps the object with its reason):
- only objects Proxbox owns (tag ``proxbox`` and a ``proxbox_id``) are ever considered; shared
  objects (sites, device types, roles, platforms, tags) are never pruned, nor VLAN groups and
  VLANs (people attach their own objects to them), nor the task history;
- its cluster was not read in this run (endpoint disabled, filtered out or failed): not even
  considered, so nothing is pruned across endpoints or clusters (the plan's ``guards`` say so);
- its family is not synced in this run: not considered either;
- a read scope it lives in was incomplete (an offline node, a guest whose config could not be
  read, guest-agent addresses, a storage's backups, a guest's snapshots, the backup or
  replication jobs that could not be read): absence proves nothing;
- it is pinned by people (tag ``proxbox-pinned``).
Then the policy: ``off`` reports it; ``mark`` tags it orphan, sets its first-miss time and its
status (or the flag that fits the object: a storage or backup job disabled); ``delete`` marks it
first and deletes it once the grace period since the first miss has passed. Parts of an object
(interfaces, disks, addresses, snapshots, backups) follow their parent instead.
"""

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from .kinds import KindSpec
from .records import Current

__all__ = ['ORPHAN_TAG', 'PruneDecision', 'PrunePolicy', 'decide_prune', 'never_reason', 'protected_by']

PrunePolicy = Literal['off', 'mark', 'delete']
ORPHAN_TAG = 'proxbox-orphan'

_NEVER = {
    'ipam.vlangroup': "shared by guests and people's objects: never deleted",
    'ipam.vlan': "shared by guests and people's objects: never deleted",
    'netbox_proxbox.vmtaskhistory': 'task history is never pruned (Proxmox lists only recent tasks)',
}


def never_reason(spec: KindSpec) -> str:
    return _NEVER.get(spec.kind, 'never pruned')


@dataclass(frozen=True, slots=True)
class PruneDecision:
    action: Literal['delete', 'mark', 'keep']
    reason: str


def protected_by(key: str, node_key: str | None, incomplete: Collection[str]) -> str | None:
    """The incomplete read scope covering this key (by prefix) or its node, if any."""
    for scope in incomplete:
        if key == scope or key.startswith(scope + '/') or (node_key is not None and node_key == scope):
            return scope
    return None


def _grace_passed(since: str | None, now: datetime, grace: timedelta) -> bool:
    if since is None:
        return grace <= timedelta(0)
    try:
        first_miss = datetime.fromisoformat(since)
    except ValueError:
        return False
    return now - first_miss >= grace


def decide_prune(
    current: Current,
    spec: KindSpec,
    *,
    policy: PrunePolicy,
    grace: timedelta,
    now: datetime,
    parent_state: Callable[[str], Literal['present', 'deleted', 'gone']],
) -> PruneDecision:
    if current.pinned:
        return PruneDecision('keep', 'pinned (tag proxbox-pinned)')
    if spec.prune == 'with-parent':
        return _child_decision(current, parent_state)
    if policy == 'off':
        return PruneDecision('keep', 'gone from Proxmox; prune policy is off')
    if policy == 'delete' and _grace_passed(current.orphaned_since, now, grace):
        return PruneDecision('delete', f'gone from Proxmox; grace period of {grace.days} days passed')
    if current.orphaned_since is not None:
        return PruneDecision('keep', f'gone from Proxmox since {current.orphaned_since}; already marked')
    return PruneDecision('mark', 'gone from Proxmox')


def _child_decision(
    current: Current, parent_state: Callable[[str], Literal['present', 'deleted', 'gone']]
) -> PruneDecision:
    state = parent_state(current.parent_key or '')
    if state == 'present':
        return PruneDecision('delete', 'gone from its parent in Proxmox')
    if state == 'deleted':
        return PruneDecision('keep', 'deleted with its parent')
    return PruneDecision('keep', 'its parent is gone from Proxmox; follows the parent')

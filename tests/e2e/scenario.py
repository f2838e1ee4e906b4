"""
The changes made to the fleet between the first and the second Full Update, through the
simulator's control API (/_sim), and what NetBox must hold after them besides what the new
ground truth implies: what lives in an offline node's scope stays as it was (absence proves
nothing), a removed guest is marked orphan with its parts kept (the default prune policy,
"mark"), its replication jobs are marked (disabled), and the task history and VLANs are never pruned.
"""

from dataclasses import dataclass, field
from typing import Any

from tests.fullupdate.stack import LiveStack

from .compare import Tally, guest_key

__all__ = ('Changes', 'after_changes', 'change_fleet', 'check_changes')

State = dict[str, dict[str, dict[str, Any]]]
ORPHAN_TAG = 'proxbox-orphan'
RENAMED = 'e2e-renamed'
NEW_GUEST = 'e2e-new-ct'
SNAPSHOT = 'e2e-snapshot'


@dataclass
class Changes:
    cluster: str  # where guests were renamed, migrated, removed, added, snapshotted and backed up
    renamed: int = 0
    migrated: int = 0
    target: str = ''
    removed: int = 0
    added: int = 0
    backup: str = ''  # volume id of the new backup
    offline_cluster: str = ''
    offline_node: str = ''
    offline_guests: list[int] = field(default_factory=list)
    offline_backups: set[str] = field(default_factory=set)  # keys of backups on its node-local storages

    def guest_keys(self) -> set[str]:
        return {guest_key(self.cluster, vmid) for vmid in (self.renamed, self.migrated, self.removed, self.added)}

    def sample_keys(self) -> set[str]:
        """The changed guests and those on the offline node: compared field by field."""
        return self.guest_keys() | {guest_key(self.offline_cluster, vmid) for vmid in self.offline_guests}


def _cluster(world: dict[str, Any], name: str) -> dict[str, Any]:
    return next(cluster for cluster in world['clusters'] if cluster['name'] == name)


def change_fleet(stack: LiveStack, world: dict[str, Any], cluster: str, offline_cluster: str) -> Changes:
    """Rename, migrate, remove and add a guest, a new snapshot and backup; take a node offline."""
    guests = sorted((g for g in _cluster(world, cluster)['guests'] if not g['template']), key=lambda g: g['vmid'])
    with_backup = {backup['vmid'] for backup in _cluster(world, cluster)['backups']}
    renamed = next(g for g in guests if g['type'] == 'qemu')
    migrated = next(g for g in guests if g is not renamed)
    removed = next((g for g in guests if g['vmid'] in with_backup and g not in (renamed, migrated)), guests[-1])
    nodes = sorted(node['name'] for node in _cluster(world, cluster)['nodes'])
    change = Changes(cluster, renamed=renamed['vmid'], migrated=migrated['vmid'], removed=removed['vmid'])
    change.target = next(node for node in nodes if node != migrated['node'])

    def sim(method: str, path: str, **body: Any) -> Any:
        return stack.sim_control(cluster, method, path, json=body or None)

    sim('POST', f'/guests/{renamed["vmid"]}/rename', name=RENAMED)
    sim('POST', f'/guests/{migrated["vmid"]}/migrate', target=change.target)
    sim('DELETE', f'/guests/{removed["vmid"]}')
    change.added = sim('POST', '/guests', type='lxc', name=NEW_GUEST, node=nodes[0])['vmid']
    sim('POST', f'/guests/{renamed["vmid"]}/snapshots', name=SNAPSHOT, description='made by the e2e check')
    change.backup = sim('POST', f'/guests/{renamed["vmid"]}/backups')['volid']

    offline = _cluster(world, offline_cluster)
    change.offline_cluster, change.offline_node = offline_cluster, sorted(n['name'] for n in offline['nodes'])[-1]
    change.offline_guests = [g['vmid'] for g in offline['guests'] if g['node'] == change.offline_node]
    change.offline_backups = {
        f'pve:{offline_cluster}/storage/{b["storage"]}/backup/{b["volid"]}'
        for b in offline['backups']
        if b['node'] == change.offline_node
    }
    stack.sim_control(offline_cluster, 'POST', f'/nodes/{change.offline_node}/offline')
    return change


def _protected(kind: str, key: str, row: dict[str, Any], change: Changes) -> bool:
    """In the offline node's scope: the node's parts, its guests with theirs, its tasks, its local backups."""
    node = f'pve:{change.offline_cluster}/node/{change.offline_node}/'
    guests = [guest_key(change.offline_cluster, vmid) for vmid in change.offline_guests]
    if key.startswith(node) or any(key == g or key.startswith(g + '/') for g in guests):
        return True
    return kind == 'task' and row.get('node') == change.offline_node


def _of_removed(key: str, row: dict[str, Any], change: Changes) -> bool:
    """A backup or replication job of the removed guest (VMIDs are per cluster)."""
    return key.startswith(f'pve:{change.cluster}/') and row['guest_id'] == change.removed


def _orphan(row: dict[str, Any], **marks: Any) -> dict[str, Any]:
    """Marked orphan: tagged, and (checked apart) a first-miss time."""
    rest = {name: value for name, value in row.items() if name != 'orphaned_since'}
    return {**rest, **marks, 'tags': sorted({*row['tags'], ORPHAN_TAG})}


def after_changes(expected: State, before: State, change: Changes) -> State:
    """The ground truth's expectation, plus what must survive from the first reading (`before`)."""
    out = {kind: dict(rows) for kind, rows in expected.items()}
    removed = guest_key(change.cluster, change.removed)
    for kind, rows in before.items():
        for key, row in rows.items():
            if key in out[kind]:
                continue
            if kind in ('task', 'vlan') or _protected(kind, key, row, change):
                out[kind][key] = row
            elif kind == 'backup' and key in change.offline_backups:
                out[kind][key] = row  # on a node-local storage of the offline node: not listed, kept
            elif kind == 'vm' and key == removed:
                out[kind][key] = _orphan(row, status='decommissioning')
            elif key.startswith(removed + '/') and kind != 'backup':
                out[kind][key] = row  # the parts of an orphan follow it
            elif kind == 'replication' and _of_removed(key, row, change):
                out[kind][key] = _orphan(row, disabled=True)
    return out


def _keys(change: Changes) -> dict[str, str]:
    guests = {'renamed': change.renamed, 'migrated': change.migrated, 'removed': change.removed, 'added': change.added}
    keys = {name: guest_key(change.cluster, vmid) for name, vmid in guests.items()}
    return keys | {'offline': f'pve:{change.offline_cluster}/node/{change.offline_node}'}


def _state_facts(change: Changes, after: State) -> dict[str, bool]:
    """What NetBox shows for each change."""
    k, vms = _keys(change), after['vm']
    orphan = vms.get(k['removed'], {})
    return {
        'renamed VM has its new name': vms.get(k['renamed'], {}).get('name') == RENAMED,
        'migrated VM is on its new node': vms.get(k['migrated'], {}).get('device') == change.target,
        'removed VM is marked orphan': orphan.get('status') == 'decommissioning'
        and ORPHAN_TAG in orphan.get('tags', ())
        and bool(orphan.get('orphaned_since')),
        'added container is there': vms.get(k['added'], {}).get('name') == NEW_GUEST,
        'offline node is offline': after['device'].get(k['offline'], {}).get('status') == 'offline',
    }


Delta = dict[str, dict[str, set[str]]]


def _delta_facts(change: Changes, before: State, after: State, delta: Delta) -> dict[str, bool]:
    """Exactly these objects were added, removed or changed."""
    k = _keys(change)
    new_tasks = sorted(after['task'][key]['object_id'] for key in delta['task']['added'])
    logged = (change.migrated, change.removed, change.added, change.renamed, change.renamed)  # + snapshot, backup
    removed_backups = {key for key, row in before['backup'].items() if _of_removed(key, row, change)}
    return {
        'VMs changed: renamed, migrated, removed': delta['vm']['changed']
        == {k['renamed'], k['migrated'], k['removed']},
        'VMs added: the new container': delta['vm']['added'] == {k['added']},
        'snapshots added: the new one': delta['snapshot']['added'] == {f'{k["renamed"]}/snapshot/{SNAPSHOT}'},
        'backups added: the new one': [key.rsplit('/backup/', 1)[1] for key in delta['backup']['added']]
        == [change.backup],
        'backups removed: all of the removed guest': delta['backup']['removed'] == removed_backups,
        'devices changed: the offline node': delta['device']['changed'] == {k['offline']},
        'node records changed: the offline node': delta['plugin_node']['changed'] == {change.offline_node},
        'tasks added: one per change Proxmox logs': new_tasks == sorted(str(vmid) for vmid in logged),
        'nothing else removed': all(not parts['removed'] for kind, parts in delta.items() if kind != 'backup'),
    }


def check_changes(change: Changes, before: State, after: State, delta: Delta, tally: Tally) -> None:
    """Each change made exactly its difference, and the offline node's scope is untouched."""
    facts = _state_facts(change, after) | _delta_facts(change, before, after, delta)
    tally.fields += len(facts)
    tally.problems += [f'second sync: not so: {fact}' for fact, held in facts.items() if not held]
    for kind, rows in before.items():
        for key, row in rows.items():
            tally.fields += 1
            if _protected(kind, key, row, change) and after[kind].get(key) != row:
                tally.problems.append(f"second sync: {kind} {key} in the offline node's scope changed or went")

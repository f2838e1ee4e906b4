"""
The planner on the data-protection kinds, and the orphan guards and ownership modes on every kind:
parts (snapshots, backups) follow their parent; storages, backup jobs and replication follow the
prune policy (off / mark with the flag that fits / delete after the grace period) and come back
un-marked; tasks are never pruned; nothing is pruned in an incomplete scope, a family not synced,
a cluster not read, or of an object Proxbox does not own; shared objects are never deleted;
optional references become null instead of holding an object back; kinds NetBox cannot take yet
are skipped; every decision carries its reason.
"""

import hashlib
import json
from datetime import UTC, datetime, timedelta

import pytest

from proxbox_api.engine.plan import Plan
from proxbox_api.engine.planner import plan
from proxbox_api.engine.records import Current, Desired, Ref, Scope
from proxbox_api.engine.state import CurrentState, DesiredState, PlanOptions
from proxbox_api.service import plan_digest

NOW = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)
VM = 'virtualization.virtualmachine'
STORAGE = 'netbox_proxbox.proxmoxstorage'
BACKUP = 'netbox_proxbox.vmbackup'
SNAPSHOT = 'netbox_proxbox.vmsnapshot'
ROUTINE = 'netbox_proxbox.backuproutine'
REPLICATION = 'netbox_proxbox.replication'
TASK = 'netbox_proxbox.vmtaskhistory'
SITE = 'dcim.site'
VLAN = 'ipam.vlan'

GUEST = 'pve:c/guest/100'
LOCAL = 'pve:c/storage/local'
ARCHIVE = f'{LOCAL}/backup/local:backup/vzdump-qemu-100-2026_01_01-00_00_00.vma.zst'
SNAP = f'{GUEST}/snapshot/pre'
JOB = 'pve:c/backup-job/backup-a'
REPL = 'pve:c/replication/100-0'
UPID = 'pve:c/task/UPID:n1:1:2:3:vzdump:100:root@pam:'


def owned(key, **extra):
    return {'tags': ['proxbox'], 'custom_fields': {'proxbox_id': key, 'proxbox_orphaned_since': None}, **extra}


def want(kind, key, parent=None, **attrs):
    return Desired(kind, key, owned(key, **attrs), Scope('pve:c'), parent)


def have(kind, key, oid, tags=('proxbox',), since=None, **attrs):
    data = {'tags': sorted(tags), 'custom_fields': {'proxbox_id': key, 'proxbox_orphaned_since': since}, **attrs}
    parent = key.split('/backup/')[0] if '/backup/' in key else key.rsplit('/', 2)[0] if '/snapshot/' in key else None
    pinned = 'proxbox-pinned' in tags
    return Current(kind, oid, key, data, owned=True, pinned=pinned, orphaned_since=since, parent_key=parent)


def index(*objs):
    result = {}
    for obj in objs:
        result.setdefault(obj.kind, {})[obj.key] = obj
    return result


def run(desired, current, *, incomplete=None, families=None, unowned=None, unprepared=None, **options):
    d = DesiredState(
        objects=index(*desired), clusters=frozenset({'pve:c'}), incomplete=incomplete or {}, families=families
    )
    c = CurrentState(objects=index(*current), unowned=unowned or {}, unprepared=unprepared or {})
    return plan(d, c, PlanOptions(now=NOW, **options))


def op_of(result, kind, key):
    found = [op for op in result.operations if op.kind == kind and op.key == key]
    return found[0] if found else None


def action(result, kind, key):
    found = op_of(result, kind, key)
    return found.action if found else None


STORAGE_D = want(STORAGE, LOCAL, name='local', enabled=True)
STORAGE_C = have(STORAGE, LOCAL, 5, name='local', enabled=True)
VM_D = want(VM, GUEST, name='web')
VM_C = have(VM, GUEST, 7, name='web')
BACKUP_C = have(BACKUP, ARCHIVE, 30, volume_id='local:backup/x', storage=5)


class TestParts:
    """Backups follow their storage, snapshots their guest: gone from a parent that is still there, deleted."""

    def test_backup_deleted_in_proxmox_is_deleted(self):
        result = run([STORAGE_D], [STORAGE_C, BACKUP_C], prune_policy='off')
        op = op_of(result, BACKUP, ARCHIVE)
        assert (op.action, op.id, op.reason) == ('delete', 30, 'gone from its parent in Proxmox')

    def test_backup_of_a_storage_gone_follows_the_storage(self):
        result = run([], [STORAGE_C, BACKUP_C], prune_policy='mark')
        assert action(result, STORAGE, LOCAL) == 'mark'
        assert op_of(result, BACKUP, ARCHIVE).reason == 'its parent is gone from Proxmox; follows the parent'
        deleted = run([], [STORAGE_C, BACKUP_C], prune_policy='delete', grace_days=0)
        assert action(deleted, STORAGE, LOCAL) == 'delete'
        assert op_of(deleted, BACKUP, ARCHIVE).reason == 'deleted with its parent'

    def test_unreadable_storage_keeps_its_backups(self):
        result = run([STORAGE_D], [STORAGE_C, BACKUP_C], incomplete={LOCAL: '500 cannot connect'})
        op = op_of(result, BACKUP, ARCHIVE)
        assert op.action == 'keep' and LOCAL in op.reason and '500 cannot connect' in op.reason

    def test_snapshot_added_and_removed(self):
        snap = want(SNAPSHOT, SNAP, parent=Ref(VM, GUEST), name='pre', virtual_machine=Ref(VM, GUEST))
        assert op_of(run([VM_D, snap], [VM_C]), SNAPSHOT, SNAP).attrs['virtual_machine'] == 7
        gone = have(SNAPSHOT, SNAP, 40, name='pre')
        assert action(run([VM_D], [VM_C, gone]), SNAPSHOT, SNAP) == 'delete'
        unreadable = run([VM_D], [VM_C, gone], incomplete={f'{GUEST}/snapshot': 'timeout'})
        assert action(unreadable, SNAPSHOT, SNAP) == 'keep'


class TestPolicies:
    """Storages, backup jobs and replication jobs gone from Proxmox follow the prune policy."""

    @pytest.mark.parametrize(
        ('kind', 'key', 'flag'),
        [
            (STORAGE, LOCAL, {'enabled': False}),
            (ROUTINE, JOB, {'enabled': False}),
            (REPLICATION, REPL, {'disabled': True}),
        ],
    )
    def test_mark_sets_the_flag_that_fits(self, kind, key, flag):
        current = have(kind, key, 9, tags=('proxbox', 'gold'))
        (op,) = run([], [current], prune_policy='mark').operations
        assert op.action == 'mark' and op.reason == 'gone from Proxmox'
        assert op.attrs == {
            'tags': ['gold', 'proxbox', 'proxbox-orphan'],
            'custom_fields': {'proxbox_orphaned_since': NOW.isoformat()},
            **flag,
        }

    def test_off_reports_only(self):
        (op,) = run([], [have(ROUTINE, JOB, 9)], prune_policy='off').operations
        assert (op.action, op.reason) == ('keep', 'gone from Proxmox; prune policy is off')

    def test_delete_after_the_grace_period(self):
        def at(days):
            since = (NOW - timedelta(days=days)).isoformat() if days is not None else None
            return action(run([], [have(REPLICATION, REPL, 9, since=since)], prune_policy='delete', grace_days=7),
                          REPLICATION, REPL)  # fmt: skip

        assert (at(None), at(3), at(7), at(8)) == ('mark', 'keep', 'delete', 'delete')
        assert action(
            run([], [have(REPLICATION, REPL, 9)], prune_policy='delete', grace_days=0), REPLICATION, REPL
        ) == ('delete')

    def test_a_storage_that_comes_back_is_unmarked(self):
        marked = have(STORAGE, LOCAL, 5, tags=('proxbox', 'proxbox-orphan'), since=NOW.isoformat(), name='local',
                      enabled=False)  # fmt: skip
        (op,) = run([STORAGE_D], [marked]).operations
        assert op.attrs == {'enabled': True, 'tags': ['proxbox'], 'custom_fields': {'proxbox_orphaned_since': None}}

    def test_tasks_are_never_pruned(self):
        (op,) = run([], [have(TASK, UPID, 3)], prune_policy='delete', grace_days=0).operations
        assert op.action == 'keep' and 'never pruned' in op.reason


class TestGuards:
    """Nothing is pruned that Proxbox does not own, outside the clusters read, in a family not synced,
    or of a shared kind; the plan says which guards held."""

    def test_family_not_synced(self):
        result = run([], [STORAGE_C, BACKUP_C], families=frozenset({'storage', 'backups'}),
                     prune_policy='delete', grace_days=0)  # fmt: skip
        assert action(result, STORAGE, LOCAL) == 'delete'
        assert op_of(result, BACKUP, ARCHIVE).reason == 'deleted with its parent'
        off = run(
            [], [STORAGE_C, BACKUP_C], families=frozenset({'virtual_machines'}), prune_policy='delete', grace_days=0
        )
        assert off.operations == ()
        assert off.guards[STORAGE] == 'storage not synced in this run: not pruned'

    def test_containers_alone_keep_the_vm_kind_in_the_run(self):
        result = run([], [VM_C], families=frozenset({'containers'}), prune_policy='mark')
        assert action(result, VM, GUEST) == 'mark'

    def test_other_clusters(self):
        other = have(STORAGE, 'pve:other/storage/local', 5)
        result = run([], [other], prune_policy='delete', grace_days=0)
        assert result.operations == ()
        assert 'not read in this run' in result.guards['pve:other']

    def test_hand_made_records_are_neither_changed_nor_pruned(self):
        hand_made = Current(BACKUP, 77, None, {'storage': 5, 'volume_id': 'local:backup/x'}, owned=False)
        archive = want(
            BACKUP, ARCHIVE, parent=Ref(STORAGE, LOCAL), storage=Ref(STORAGE, LOCAL), volume_id='local:backup/x'
        )
        result = run([STORAGE_D, archive], [STORAGE_C], unowned={BACKUP: {(5, 'local:backup/x'): hand_made}})
        op = op_of(result, BACKUP, ARCHIVE)
        assert (op.action, op.id) == ('conflict', 77) and '#77' in op.reason
        assert not [op for op in result.operations if op.id == 77 and op.action != 'conflict']

    def test_shared_objects_and_vlans_are_never_deleted(self):
        site = Current(SITE, 1, 'proxmox', {'name': 'Proxmox', 'slug': 'proxmox'}, owned=False)
        vlan = have(VLAN, 'pve:c/vlan/10', 4, vid=10)
        result = run([], [site, vlan], prune_policy='delete', grace_days=0)
        assert action(result, SITE, 'proxmox') is None
        op = op_of(result, VLAN, 'pve:c/vlan/10')
        assert op.action == 'keep' and 'never deleted' in op.reason

    def test_incomplete_scopes_are_listed(self):
        result = run([], [], incomplete={'pve:c/node/n2': 'node offline'})
        assert result.guards == {'pve:c/node/n2': 'node offline'}

    def test_pinned_storage_is_neither_updated_nor_marked(self):
        pinned = have(STORAGE, LOCAL, 5, tags=('proxbox', 'proxbox-pinned'), name='local', enabled=False)
        assert run([STORAGE_D], [pinned]).operations == ()
        (op,) = run([], [pinned], prune_policy='delete', grace_days=0).operations
        assert (op.action, op.reason) == ('keep', 'pinned (tag proxbox-pinned)')


class TestReferences:
    """Optional references (a backup's or a task's guest) hold only to a target that stays."""

    def archive(self):
        return want(BACKUP, ARCHIVE, parent=Ref(STORAGE, LOCAL), storage=Ref(STORAGE, LOCAL),
                    virtual_machine=Ref(VM, GUEST, optional=True))  # fmt: skip

    def test_guest_in_netbox(self):
        op = op_of(run([STORAGE_D, self.archive()], [STORAGE_C, VM_C]), BACKUP, ARCHIVE)
        assert op.attrs['virtual_machine'] == 7

    def test_guest_being_created(self):
        op = op_of(run([STORAGE_D, VM_D, self.archive()], [STORAGE_C]), BACKUP, ARCHIVE)
        assert op.attrs['virtual_machine'] == {'$ref': [VM, GUEST]}

    def test_guest_nowhere_or_being_deleted(self):
        assert op_of(run([STORAGE_D, self.archive()], [STORAGE_C]), BACKUP, ARCHIVE).attrs['virtual_machine'] is None
        result = run([STORAGE_D, self.archive()], [STORAGE_C, VM_C], prune_policy='delete', grace_days=0)
        assert action(result, VM, GUEST) == 'delete'
        assert op_of(result, BACKUP, ARCHIVE).attrs['virtual_machine'] is None

    def test_guest_in_conflict_does_not_hold_the_backup_back(self):
        hand_made = Current(VM, 55, None, {'name': 'web', 'cluster': None}, owned=False)
        vm = want(VM, GUEST, name='web', cluster=None)
        result = run([vm, STORAGE_D, self.archive()], [STORAGE_C], unowned={VM: {(None, 'web'): hand_made}})
        assert action(result, VM, GUEST) == 'conflict'
        op = op_of(result, BACKUP, ARCHIVE)
        assert op.action == 'create' and op.attrs['virtual_machine'] is None

    def test_unchanged_backup_with_a_null_guest_writes_nothing(self):
        current = have(BACKUP, ARCHIVE, 30, storage=5, virtual_machine=None)
        assert run([STORAGE_D, self.archive()], [STORAGE_C, current]).operations == ()


class TestOwnership:
    """Field ownership per model and field, on the plugin's records as on core objects."""

    def test_netbox_and_if_empty_on_a_backup(self):
        archive = want(BACKUP, ARCHIVE, parent=Ref(STORAGE, LOCAL), storage=Ref(STORAGE, LOCAL), notes='nightly',
                       protected=True)  # fmt: skip
        current = have(BACKUP, ARCHIVE, 30, storage=5, notes='edited by hand', protected=False)
        own = {'netbox_proxbox.vmbackup.notes': 'netbox', 'netbox_proxbox.vmbackup.protected': 'if-empty'}
        assert run([STORAGE_D, archive], [STORAGE_C, current], ownership=own).operations == ()
        created = op_of(run([STORAGE_D, archive], [STORAGE_C], ownership=own), BACKUP, ARCHIVE)
        assert created.attrs['notes'] == 'nightly'  # "netbox" fields are still set on create
        (update,) = run([STORAGE_D, archive], [STORAGE_C, current]).operations
        assert set(update.changes) == {'notes', 'protected'}


class TestUnprepared:
    """A kind NetBox cannot take yet (custom field not covering the plugin's model) is skipped whole."""

    def test_skipped_with_a_warning(self):
        archive = want(BACKUP, ARCHIVE, parent=Ref(STORAGE, LOCAL), storage=Ref(STORAGE, LOCAL))
        why = 'the proxbox_id custom field does not cover netbox_proxbox.proxmoxstorage'
        result = run([STORAGE_D, archive], [], unprepared={STORAGE: why})
        assert action(result, BACKUP, ARCHIVE) == 'skip'
        assert result.summary[STORAGE] == {'skip': 1}
        assert result.guards[STORAGE] == why and any(why in warning for warning in result.warnings)


def test_a_preview_and_its_apply_mark_alike() -> None:
    """The plan digest (preview → apply) does not depend on the run's clock."""
    gone = [have(ROUTINE, JOB, 9)]
    early, late = (
        plan(
            DesiredState(objects={}, clusters=frozenset({'pve:c'})),
            CurrentState(objects=index(*gone)),
            PlanOptions(now=NOW + timedelta(minutes=minutes)),
        )
        for minutes in (0, 1)
    )
    assert early.operations != late.operations
    assert plan_digest(early) == plan_digest(late)
    assert plan_digest(early) != plan_digest(run([], gone, prune_policy='off'))


def test_plan_digest_is_the_hash_of_the_operations_json_list() -> None:
    """Hashed one operation at a time, the digest is still that of the whole list's JSON text (so a
    preview stored by an earlier version stays valid), for no, one and several operations."""
    gone = [have(ROUTINE, JOB, 9), have(STORAGE, 'pve:c/storage/local', 3)]
    for operations in ((), run([], gone[:1]).operations, run([], gone).operations):
        value = Plan(operations=operations)
        ops = [op.model_dump(mode='json', exclude={'display', 'reason'}) for op in operations]
        for op in ops:
            op['attrs'].get('custom_fields', {}).pop('proxbox_orphaned_since', None)
        whole = hashlib.sha256(json.dumps(ops, sort_keys=True).encode()).hexdigest()[:16]
        assert plan_digest(value) == whole

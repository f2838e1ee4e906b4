"""
The planner is a pure function: these pin its contract on hand-built desired and current states:
create / update (with old → new) / unchanged, conflicts with hand-made objects and what depends on
them, field ownership, pins, tags people added, and the prune guards and policies.
"""

from datetime import UTC, datetime, timedelta

from proxbox_api.engine.plan import Plan
from proxbox_api.engine.planner import plan
from proxbox_api.engine.records import Current, Desired, Ref, Scope
from proxbox_api.engine.state import CurrentState, DesiredState, PlanOptions

VM = 'virtualization.virtualmachine'
IFACE = 'virtualization.vminterface'
CLUSTER = 'virtualization.cluster'
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def owned_attrs(key, **extra):
    return {'tags': ['proxbox'], 'custom_fields': {'proxbox_id': key, 'proxbox_orphaned_since': None}, **extra}


def desired(kind, key, parent=None, **attrs):
    return Desired(kind, key, owned_attrs(key, **attrs), Scope('pve:c'), parent)


def current(kind, key, oid, tags=('proxbox',), since=None, **attrs):
    data = {'tags': sorted(tags), 'custom_fields': {'proxbox_id': key, 'proxbox_orphaned_since': since}, **attrs}
    return Current(
        kind,
        oid,
        key,
        data,
        owned=True,
        pinned='proxbox-pinned' in tags,
        orphaned_since=since,
        parent_key=key.rsplit('/', 1)[0],
    )


def state(*objs):
    result = {}
    for obj in objs:
        result.setdefault(obj.kind, {})[obj.key] = obj
    return result


def run(want, have, unowned=None, incomplete=None, **options) -> Plan:
    d = DesiredState(objects=state(*want), clusters=frozenset({'pve:c'}), incomplete=incomplete or {})
    c = CurrentState(objects=state(*have), unowned=unowned or {})
    return plan(d, c, PlanOptions(now=NOW, **options))


def actions(result):
    return {(op.kind, op.key): op.action for op in result.operations}


CL = current(CLUSTER, 'pve:c', 1, name='c')
CL_D = desired(CLUSTER, 'pve:c', name='c')


def test_first_sync_creates_in_dependency_order_with_references():
    vm = desired(VM, 'pve:c/guest/100', name='web', cluster=Ref(CLUSTER, 'pve:c'))
    result = run([CL_D, vm], [])
    assert [op.action for op in result.operations] == ['create', 'create']
    assert result.operations[1].attrs['cluster'] == {'$ref': [CLUSTER, 'pve:c']}


def test_existing_references_are_resolved_to_ids():
    vm = desired(VM, 'pve:c/guest/100', name='web', cluster=Ref(CLUSTER, 'pve:c'))
    result = run([CL_D, vm], [CL])
    assert result.operations[0].attrs['cluster'] == 1


def test_no_change_means_no_operation():
    vm = desired(VM, 'pve:c/guest/100', name='web', cluster=Ref(CLUSTER, 'pve:c'), vcpus=2)
    have = current(VM, 'pve:c/guest/100', 7, name='web', cluster=1, vcpus=2.0)
    result = run([CL_D, vm], [CL, have])
    assert result.operations == ()
    assert result.summary[VM] == {'unchanged': 1}
    assert not result.has_changes


def test_update_lists_old_and_new():
    vm = desired(VM, 'pve:c/guest/100', name='web-renamed', vcpus=4)
    have = current(VM, 'pve:c/guest/100', 7, name='web', vcpus=2)
    (op,) = run([vm], [have]).operations
    assert op.action == 'update' and op.id == 7
    assert op.changes['name'].old == 'web' and op.changes['name'].new == 'web-renamed'
    assert set(op.attrs) == {'name', 'vcpus'}


def test_tags_people_added_survive():
    vm = desired(VM, 'pve:c/guest/100', name='web')
    vm = Desired(VM, vm.key, {**vm.attrs, 'tags': ['proxbox', 'pve-prod']}, vm.scope)
    have = current(VM, 'pve:c/guest/100', 7, tags=('proxbox', 'pve-old', 'gold'), name='web')
    (op,) = run([vm], [have]).operations
    assert op.attrs['tags'] == ['gold', 'proxbox', 'pve-prod']


def test_netbox_owned_field_is_not_overwritten():
    vm = desired(VM, 'pve:c/guest/100', name='web', description='from proxmox')
    have = current(VM, 'pve:c/guest/100', 7, name='web', description='edited by a person')
    result = run([vm], [have], ownership={'virtualization.virtualmachine.description': 'netbox'})
    assert result.operations == ()


def test_if_empty_fills_only_empty_fields():
    vm = desired(VM, 'pve:c/guest/100', name='web', platform=3)
    empty = current(VM, 'pve:c/guest/100', 7, name='web', platform=None)
    full = current(VM, 'pve:c/guest/100', 7, name='web', platform=9)
    own = {'virtualization.virtualmachine.platform': 'if-empty'}
    assert run([vm], [empty], ownership=own).operations[0].attrs == {'platform': 3}
    assert run([vm], [full], ownership=own).operations == ()


def test_pinned_object_is_never_modified_or_pruned():
    vm = desired(VM, 'pve:c/guest/100', name='new-name')
    have = current(VM, 'pve:c/guest/100', 7, tags=('proxbox', 'proxbox-pinned'), name='old')
    assert run([vm], [have]).operations == ()
    gone = run([], [have], prune_policy='delete', grace_days=0)
    assert actions(gone) == {(VM, 'pve:c/guest/100'): 'keep'}


def test_hand_made_collision_is_a_conflict_and_dependents_are_skipped():
    vm = desired(VM, 'pve:c/guest/100', name='Web', cluster=Ref(CLUSTER, 'pve:c'))
    nic = desired(
        IFACE,
        'pve:c/guest/100/net0',
        parent=Ref(VM, 'pve:c/guest/100'),
        name='net0',
        virtual_machine=Ref(VM, 'pve:c/guest/100'),
    )
    hand_made = Current(VM, 55, None, {'name': 'web', 'cluster': 1}, owned=False)
    result = run([CL_D, vm, nic], [CL], unowned={VM: {(1, 'web'): hand_made}})
    assert actions(result)[(VM, 'pve:c/guest/100')] == 'conflict'
    assert actions(result)[(IFACE, 'pve:c/guest/100/net0')] == 'skip'
    conflict = next(op for op in result.operations if op.action == 'conflict')
    assert conflict.id == 55 and '#55' in conflict.reason


def test_prune_mark_then_delete_after_grace():
    have = current(VM, 'pve:c/guest/100', 7, name='web', status='active')
    (mark,) = run([], [have], prune_policy='mark').operations
    assert mark.action == 'mark'
    assert mark.attrs['status'] == 'decommissioning'
    assert 'proxbox-orphan' in mark.attrs['tags']
    assert mark.attrs['custom_fields'] == {'proxbox_orphaned_since': NOW.isoformat()}
    marked_recently = current(VM, 'pve:c/guest/100', 7, since=(NOW - timedelta(days=3)).isoformat(), name='web')
    assert actions(run([], [marked_recently], prune_policy='delete', grace_days=7))[(VM, 'pve:c/guest/100')] == 'keep'
    marked_long_ago = current(VM, 'pve:c/guest/100', 7, since=(NOW - timedelta(days=8)).isoformat(), name='web')
    assert actions(run([], [marked_long_ago], prune_policy='delete', grace_days=7))[(VM, 'pve:c/guest/100')] == 'delete'
    assert actions(run([], [have], prune_policy='delete', grace_days=0))[(VM, 'pve:c/guest/100')] == 'delete'
    assert actions(run([], [have], prune_policy='off'))[(VM, 'pve:c/guest/100')] == 'keep'


def test_returning_guest_is_unmarked():
    vm = desired(VM, 'pve:c/guest/100', name='web', status='active')
    have = current(
        VM,
        'pve:c/guest/100',
        7,
        tags=('proxbox', 'proxbox-orphan'),
        since=NOW.isoformat(),
        name='web',
        status='decommissioning',
    )
    (op,) = run([vm], [have]).operations
    assert op.attrs['status'] == 'active'
    assert op.attrs['tags'] == ['proxbox']
    assert op.attrs['custom_fields'] == {'proxbox_orphaned_since': None}


def test_incomplete_scope_protects_from_pruning():
    have = current(VM, 'pve:c/guest/100', 7, name='web', device=3)
    node = current('dcim.device', 'pve:c/node/pve3', 3, name='pve3')
    node_d = desired('dcim.device', 'pve:c/node/pve3', name='pve3')
    result = run(
        [node_d], [node, have], incomplete={'pve:c/node/pve3': 'node offline'}, prune_policy='delete', grace_days=0
    )
    op = next(op for op in result.operations if op.kind == VM)
    assert op.action == 'keep' and 'pve:c/node/pve3' in op.reason


def test_other_clusters_are_never_pruned():
    other = current(VM, 'pve:other/guest/100', 8, name='x')
    assert run([], [other], prune_policy='delete', grace_days=0).operations == ()


def test_children_follow_their_parent():
    vm = desired(VM, 'pve:c/guest/100', name='web')
    vm_have = current(VM, 'pve:c/guest/100', 7, name='web')
    nic = current(IFACE, 'pve:c/guest/100/net1', 20, name='net1')
    result = run([vm], [vm_have, nic])
    assert actions(result)[(IFACE, 'pve:c/guest/100/net1')] == 'delete'
    gone_vm = run([], [vm_have, nic], prune_policy='mark')
    assert actions(gone_vm)[(IFACE, 'pve:c/guest/100/net1')] == 'keep'
    deleted_vm = run([], [vm_have, nic], prune_policy='delete', grace_days=0)
    assert actions(deleted_vm)[(IFACE, 'pve:c/guest/100/net1')] == 'keep'


def test_plan_is_json_serialisable_and_round_trips():
    vm = desired(VM, 'pve:c/guest/100', name='web', cluster=Ref(CLUSTER, 'pve:c'))
    result = run([CL_D, vm], [])
    assert Plan.model_validate_json(result.model_dump_json()) == result

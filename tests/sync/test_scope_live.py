"""
Targeted sync against a real NetBox and the Proxmox simulator: a guest, node or cluster scope
writes exactly its own changes and nothing outside it is written, marked or pruned, while changes
elsewhere wait for a wider sync. A node scope follows its guests as both sides place them (one
that migrated away is moved); a guest gone from Proxmox is marked by its own scope; a scope naming
a cluster no endpoint holds fails without writing. The guest scope runs through both write paths.
"""

from typing import Any

import pytest
from pydantic import ValidationError

from core.models import ObjectChange
from virtualization.models import VirtualMachine

from proxbox_api.engine.target import Target
from proxbox_api.schemas import SyncScope

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def truth(fleet: Any) -> dict[str, Any]:
    return fleet.to_dict()['clusters'][0]


def vm(vmid: int) -> VirtualMachine:
    return VirtualMachine.objects.get(custom_field_data__proxmox_vmid=vmid)


def written_keys(result: Any) -> set[str]:
    return {op.key for op in result.plan.operations if op.action in ('create', 'update', 'mark', 'delete')}


def assert_within(result: Any, scope: Target) -> None:
    """Every write, mark or prune of the run is the scope's."""
    outside = sorted(key for key in written_keys(result) if not scope.covers(key) and key.startswith('pve:'))
    assert outside == [], outside


def test_guest_scope_writes_that_guest_alone(sync_both: Any, fleet: Any) -> None:
    sync = sync_both
    assert sync().status == 'completed'
    cluster = truth(fleet)['name']
    guests = truth(fleet)['guests']
    target, other, gone = (g['vmid'] for g in guests[:3])
    fleet.rename_guest(target, 'targeted-rename')
    fleet.reconfigure_guest(target, memory=6144)
    fleet.rename_guest(other, 'waits-for-a-full-sync')
    fleet.remove_guest(gone)
    changes = ObjectChange.objects.count()

    result = sync(scope={'cluster': cluster, 'vmid': target})
    assert result.status == 'completed', result.errors
    assert result.scope == SyncScope(cluster=cluster, vmid=target)
    assert written_keys(result) == {f'pve:{cluster}/guest/{target}'}
    assert result.writes == 1 == ObjectChange.objects.count() - changes
    assert (vm(target).name, vm(target).memory) == ('targeted-rename', 6144)
    assert vm(other).name != 'waits-for-a-full-sync'
    assert vm(gone).status != 'decommissioning'  # gone from Proxmox, but not this scope's to mark
    assert 'scope' in result.plan.guards

    marked = sync(scope={'cluster': cluster, 'vmid': gone})
    assert [op.action for op in marked.plan.operations if op.key == f'pve:{cluster}/guest/{gone}'] == ['mark']
    assert_within(marked, Target(cluster, guests=frozenset({gone})))
    assert vm(gone).status == 'decommissioning'
    assert vm(other).name != 'waits-for-a-full-sync'
    assert sync(scope={'cluster': cluster, 'vmid': target}).writes == 0


def test_guest_scope_creates_a_new_guest_with_its_parts(sync: Any, fleet: Any) -> None:
    assert sync().status == 'completed'
    cluster = truth(fleet)['name']
    added = fleet.add_guest('qemu', name='made-a-second-ago')
    fleet.rename_guest(truth(fleet)['guests'][0]['vmid'], 'not-in-scope')

    result = sync(scope={'cluster': cluster, 'vmid': added.vmid})
    assert result.status == 'completed', result.errors
    scope = Target(cluster, guests=frozenset({added.vmid}))
    assert_within(result, scope)
    record = vm(added.vmid)
    assert record.name == 'made-a-second-ago'
    truth_guest = next(g for g in truth(fleet)['guests'] if g['vmid'] == added.vmid)
    assert record.interfaces.count() == len(truth_guest['nics'])
    assert record.device.name == truth_guest['node']
    assert not VirtualMachine.objects.filter(name='not-in-scope').exists()
    # A full sync afterwards finds the new guest already right: only the rename is left to write.
    full = sync()
    assert {op.key for op in full.plan.operations if op.action != 'keep'} == {
        f'pve:{cluster}/guest/{truth(fleet)["guests"][0]["vmid"]}'
    }


def test_node_scope_follows_guests_as_either_side_places_them(sync: Any, fleet: Any) -> None:
    assert sync().status == 'completed'
    world = truth(fleet)
    cluster = world['name']
    node, elsewhere = world['nodes'][0]['name'], world['nodes'][1]['name']
    on_node = [g['vmid'] for g in world['guests'] if g['node'] == node]
    off_node = [g['vmid'] for g in world['guests'] if g['node'] != node]
    moved, renamed = on_node[:2]
    fleet.migrate_guest(moved, elsewhere)
    fleet.rename_guest(renamed, 'renamed-on-node')
    fleet.rename_guest(off_node[0], 'renamed-elsewhere')

    result = sync(scope={'cluster': cluster, 'node': node})
    assert result.status == 'completed', result.errors
    assert_within(result, Target(cluster, nodes=frozenset({node}), guests=frozenset(on_node)))
    assert vm(moved).device.name == elsewhere  # NetBox had it on the node: the node's scope moves it
    assert vm(renamed).name == 'renamed-on-node'
    assert vm(off_node[0]).name != 'renamed-elsewhere'
    assert sync(scope={'cluster': cluster, 'node': node}).writes == 0


def test_cluster_scope_is_a_sync_of_that_cluster_and_an_unknown_one_fails(sync: Any, fleet: Any) -> None:
    cluster = truth(fleet)['name']
    unknown = sync(scope={'cluster': 'no-such-cluster'})
    assert unknown.status == 'failed'
    assert any('no-such-cluster' in error for error in unknown.errors)
    assert VirtualMachine.objects.count() == 0
    whole = sync(scope={'cluster': cluster})
    assert whole.status == 'completed', whole.errors
    assert VirtualMachine.objects.count() == len(truth(fleet)['guests'])
    assert sync().writes == 0


def test_a_scope_is_one_target() -> None:
    with pytest.raises(ValidationError, match='not both'):
        SyncScope(cluster='c', node='n', vmid=100)
    assert str(SyncScope(cluster='c', vmid=100)) == 'guest c/100'
    assert str(SyncScope(cluster='c', families=['storage', 'backups'])) == 'cluster c (storage, backups)'
    with pytest.raises(ValidationError, match='families narrow a cluster scope only'):
        SyncScope(cluster='c', vmid=100, families=['backups'])
    with pytest.raises(ValidationError, match='unknown families backup:'):
        SyncScope(cluster='c', families=['backup'])

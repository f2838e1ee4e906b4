"""
The sync against a real NetBox (live_server) and the Proxmox simulator: the first sync creates
exactly what the fleet implies; a second sync writes nothing; rename, reconfigure, migrate, add
and remove each produce exactly their change; a hand-made VM with a colliding name is untouched
and reported; no secret reaches an event or the result. (An offline node leaving its guests
untouched is part of test_orphans_live.py.) Each runs through both write paths: the plugin's in-NetBox
apply, and NetBox's REST API (the fallback).
"""

import json
from typing import Any

import pytest

from core.models import ObjectChange
from dcim.models import Device, MACAddress
from ipam.models import IPAddress
from virtualization.models import Cluster, VirtualDisk, VirtualMachine, VMInterface

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True)]

VM = 'virtualization.virtualmachine'


@pytest.fixture
def sync(sync_both: Any) -> Any:
    return sync_both


def truth(fleet: Any) -> dict[str, Any]:
    return fleet.to_dict()['clusters'][0]


def ops(result: Any, kind: str, action: str | None = None) -> list[Any]:
    return [op for op in result.plan.operations if op.kind == kind and (action is None or op.action == action)]


def vm(vmid: int) -> VirtualMachine:
    return VirtualMachine.objects.get(custom_field_data__proxmox_vmid=vmid)


def test_first_sync_creates_what_the_fleet_implies_and_second_writes_nothing(sync: Any, fleet: Any) -> None:
    world = truth(fleet)
    first = sync()
    assert first.status == 'completed', first.errors
    assert first.failures == []
    assert first.write_path == sync.write_path
    dumped = json.dumps(sync.events, default=str) + first.model_dump_json()
    for secret in [sync.token, *(ep.token_secret for ep in fleet.server.endpoints)]:
        assert secret not in dumped
    guests = world['guests']
    assert Cluster.objects.filter(name=world['name']).count() == 1
    assert Device.objects.filter(cluster__name=world['name']).count() == len(world['nodes'])
    assert VirtualMachine.objects.count() == len(guests)
    assert VMInterface.objects.count() == sum(len(g['nics']) for g in guests)
    assert MACAddress.objects.filter(vminterface__isnull=False).count() == sum(len(g['nics']) for g in guests)
    for guest in guests:
        record = vm(guest['vmid'])
        assert record.name == guest['name']
        assert record.device.name == guest['node']
        assert record.status == ('active' if guest['status'] == 'running' else 'offline')
        assert record.tags.filter(slug='proxbox').exists()
        assert record.custom_field_data['proxbox_id'] == f'pve:{world["name"]}/guest/{guest["vmid"]}'
        if guest['type'] == 'qemu':
            assert record.vcpus == guest['cores'] * guest['sockets']
        assert record.memory == guest['memory_mib']
    assert VirtualDisk.objects.count() > 0
    assert IPAddress.objects.filter(tags__slug='proxbox').count() > 0
    changes_after_first = ObjectChange.objects.count()

    second = sync()
    assert second.status == 'completed'
    assert second.writes == 0
    assert not second.plan.has_changes
    assert ObjectChange.objects.count() == changes_after_first


def test_each_change_in_proxmox_produces_exactly_its_change(sync: Any, fleet: Any) -> None:
    assert sync().status == 'completed'
    guests = truth(fleet)['guests']
    renamed, reconfigured, migrated, removed = (g['vmid'] for g in guests[:4])
    other_node = next(n['name'] for n in truth(fleet)['nodes'] if n['name'] != guests[2]['node'])
    fleet.rename_guest(renamed, 'renamed-guest')
    fleet.reconfigure_guest(reconfigured, memory=12288)
    fleet.migrate_guest(migrated, other_node)
    fleet.remove_guest(removed)
    added = fleet.add_guest('qemu', name='brand-new-vm')

    result = sync()
    assert result.status == 'completed', result.errors
    updates = {op.key.rsplit('/', 1)[1]: op for op in ops(result, VM, 'update')}
    assert set(updates) == {str(renamed), str(reconfigured), str(migrated)}
    assert set(updates[str(renamed)].changes) == {'name'}
    assert set(updates[str(reconfigured)].changes) == {'memory'}
    assert set(updates[str(migrated)].changes) == {'device'}
    assert [op.key for op in ops(result, VM, 'create')] == [f'pve:{truth(fleet)["name"]}/guest/{added.vmid}']
    assert [op.key.rsplit('/', 1)[1] for op in ops(result, VM, 'mark')] == [str(removed)]
    assert vm(renamed).name == 'renamed-guest'
    assert vm(reconfigured).memory == 12288
    assert vm(migrated).device.name == other_node
    assert vm(removed).status == 'decommissioning'
    assert vm(removed).tags.filter(slug='proxbox-orphan').exists()
    assert vm(added.vmid).name == 'brand-new-vm'
    assert VirtualMachine.objects.filter(name='renamed-guest').count() == 1
    assert sync().writes == 0


def test_hand_made_vm_with_colliding_name_is_untouched_and_reported(sync: Any, fleet: Any) -> None:
    assert sync().status == 'completed'
    guest = truth(fleet)['guests'][0]
    fleet.add_guest('qemu', name='handmade')
    hand_made = VirtualMachine.objects.create(name='HandMade', cluster=vm(guest['vmid']).cluster, comments='mine')
    result = sync()
    (conflict,) = ops(result, VM, 'conflict')
    assert f'#{hand_made.pk}' in conflict.reason
    hand_made.refresh_from_db()
    assert (hand_made.name, hand_made.comments, list(hand_made.tags.all())) == ('HandMade', 'mine', [])
    assert hand_made.custom_field_data.get('proxbox_id') is None
    assert ops(result, 'virtualization.vminterface', 'skip')

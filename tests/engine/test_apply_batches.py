"""
Contract: the applier writes a VM's virtual disks in one bulk batch (created, updated or deleted),
because NetBox recomputes the VM's disk total in each batch's transaction and two batches running
side by side can leave it short (the VM then refuses every later edit); other kinds keep the
plan's order and no grouping.
"""

import builtins
from collections.abc import Hashable, Sequence
from typing import Any

from proxbox_api.engine.apply import Applier
from proxbox_api.engine.kinds import kind_spec
from proxbox_api.engine.plan import Operation, Plan
from proxbox_api.netbox import WriteResult

DISK = 'virtualization.virtualdisk'


class Recorder:
    """A NetBox writer that records each bulk call's bodies and groups, and creates everything."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, list[Any], Sequence[Hashable] | None]] = []

    async def list(self, path: str, params: Any = None, *, fields: Any = None) -> builtins.list[dict[str, Any]]:
        return []

    async def bulk_create(
        self, path: str, objects: Sequence[dict[str, Any]], *, changelog_message: str, recover: Any = None,
        groups: Sequence[Hashable] | None = None,
    ) -> builtins.list[WriteResult]:  # fmt: skip
        self.calls.append(('create', [obj['name'] for obj in objects], groups))
        return [WriteResult(i, True, id=1000 + i) for i in range(len(objects))]

    async def bulk_update(
        self, path: str, objects_with_id: Sequence[dict[str, Any]], *, changelog_message: str,
        groups: Sequence[Hashable] | None = None,
    ) -> builtins.list[WriteResult]:  # fmt: skip
        self.calls.append(('update', [obj['id'] for obj in objects_with_id], groups))
        return [WriteResult(i, True, id=obj['id']) for i, obj in enumerate(objects_with_id)]

    async def bulk_delete(
        self, path: str, ids: Sequence[int], *, changelog_message: str, groups: Sequence[Hashable] | None = None
    ) -> builtins.list[WriteResult]:
        self.calls.append(('delete', list(ids), groups))
        return [WriteResult(i, True, id=oid) for i, oid in enumerate(ids)]


def disk(action: str, vmid: int, name: str, oid: int | None = None) -> Operation:
    key = f'pve:c/guest/{vmid}/disk/{name}'
    attrs = {'name': f'{vmid}-{name}'} if action == 'create' else {'size': 2048}
    return Operation(action=action, kind=DISK, key=key, id=oid, attrs=attrs)  # type: ignore[arg-type]


def test_the_batch_group_of_a_disk_is_its_vm() -> None:
    assert kind_spec(DISK).batch_group('pve:c/guest/100/disk/scsi0') == 'pve:c/guest/100'
    assert kind_spec('virtualization.vminterface').batch_group('pve:c/guest/100/nic/0') == ''


async def test_disks_of_a_vm_are_written_together_in_every_action() -> None:
    plan = Plan(
        operations=(
            disk('create', 100, 'scsi0'), disk('create', 200, 'scsi0'), disk('create', 100, 'scsi1'),
            disk('update', 300, 'scsi0', 7), disk('update', 400, 'scsi0', 8), disk('update', 300, 'scsi1', 9),
            disk('delete', 500, 'scsi0', 11), disk('delete', 600, 'scsi0', 12), disk('delete', 500, 'scsi1', 13),
            Operation(action='create', kind='extras.tag', key='proxbox', attrs={'name': 'Proxbox', 'slug': 'proxbox'}),
        )
    )  # fmt: skip
    writer = Recorder()
    result = await Applier(writer, 'test').run(plan)

    assert all(outcome.ok for outcome in result.outcomes) and len(result.outcomes) == 10
    assert writer.calls == [
        ('create', ['Proxbox'], None),
        ('create', ['100-scsi0', '100-scsi1', '200-scsi0'], ['pve:c/guest/100', 'pve:c/guest/100', 'pve:c/guest/200']),
        ('update', [7, 9, 8], ['pve:c/guest/300', 'pve:c/guest/300', 'pve:c/guest/400']),
        ('delete', [11, 13, 12], ['pve:c/guest/500', 'pve:c/guest/500', 'pve:c/guest/600']),
    ]
    assert {outcome.key: outcome.id for outcome in result.outcomes if outcome.action == 'create'} == {
        'proxbox': 1000, 'pve:c/guest/100/disk/scsi0': 1000, 'pve:c/guest/100/disk/scsi1': 1001,
        'pve:c/guest/200/disk/scsi0': 1002,
    }  # fmt: skip

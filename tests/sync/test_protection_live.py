"""
The data-protection stages against a real NetBox (live_server) and the Proxmox simulator: a first
sync creates exactly the storages, backups (directory and PBS), snapshots, backup jobs, replication
jobs and tasks (inside the window, by UPID) the fleet holds, and the HA state on the VMs, each
family as its own stage with progress and counts; a second sync writes nothing with every stage
on; a snapshot added and a backup deleted in Proxmox produce exactly their change; field
a cluster scope of some families writes those alone; field ownership modes (proxmox, netbox,
if-empty) and pins decide what a sync may overwrite. One fleet and
one NetBox go through every step, to keep the live suite short.
"""

from datetime import timedelta
from typing import Any

import pytest

from core.models import ObjectChange
from extras.models import Tag
from virtualization.models import VirtualMachine

from netbox_proxbox.models import BackupRoutine, ProxmoxStorage, Replication, VMBackup, VMSnapshot, VMTaskHistory
from proxmox_sim import FleetSpec
from proxmox_sim.dump import dump_cluster

from .conftest import SIM_EPOCH, Syncer, plugin_endpoints, serve

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True)]

FAMILY_STAGES = ['storage', 'snapshots', 'backups', 'backup_routines', 'replications', 'tasks']
OPTIONS = {'task_history_days': 5}
NOTES = 'virtualization.virtualmachine.description'


@pytest.fixture
def small_fleet() -> Any:
    # Seed 12: two nodes, six guests (QEMU and LXC), backups on PBS, NFS and node-local storage,
    # a snapshot, an HA-managed guest, a replication job and three backup jobs.
    yield from serve(FleetSpec(seed=12, clusters=1, nodes=2, guests=6, pve_version='8.3'))


@pytest.fixture
def run(small_fleet: Any, live_server: Any, netbox_token: str) -> Syncer:
    syncer = Syncer(small_fleet, live_server.url, netbox_token, plugin_endpoints(small_fleet))
    syncer.now = SIM_EPOCH + timedelta(hours=1)
    return syncer


def truth(fleet: Any) -> dict[str, Any]:
    with fleet.lock:
        return dump_cluster(fleet.cluster())


def vm(vmid: int) -> VirtualMachine:
    return VirtualMachine.objects.get(custom_field_data__proxmox_vmid=vmid)


def stage_events(events: list[tuple[str, dict[str, Any]]], stage: str) -> list[tuple[str, dict[str, Any]]]:
    return [(name, data) for name, data in events if data.get('stage') == stage]


def check_storages(world: dict[str, Any]) -> None:
    storages = {s.name: s for s in ProxmoxStorage.objects.prefetch_related('nodes', 'tags')}
    assert set(storages) == {s['storage'] for s in world['storages']}
    node_count = len(world['nodes'])
    for spec in world['storages']:
        record = storages[spec['storage']]
        assert (record.type, record.shared, record.enabled) == (spec['type'], spec['shared'], not spec['disabled'])
        assert record.nodes.count() == (len(spec['nodes']) or node_count)
        expected_total = None if spec['disabled'] else spec['total'] * (1 if spec['shared'] else node_count)
        assert record.total == expected_total, spec['storage']
        assert record.custom_field_data['proxbox_id'] == f'pve:{world["name"]}/storage/{spec["storage"]}'
        assert [tag.slug for tag in record.tags.all()] == ['proxbox']


def check_backups(world: dict[str, Any]) -> None:
    backups = {b.volume_id: b for b in VMBackup.objects.select_related('storage', 'virtual_machine')}
    assert set(backups) == {b['volid'] for b in world['backups']}
    for spec in world['backups']:
        record = backups[spec['volid']]
        assert (record.storage.name, record.guest_id, record.guest_type) == (
            spec['storage'],
            spec['vmid'],
            spec['subtype'],
        )
        assert record.virtual_machine == vm(spec['vmid'])
        assert record.verification_state == (spec['verified'] or 'none')
        assert record.encrypted == bool(spec['encrypted']) and record.creation_time.timestamp() == spec['ctime']
        pbs_format = 'pbs-vm' if spec['subtype'] == 'qemu' else 'pbs-ct'
        assert record.format == pbs_format if spec['storage_type'] == 'pbs' else record.format.endswith('.zst')


def check_jobs_and_tasks(world: dict[str, Any], since: int) -> None:
    snapshots = {(s.virtual_machine.custom_field_data['proxmox_vmid'], s.name) for s in VMSnapshot.objects.all()}
    assert snapshots == {(g['vmid'], s['name']) for g in world['guests'] for s in g['snapshots']}
    routines = {r.job_id: r for r in BackupRoutine.objects.select_related('storage')}
    assert set(routines) == {job['id'] for job in world['backup_jobs']}
    for job in world['backup_jobs']:
        record = routines[job['id']]
        assert (record.enabled, record.storage.name, record.mode, record.keep_daily) == (
            job['enabled'], job['storage'], job['mode'], job['keep_daily'],
        )  # fmt: skip
        assert record.selection == ('pool' if job['pool'] else 'all' if job['all'] else 'guests')
    (job,) = world['replication']
    replication = Replication.objects.select_related('source', 'target', 'virtual_machine').get()
    assert (replication.job_id, replication.target.name, replication.virtual_machine) == (
        job['id'], job['target'], vm(job['guest']),
    )  # fmt: skip
    tasks = {t.upid: t for t in VMTaskHistory.objects.select_related('node', 'virtual_machine')}
    wanted = {t['upid']: t for t in world['tasks'] if t['starttime'] >= since}
    assert set(tasks) == set(wanted) and len(wanted) < len(world['tasks'])
    for upid, spec in wanted.items():
        linked = tasks[upid].virtual_machine
        guest_task = spec['id'].isdigit() and spec['type'].startswith(('qm', 'vz'))
        exists = guest_task and VirtualMachine.objects.filter(custom_field_data__proxmox_vmid=int(spec['id'])).exists()
        assert (linked is not None) == exists and tasks[upid].node.name == spec['node']


def test_stages_then_nothing_then_exactly_the_changes_then_ownership(run: Syncer) -> None:
    world = truth(run.fleet)
    first = run(options=OPTIONS)
    assert (first.status, first.failures) == ('completed', []), first.errors
    check_storages(world)
    check_backups(world)
    check_jobs_and_tasks(world, int((run.now - timedelta(days=5)).timestamp()))
    (ha_guest,) = [g for g in world['guests'] if g['ha']]
    assert vm(ha_guest['vmid']).custom_field_data['proxmox_ha_state'] == ha_guest['ha']['state']
    for stage in FAMILY_STAGES:
        events = stage_events(run.events, stage)
        assert [name for name, _ in events][0] == 'stage_started' and events[-1][0] == 'stage_finished'
        finished = events[-1][1]
        assert finished['counts'] == {'created': finished['found']} and finished['found'] > 0
        assert any(name == 'progress' for name, _ in events)
    started = [data['stage'] for name, data in run.events if name == 'stage_started']
    assert started == ['proxmox', 'netbox', 'plan', 'apply', *FAMILY_STAGES]
    changes = ObjectChange.objects.count()

    second = run(options=OPTIONS)
    assert (second.writes, second.plan.has_changes) == (0, False)
    assert ObjectChange.objects.count() == changes
    finished = [data for name, data in run.events if name == 'stage_finished' and data['stage'] in FAMILY_STAGES]
    assert [data['counts'] for data in finished] == [{}] * len(FAMILY_STAGES)

    snapshot_guest = world['guests'][0]['vmid']
    run.fleet.add_snapshot(snapshot_guest, 'before-change', description='taken by the test')
    gone = world['backups'][0]['volid']
    run.fleet.remove_backup(gone)
    third = run(options=OPTIONS)
    assert third.status == 'completed', third.errors
    changed = {kind: {a: n for a, n in counts.items() if a != 'unchanged'} for kind, counts in third.summary.items()}
    assert {kind: counts for kind, counts in changed.items() if counts} == {
        'netbox_proxbox.vmsnapshot': {'create': 1},
        'netbox_proxbox.vmbackup': {'delete': 1},
        'netbox_proxbox.vmtaskhistory': {'create': 1},  # the snapshot's task
    }
    assert VMSnapshot.objects.get(name='before-change').virtual_machine == vm(snapshot_guest)
    assert not VMBackup.objects.filter(volume_id=gone).exists()
    assert VMBackup.objects.count() == len(world['backups']) - 1
    check_family_scopes(run, world)
    check_ownership(run, world)


def check_family_scopes(run: Syncer, world: dict[str, Any]) -> None:
    """A cluster scope narrowed to some families (what a backup's or a replication's notification syncs)
    writes those families alone: the new backup, then the failed replication; a renamed guest waits."""
    cluster, (guest, *_) = world['name'], world['guests']
    run.fleet.rename_guest(guest['vmid'], 'waits-for-its-own-sync')
    backup = run.fleet.add_backup(guest['vmid'])
    result = run(options=OPTIONS, scope={'cluster': cluster, 'families': ['storage', 'backups']})
    assert result.status == 'completed', result.errors
    kinds = {op.kind for op in result.plan.operations if op.action != 'keep'}
    assert 'netbox_proxbox.vmbackup' in kinds <= {'netbox_proxbox.vmbackup', 'netbox_proxbox.proxmoxstorage'}
    assert VMBackup.objects.get(volume_id=backup.volid).virtual_machine == vm(guest['vmid'])
    assert vm(guest['vmid']).name != 'waits-for-its-own-sync'
    (job,) = world['replication']
    run.fleet.fail_replication(job['id'], 'command failed: no route to host')
    result = run(options=OPTIONS, scope={'cluster': cluster, 'families': ['replications']})
    assert [(op.kind, op.action) for op in result.plan.operations if op.action != 'keep'] == [
        ('netbox_proxbox.replication', 'update')
    ]
    assert Replication.objects.get().error == 'command failed: no route to host'
    assert run(options=OPTIONS).status == 'completed'  # the rename, the backup's task
    assert vm(guest['vmid']).name == 'waits-for-its-own-sync'


def check_ownership(run: Syncer, world: dict[str, Any]) -> None:
    """proxmox (the default) overwrites, netbox keeps what people typed, if-empty refills; pins hold."""
    edited, emptied, pinned = (g['vmid'] for g in world['guests'][:3])
    for vmid in (edited, emptied, pinned):
        run.fleet.reconfigure_guest(vmid, description=f'Runbook of {vmid}\nOwner: ops@example.com')
    inventory = {**OPTIONS, 'families': ['nodes', 'virtual_machines', 'containers']}
    assert run(options=inventory).status == 'completed'
    assert (vm(edited).description, vm(emptied).comments) == (
        f'Runbook of {edited}',
        f'Runbook of {emptied}\nOwner: ops@example.com',
    )
    VirtualMachine.objects.filter(pk=vm(edited).pk).update(description='curated by hand', memory=1)
    VirtualMachine.objects.filter(pk=vm(emptied).pk).update(comments='')
    vm(pinned).tags.add(Tag.objects.get(slug='proxbox-pinned'))
    before_pin = (vm(pinned).memory, vm(pinned).description)
    run.fleet.reconfigure_guest(pinned, memory=4321, description='changed in Proxmox')
    ownership = {NOTES: 'netbox', 'virtualization.virtualmachine.comments': 'if-empty'}
    options = {**inventory, 'field_ownership': ownership}

    result = run(options=options)
    updates = {op.key: set(op.changes) for op in result.plan.operations if op.action == 'update'}
    key = f'pve:{world["name"]}/guest/'
    assert updates == {f'{key}{edited}': {'memory'}, f'{key}{emptied}': {'comments'}}
    assert (vm(edited).description, vm(edited).memory) == ('curated by hand', world['guests'][0]['memory_mib'])
    assert vm(emptied).comments == f'Runbook of {emptied}\nOwner: ops@example.com'
    assert (vm(pinned).memory, vm(pinned).description) == before_pin
    assert run(options=options).writes == 0

    overwritten = run(options=inventory)  # no ownership given: Proxmox wins
    assert [op.key for op in overwritten.plan.operations if op.action == 'update'] == [f'{key}{edited}']
    assert vm(edited).description == f'Runbook of {edited}'

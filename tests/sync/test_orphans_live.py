"""
Orphans against a real NetBox and the simulator (two clusters, injectable clock): each prune policy
(off reports, mark tags and dates, delete waits for the grace period counted from the first miss,
0 or 7 days) and each guard: a family not synced, a node offline (its guests neither pruned nor
changed), a storage that could not be read,
an endpoint filtered out, an endpoint that could not be read, objects people made, shared objects.
A guest that comes back is un-marked.
"""

from datetime import datetime, timedelta
from typing import Any

import pytest

from dcim.models import Device, DeviceRole, DeviceType, Platform, Site
from extras.models import Tag
from virtualization.models import Cluster, ClusterType, VirtualMachine

from netbox_proxbox.models import BackupRoutine, ProxmoxStorage, VMBackup
from proxmox_sim import FaultRule, FleetSpec

from .conftest import SIM_EPOCH, Syncer, plugin_endpoints, serve

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True)]

VM = 'virtualization.virtualmachine'
FAMILIES = ['nodes', 'virtual_machines', 'containers', 'storage', 'snapshots', 'backups', 'backup_routines']
# Seed 1, alpha: 100 and 103 on pve1, 102 (LXC, node-local backups) and 104 (NFS backups) on pve2.
GONE_AT_ONCE, ON_OFFLINE_NODE, COMES_BACK, NFS_GUEST = 100, 102, 103, 104
BRAVO_GUEST = 100


@pytest.fixture
def two_clusters() -> Any:
    yield from serve(FleetSpec(seed=1, clusters=2, nodes=2, guests=8, pve_version='8.3'))


@pytest.fixture
def run(two_clusters: Any, live_server: Any, netbox_token: str) -> Syncer:
    syncer = Syncer(two_clusters, live_server.url, netbox_token, plugin_endpoints(two_clusters))
    syncer.now = SIM_EPOCH + timedelta(hours=1)
    return syncer


def sync(run: Syncer, policy: str, grace: int = 7, **overrides: Any) -> Any:
    families = overrides.pop('families', FAMILIES)
    options = {'families': families, 'prune_policy': policy, 'prune_grace_days': grace}
    return run(options=options, **overrides)


def vm(cluster: str, vmid: int) -> VirtualMachine | None:
    return VirtualMachine.objects.filter(custom_field_data__proxbox_id=f'pve:{cluster}/guest/{vmid}').first()


def op(result: Any, key: str) -> Any:
    (found,) = [item for item in result.plan.operations if item.key == key]
    return found


def backup_of(fleet: Any, vmid: int, storage: str) -> str:
    backups = fleet.to_dict('alpha')['clusters'][0]['backups']
    return next(b['volid'] for b in backups if (b['vmid'], b['storage']) == (vmid, storage))


def shared_counts() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in (Site, DeviceType, ClusterType, DeviceRole, Platform, Tag))


def test_policies_and_guards(run: Syncer) -> None:
    fleet = run.fleet
    assert sync(run, 'mark').status == 'completed'
    alpha = Cluster.objects.get(name='alpha')
    hand_vm = VirtualMachine.objects.create(name='handmade', cluster=alpha)
    storage = ProxmoxStorage.objects.get(cluster__name='alpha', name='nfs-backup')
    hand_backup = VMBackup.objects.create(
        storage=storage, volume_id='nfs-backup:backup/mine', guest_id=9, guest_type='qemu'
    )

    # off: reported, nothing written; a family not synced is not pruned.
    fleet.remove_guest(GONE_AT_ONCE, cluster='alpha')
    nfs_backup = backup_of(fleet, NFS_GUEST, 'nfs-backup')
    fleet.remove_backup(nfs_backup, cluster='alpha')
    off = sync(run, 'off', families=[f for f in FAMILIES if f != 'backups'])
    assert (op(off, f'pve:alpha/guest/{GONE_AT_ONCE}').action, off.writes) == ('keep', 0)
    assert op(off, f'pve:alpha/guest/{GONE_AT_ONCE}').reason == 'gone from Proxmox; prune policy is off'
    assert off.plan.guards['netbox_proxbox.vmbackup'] == 'backups not synced in this run: not pruned'
    assert VMBackup.objects.filter(volume_id=nfs_backup).exists()

    # delete with 0 days, alpha only: a node offline, an unreadable storage and bravo are guarded.
    fleet.remove_guest(ON_OFFLINE_NODE, cluster='alpha')
    fleet.reconfigure_guest(NFS_GUEST, memory=999, cluster='alpha')
    untouched = (vm('alpha', NFS_GUEST).name, vm('alpha', NFS_GUEST).memory, vm('alpha', NFS_GUEST).status)
    fleet.node_offline('alpha-pve2', cluster='alpha')
    pbs_backup = backup_of(fleet, COMES_BACK, 'pbs1')
    fleet.remove_backup(pbs_backup, cluster='alpha')
    fleet.add_fault(FaultRule('error', path='/nodes/*/storage/pbs1/content', cluster='alpha', message='pbs1: down'))
    fleet.remove_guest(BRAVO_GUEST, cluster='bravo')
    shared = shared_counts()
    now = sync(run, 'delete', grace=0, only=('alpha',))
    assert now.status == 'completed', now.errors
    assert vm('alpha', GONE_AT_ONCE) is None
    assert op(now, f'pve:alpha/guest/{GONE_AT_ONCE}').reason == 'gone from Proxmox; grace period of 0 days passed'
    kept = op(now, f'pve:alpha/guest/{ON_OFFLINE_NODE}')
    assert kept.action == 'keep' and 'pve:alpha/node/alpha-pve2' in kept.reason
    assert vm('alpha', ON_OFFLINE_NODE).status == 'active'
    assert (vm('alpha', NFS_GUEST).name, vm('alpha', NFS_GUEST).memory, vm('alpha', NFS_GUEST).status) == untouched
    assert Device.objects.get(name='alpha-pve2').status == 'offline'
    assert VMBackup.objects.filter(virtual_machine=vm('alpha', ON_OFFLINE_NODE)).count() == 2  # node-local, unread
    assert not VMBackup.objects.filter(volume_id=nfs_backup).exists()
    assert op(now, f'pve:alpha/storage/pbs1/backup/{pbs_backup}').action == 'keep'
    assert VMBackup.objects.filter(volume_id=pbs_backup).exists()
    assert vm('bravo', BRAVO_GUEST).status == 'active' and 'pve:bravo' in now.plan.guards
    assert not [item for item in now.plan.operations if item.key.startswith('pve:bravo')]
    hand_vm.refresh_from_db()
    hand_backup.refresh_from_db()
    assert (hand_vm.name, hand_vm.tags.count(), hand_backup.tags.count()) == ('handmade', 0, 0)
    assert shared_counts() == shared

    # delete with 7 days: the first miss marks; bravo cannot be read and is left alone.
    fleet.reset_faults()
    fleet.node_online('alpha-pve2', cluster='alpha')
    fleet.remove_guest(COMES_BACK, cluster='alpha')
    with fleet.lock:
        job = fleet.cluster('alpha').backup_jobs.pop()
    fleet.add_fault(FaultRule('error', path='/cluster/resources', cluster='bravo', message='bravo: down'))
    first_miss = run.now
    marked = sync(run, 'delete')
    assert marked.status == 'partial' and any('bravo' in error for error in marked.errors)
    for vmid in (ON_OFFLINE_NODE, COMES_BACK):
        record = vm('alpha', vmid)
        assert record.status == 'decommissioning' and record.tags.filter(slug='proxbox-orphan').exists()
        assert datetime.fromisoformat(record.custom_field_data['proxbox_orphaned_since']) == first_miss
    routine = BackupRoutine.objects.get(job_id=job.id)
    assert not routine.enabled and routine.tags.filter(slug='proxbox-orphan').exists()
    assert vm('bravo', BRAVO_GUEST).status == 'active'

    # three days later: the guest that came back is un-marked; the others wait; bravo's first miss.
    fleet.reset_faults()
    fleet.add_guest('qemu', vmid=COMES_BACK, node='alpha-pve1', name='back-again', cluster='alpha')
    run.advance(days=3)
    later = sync(run, 'delete')
    assert later.status == 'completed', later.errors
    back = vm('alpha', COMES_BACK)
    assert (back.name, back.status, back.custom_field_data['proxbox_orphaned_since']) == ('back-again', 'active', None)
    assert not back.tags.filter(slug='proxbox-orphan').exists()
    assert op(later, f'pve:alpha/guest/{ON_OFFLINE_NODE}').action == 'keep'
    assert vm('bravo', BRAVO_GUEST).status == 'decommissioning'

    # eight days after the first miss: deleted; bravo's guest (five days) waits.
    run.advance(days=5)
    final = sync(run, 'delete')
    assert final.status == 'completed', final.errors
    assert vm('alpha', ON_OFFLINE_NODE) is None and not BackupRoutine.objects.filter(job_id=job.id).exists()
    assert op(final, f'pve:bravo/guest/{BRAVO_GUEST}').action == 'keep'
    assert VirtualMachine.objects.filter(pk=hand_vm.pk).exists() and VMBackup.objects.filter(pk=hand_backup.pk).exists()
    assert sync(run, 'delete').writes == 0

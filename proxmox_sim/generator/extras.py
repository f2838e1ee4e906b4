"""Generate what hangs off guests: snapshots, backups, HA, backup and replication jobs, tasks."""

from __future__ import annotations

import random

from ..model import Backup, BackupJob, Cluster, Guest, HaConfig, ReplicationJob, Snapshot, Task

__all__ = ['add_extras', 'make_backup', 'make_task']

SNAPSHOT_NAMES = ('before-upgrade', 'after-upgrade', 'pre-patch', 'baseline', 'weekly', 'known-good')
HA_STATES = ('started', 'started', 'started', 'stopped', 'ignored', 'disabled')
TASK_TYPES = ('qmstart', 'qmstop', 'qmshutdown', 'vzstart', 'vzdump', 'aptupdate', 'srvreload', 'qmsnapshot')
TASK_ERRORS = ('start failed: QEMU exited with code 1', 'unable to create VM 0 - locked', 'job errors')


def add_extras(rng: random.Random, cluster: Cluster) -> None:
    for guest in cluster.guests.values():
        _add_snapshots(rng, cluster, guest)
        _add_backups(rng, cluster, guest)
        if not cluster.standalone and not guest.template and rng.random() < 0.1:
            guest.ha = _ha_config(rng, cluster, guest)
    _add_backup_jobs(rng, cluster)
    _add_replication(rng, cluster)
    _add_tasks(rng, cluster)


def _add_snapshots(rng: random.Random, cluster: Cluster, guest: Guest) -> None:
    if guest.template or rng.random() >= 0.25:
        return
    parent: str | None = None
    snaptime = cluster.epoch - rng.randint(30, 300) * 86400
    for name in rng.sample(SNAPSHOT_NAMES, rng.randint(1, 3)):
        vmstate = guest.kind == 'qemu' and guest.running and rng.random() < 0.3
        guest.snapshots.append(Snapshot(name, snaptime, f'{name} of {guest.name}', vmstate, parent))
        parent = name
        snaptime += rng.randint(1, 20) * 86400


def make_backup(rng: random.Random, cluster: Cluster, guest: Guest, storage: str, ctime: int) -> Backup:
    """A backup of ``guest`` on ``storage``; node-local storages record the node that wrote it."""
    target = cluster.storages[storage]
    size = max(guest.maxdisk // rng.randint(3, 10), 1)
    backup = Backup(
        storage=storage,
        vmid=guest.vmid,
        subtype=guest.kind,
        ctime=ctime,
        size=size,
        storage_type=target.type,
        node=None if target.shared else guest.node,
    )
    if rng.random() < 0.5:
        backup.notes = f'{guest.name} nightly'
    backup.protected = rng.random() < 0.1
    if target.type == 'pbs':
        backup.verified = rng.choice((None, 'ok', 'ok', 'failed'))
        backup.encrypted = 'aa:bb:cc:dd:ee:ff:00:11' if rng.random() < 0.1 else None
    return backup


def _backup_storages(cluster: Cluster) -> list[str]:
    return [s.storage for s in cluster.storages.values() if 'backup' in s.content and not s.disabled]


def _add_backups(rng: random.Random, cluster: Cluster, guest: Guest) -> None:
    if guest.template or rng.random() >= 0.5:
        return
    storage = rng.choice(_backup_storages(cluster))
    ctime = cluster.epoch - rng.randint(1, 30) * 86400 + rng.randint(3600, 4 * 3600)
    for _ in range(rng.randint(1, 3)):
        cluster.backups.append(make_backup(rng, cluster, guest, storage, ctime))
        ctime += 86400


def _ha_config(rng: random.Random, cluster: Cluster, guest: Guest) -> HaConfig:
    nodes = sorted(cluster.nodes)
    group = f'prefer-{rng.choice(nodes)}' if rng.random() < 0.6 else None
    comment = f'{guest.name} HA' if rng.random() < 0.3 else None
    state = rng.choice(HA_STATES)
    return HaConfig(state=state, group=group, max_restart=rng.choice((1, 2, 3)), max_relocate=1, comment=comment)


def _add_backup_jobs(rng: random.Random, cluster: Cluster) -> None:
    storages = _backup_storages(cluster)
    vmids = sorted(cluster.guests)
    jobs = [
        BackupJob(
            id=f'backup-{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}',
            schedule='sun 01:00',
            storage=storages[-1],
            all=True,
            exclude=tuple(vmids[:1]),
            comment='weekly full',
        ),
        BackupJob(
            id=f'backup-{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}',
            schedule='*-*-* 02:00',
            storage=storages[0],
            mode='stop',
            vmids=tuple(sorted(rng.sample(vmids, min(3, len(vmids))))),
            enabled=rng.random() < 0.5,
        ),
    ]
    if cluster.pools:
        pool = sorted(cluster.pools)[0]
        job_id = f'backup-{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}'
        jobs.append(BackupJob(id=job_id, schedule='mon..fri 22:30', storage=storages[-1], pool=pool, comment=pool))
    cluster.backup_jobs = jobs


def _add_replication(rng: random.Random, cluster: Cluster) -> None:
    nodes = sorted(cluster.nodes)
    if cluster.standalone or len(nodes) < 2:
        return
    for guest in cluster.guests.values():
        on_zfs = any(disk.storage == 'local-zfs' for disk in guest.disks)
        if not on_zfs or guest.template or rng.random() >= 0.3:
            continue
        target = rng.choice([node for node in nodes if node != guest.node])
        failing = rng.random() < 0.1
        job = ReplicationJob(guest=guest.vmid, jobnum=0, target=target, schedule=rng.choice((None, '*/30', '22:00')))
        job.rate = rng.choice((None, 50, 100))
        job.disable = rng.random() < 0.05
        job.last_sync = 0 if failing else cluster.epoch - rng.randint(60, 900)
        job.duration = round(rng.uniform(1, 30), 2)
        job.fail_count = rng.randint(1, 5) if failing else 0
        job.error = "command 'zfs snapshot' failed: exit code 1" if failing else None
        cluster.replication.append(job)


def make_task(cluster: Cluster, node: str, task_type: str, task_id: str, starttime: int, status: str) -> Task:
    """A finished task with a real UPID (pid and pstart are derived, so they stay deterministic)."""
    pid = 100000 + (starttime * 7 + len(cluster.tasks)) % 900000
    pstart = 10_000_000 + (starttime - cluster.epoch) % 100_000_000
    return Task(node, pid, pstart, starttime, task_type, task_id, 'root@pam', starttime + 5, status)


def _add_tasks(rng: random.Random, cluster: Cluster) -> None:
    vmids = sorted(cluster.guests)
    for node in sorted(cluster.nodes):
        starttime = cluster.epoch - 7 * 86400
        for _ in range(rng.randint(10, 30)):
            starttime += rng.randint(60, 20000)
            task_type = rng.choice(TASK_TYPES)
            task_id = '' if task_type in ('aptupdate', 'srvreload') else str(rng.choice(vmids) if vmids else 100)
            status = 'OK' if rng.random() < 0.9 else rng.choice(TASK_ERRORS + ('WARNINGS: 1',))
            cluster.tasks.append(make_task(cluster, node, task_type, task_id, starttime, status))

"""
The data-protection mapping is pure: these pin what a Proxmox data-protection read turns into:
storages with their nodes and usage (shared once, local summed, unknown when a node is unread),
backups of directory and PBS storages linked to their guest and storage, snapshots of synced
guests, backup jobs, replication jobs with their state, tasks inside the window linked to their
guest, the read scopes that protect records from pruning, and families that cannot be synced.
"""

from proxbox_api.engine import keys
from proxbox_api.engine.mapping import ALL_FAMILIES, MappingContext, desired_state
from proxbox_api.engine.records import Ref
from proxbox_api.proxmox import DataProtectionSnapshot, Guest, IncompleteScope, Node, ProxmoxSnapshot
from proxbox_api.proxmox.protection_models import (
    Backup,
    BackupJob,
    GuestSnapshot,
    ReplicationJob,
    Storage,
    StorageStatus,
    Task,
)

STORAGE = 'netbox_proxbox.proxmoxstorage'
BACKUP = 'netbox_proxbox.vmbackup'
SNAPSHOT = 'netbox_proxbox.vmsnapshot'
ROUTINE = 'netbox_proxbox.backuproutine'
REPLICATION = 'netbox_proxbox.replication'
TASK = 'netbox_proxbox.vmtaskhistory'
VM = 'virtualization.virtualmachine'
NODE = 'netbox_proxbox.proxmoxnode'
GIB = 1024**3
T0 = 1767225600  # 2026-01-01T00:00:00Z


def cluster(*, offline: tuple[str, ...] = (), scopes: tuple[str, ...] = ()) -> ProxmoxSnapshot:
    nodes = tuple(
        Node(name=n, online=n not in offline, pve_version=None if n in offline else '8.3') for n in ('n1', 'n2')
    )
    guests = (
        Guest(vmid=100, type='qemu', name='web', node='n1', status='running', description='Web server\nowner: ops'),
        Guest(vmid=101, type='lxc', name='dns', node='n2', status='running', ha_state='started'),
    )
    incomplete = tuple(IncompleteScope(scope=s, reason='595 No route to host') for s in scopes)
    return ProxmoxSnapshot(
        endpoint='c', version='8.3.0', release='8.3', cluster_name='c', nodes=nodes, guests=guests,
        incomplete_scopes=incomplete,
    )  # fmt: skip


def protection(**changes: object) -> DataProtectionSnapshot:
    status = [
        StorageStatus(node=n, storage='local', type='dir', active=True, total=100 * GIB, used=10 * GIB)
        for n in ('n1', 'n2')
    ] + [
        StorageStatus(node=n, storage='pbs1', type='pbs', active=True, shared=True, total=8000 * GIB, used=800 * GIB)
        for n in ('n1', 'n2')
    ]
    data = DataProtectionSnapshot(
        storages=(
            Storage(storage='local', type='dir', content=('backup', 'iso', 'none'), path='/var/lib/vz'),
            Storage(storage='pbs1', type='pbs', content=('backup',), shared=True, path='10.0.0.5:store1'),
        ),
        storage_status=tuple(status),
        backups=(
            Backup(volid='local:backup/vzdump-qemu-100-2025_12_31-01_00_00.vma.zst', storage='local', node='n1',
                   vmid=100, subtype='qemu', format='vma.zst', ctime=T0 - 82800, size=GIB, notes='nightly'),
            Backup(volid='pbs1:backup/ct/101/2025-12-31T01:00:00Z', storage='pbs1', node='n1', format='pbs-ct',
                   ctime=T0 - 82800, size=2 * GIB, verification='ok', encrypted=True),
            Backup(volid='pbs1:backup/vm/999/2025-12-30T01:00:00Z', storage='pbs1', node='n1', vmid=999,
                   subtype='qemu', ctime=T0 - 169200, verification='weird'),
        ),
        snapshots=(GuestSnapshot(vmid=100, type='qemu', node='n1', name='pre', snaptime=T0 - 3600, vmstate=True,
                                 description='before\n  the upgrade'),),
        backup_jobs=(
            BackupJob(id='backup-a', schedule='sun 01:00', storage='pbs1', all=True, exclude=(101,), compress='zstd',
                      keep=(('daily', 7), ('weekly', 4)), next_run=T0 + 86400),
            BackupJob(id='backup-b', enabled=False, vmids=(101, 100), storage='local', mode='stop'),
            BackupJob(id='backup-c', pool='prod', storage='gone', compress='weird'),
        ),
        replication_jobs=(
            ReplicationJob(id='100-0', guest=100, target='n2', rate=50.0, last_sync=T0 - 600, next_sync=T0 + 300,
                           duration=4.2),
        ),
        tasks=(
            Task(upid='UPID:n1:1:2:3:vzdump:100:root@pam:', node='n1', type='vzdump', id='100', user='root@pam',
                 starttime=T0 - 3600, endtime=T0 - 3000, status='OK'),
            Task(upid='UPID:n2:1:2:3:qmstart:555:root@pam:', node='n2', type='qmstart', id='555', user='root@pam',
                 starttime=T0 - 60, status=None),
            Task(upid='UPID:n1:1:2:4:aptupdate::root@pam:', node='n1', type='aptupdate', starttime=T0 - 7200,
                 endtime=T0 - 7100, status='WARNINGS: 2'),
            Task(upid='UPID:n1:1:2:5:qmstop:100:root@pam:', node='n1', type='qmstop', id='100', user='root@pam',
                 starttime=T0 - 9 * 86400, endtime=T0 - 9 * 86400 + 5, status='unexpected status'),
        ),
    )  # fmt: skip
    return data.model_copy(update=changes)


def run(snapshot=None, data=None, **ctx):
    context = MappingContext(endpoint_id=ctx.pop('endpoint_id', 1), task_since=T0 - 86400, **ctx)
    return desired_state([(snapshot or cluster(), context, data or protection())])


def attrs(state, kind, key):
    return state.objects[kind][key].attrs


class TestStorage:
    """Storages: per cluster, nodes that see them, usage (shared once, local summed, unknown when unread)."""

    def test_storages_with_nodes_and_usage(self):
        state = run()
        local = attrs(state, STORAGE, 'pve:c/storage/local')
        assert local['cluster'] == Ref('netbox_proxbox.proxmoxcluster', 'pve:c')
        assert local['content'] == ['backup', 'iso']
        assert local['nodes'] == [Ref(NODE, 'pve:c/node/n1'), Ref(NODE, 'pve:c/node/n2')]
        assert (local['total'], local['used'], local['available']) == (200 * GIB, 20 * GIB, 180 * GIB)
        pbs = attrs(state, STORAGE, 'pve:c/storage/pbs1')
        assert (pbs['shared'], pbs['total'], pbs['path']) == (True, 8000 * GIB, '10.0.0.5:store1')
        assert local['custom_fields']['proxbox_id'] == 'pve:c/storage/local' and 'proxbox' in local['tags']

    def test_usage_of_a_local_storage_on_an_unread_node_is_left_alone(self):
        data = protection(storage_status=tuple(s for s in protection().storage_status if s.node == 'n1'))
        state = run(cluster(offline=('n2',)), data)
        assert 'total' not in attrs(state, STORAGE, 'pve:c/storage/local')
        assert attrs(state, STORAGE, 'pve:c/storage/pbs1')['total'] == 8000 * GIB
        assert state.incomplete['pve:c/storage/local'] == 'node n2 could not be read'


class TestBackups:
    """Backups: one per archive, on their storage, linked to their guest (optional), PBS and dir alike."""

    def test_dir_and_pbs_backups(self):
        state = run()
        dir_key = 'pve:c/storage/local/backup/local:backup/vzdump-qemu-100-2025_12_31-01_00_00.vma.zst'
        vzdump = attrs(state, BACKUP, dir_key)
        assert vzdump['storage'] == Ref(STORAGE, 'pve:c/storage/local')
        assert vzdump['virtual_machine'] == Ref(VM, 'pve:c/guest/100') and vzdump['virtual_machine'].optional
        assert (vzdump['guest_type'], vzdump['format'], vzdump['notes']) == ('qemu', 'vma.zst', 'nightly')
        assert (vzdump['creation_time'], vzdump['verification_state']) == ('2025-12-31T01:00:00Z', 'none')
        assert state.objects[BACKUP][dir_key].parent == Ref(STORAGE, 'pve:c/storage/local')
        pbs = attrs(state, BACKUP, 'pve:c/storage/pbs1/backup/pbs1:backup/ct/101/2025-12-31T01:00:00Z')
        assert (pbs['guest_id'], pbs['guest_type'], pbs['verification_state'], pbs['encrypted']) == (
            101,
            'lxc',
            'ok',
            True,
        )
        gone_guest = attrs(state, BACKUP, 'pve:c/storage/pbs1/backup/pbs1:backup/vm/999/2025-12-30T01:00:00Z')
        assert gone_guest['verification_state'] == 'none' and gone_guest['virtual_machine'].key == 'pve:c/guest/999'

    def test_backups_need_their_storage(self):
        state = run(families=ALL_FAMILIES - {'storage'})
        assert BACKUP not in state.objects
        assert state.incomplete['pve:c/storage'].startswith('not synced in this run')

    def test_storages_whose_backups_were_not_listed_protect_them(self):
        base = protection()
        cifs = Storage(storage='cifs', type='cifs', content=('backup',), shared=True, enabled=False)
        inactive = StorageStatus(node='n1', storage='cifs', type='cifs', shared=True)
        local_off_on_n2 = tuple(s for s in base.storage_status if (s.storage, s.node) != ('local', 'n2'))
        local_n2 = StorageStatus(node='n2', storage='local', type='dir', active=False)
        data = base.model_copy(
            update={'storages': (*base.storages, cifs), 'storage_status': (*local_off_on_n2, local_n2, inactive)}
        )
        state = run(data=data)
        assert state.incomplete['pve:c/storage/cifs'] == 'not active: its backups could not be listed'
        assert state.incomplete['pve:c/storage/local'] == 'not active: its backups could not be listed'
        assert 'pve:c/storage/pbs1' not in state.incomplete
        assert 'pve:c/storage/local' not in run().incomplete

    def test_unreadable_storage_protects_its_backups(self):
        failed = IncompleteScope(scope='storage/pbs1', reason='500 cannot connect')
        state = run(data=protection(incomplete_scopes=(failed,)))
        assert state.incomplete['pve:c/storage/pbs1'] == '500 cannot connect'


class TestSnapshotsAndJobs:
    """Snapshots of synced guests; backup jobs with their selection; replication with its state."""

    def test_snapshot(self):
        snap = attrs(run(), SNAPSHOT, 'pve:c/guest/100/snapshot/pre')
        assert snap['virtual_machine'] == Ref(VM, 'pve:c/guest/100')
        assert (snap['vmstate'], snap['description'], snap['snapshot_time']) == (
            True,
            'before the upgrade',
            '2025-12-31T23:00:00Z',
        )

    def test_snapshots_of_an_unsynced_guest_are_left_out(self):
        state = run(families=ALL_FAMILIES - {'virtual_machines'})
        assert SNAPSHOT not in state.objects and 'pve:c/guest/100' in state.incomplete

    def test_backup_jobs(self):
        state = run()
        weekly = attrs(state, ROUTINE, 'pve:c/backup-job/backup-a')
        assert (weekly['selection'], weekly['guest_ids'], weekly['keep_daily'], weekly['keep_last']) == (
            'all',
            [101],
            7,
            None,
        )
        assert weekly['storage'] == Ref(STORAGE, 'pve:c/storage/pbs1') and weekly['next_run'] == '2026-01-02T00:00:00Z'
        picked = attrs(state, ROUTINE, 'pve:c/backup-job/backup-b')
        assert (picked['selection'], picked['guest_ids'], picked['enabled'], picked['mode']) == (
            'guests',
            [100, 101],
            False,
            'stop',
        )
        pool = attrs(state, ROUTINE, 'pve:c/backup-job/backup-c')
        assert (pool['selection'], pool['pool'], pool['compression']) == ('pool', 'prod', '')

    def test_replication_with_and_without_state(self):
        job = attrs(run(), REPLICATION, 'pve:c/replication/100-0')
        assert job['source'] == Ref(NODE, 'pve:c/node/n1') and job['target'] == Ref(NODE, 'pve:c/node/n2')
        assert (job['last_sync'], job['duration'], job['disabled']) == ('2025-12-31T23:50:00Z', 4.2, False)
        failed = IncompleteScope(scope='node/n1/replication', reason='timeout')
        unknown = attrs(run(data=protection(incomplete_scopes=(failed,))), REPLICATION, 'pve:c/replication/100-0')
        assert 'last_sync' not in unknown and 'fail_count' not in unknown and unknown['rate'] == 50.0

    def test_job_read_failures_protect_the_jobs(self):
        scopes = (
            IncompleteScope(scope='cluster/backup', reason='403'),
            IncompleteScope(scope='cluster/replication', reason='x'),
        )
        state = run(data=protection(incomplete_scopes=scopes))
        assert {'pve:c/backup-job', 'pve:c/replication'} <= set(state.incomplete)


class TestTasks:
    """Tasks: inside the window, one per UPID, with a status, linked to the guest they concern."""

    def test_window_status_and_guest(self):
        state = run()
        tasks = state.objects[TASK]
        assert len(tasks) == 3  # the one started nine days ago is outside the one-day window
        dump = tasks['pve:c/task/UPID:n1:1:2:3:vzdump:100:root@pam:'].attrs
        assert (dump['status'], dump['exit_status'], dump['node']) == ('ok', 'OK', Ref(NODE, 'pve:c/node/n1'))
        assert dump['virtual_machine'] == Ref(VM, 'pve:c/guest/100')
        running = tasks['pve:c/task/UPID:n2:1:2:3:qmstart:555:root@pam:'].attrs
        assert (running['status'], running['end_time'], running['virtual_machine'].key) == (
            'running',
            None,
            'pve:c/guest/555',
        )
        apt = tasks['pve:c/task/UPID:n1:1:2:4:aptupdate::root@pam:'].attrs
        assert (apt['status'], apt['virtual_machine'], apt['user']) == ('warning', None, 'unknown')
        assert state.read_filters == {TASK: {'start_time__gte': '2025-12-31T00:00:00Z'}}


class TestWithoutThePlugin:
    """An endpoint that is not the plugin's (no id) syncs snapshots only, and protects the rest."""

    def test_records_that_need_the_plugin_are_protected(self):
        state = run(endpoint_id=None)
        assert set(state.objects) & {STORAGE, BACKUP, ROUTINE, REPLICATION, TASK} == set()
        assert SNAPSHOT in state.objects
        assert {'pve:c/storage', 'pve:c/backup-job', 'pve:c/replication'} <= set(state.incomplete)
        assert any('endpoint id' in warning for warning in state.warnings)

    def test_without_a_protection_read_no_protection_family_is_synced(self):
        context = MappingContext(endpoint_id=1)
        state = desired_state([(cluster(), context)])
        assert state.families is not None and 'backups' not in state.families and 'nodes' in state.families


class TestGuests:
    """The VM carries its notes (description: first line; comments: all) and its HA state."""

    def test_notes_and_ha_state(self):
        state = run()
        web = attrs(state, VM, keys.guest_key('c', 100))
        assert (web['description'], web['comments']) == ('Web server', 'Web server\nowner: ops')
        assert web['custom_fields']['proxmox_ha_state'] is None
        assert attrs(state, VM, keys.guest_key('c', 101))['custom_fields']['proxmox_ha_state'] == 'started'

    def test_unknown_ha_state_is_left_alone(self):
        state = run(cluster(scopes=('cluster/ha',)))
        assert 'proxmox_ha_state' not in attrs(state, VM, keys.guest_key('c', 100))['custom_fields']
        assert attrs(state, VM, keys.guest_key('c', 101))['custom_fields']['proxmox_ha_state'] == 'started'

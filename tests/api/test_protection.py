"""Contract: read_data_protection() reads storages, backups, snapshots, jobs and tasks for the readable
parts of a cluster, reads a shared backup storage once and a node-local one on every node, reads only
the parts switched on, pages tasks back to the window, and marks what it cannot read as incomplete."""

import httpx

from proxbox_api.proxmox import (
    ClientOptions,
    ProtectionOptions,
    ProxmoxClient,
    ProxmoxEndpoint,
    read_cluster,
    read_data_protection,
)
from proxbox_api.proxmox import _protection_items as items
from proxbox_api.proxmox.protection_models import DataProtectionSnapshot

from .fake_proxmox import FakeProxmox, Route, lab
from .pve_http import error

ENDPOINT = ProxmoxEndpoint(host='pve1.lab', token_id='root@pam!sync', token_secret='s3cr3t')
UPID = 'UPID:pve1:0001E240:0A1B2C3D:673D3A10:vzdump:100:root@pam:'


def protection_routes() -> dict[str, Route]:
    routes = lab()
    routes['/storage'] = [
        {'storage': 'local', 'type': 'dir', 'content': 'backup,iso,vztmpl'},
        {'storage': 'local-lvm', 'type': 'lvmthin', 'content': 'images,rootdir'},
        {'storage': 'pbs1', 'type': 'pbs', 'content': 'backup', 'nodes': 'pve1,pve2'},
        {'storage': 'nfs-iso', 'type': 'nfs', 'content': 'iso', 'disable': 1},
    ]
    for node in ('pve1', 'pve2'):
        routes[f'/nodes/{node}/storage'] = [
            {'storage': 'local', 'type': 'dir', 'active': 1, 'enabled': 1, 'shared': 0, 'total': 100, 'used': 10},
            {'storage': 'local-lvm', 'type': 'lvmthin', 'active': 1, 'enabled': 1, 'shared': 0},
            {'storage': 'pbs1', 'type': 'pbs', 'active': 1, 'enabled': 1, 'shared': 1},
            {'storage': 'nfs-iso', 'type': 'nfs', 'active': 0, 'enabled': 0, 'shared': 1},
        ]
        routes[f'/nodes/{node}/replication'] = []
        routes[f'/nodes/{node}/tasks'] = []
    routes['/nodes/pve1/storage/local/content'] = [
        {'volid': 'local:backup/vzdump-qemu-100-2024_11_20-02_00_05.vma.zst', 'content': 'backup',
         'format': 'vma.zst', 'subtype': 'qemu', 'vmid': 100, 'ctime': 1732064405, 'size': 2147483648,
         'notes': 'web01 nightly', 'protected': 1},
    ]  # fmt: skip
    routes['/nodes/pve2/storage/local/content'] = []
    routes['/nodes/pve1/storage/pbs1/content'] = [
        {'volid': 'pbs1:backup/vm/100/2024-11-20T01:00:05Z', 'content': 'backup', 'format': 'pbs-vm',
         'subtype': 'qemu', 'vmid': 100, 'ctime': 1732064405, 'size': 34359738368,
         'verification': {'state': 'ok', 'upid': 'UPID:pbs:x:'}, 'encrypted': 'aa:bb'},
    ]  # fmt: skip
    routes['/nodes/pve1/qemu/100/snapshot'] = [
        {'name': 'before-upgrade', 'snaptime': 1731000000, 'description': 'pre', 'vmstate': 1},
        {'name': 'current', 'digest': 'x', 'running': 1, 'parent': 'before-upgrade'},
    ]
    routes['/cluster/backup'] = [
        {'id': 'backup-7c1e2d3f-aa10', 'type': 'vzdump', 'enabled': 1, 'schedule': 'sun 01:00',
         'next-run': 1732410000, 'storage': 'pbs1', 'mode': 'snapshot', 'all': 1, 'exclude': '9000'},
        {'id': 'backup-e4b5c6d7-bb20', 'enabled': 0, 'schedule': '*-*-* 02:00', 'vmid': '100,101', 'storage': 'local'},
    ]  # fmt: skip
    routes['/cluster/replication'] = [
        {'id': '100-0', 'type': 'local', 'guest': 100, 'jobnum': 0, 'target': 'pve2', 'source': 'pve1', 'rate': 50},
        {'id': '101-0', 'type': 'local', 'guest': 101, 'target': 'pve3', 'source': 'pve1', 'disable': 1},
    ]
    routes['/nodes/pve1/replication'] = [
        {'id': '100-0', 'guest': 100, 'last_sync': 1732100000, 'next_sync': 1732100900, 'duration': 4.21,
         'fail_count': 0},
        {'id': '101-0', 'guest': 101, 'fail_count': 3, 'error': "command 'zfs snapshot' failed: exit code 1"},
    ]  # fmt: skip
    routes['/cluster/tasks'] = [
        {'upid': UPID, 'node': 'pve1', 'type': 'vzdump', 'id': '100', 'user': 'root@pam', 'starttime': 1732065808,
         'endtime': 1732066100, 'status': 'OK', 'saved': '1'},
    ]  # fmt: skip
    routes['/nodes/pve1/tasks'] = lambda request: httpx.Response(
        200, json={'data': [{'upid': UPID, 'node': 'pve1', 'type': 'vzdump', 'status': 'OK'}], 'total': 1}
    )
    return routes


async def read(fake: FakeProxmox) -> DataProtectionSnapshot:
    async with ProxmoxClient(ENDPOINT, ClientOptions(max_retries=0), transport=httpx.MockTransport(fake)) as client:
        return await read_data_protection(client, await read_cluster(client))


class TestDataProtection:
    """The reference lab, plus storages, backups, jobs and tasks."""

    async def test_full_read(self) -> None:
        fake = FakeProxmox(protection_routes())
        snap = await read(fake)
        assert [s.storage for s in snap.storages] == ['local', 'local-lvm', 'pbs1', 'nfs-iso']
        assert not snap.storages[3].enabled and snap.storages[2].nodes == ('pve1', 'pve2')
        assert len(snap.storage_status) == 8
        assert {(b.storage, b.vmid, b.protected, b.verification, b.encrypted) for b in snap.backups} == {
            ('local', 100, True, None, False),
            ('pbs1', 100, False, 'ok', True),
        }
        assert sum('/storage/pbs1/content' in c for c in fake.calls) == 1  # shared: read once
        assert not any('local-lvm/content' in c or 'nfs-iso/content' in c for c in fake.calls)
        assert [(s.vmid, s.name, s.vmstate) for s in snap.snapshots] == [(100, 'before-upgrade', True)]
        first, second = snap.backup_jobs
        assert (first.all, first.exclude, first.next_run) == (True, (9000,), 1732410000)
        assert (second.enabled, second.vmids) == (False, (100, 101))
        ok_job, failing = snap.replication_jobs
        assert (ok_job.rate, ok_job.last_sync, ok_job.schedule, ok_job.duration) == (50.0, 1732100000, '*/15', 4.21)
        assert (failing.enabled, failing.fail_count) == (False, 3) and 'zfs' in (failing.error or '')
        assert [t.upid for t in snap.tasks] == [UPID]

    async def test_failures_mark_scopes(self) -> None:
        routes = protection_routes()
        routes['/cluster/backup'] = error(403, 'Permission check failed (/, Sys.Audit)')
        routes['/nodes/pve1/storage/pbs1/content'] = error(500, "pbs1: error fetching datastores - 500 Can't connect")
        snap = await read(FakeProxmox(routes))
        scopes = {s.scope for s in snap.incomplete_scopes}
        assert {'cluster/backup', 'storage/pbs1'} <= scopes
        assert snap.backup_jobs == () and [b.storage for b in snap.backups] == ['local']
        assert not any(s.node == 'pve3' for s in snap.storage_status)  # offline node skipped

    async def test_json_round_trip(self) -> None:
        snap = await read(FakeProxmox(protection_routes()))
        assert DataProtectionSnapshot.model_validate_json(snap.model_dump_json()) == snap


class TestReadingScope:
    """Node-local storages are listed on every node; options switch parts off; tasks page back to a start."""

    async def test_local_backup_storage_is_read_on_every_node(self) -> None:
        routes = protection_routes()
        routes['/nodes/pve2/storage/local/content'] = [
            {'volid': 'local:backup/vzdump-lxc-104-2024_11_21-02_00_05.tar.zst', 'content': 'backup',
             'format': 'tar.zst', 'subtype': 'lxc', 'vmid': 104, 'ctime': 1732150805, 'size': 1},
        ]  # fmt: skip
        fake = FakeProxmox(routes)
        snap = await read(fake)
        assert {(b.storage, b.node, b.vmid) for b in snap.backups} == {
            ('local', 'pve1', 100),
            ('local', 'pve2', 104),
            ('pbs1', 'pve1', 100),
        }
        assert sum('/storage/local/content' in c for c in fake.calls) == 2

    async def test_switched_off_parts_are_not_read(self) -> None:
        fake = FakeProxmox(protection_routes())
        options = ProtectionOptions(storage=False, backups=False, backup_jobs=False, replication=False, tasks=False)
        async with ProxmoxClient(ENDPOINT, ClientOptions(max_retries=0), transport=httpx.MockTransport(fake)) as c:
            snap = await read_data_protection(c, await read_cluster(c), options)
        assert [s.name for s in snap.snapshots] == ['before-upgrade'] and snap.storages == ()
        assert not any(part in call for call in fake.calls for part in ('storage', 'backup', 'replication', 'tasks'))

    async def test_tasks_page_back_to_the_window_and_fall_back_on_the_upid(self) -> None:
        routes = protection_routes()
        starts = [1732100000 - 600 * i for i in range(7)]
        pages: list[dict[str, str]] = []

        def node_tasks(request: httpx.Request) -> httpx.Response:
            params = dict(request.url.params)
            pages.append(params)
            start, limit = int(params['start']), int(params['limit'])
            items = [
                {'upid': f'UPID:pve1:{i:08X}:00000001:{t:08X}:qmstart:100:root@pam:'} for i, t in enumerate(starts)
            ]
            return httpx.Response(200, json={'data': items[start : start + limit], 'total': len(items)})

        routes['/nodes/pve1/tasks'] = node_tasks
        options = ProtectionOptions(tasks_since=starts[4], task_page=2)
        async with ProxmoxClient(
            ENDPOINT, ClientOptions(max_retries=0), transport=httpx.MockTransport(FakeProxmox(routes))
        ) as c:
            snap = await read_data_protection(c, await read_cluster(c), options)
        assert [p['start'] for p in pages] == ['0', '2', '4']
        assert all(p['since'] == str(starts[4]) and p['source'] == 'all' for p in pages)
        recent = [t for t in snap.tasks if t.node == 'pve1' and t.type == 'qmstart']
        assert [t.starttime for t in recent] == starts[:5]
        assert (recent[0].id, recent[0].user) == ('100', 'root@pam')


class TestItems:
    """Raw items: storage locations, retention of backup jobs in both shapes."""

    def test_storage_location(self) -> None:
        nfs = items.storage({'storage': 'nfs', 'type': 'nfs', 'server': '10.0.0.6', 'export': '/export/pve',
                             'path': '/mnt/pve/nfs'})  # fmt: skip
        local = items.storage({'storage': 'local', 'type': 'dir', 'path': '/var/lib/vz'})
        lvm = items.storage({'storage': 'lvm', 'type': 'lvmthin', 'vgname': 'pve'})
        assert (nfs.path, nfs.shared, local.path, local.shared, lvm.path) == (
            '10.0.0.6:/export/pve',
            True,
            '/var/lib/vz',
            False,
            'pve',
        )

    def test_retention(self) -> None:
        as_object = items.backup_job({'id': 'a', 'prune-backups': {'keep-daily': '7', 'keep-weekly': '4'}})
        as_text = items.backup_job({'id': 'b', 'prune-backups': 'keep-last=3,keep-all=0'})
        assert (as_object.keep, as_text.keep) == ((('daily', 7), ('weekly', 4)), (('last', 3),))

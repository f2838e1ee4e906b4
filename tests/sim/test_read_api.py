"""Read endpoints contract: shapes and 0/1 typing per the reference, through proxmoxer, and one consistent world."""

from __future__ import annotations

import re
from typing import Any

import pytest
from proxmoxer import ProxmoxAPI
from proxmoxer.tools import Tasks

from proxmox_sim import Fleet
from proxmox_sim.model import Guest

from .helpers import Raw, first


def _guest(fleet: Fleet, **match: Any) -> Guest:
    for guest in fleet.cluster().guests.values():
        if all(getattr(guest, key) == value for key, value in match.items()):
            return guest
    raise AssertionError(f'no guest matches {match}')


class TestEnvelope:
    """``{"data": ...}``, pve-api-daemon headers, gzip above 1 KiB."""

    def test_envelope_and_headers(self, raw: Raw) -> None:
        response = raw.api('/version')
        assert response.headers['Server'] == 'pve-api-daemon/3.0'
        assert response.headers['Content-Type'] == 'application/json;charset=UTF-8'
        assert set(response.json()) == {'data'}

    def test_gzip_for_large_bodies(self, raw: Raw) -> None:
        assert raw.api('/cluster/resources').headers['Content-Encoding'] == 'gzip'
        assert 'Content-Encoding' not in raw.api('/version').headers

    def test_tasks_carry_total(self, raw: Raw) -> None:
        body = raw.api(f'/nodes/{raw.endpoint.nodes[0]}/tasks', params={'limit': 3}).json()
        assert len(body['data']) == 3 and body['total'] > 3


class TestClusterEndpoints:
    def test_version_by_release(self, api: ProxmoxAPI, fleet: Fleet) -> None:
        data = api.version.get()
        assert data['version'] == '8.3.0' and data['release'] == '8.3' and len(data['repoid']) == 16
        fleet.set_version('7.4')
        data = api.version.get()
        assert data['version'] == '7.4-1' and len(data['repoid']) == 8

    def test_cluster_status(self, api: ProxmoxAPI, fleet: Fleet) -> None:
        items = api.cluster.status.get()
        assert items[0] == {'type': 'cluster', 'id': 'cluster', 'name': 'alpha', 'nodes': 3, 'quorate': 1, 'version': 3}
        nodes = [item for item in items if item['type'] == 'node']
        assert [node['name'] for node in nodes] == list(fleet.cluster().nodes)
        assert {node['online'] for node in nodes} == {1} and sum(node['local'] for node in nodes) == 1

    def test_resources_order_and_filter(self, api: ProxmoxAPI) -> None:
        items = api.cluster.resources.get()
        order = [item['type'] for item in items]
        kinds = ['pool', 'guest', 'node', 'storage', 'sdn']
        ranks = [kinds.index('guest' if kind in ('qemu', 'lxc') else kind) for kind in order]
        assert ranks == sorted(ranks)
        vmids = [item['vmid'] for item in items if item['type'] in ('qemu', 'lxc')]
        assert vmids == sorted(vmids, key=str)
        assert {item['type'] for item in api.cluster.resources.get(type='vm')} == {'qemu', 'lxc'}
        assert {item['type'] for item in api.cluster.resources.get(type='storage')} == {'storage'}

    def test_resources_typing(self, api: ProxmoxAPI) -> None:
        for item in api.cluster.resources.get(type='vm'):
            assert isinstance(item['vmid'], int) and item['template'] in (0, 1)
            assert None not in item.values()
            if 'tags' in item:
                assert re.fullmatch(r'[a-z0-9_][a-z0-9_\-+.]*(;[a-z0-9_][a-z0-9_\-+.]*)*', item['tags'])

    def test_backup_jobs_replication_ha_pools(self, api: ProxmoxAPI, fleet: Fleet) -> None:
        jobs = api.cluster.backup.get()
        assert jobs and all(job['id'].startswith('backup-') and job['type'] == 'vzdump' for job in jobs)
        assert all(isinstance(value, str) for value in jobs[0]['prune-backups'].values())
        assert [job['id'] for job in api.cluster.replication.get()] == [j.id for j in fleet.cluster().replication]
        ha = api.cluster.ha.resources.get()
        assert {item['sid'] for item in ha} == {g.ha_sid for g in fleet.cluster().guests.values() if g.ha}
        assert [pool['poolid'] for pool in api.pools.get()] == list(fleet.cluster().pools)

    def test_cluster_tasks(self, api: ProxmoxAPI) -> None:
        tasks = api.cluster.tasks.get()
        assert len(tasks) == 25
        assert [task['starttime'] for task in tasks] == sorted((task['starttime'] for task in tasks), reverse=True)
        assert all(task['saved'] == '1' for task in tasks)


class TestNodeEndpoints:
    def test_node_status(self, api: ProxmoxAPI, fleet: Fleet) -> None:
        node = next(iter(fleet.cluster().nodes))
        status = api.nodes(node).status.get()
        assert all(isinstance(value, str) for value in status['loadavg'])
        assert status['pveversion'].startswith('pve-manager/8.3.0/')
        assert 'current-kernel' in status and 'available' not in status['memory']
        fleet.set_version('7.4')
        assert 'current-kernel' not in api.nodes(node).status.get()

    def test_network(self, api: ProxmoxAPI, fleet: Fleet) -> None:
        node = fleet.cluster().nodes[next(iter(fleet.cluster().nodes))]
        ifaces = api.nodes(node.name).network.get()
        vmbr0 = first(ifaces, iface='vmbr0')
        assert vmbr0['address'] == node.ip and vmbr0['netmask'] == '19'
        assert {iface['type'] for iface in api.nodes(node.name).network.get(type='bridge')} == {'bridge'}

    def test_storage_and_backups(self, api: ProxmoxAPI, fleet: Fleet) -> None:
        cluster = fleet.cluster()
        node = next(iter(cluster.nodes))
        names = [item['storage'] for item in api.nodes(node).storage.get()]
        assert names == [s.storage for s in cluster.storages.values()]
        pbs = api.nodes(node).storage('pbs1').content.get(content='backup')
        expected = [b.volid for b in cluster.backups if b.storage == 'pbs1']
        assert [item['volid'] for item in pbs] == expected
        assert all(item['format'] in ('pbs-vm', 'pbs-ct') for item in pbs)
        local = api.nodes(node).storage('local').content.get(content='backup')
        assert [item['volid'] for item in local] == [
            b.volid for b in cluster.backups if b.storage == 'local' and b.node == node
        ]
        assert all(
            re.match(r'local:backup/vzdump-(qemu|lxc)-\d+-\d{4}_\d\d_\d\d-\d\d_\d\d_\d\d\.', i['volid']) for i in local
        )

    def test_storage_config(self, api: ProxmoxAPI) -> None:
        items = api.storage.get()
        assert first(items, storage='cifs-archive')['disable'] == 1
        assert 'password' not in str(items)
        assert api.storage('pbs1').get()['type'] == 'pbs'

    def test_tasks_and_upid(self, api: ProxmoxAPI, fleet: Fleet) -> None:
        node = next(iter(fleet.cluster().nodes))
        tasks = api.nodes(node).tasks.get()
        assert len(tasks) <= 50
        decoded = Tasks.decode_upid(tasks[0]['upid'])
        assert decoded['node'] == node and decoded['starttime'] == tasks[0]['starttime']
        status = api.nodes(node).tasks(tasks[0]['upid']).status.get()
        assert status['status'] == 'stopped' and status['exitstatus'] == tasks[0]['status']
        assert Tasks.blocking_status(api, tasks[0]['upid'])['status'] == 'stopped'

    def test_node_replication(self, api: ProxmoxAPI, fleet: Fleet) -> None:
        cluster = fleet.cluster()
        for node in cluster.nodes:
            items = api.nodes(node).replication.get()
            assert {item['guest'] for item in items} == {
                j.guest for j in cluster.replication if cluster.guests[j.guest].node == node
            }
            assert all(item['source'] == node and 'next_sync' in item for item in items)


class TestGuestEndpoints:
    def test_qemu_config(self, api: ProxmoxAPI, fleet: Fleet) -> None:
        guest = _guest(fleet, kind='qemu', template=False)
        config = api.nodes(guest.node).qemu(guest.vmid).config.get()
        assert config['name'] == guest.name and config['memory'] == str(guest.memory_mib)
        assert len(config['digest']) == 40
        assert config['net0'].startswith(f'{guest.nics[0].model}={guest.nics[0].mac},bridge=')
        fleet.set_version('8.0')
        assert api.nodes(guest.node).qemu(guest.vmid).config.get()['memory'] == guest.memory_mib

    def test_lxc_list_vmid_type_by_version(self, api: ProxmoxAPI, fleet: Fleet) -> None:
        guest = _guest(fleet, kind='lxc')
        assert first(api.nodes(guest.node).lxc.get(), name=guest.name)['vmid'] == guest.vmid  # int from 8.2
        fleet.set_version('8.1')
        assert first(api.nodes(guest.node).lxc.get(), name=guest.name)['vmid'] == str(guest.vmid)

    def test_lxc_config_and_interfaces(self, api: ProxmoxAPI, fleet: Fleet) -> None:
        guest = _guest(fleet, kind='lxc', status='running')
        config = api.nodes(guest.node).lxc(guest.vmid).config.get()
        assert config['hostname'] == guest.name and isinstance(config['memory'], int)
        assert config['rootfs'].startswith(guest.disks[0].volid)
        interfaces = api.nodes(guest.node).lxc(guest.vmid).interfaces.get()
        assert [item['name'] for item in interfaces] == ['lo'] + [f'eth{nic.index}' for nic in guest.nics]
        assert {a['ip-address-type'] for item in interfaces for a in item['ip-addresses']} == {'inet', 'inet6'}

    def test_stopped_lxc_interfaces_are_null(self, api: ProxmoxAPI, fleet: Fleet) -> None:
        guest = _guest(fleet, kind='lxc')
        fleet.reconfigure_guest(guest.vmid, status='stopped')
        assert api.nodes(guest.node).lxc(guest.vmid).interfaces.get() is None

    def test_agent_interfaces(self, api: ProxmoxAPI, fleet: Fleet) -> None:
        guest = _guest(fleet, kind='qemu', agent='ok', status='running')
        result = api.nodes(guest.node).qemu(guest.vmid).agent('network-get-interfaces').get()['result']
        macs = [item['hardware-address'] for item in result[1:]]
        assert macs == [nic.mac.lower() for nic in guest.nics]
        assert {a['ip-address-type'] for item in result for a in item['ip-addresses']} == {'ipv4', 'ipv6'}

    def test_snapshots(self, api: ProxmoxAPI, fleet: Fleet) -> None:
        guest = _guest(fleet, kind='qemu', template=False)
        fleet.add_snapshot(guest.vmid, 'one')
        fleet.add_snapshot(guest.vmid, 'two', vmstate=True)
        items = api.nodes(guest.node).qemu(guest.vmid).snapshot.get()
        assert items[-1]['name'] == 'current' and items[-1]['parent'] == 'two'
        assert first(items, name='two')['parent'] == 'one'

    @pytest.mark.parametrize('kind', ['qemu', 'lxc'])
    def test_lists_only_flag_when_set(self, api: ProxmoxAPI, fleet: Fleet, kind: str) -> None:
        for node in fleet.cluster().nodes:
            for item in api.nodes(node).get(kind):
                assert item.get('template', 1) == 1 and item.get('lock', 'x') != ''
                assert 'pid' in item if item['status'] == 'running' else 'pid' not in item


def test_one_consistent_world(api: ProxmoxAPI, fleet: Fleet) -> None:
    """``/cluster/resources``, the node lists and the configs agree on name, node, tags, lock, template and pool."""
    fleet.reconfigure_guest(next(iter(fleet.cluster().guests)), lock='backup', tags='b;a')
    resources = {item['vmid']: item for item in api.cluster.resources.get(type='vm')}
    listed: dict[int, dict[str, Any]] = {}
    for node in api.nodes.get():
        for kind in ('qemu', 'lxc'):
            for item in api.nodes(node['node']).get(kind):
                listed[int(item['vmid'])] = {**item, 'node': node['node'], 'type': kind}
    assert set(resources) == set(listed) == set(fleet.cluster().guests)
    for vmid, resource in resources.items():
        item = listed[vmid]
        config = api.nodes(item['node']).get(item['type'], vmid, 'config')
        assert resource['node'] == item['node'] and resource['type'] == item['type']
        assert resource['name'] == item['name'] == config.get('name', config.get('hostname'))
        assert resource.get('tags') == item.get('tags') == config.get('tags')
        assert resource.get('lock') == item.get('lock') == config.get('lock')
        assert resource['template'] == item.get('template', 0) == config.get('template', 0)
    pools = {pool['poolid']: pool for pool in api.pools.get()}
    for poolid in pools:
        members = api.pools.get(poolid=poolid)[0]['members']
        assert {m['vmid'] for m in members} == {v for v, r in resources.items() if r.get('pool') == poolid}

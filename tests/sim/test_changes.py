"""Change contract: every change, through the Python API and the HTTP control API, shows in the real API at once."""

from __future__ import annotations

from typing import Any

import pytest
from proxmoxer import ProxmoxAPI, ResourceException

from proxmox_sim import Fleet, SimError

from .helpers import Raw, first


def _resource(api: ProxmoxAPI, vmid: int) -> dict[str, Any] | None:
    return next((item for item in api.cluster.resources.get(type='vm') if item['vmid'] == vmid), None)


def _qemu(fleet: Fleet) -> int:
    return next(g.vmid for g in fleet.cluster().guests.values() if g.kind == 'qemu' and not g.template)


def _ok(response: Any) -> Any:
    assert response.status_code == 200, (response.status_code, response.reason, response.text)
    return response.json()['data']


class TestPythonApi:
    def test_add_guest(self, api: ProxmoxAPI, fleet: Fleet) -> None:
        guest = fleet.add_guest('lxc', name='new-ct', node='alpha-pve2', tags='Zeta;alpha', memory=1024)
        item = _resource(api, guest.vmid)
        assert item is not None and item['name'] == 'new-ct' and item['node'] == 'alpha-pve2'
        assert item['tags'] == 'alpha;zeta' and item['status'] == 'running'
        assert api.nodes('alpha-pve2').lxc(guest.vmid).config.get()['memory'] == 1024

    def test_remove_guest(self, api: ProxmoxAPI, fleet: Fleet) -> None:
        vmid = _qemu(fleet)
        node = fleet.guest(vmid).node
        fleet.remove_guest(vmid)
        assert _resource(api, vmid) is None
        with pytest.raises(ResourceException, match='does not exist'):
            api.nodes(node).qemu(vmid).config.get()
        assert all(item['vmid'] != vmid for item in api.nodes(node).storage('pbs1').content.get())

    def test_rename_and_reconfigure(self, api: ProxmoxAPI, fleet: Fleet) -> None:
        vmid = _qemu(fleet)
        pool = list(fleet.cluster().pools)[-1]
        fleet.rename_guest(vmid, 'renamed')
        fleet.reconfigure_guest(vmid, cores=6, sockets=1, lock='migrate', pool=pool, onboot=True)
        guest = fleet.guest(vmid)
        config = api.nodes(guest.node).qemu(vmid).config.get()
        assert (config['name'], config['cores'], config['lock'], config['onboot']) == ('renamed', 6, 'migrate', 1)
        item = _resource(api, vmid)
        assert item is not None and (item['name'], item['maxcpu'], item['pool']) == ('renamed', 6, pool)
        fleet.reconfigure_guest(vmid, lock=None)
        assert 'lock' not in api.nodes(guest.node).qemu(vmid).config.get()

    def test_reconfigure_rejects_unknown_keys(self, fleet: Fleet) -> None:
        with pytest.raises(SimError, match='cannot change bogus'):
            fleet.reconfigure_guest(_qemu(fleet), bogus=1)

    def test_migrate(self, api: ProxmoxAPI, fleet: Fleet) -> None:
        vmid = _qemu(fleet)
        source = fleet.guest(vmid).node
        target = next(node for node in fleet.cluster().nodes if node != source)
        fleet.migrate_guest(vmid, target)
        assert _resource(api, vmid)['node'] == target  # type: ignore[index]
        assert any(item['vmid'] == vmid for item in api.nodes(target).qemu.get())
        assert all(item['vmid'] != vmid for item in api.nodes(source).qemu.get())
        assert api.nodes(source).tasks.get(limit=1)[0]['type'] == 'qmigrate'

    def test_node_offline_and_back(self, api: ProxmoxAPI, fleet: Fleet) -> None:
        node = list(fleet.cluster().nodes)[2]
        fleet.node_offline(node)
        assert first(api.cluster.status.get(), name=node)['online'] == 0
        entry = first(api.cluster.resources.get(type='node'), node=node)
        assert entry['status'] == 'offline' and 'uptime' not in entry
        guests = [item for item in api.cluster.resources.get(type='vm') if item['node'] == node]
        assert guests and {item['status'] for item in guests} == {'unknown'}
        with pytest.raises(ResourceException, match='595'):
            api.nodes(node).status.get()
        fleet.node_online(node)
        assert api.nodes(node).status.get()['uptime'] > 0

    def test_snapshots(self, api: ProxmoxAPI, fleet: Fleet) -> None:
        vmid = _qemu(fleet)
        node = fleet.guest(vmid).node
        before = [item['name'] for item in api.nodes(node).qemu(vmid).snapshot.get()]
        fleet.add_snapshot(vmid, 'pre-sync', description='before the sync')
        names = [item['name'] for item in api.nodes(node).qemu(vmid).snapshot.get()]
        assert names == [*before[:-1], 'pre-sync', 'current']
        fleet.remove_snapshot(vmid, 'pre-sync')
        assert [item['name'] for item in api.nodes(node).qemu(vmid).snapshot.get()] == before

    def test_backups(self, api: ProxmoxAPI, fleet: Fleet) -> None:
        vmid = _qemu(fleet)
        node = fleet.guest(vmid).node
        backup = fleet.add_backup(vmid, storage='nfs-backup')
        content = api.nodes(node).storage('nfs-backup').content.get(vmid=vmid)
        assert backup.volid in [item['volid'] for item in content]
        fleet.remove_backup(backup.volid)
        content = api.nodes(node).storage('nfs-backup').content.get(vmid=vmid)
        assert backup.volid not in [item['volid'] for item in content]

    @pytest.mark.parametrize(
        ('version', 'memory', 'group'), [('7.4', 2048, True), ('8.4', '2048', True), ('9.0', '2048', False)]
    )
    def test_switch_version(self, api: ProxmoxAPI, fleet: Fleet, version: str, memory: object, group: bool) -> None:
        vmid = _qemu(fleet)
        fleet.reconfigure_guest(vmid, memory=2048)
        fleet.set_version(version)
        assert api.version.get()['release'] == version
        assert api.nodes(fleet.guest(vmid).node).qemu(vmid).config.get()['memory'] == memory
        grouped = [g for g in fleet.cluster().guests.values() if g.ha and g.ha.group]
        ha = api.cluster.ha.resources.get()
        assert any('group' in item for item in ha) is (group and bool(grouped))
        assert all(('failback' in item) is not group for item in ha)


class TestControlApi:
    """``/_sim/...`` mirrors the Python API and is protected by the endpoint's token."""

    def test_requires_credentials(self, raw: Raw, fleet: Fleet) -> None:
        response = raw.session.get(raw.base + '/_sim/fleet')
        assert (response.status_code, response.reason) == (401, 'No ticket')
        fleet.add_token('root@pam!ro', 'x', privileges=['VM.Audit'])
        headers = {'Authorization': 'PVEAPIToken=root@pam!ro=x'}
        assert raw.session.get(raw.base + '/_sim/fleet', headers=headers).status_code == 403

    def test_fleet_dump_is_ground_truth(self, raw: Raw, api: ProxmoxAPI) -> None:
        dump = _ok(raw.control('GET', '/fleet'))
        guests = {guest['vmid']: guest for guest in dump['clusters'][0]['guests']}
        for item in api.cluster.resources.get(type='vm'):
            assert (guests[item['vmid']]['name'], guests[item['vmid']]['node']) == (item['name'], item['node'])

    def test_guest_lifecycle(self, raw: Raw, api: ProxmoxAPI) -> None:
        created = _ok(raw.control('POST', '/guests', {'type': 'qemu', 'name': 'ctl-vm', 'node': 'alpha-pve1'}))
        vmid = created['vmid']
        _ok(raw.control('POST', f'/guests/{vmid}/rename', {'name': 'ctl-renamed'}))
        _ok(raw.control('POST', f'/guests/{vmid}/config', {'cores': 3, 'tags': 'x;y'}))
        moved = _ok(raw.control('POST', f'/guests/{vmid}/migrate', {'target': 'alpha-pve3'}))
        assert moved['node'] == 'alpha-pve3'
        item = _resource(api, vmid)
        assert item is not None and (item['name'], item['maxcpu'], item['tags']) == ('ctl-renamed', 3, 'x;y')
        _ok(raw.control('DELETE', f'/guests/{vmid}'))
        assert _resource(api, vmid) is None

    def test_snapshots_and_backups(self, raw: Raw, api: ProxmoxAPI, fleet: Fleet) -> None:
        vmid = _qemu(fleet)
        node = fleet.guest(vmid).node
        _ok(raw.control('POST', f'/guests/{vmid}/snapshots', {'name': 'ctl-snap', 'vmstate': True}))
        assert first(api.nodes(node).qemu(vmid).snapshot.get(), name='ctl-snap')['vmstate'] == 1
        _ok(raw.control('DELETE', f'/guests/{vmid}/snapshots/ctl-snap'))
        backup = _ok(raw.control('POST', f'/guests/{vmid}/backups', {'storage': 'pbs1'}))
        assert backup['volid'] in [item['volid'] for item in api.nodes(node).storage('pbs1').content.get()]
        _ok(raw.control('DELETE', '/backups', {'volid': backup['volid']}))
        assert backup['volid'] not in [item['volid'] for item in api.nodes(node).storage('pbs1').content.get()]

    def test_nodes_and_version(self, raw: Raw, api: ProxmoxAPI) -> None:
        _ok(raw.control('POST', '/nodes/alpha-pve2/offline'))
        assert first(api.nodes.get(), node='alpha-pve2')['status'] == 'offline'
        _ok(raw.control('POST', '/nodes/alpha-pve2/online'))
        assert first(api.nodes.get(), node='alpha-pve2')['status'] == 'online'
        assert _ok(raw.control('POST', '/version', {'version': '9.1'})) == '9.1.0'
        assert api.version.get()['version'] == '9.1.0'

    def test_errors_are_reported(self, raw: Raw) -> None:
        response = raw.control('POST', '/guests/99999/migrate', {'target': 'alpha-pve2'})
        assert response.status_code == 404
        assert response.reason == "guest 99999 does not exist in cluster 'alpha'"
        assert response.json()['error'] == response.reason
        assert raw.control('POST', '/version', {'version': '6.4'}).status_code == 400
        assert raw.control('GET', '/nosuch').status_code == 404

"""Error contract: status, reason phrase and body exactly as the reference's §2.2, seen raw and through proxmoxer."""

from __future__ import annotations

import pytest
from proxmoxer import ProxmoxAPI, ResourceException

from proxmox_sim import Fleet

from .helpers import Raw


def _error(call: object) -> ResourceException:
    with pytest.raises(ResourceException) as caught:
        call()  # type: ignore[operator]
    return caught.value


class TestRawReplies:
    def test_500_body_before_8_4(self, raw: Raw, fleet: Fleet) -> None:
        node = next(iter(fleet.cluster().nodes))
        response = raw.api(f'/nodes/{node}/qemu/99999/config')
        assert response.status_code == 500
        assert response.reason == f"Configuration file 'nodes/{node}/qemu-server/99999.conf' does not exist"
        assert response.json() == {'data': None}
        assert response.headers['Connection'] == 'close'

    def test_message_field_from_8_4(self, raw: Raw, fleet: Fleet) -> None:
        fleet.set_version('9.1')
        node = next(iter(fleet.cluster().nodes))
        body = raw.api(f'/nodes/{node}/lxc/99999/config').json()
        assert body == {'data': None, 'message': f"Configuration file 'nodes/{node}/lxc/99999.conf' does not exist\n"}

    def test_400_with_errors(self, raw: Raw) -> None:
        response = raw.api('/cluster/resources', params={'type': 'pool'})
        assert (response.status_code, response.reason) == (400, 'Parameter verification failed.')
        message = "value 'pool' does not have a value in the enumeration 'vm, storage, node, sdn'"
        assert response.json() == {'data': None, 'errors': {'type': message}}

    def test_501_unknown_path(self, raw: Raw) -> None:
        response = raw.api('/nodes/pve1/bogus')
        assert (response.status_code, response.reason) == (501, "Method 'GET /nodes/pve1/bogus' not implemented")


class TestThroughProxmoxer:
    """proxmoxer builds ``"{code} {std phrase}: {reason}[ - {errors}]"``: the reason must be Proxmox's text."""

    def test_missing_guest_also_on_the_wrong_node(self, api: ProxmoxAPI, fleet: Fleet) -> None:
        guest = next(g for g in fleet.cluster().guests.values() if g.kind == 'qemu')
        other = next(node for node in fleet.cluster().nodes if node != guest.node)
        error = _error(lambda: api.nodes(other).qemu(guest.vmid).config.get())
        message = f"Configuration file 'nodes/{other}/qemu-server/{guest.vmid}.conf' does not exist"
        assert str(error) == f'500 Internal Server Error: {message}'

    def test_unknown_node(self, api: ProxmoxAPI) -> None:
        error = _error(lambda: api.nodes('nosuch').status.get())
        assert error.content == (
            "hostname lookup 'nosuch' failed - failed to get address info for: nosuch: Name or service not known"
        )

    def test_missing_storage_pool_ha_snapshot(self, api: ProxmoxAPI, fleet: Fleet) -> None:
        node = next(iter(fleet.cluster().nodes))
        assert _error(lambda: api.nodes(node).storage('nope').content.get()).content == "storage 'nope' does not exist"
        assert _error(lambda: api.storage('nope').get()).content == "storage 'nope' does not exist"
        assert _error(lambda: api.pools.get(poolid='nope')).content == "pool 'nope' does not exist"
        assert _error(lambda: api.cluster.ha.resources('vm:999').get()).content == "no such resource 'vm:999'"
        guest = next(iter(fleet.cluster().guests.values()))
        call = lambda: api.nodes(guest.node).get(guest.kind, guest.vmid, 'config', snapshot='nope')  # noqa: E731
        assert _error(call).content == "snapshot 'nope' does not exist"

    def test_parameter_errors(self, api: ProxmoxAPI, fleet: Fleet) -> None:
        node = next(iter(fleet.cluster().nodes))
        error = _error(lambda: api.nodes(node).qemu('abc').config.get())
        assert (error.status_code, error.errors) == (400, {'vmid': "type check ('integer') failed - got 'abc'"})
        error = _error(lambda: api.nodes(node).tasks('UPID:bogus').status.get())
        assert error.errors == {'upid': 'unable to parse worker upid'}
        upid = f'UPID:{node}:00000001:00000001:00000001:qmstart:100:root@pam:'
        assert _error(lambda: api.nodes(node).tasks(upid).status.get()).errors == {'upid': 'no such task'}

    def test_offline_node_is_595(self, api: ProxmoxAPI, fleet: Fleet) -> None:
        node = list(fleet.cluster().nodes)[1]
        fleet.node_offline(node)
        error = _error(lambda: api.nodes(node).qemu.get())
        assert (error.status_code, error.content) == (595, 'No route to host')
        assert 'Errors during connection establishment' in str(error)

    def test_lxc_interfaces_before_8_1(self, api: ProxmoxAPI, fleet: Fleet) -> None:
        fleet.set_version('7.4')
        guest = next(g for g in fleet.cluster().guests.values() if g.kind == 'lxc')
        error = _error(lambda: api.nodes(guest.node).lxc(guest.vmid).interfaces.get())
        assert error.status_code == 501
        assert error.content == f"Method 'GET /nodes/{guest.node}/lxc/{guest.vmid}/interfaces' not implemented"


class TestGuestAgent:
    """network-get-interfaces fails in Proxmox's order: not configured, VM stopped, agent not running."""

    def _agent(self, api: ProxmoxAPI, fleet: Fleet, vmid: int) -> ResourceException:
        guest = fleet.guest(vmid)
        return _error(lambda: api.nodes(guest.node).qemu(vmid).agent('network-get-interfaces').get())

    @pytest.fixture
    def vmid(self, fleet: Fleet) -> int:
        return next(g.vmid for g in fleet.cluster().guests.values() if g.kind == 'qemu' and not g.template)

    def test_not_configured(self, api: ProxmoxAPI, fleet: Fleet, vmid: int) -> None:
        fleet.reconfigure_guest(vmid, agent='none', status='stopped')
        assert str(self._agent(api, fleet, vmid)) == '500 Internal Server Error: No QEMU guest agent configured'

    def test_vm_stopped(self, api: ProxmoxAPI, fleet: Fleet, vmid: int) -> None:
        fleet.reconfigure_guest(vmid, agent='down', status='stopped')
        assert self._agent(api, fleet, vmid).content == f'VM {vmid} is not running'

    def test_agent_not_running(self, api: ProxmoxAPI, fleet: Fleet, vmid: int) -> None:
        fleet.reconfigure_guest(vmid, agent='down', status='running')
        assert self._agent(api, fleet, vmid).content == 'QEMU guest agent is not running'

    def test_agent_answers(self, api: ProxmoxAPI, fleet: Fleet, vmid: int) -> None:
        fleet.reconfigure_guest(vmid, agent='ok', status='running')
        guest = fleet.guest(vmid)
        assert api.nodes(guest.node).qemu(vmid).agent('get-host-name').get() == {'result': {'host-name': guest.name}}

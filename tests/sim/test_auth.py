"""Authentication contract: API tokens, tickets with CSRF and a 2-hour lifetime, renewal, and the real 401/403s."""

from __future__ import annotations

import pytest
import requests
from proxmoxer import AuthenticationError, ProxmoxAPI, ResourceException

from proxmox_sim import Endpoint, Fleet, SimClock, SimServer

from .conftest import make_fleet
from .helpers import Raw


class TestToken:
    """``Authorization: PVEAPIToken=USER@REALM!TOKENID=SECRET``; failures are 401s with an empty body."""

    def test_token_reads(self, api: ProxmoxAPI, endpoint: Endpoint) -> None:
        assert api.version.get()['version'] == '8.3.0'
        assert [node['node'] for node in api.nodes.get()] == list(endpoint.nodes)

    def test_space_separator_is_accepted(self, raw: Raw) -> None:
        token = f'PVEAPIToken {raw.endpoint.token_id}={raw.endpoint.token_secret}'
        response = raw.session.get(raw.base + '/api2/json/version', headers={'Authorization': token})
        assert response.status_code == 200

    def test_no_credentials(self, raw: Raw) -> None:
        response = raw.api('/version', auth=False)
        assert (response.status_code, response.reason, response.content) == (401, 'No ticket', b'')

    def test_no_credentials_through_proxmoxer(self, endpoint: Endpoint) -> None:
        api = ProxmoxAPI(
            endpoint.host, port=endpoint.port, user='root@pam', token_name='proxbox', token_value='x', verify_ssl=False
        )
        with pytest.raises(ResourceException) as caught:
            api.version.get()
        assert str(caught.value) == "401 Unauthorized: invalid token value! - {'errors': b''}"

    @pytest.mark.parametrize(
        ('token', 'reason'),
        [
            ('root@pam!proxbox=wrong', 'invalid token value!'),
            ('root@pam!nosuch=wrong', "no such token 'nosuch' for user 'root@pam'"),
            ('bob@pve!proxbox=wrong', "no such user ('bob@pve')"),
        ],
    )
    def test_bad_tokens(self, raw: Raw, token: str, reason: str) -> None:
        response = raw.session.get(raw.base + '/api2/json/version', headers={'Authorization': f'PVEAPIToken={token}'})
        assert (response.status_code, response.reason, response.content) == (401, reason, b'')

    def test_unified_message_from_9_1_5(self, fleet: Fleet, raw: Raw) -> None:
        fleet.set_version('9.1.5')
        response = raw.session.get(raw.base + '/api2/json/version', headers={'Authorization': 'PVEAPIToken=a@pam!b=c'})
        assert (response.status_code, response.reason) == (401, 'Authentication failed!')

    def test_token_cannot_get_a_ticket(self, raw: Raw) -> None:
        response = raw.session.post(
            raw.base + '/api2/json/access/ticket',
            data={'username': 'root@pam', 'password': 'proxbox'},
            headers={'Authorization': raw.token},
        )
        assert response.status_code == 403
        assert response.reason == (
            "Permission check failed (URI '/access/ticket' not available with API token, need proper ticket.)"
        )


class TestPrivileges:
    """A token without a privilege gets 403 on checked endpoints and filtered lists elsewhere."""

    @pytest.fixture
    def limited(self, fleet: Fleet, endpoint: Endpoint) -> ProxmoxAPI:
        fleet.add_token('root@pam!audit', 's3cret', privileges=['VM.Audit'])
        return ProxmoxAPI(
            endpoint.host,
            port=endpoint.port,
            user='root@pam',
            token_name='audit',
            token_value='s3cret',
            verify_ssl=False,
        )

    def test_checked_endpoint_is_forbidden(self, limited: ProxmoxAPI) -> None:
        with pytest.raises(ResourceException) as caught:
            limited.cluster.status.get()
        assert str(caught.value) == '403 Forbidden: Permission check failed (/, Sys.Audit)'

    def test_node_status_names_the_node(self, limited: ProxmoxAPI, endpoint: Endpoint) -> None:
        with pytest.raises(ResourceException) as caught:
            limited.nodes(endpoint.nodes[0]).status.get()
        assert caught.value.content == f'Permission check failed (/nodes/{endpoint.nodes[0]}, Sys.Audit)'

    def test_lists_are_filtered_not_denied(self, limited: ProxmoxAPI) -> None:
        types = {item['type'] for item in limited.cluster.resources.get()}
        assert types == {'qemu', 'lxc'}
        assert limited.storage.get() == []
        assert all('cpu' not in node for node in limited.nodes.get())

    def test_agent_privilege_by_version(self, fleet: Fleet, limited: ProxmoxAPI) -> None:
        guest = next(g for g in fleet.cluster().guests.values() if g.kind == 'qemu')
        with pytest.raises(ResourceException) as caught:
            limited.nodes(guest.node).qemu(guest.vmid).agent('network-get-interfaces').get()
        assert caught.value.content == f'Permission check failed (/vms/{guest.vmid}, VM.Monitor)'
        fleet.set_version('9.0')
        with pytest.raises(ResourceException) as caught:
            limited.nodes(guest.node).qemu(guest.vmid).agent('network-get-interfaces').get()
        expected = f'Permission check failed (/vms/{guest.vmid}, VM.GuestAgent.Audit|VM.GuestAgent.Unrestricted)'
        assert caught.value.content == expected


class TestTicket:
    """POST /access/ticket, the PVEAuthCookie, CSRF on writes, 2-hour lifetime and renewal."""

    @pytest.fixture
    def fleet(self) -> Fleet:
        # A frozen clock: only advance_clock() moves it, so lifetimes are exact on a loaded machine.
        frozen = SimClock(base=lambda: 1_800_000_000.0)
        return Fleet(make_fleet().spec, clock=frozen)

    def test_login_shape(self, raw: Raw) -> None:
        response = raw.session.post(
            raw.base + '/api2/json/access/ticket', data={'username': 'root@pam', 'password': 'proxbox'}
        )
        data = response.json()['data']
        assert data['username'] == 'root@pam'
        assert data['clustername'] == raw.endpoint.cluster
        assert data['ticket'].startswith('PVE:root@pam:') and '::' in data['ticket']
        stamp, signature = data['CSRFPreventionToken'].split(':')
        assert len(stamp) == 8 and len(signature) == 43
        assert 'cap' in data

    def test_realm_parameter(self, raw: Raw) -> None:
        form = {'username': 'root', 'realm': 'pam', 'password': 'proxbox'}
        assert (
            raw.session.post(raw.base + '/api2/json/access/ticket', data=form).json()['data']['username'] == 'root@pam'
        )

    def test_ticket_reads_like_token(self, api: ProxmoxAPI, ticket_api: ProxmoxAPI) -> None:
        assert ticket_api.cluster.resources.get() == api.cluster.resources.get()

    def test_wrong_password(self, endpoint: Endpoint, raw: Raw) -> None:
        with pytest.raises(AuthenticationError, match='code: 401'):
            ProxmoxAPI(endpoint.host, port=endpoint.port, user='root@pam', password='nope', verify_ssl=False)
        response = raw.session.post(
            raw.base + '/api2/json/access/ticket', data={'username': 'root@pam', 'password': 'x'}
        )
        assert (response.status_code, response.reason) == (401, 'authentication failure')
        assert response.json() == {'data': None}

    def test_message_field_from_8_4(self, fleet: Fleet, raw: Raw) -> None:
        fleet.set_version('8.4')
        response = raw.session.post(
            raw.base + '/api2/json/access/ticket', data={'username': 'root@pam', 'password': 'x'}
        )
        assert response.json() == {'data': None, 'message': 'authentication failure\n'}

    def _login(self, raw: Raw, password: str = 'proxbox') -> tuple[str, str]:
        response = raw.session.post(
            raw.base + '/api2/json/access/ticket', data={'username': 'root@pam', 'password': password}
        )
        assert response.status_code == 200, response.reason
        data = response.json()['data']
        return data['ticket'], data['CSRFPreventionToken']

    def _get(self, raw: Raw, ticket: str) -> requests.Response:
        return requests.get(raw.base + '/api2/json/version', cookies={'PVEAuthCookie': ticket}, verify=False, timeout=5)

    def test_csrf_required_on_writes(self, raw: Raw) -> None:
        ticket, csrf = self._login(raw)
        url = raw.base + '/_sim/faults'  # the API is read-only here: the control API is the write under test
        response = requests.delete(url, cookies={'PVEAuthCookie': ticket}, verify=False, timeout=5)
        assert (response.status_code, response.reason) == (401, 'Permission denied - invalid csrf token')
        headers = {'CSRFPreventionToken': csrf}
        response = requests.delete(url, cookies={'PVEAuthCookie': ticket}, headers=headers, verify=False, timeout=5)
        assert response.status_code == 200

    def test_ticket_expires_after_two_hours(self, fleet: Fleet, raw: Raw) -> None:
        ticket, _ = self._login(raw)
        fleet.advance_clock(7199)
        assert self._get(raw, ticket).status_code == 200
        fleet.advance_clock(2)
        response = self._get(raw, ticket)
        assert (response.status_code, response.reason, response.content) == (
            401,
            'permission denied - invalid PVE ticket',
            b'',
        )

    def test_renewal_with_the_ticket_as_password(self, fleet: Fleet, raw: Raw) -> None:
        ticket, _ = self._login(raw)
        fleet.advance_clock(3600)
        renewed, _ = self._login(raw, password=ticket)
        assert renewed != ticket
        fleet.advance_clock(3700)  # the first ticket is now 2h+ old, the renewed one 1h+
        assert self._get(raw, ticket).status_code == 401
        assert self._get(raw, renewed).status_code == 200
        fleet.advance_clock(7200)
        response = raw.session.post(
            raw.base + '/api2/json/access/ticket', data={'username': 'root@pam', 'password': renewed}
        )
        assert response.status_code == 401

    def test_proxmoxer_renews_its_ticket(self, fleet: Fleet, ticket_api: ProxmoxAPI) -> None:
        auth = ticket_api._store['session'].auth
        fleet.advance_clock(3000)
        auth.birth_time -= 3600  # proxmoxer renews after renew_age (3600 s) on its monotonic clock
        first_ticket = auth.pve_auth_ticket
        assert ticket_api.version.get()['release'] == '8.3'
        assert auth.pve_auth_ticket != first_ticket
        fleet.advance_clock(5000)  # the original ticket would have expired
        assert ticket_api.nodes.get()


def test_auth_delay_is_configurable() -> None:
    fleet = make_fleet(guests=1)
    with SimServer(fleet, auth_delay=0.3) as server:
        raw = Raw(server.endpoints[0])
        response = raw.api('/version', auth=False)
        assert response.status_code == 401
        assert response.elapsed.total_seconds() >= 0.3

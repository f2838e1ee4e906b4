"""
docs/user-guide/permissions.md is true: a Proxmox token holding exactly the privileges the page
gives reads everything root reads, and without any one of them it reads less; a NetBox user made
by the page's own snippet can run real syncs (create, update, prune by deletion) end to end with
that token, against the real NetBox and the simulator, without a single failure.
"""

import asyncio
import contextlib
import io
import re
from datetime import UTC, datetime
from typing import Any

import pytest

from dcim.models import Device
from virtualization.models import VirtualMachine

from netbox_proxbox.models import ProxmoxEndpoint as PluginEndpoint
from proxbox_api.engine.kinds import KINDS
from proxbox_api.proxmox import ProxmoxClient, ProxmoxEndpoint, read_cluster
from proxbox_api.proxmox.protection import read_data_protection
from proxbox_api.schemas import SyncRequest
from proxbox_api.service import run_sync
from proxmox_sim import Fleet, FleetSpec, SimServer

from .helpers import DOCS

PAGE = (DOCS / 'user-guide' / 'permissions.md').read_text()
# Just after the simulator's epoch (2026-01-01), so its recent tasks are inside the task window.
SIM_NOW = datetime(2026, 1, 1, 1, tzinfo=UTC)
# The simulator does not model Proxmox's SDN filtering of bridges in /nodes/{node}/network.
NOT_SIMULATED = {'SDN.Audit'}


def documented_privileges(agent_privilege: str) -> list[str]:
    """The privileges of the page's `pveum role add` line for the Proxmox release that uses this
    guest-agent privilege."""
    for privs in re.findall(r'pveum role add ProxboxSync --privs "([^"]+)"', PAGE):
        if agent_privilege in privs.split():
            return privs.split()
    raise AssertionError(f'no pveum role line with {agent_privilege}')


def snippet() -> str:
    block = PAGE.split('<!-- BEGIN GENERATED: netbox-permissions -->', 1)[1]
    return re.search(r'```python\n(.*?)```', block, re.DOTALL).group(1)


def read(endpoint: Any, token_id: str, secret: str) -> tuple[dict[str, Any], dict[str, Any]]:
    async def go():
        spec = ProxmoxEndpoint(
            name='e', host=endpoint.host, port=endpoint.port, token_id=token_id, token_secret=secret,
            ca_bundle=endpoint.cert_path,
        )  # fmt: skip
        async with ProxmoxClient(spec) as client:
            cluster = await read_cluster(client)
            protection = await read_data_protection(client, cluster)
        return cluster.model_dump(mode='json'), protection.model_dump(mode='json')

    return asyncio.run(go())


@pytest.mark.parametrize('version,agent', [('8.3', 'VM.Monitor'), ('9.1', 'VM.GuestAgent.Audit')])
def test_proxmox_privileges_are_enough_and_each_is_needed(version, agent):
    privileges = documented_privileges(agent)
    assert {'Sys.Audit', 'VM.Audit', 'Datastore.Audit', 'Pool.Audit', agent} <= set(privileges)
    fleet = Fleet(FleetSpec(seed=3, clusters=1, nodes=2, guests=12, pve_version=version))
    fleet.add_token('root@pam!docs', 'documented', privileges=privileges)
    dropped = [p for p in privileges if p not in NOT_SIMULATED]
    for index, privilege in enumerate(dropped):
        fewer = [p for p in privileges if p != privilege]
        fleet.add_token(f'root@pam!without{index}', f'secret{index}', privileges=fewer)
    with SimServer(fleet) as server:
        endpoint = server.endpoints[0]
        everything = read(endpoint, endpoint.token_id, endpoint.token_secret)
        assert everything[0]['guests'] and everything[0]['pools'] and everything[1]['backups']
        assert read(endpoint, 'root@pam!docs', 'documented') == everything
        for index, privilege in enumerate(dropped):
            less = read(endpoint, f'root@pam!without{index}', f'secret{index}')
            assert less != everything, f'{privilege} is documented but reading works without it'


def test_without_vm_audit_guests_vanish_but_the_read_knows():
    """The page's warning: a filtered list hides guests without an error; the read learns it from the
    token's permissions and marks the guests incomplete (so none is pruned)."""
    fleet = Fleet(FleetSpec(seed=3, clusters=1, nodes=2, guests=12, pve_version='8.3'))
    privileges = [p for p in documented_privileges('VM.Monitor') if p != 'VM.Audit']
    fleet.add_token('root@pam!novm', 'novm', privileges=privileges)
    with SimServer(fleet) as server:
        cluster, _ = read(server.endpoints[0], 'root@pam!novm', 'novm')
    assert cluster['guests'] == []
    (scope,) = [s for s in cluster['incomplete_scopes'] if 'guest' in s['scope']]
    assert scope['scope'] == 'guests' and 'VM.Audit' in scope['reason']


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
class TestLeastPrivilegedSync:
    """A sync as the documented NetBox user, reading Proxmox with the documented token."""

    def make_sync_user(self) -> str:
        output = io.StringIO()
        with contextlib.redirect_stdout(output):
            exec(snippet(), {})
        return output.getvalue().split('Token of proxbox-sync:', 1)[1].strip()

    def sync(self, url: str, token: str, endpoint: Any, plugin_id: int, **options: Any) -> Any:
        request = SyncRequest.model_validate(
            {
                'netbox': {'url': url, 'token': token},
                'endpoints': [
                    {
                        'id': plugin_id, 'name': endpoint.cluster, 'host': endpoint.host, 'port': endpoint.port,
                        'token_id': 'root@pam!docs', 'token_secret': 'documented', 'ca_bundle': str(endpoint.cert_path),
                    }
                ],
                'options': options,
            }
        )  # fmt: skip

        async def ignore(event: str, data: dict[str, Any]) -> None:
            pass

        return asyncio.run(run_sync(request, ignore, clock=lambda: SIM_NOW))

    def test_create_update_and_delete_with_least_privileges(self, live_server):
        token = self.make_sync_user()
        plugin = PluginEndpoint.objects.create(
            name='docs', host='127.0.0.1', username='root@pam', token_name='docs', token_secret='documented'
        )
        # The smallest fleet whose sync writes every kind of object (VLANs, a snapshot, backups and a
        # replication job included; tasks with the clock at the simulator's epoch).
        fleet = Fleet(FleetSpec(seed=7, clusters=1, nodes=2, guests=4, pve_version='8.3'))
        fleet.add_token('root@pam!docs', 'documented', privileges=documented_privileges('VM.Monitor'))
        with SimServer(fleet) as server:
            endpoint = server.endpoints[0]
            first = self.sync(live_server.url, token, endpoint, plugin.pk)
            assert first.status == 'completed', (first.errors, first.failures[:3])
            assert first.failures == []
            written = {kind.split('#')[0] for kind in first.counts} | set(first.summary)
            assert {spec.kind.split('#')[0] for spec in KINDS} <= written, 'every kind was written'
            guests = fleet.to_dict()['clusters'][0]['guests']
            assert VirtualMachine.objects.count() == len(guests)
            assert Device.objects.count() == len(fleet.to_dict()['clusters'][0]['nodes'])

            renamed, removed = guests[0]['vmid'], guests[1]['vmid']
            fleet.rename_guest(renamed, 'renamed-by-docs-test')
            fleet.remove_guest(removed)
            second = self.sync(live_server.url, token, endpoint, plugin.pk, prune_policy='delete', prune_grace_days=0)
        assert second.status == 'completed', (second.errors, second.failures[:3])
        assert second.failures == []
        assert VirtualMachine.objects.get(custom_field_data__proxmox_vmid=renamed).name == 'renamed-by-docs-test'
        assert not VirtualMachine.objects.filter(custom_field_data__proxmox_vmid=removed).exists()
        assert second.counts['virtualization.virtualmachine'].get('deleted') == 1

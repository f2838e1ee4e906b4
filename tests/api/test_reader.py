"""Contract: read_cluster() turns a PVE API into a complete-where-possible ProxmoxSnapshot.

An offline or unreachable node marks ``node/<name>`` incomplete and the rest is still read; guest
agent failures are guest warnings, not errors; LXC IPs come from ``/interfaces`` on 8.1+ and from the
static config before; the snapshot is frozen and survives a JSON round trip.
"""

import httpx
import pytest

from proxbox_api.proxmox import (
    ClientOptions,
    ProxmoxAuthError,
    ProxmoxClient,
    ProxmoxEndpoint,
    ProxmoxServerError,
    ProxmoxSnapshot,
    ReadOptions,
    ReadScope,
    read_cluster,
)

from .fake_proxmox import FakeProxmox, lab
from .pve_http import error

ENDPOINT = ProxmoxEndpoint(name='lab', host='pve1.lab', token_id='root@pam!sync', token_secret='s3cr3t')


async def _no_sleep(delay: float) -> None:
    return None


async def read(fake: FakeProxmox, options: ReadOptions | None = None) -> ProxmoxSnapshot:
    client = ProxmoxClient(ENDPOINT, ClientOptions(max_retries=2), transport=httpx.MockTransport(fake), sleep=_no_sleep)
    async with client:
        return await read_cluster(client, options)


def scopes(snapshot: ProxmoxSnapshot) -> dict[str, str]:
    return {s.scope: s.reason for s in snapshot.incomplete_scopes}


class TestLab:
    """The reference lab on PVE 8.2: three nodes (pve3 offline) and six guests."""

    @pytest.fixture
    async def snap(self) -> ProxmoxSnapshot:
        return await read(FakeProxmox(lab('8.2')))

    def test_cluster_and_nodes(self, snap: ProxmoxSnapshot) -> None:
        assert (snap.endpoint, snap.version, snap.release, snap.cluster_name, snap.standalone) == (
            'lab',
            '8.2.4',
            '8.2',
            'lab',
            False,
        )
        pve1, pve2, pve3 = snap.nodes
        assert (pve1.name, pve1.online, pve1.ip, pve1.pve_version, pve1.cpus) == (
            'pve1',
            True,
            '10.0.0.11',
            '8.2.4',
            32,
        )
        assert not pve3.online and pve3.pve_version is None
        by_name = {i.name: i for i in pve1.interfaces}
        assert by_name['vmbr0'].cidr == '10.0.0.11/24' and by_name['vmbr0'].bridge_ports == ('eno1',)
        assert by_name['vmbr0'].bridge_vlan_aware and by_name['vmbr0'].comments == 'mgmt'
        assert by_name['bond0'].slaves == ('eno2', 'eno3') and by_name['vmbr0.20'].vlan_id == 20

    def test_offline_node_is_incomplete_rest_goes_on(self, snap: ProxmoxSnapshot) -> None:
        assert scopes(snap) == {'node/pve3': 'node is offline'}
        db01 = next(g for g in snap.guests if g.vmid == 103)
        assert not db01.complete and db01.name == 'db01'
        assert all(g.complete for g in snap.guests if g.vmid != 103)
        assert snap.is_complete('node/pve1') and not snap.is_complete('node/pve3')

    def test_qemu_guest(self, snap: ProxmoxSnapshot) -> None:
        web = snap.guests[0]
        assert (web.vmid, web.type, web.node, web.status, web.pool, web.ha_state) == (
            100,
            'qemu',
            'pve1',
            'running',
            'prod',
            'started',
        )
        assert (web.tags, web.cpus, web.memory_bytes, web.agent_enabled) == (('prod', 'web'), 2, 4096 << 20, True)
        assert web.ostype is not None and web.ostype.family == 'linux'
        assert [(d.key, d.kind) for d in web.disks] == [('efidisk0', 'efidisk'), ('ide2', 'cdrom'), ('scsi0', 'disk')]
        assert [n.mac for n in web.nics] == ['BC:24:11:2E:4F:5A', 'BC:24:11:00:11:22']
        assert [(ip.address, ip.interface, ip.source) for ip in web.ips] == [
            ('10.0.0.50/24', 'ens18', 'agent'),
            ('2001:db8::50/64', 'ens18', 'agent'),
        ]
        assert web.ips[0].mac == 'BC:24:11:2E:4F:5A' and web.warnings == ()

    def test_agent_failure_is_a_warning(self, snap: ProxmoxSnapshot) -> None:
        app = next(g for g in snap.guests if g.vmid == 102)
        assert app.complete and app.ha_state == 'stopped'
        assert any('guest agent' in w and 'not running' in w for w in app.warnings)
        assert any(w.startswith('net1: cannot parse') for w in app.warnings)
        assert app.tags == ('ok',) and [ip.source for ip in app.ips] == ['config']
        assert any(w.startswith('qemu/102: ') for w in snap.warnings)

    def test_lxc_interfaces_on_81_plus(self, snap: ProxmoxSnapshot) -> None:
        dns = next(g for g in snap.guests if g.vmid == 101)
        assert (dns.name, dns.lock, dns.memory_bytes, dns.cpus) == ('dns01', 'backup', 512 << 20, 1)
        assert [m.mountpoint for m in dns.mounts] == ['/srv/data', '/']
        assert [(ip.address, ip.source) for ip in dns.ips] == [
            ('10.0.0.53/24', 'lxc-interfaces'),
            ('2001:db8::53/64', 'lxc-interfaces'),
        ]

    def test_stopped_and_template(self, snap: ProxmoxSnapshot) -> None:
        ct, tmpl = (next(g for g in snap.guests if g.vmid == v) for v in (104, 9000))
        assert [(ip.address, ip.source) for ip in ct.ips] == [('10.0.0.104/24', 'config')]
        assert tmpl.template and tmpl.disks[0].size_bytes == 3 << 30

    def test_pools(self, snap: ProxmoxSnapshot) -> None:
        assert [(p.poolid, p.comment, p.members) for p in snap.pools] == [
            ('prod', 'Production', (100, 102)),
            ('test', None, ()),
        ]

    def test_json_round_trip(self, snap: ProxmoxSnapshot) -> None:
        assert ProxmoxSnapshot.model_validate_json(snap.model_dump_json()) == snap


class TestVersionsAndFailures:
    """7.4 vs 8.1 LXC paths, agent gating, unreachable/timeout nodes, forbidden scopes."""

    async def test_lxc_static_config_on_74(self) -> None:
        fake = FakeProxmox(lab('7.4'))
        snap = await read(fake)
        dns = next(g for g in snap.guests if g.vmid == 101)
        assert [(ip.address, ip.source) for ip in dns.ips] == [('10.0.0.53/24', 'config')]
        assert not any(call.endswith('/interfaces') for call in fake.calls)

    async def test_agent_only_for_running_agent_enabled(self) -> None:
        fake = FakeProxmox(lab())
        await read(fake)
        agent_calls = sorted(c for c in fake.calls if 'agent' in c)
        assert agent_calls == [
            '/nodes/pve1/qemu/100/agent/network-get-interfaces',
            '/nodes/pve2/qemu/102/agent/network-get-interfaces',
        ]
        fake = FakeProxmox(lab())
        await read(fake, ReadOptions(guest_agent=False))
        assert not any('agent' in c for c in fake.calls)

    async def test_unreachable_online_node(self) -> None:
        fake = FakeProxmox(lab(), unreachable={'pve2'})
        snap = await read(fake)
        assert 'No route to host' in scopes(snap)['node/pve2'] and '595' in scopes(snap)['node/pve2']
        assert {g.vmid for g in snap.guests if not g.complete} == {102, 103, 104, 9000}
        assert next(g for g in snap.guests if g.vmid == 100).ips  # pve1 was still read
        assert sum(c.startswith('/nodes/pve2/') for c in fake.calls) == 1  # 595: no retries, no guest reads

    async def test_node_timeout(self) -> None:
        routes = lab()

        def timeout(request: httpx.Request) -> httpx.Response:
            raise httpx.ReadTimeout('timed out', request=request)

        routes['/nodes/pve2/status'] = timeout
        snap = await read(FakeProxmox(routes))
        assert 'timed out' in scopes(snap)['node/pve2']

    @pytest.mark.parametrize(
        ('path', 'scope'),
        [('/nodes/pve1/qemu/100/config', 'guest/qemu/100'), ('/cluster/ha/resources', 'cluster/ha'),
         ('/pools', 'pools'), ('/cluster/status', 'cluster/status')],
    )  # fmt: skip
    async def test_forbidden_scope(self, path: str, scope: str) -> None:
        routes = lab()
        routes[path] = error(403, f'Permission check failed ({path}, Sys.Audit)')
        snap = await read(FakeProxmox(routes))
        assert 'Permission check failed' in scopes(snap)[scope]
        assert len(snap.guests) == 6

    async def test_scoped_read_of_a_nameless_cluster_stops(self) -> None:
        """/cluster/status unreadable: a scoped read cannot tell whether this is the scope's cluster, so it
        says so (not 'another cluster') and reads no guest."""
        routes = lab()
        routes['/cluster/status'] = error(403, 'Permission check failed (/, Sys.Audit)')
        scope = ReadScope(cluster='lab', guests=frozenset({100}))
        snap = await read(FakeProxmox(routes), ReadOptions(scope=scope))
        assert not snap.out_of_scope and snap.guests == () and snap.cluster_name is None
        assert 'Permission check failed' in scopes(snap)['cluster/status']

    async def test_ha_falls_back_to_resources(self) -> None:
        routes = lab()
        routes['/cluster/ha/resources'] = error(403, 'Permission check failed (/, Sys.Audit)')
        snap = await read(FakeProxmox(routes))
        assert snap.guests[0].ha_state == 'started'

    async def test_standalone(self) -> None:
        routes = lab()
        routes['/cluster/status'] = [
            {'type': 'node', 'id': 'node/pve1', 'name': 'pve1', 'ip': '10.0.0.11', 'online': 1}
        ]
        snap = await read(FakeProxmox(routes))
        assert snap.standalone and snap.cluster_name is None
        assert snap.quorate is None  # a standalone node has no quorum to report

    @pytest.mark.parametrize(('flag', 'quorate'), [(1, True), (0, False)])
    async def test_quorum_from_cluster_status(self, flag: int, quorate: bool) -> None:
        routes = lab()
        routes['/cluster/status'] = [
            {'type': 'cluster', 'id': 'cluster', 'name': 'lab', 'nodes': 3, 'quorate': flag, 'version': 5},
            *[e for e in routes['/cluster/status'] if e.get('type') != 'cluster'],
        ]
        assert (await read(FakeProxmox(routes))).quorate is quorate

    @pytest.mark.parametrize('path', ['/version', '/cluster/resources'])
    async def test_fatal_reads_raise(self, path: str) -> None:
        routes = lab()
        routes[path] = error(500, 'internal error')
        with pytest.raises(ProxmoxServerError):
            await read(FakeProxmox(routes))


class TestCredentialsAndVisibility:
    """A 401 mid-read voids the read (it is raised, nothing is half-read); /access/permissions tells which
    lists Proxmox may have shortened without an error (a token without VM.Audit sees no guests)."""

    async def test_401_on_a_guest_raises(self) -> None:
        routes = lab()
        routes['/nodes/pve1/qemu/100/config'] = error(401, "no such token 'sync' for user 'root@pam'")
        with pytest.raises(ProxmoxAuthError):
            await read(FakeProxmox(routes))

    async def test_401_on_an_optional_call_raises(self) -> None:
        routes = lab()
        routes['/pools'] = error(401, 'invalid token value!')
        with pytest.raises(ProxmoxAuthError):
            await read(FakeProxmox(routes))

    async def test_blind_spots_from_permissions(self) -> None:
        routes = lab()
        routes['/access/permissions'] = {'/': {'Sys.Audit': 1, 'VM.Audit': 0}, '/storage': {'Datastore.Audit': 1}}
        found = scopes(await read(FakeProxmox(routes)))
        assert 'lacks VM.Audit on /vms' in found['guests']
        assert 'nodes' not in found and 'storage' not in found

    async def test_full_permissions_and_no_permissions_call(self) -> None:
        routes = lab()
        routes['/access/permissions'] = {'/': {'Sys.Audit': 1, 'VM.Audit': 1, 'Datastore.Audit': 1}}
        assert not {'guests', 'nodes', 'storage', 'access/permissions'} & set(scopes(await read(FakeProxmox(routes))))
        routes.pop('/access/permissions')  # an older API or a stand-in: nothing to tell
        assert not {'guests', 'nodes', 'storage'} & set(scopes(await read(FakeProxmox(routes))))

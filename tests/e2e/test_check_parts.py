"""
The end-to-end check's own parts, without a stack: the ground-truth expectation (addresses by
Proxmox's rules, one object per guest, NIC and disk), the comparison (it reports what is missing,
extra or different, so the check can fail), and the expectation after the fleet changed (the
offline node's scope kept, a removed guest marked orphan).
"""

from typing import Any

from proxmox_sim import Fleet, FleetSpec

from .compare import Tally, compare, diff, guest_key
from .oracle import KINDS, expect, guest_ips
from .scenario import ORPHAN_TAG, Changes, after_changes


def nic(index: int = 0, **values: Any) -> dict[str, Any]:
    base = {'index': index, 'ipv4': '10.1.0.100/19', 'ipv4_dhcp': False, 'ipv6': 'fd00:1::64/64'}
    return base | values


def guest(kind: str = 'qemu', **values: Any) -> dict[str, Any]:
    return {'type': kind, 'status': 'running', 'agent': 'ok', 'cloudinit': False, 'nics': [nic()]} | values


class TestGuestAddresses:
    """What the guest reports when it can (agent, LXC /interfaces from 8.1), else its static config."""

    def test_agent_reports_what_the_guest_holds(self) -> None:
        assert guest_ips(guest(), (8, 3)) == [('10.1.0.100/19', 0), ('fd00:1::64/64', 0)]
        assert guest_ips(guest(nics=[nic(ipv4_dhcp=True)]), (8, 3))[0] == ('10.1.0.100/19', 0)

    def test_without_the_agent_only_cloud_init_addresses(self) -> None:
        assert guest_ips(guest(agent='none'), (8, 3)) == []
        assert guest_ips(guest(status='stopped', cloudinit=True), (8, 3)) == [
            ('10.1.0.100/19', 0),
            ('fd00:1::64/64', 0),
        ]
        assert guest_ips(guest(agent='none', cloudinit=True, nics=[nic(ipv4_dhcp=True)]), (8, 3)) == []

    def test_containers_report_from_8_1_and_use_their_config_before(self) -> None:
        dhcp = guest('lxc', nics=[nic(ipv4_dhcp=True)])
        assert guest_ips(dhcp, (8, 1)) == [('10.1.0.100/19', 0), ('fd00:1::64/64', 0)]
        assert guest_ips(dhcp, (7, 4)) == []
        assert guest_ips(guest('lxc'), (7, 4)) == [('10.1.0.100/19', 0), ('fd00:1::64/64', 0)]


def world(**spec: Any) -> dict[str, Any]:
    return Fleet(FleetSpec(**{'seed': 9, 'clusters': 1, 'nodes': 2, 'guests': 8} | spec)).to_dict()


class TestExpectation:
    """One VM per guest, one interface and MAC per NIC, a device per node, under the cluster's keys."""

    def test_every_guest_and_its_parts(self) -> None:
        truth = world()
        (cluster,) = truth['clusters']
        expected = expect(truth, {})
        assert set(expected) == set(KINDS)
        assert set(expected['vm']) == {guest_key('alpha', g['vmid']) for g in cluster['guests']}
        assert len(expected['vminterface']) == len(expected['mac']) == sum(len(g['nics']) for g in cluster['guests'])
        assert set(expected['device']) == {'pve:alpha/node/alpha-pve1', 'pve:alpha/node/alpha-pve2'}
        assert len(expected['task']) == len(cluster['tasks']) and expected['storage']

    def test_an_offline_node_expects_nothing_below_it(self) -> None:
        truth = world()
        (cluster,) = truth['clusters']
        cluster['nodes'][1]['online'] = False
        expected = expect(truth, {})
        offline = cluster['nodes'][1]['name']
        assert expected['device'][f'pve:alpha/node/{offline}']['status'] == 'offline'
        kept = {guest_key('alpha', g['vmid']) for g in cluster['guests'] if g['node'] != offline}
        assert set(expected['vm']) == kept
        assert all(task['node'] != offline for task in expected['task'].values())


class TestCompare:
    """Missing, extra and different objects are problems; fields outside the sample are not compared."""

    def test_reports_missing_extra_and_different(self) -> None:
        expected: dict[str, dict[str, dict[str, Any]]] = {kind: {} for kind in KINDS}
        seen: dict[str, dict[str, dict[str, Any]]] = {kind: {} for kind in KINDS}
        expected['vm'] = {'pve:a/guest/100': {'name': 'web'}, 'pve:a/guest/101': {'name': 'db'}}
        seen['vm'] = {'pve:a/guest/100': {'name': 'www'}, 'pve:a/guest/102': {'name': 'x'}}
        tally = Tally()
        compare(expected, seen, frozenset({'pve:a/guest/100'}), tally, 'sync')
        assert tally.objects == 2 and tally.fields == 1
        assert len(tally.problems) == 3
        assert "name is 'www', expected 'web'" in tally.problems[2]

    def test_sample_limits_the_guest_fields(self) -> None:
        expected: dict[str, dict[str, dict[str, Any]]] = {kind: {} for kind in KINDS}
        expected['vm'] = {'pve:a/guest/100': {'name': 'web'}}
        seen = {kind: dict(rows) for kind, rows in expected.items()} | {'vm': {'pve:a/guest/100': {'name': 'x'}}}
        tally = Tally()
        compare(expected, seen, frozenset(), tally, 'sync')
        assert tally.problems == [] and tally.objects == 1

    def test_diff(self) -> None:
        before = {kind: {} for kind in KINDS} | {'vm': {'a': {'name': 1}, 'b': {'name': 2}}}
        after = {kind: {} for kind in KINDS} | {'vm': {'a': {'name': 3}, 'c': {'name': 4}}}
        assert diff(before, after)['vm'] == {'added': {'c'}, 'removed': {'b'}, 'changed': {'a'}}


class TestAfterChanges:
    """The offline node's scope and the task history are kept; a removed guest is an orphan, its backups go."""

    def test_carried_and_marked(self) -> None:
        change = Changes('alpha', removed=101, offline_cluster='bravo', offline_node='bravo-pve2', offline_guests=[200])
        before: dict[str, dict[str, dict[str, Any]]] = {kind: {} for kind in KINDS}
        before['vm'] = {
            'pve:alpha/guest/101': {'name': 'gone', 'status': 'active', 'tags': ['proxbox'], 'orphaned_since': None},
            'pve:bravo/guest/200': {'name': 'far', 'status': 'active', 'tags': ['proxbox'], 'orphaned_since': None},
        }
        before['disk'] = {'pve:alpha/guest/101/disk/scsi0': {'size': 1}}
        before['backup'] = {'pve:alpha/storage/pbs1/backup/x': {'guest_id': 101}}
        before['replication'] = {
            'pve:alpha/replication/101-0': {'guest_id': 101, 'disabled': False, 'tags': ['proxbox']},
            'pve:bravo/replication/101-0': {'guest_id': 101, 'disabled': False, 'tags': ['proxbox']},
        }
        before['interface'] = {'pve:bravo/node/bravo-pve2/if/vmbr0': {'name': 'vmbr0'}}
        before['task'] = {'pve:alpha/task/UPID:1': {'node': 'alpha-pve1'}}
        expected = after_changes({kind: {} for kind in KINDS}, before, change)
        orphan = expected['vm']['pve:alpha/guest/101']
        assert orphan['status'] == 'decommissioning' and ORPHAN_TAG in orphan['tags'] and 'orphaned_since' not in orphan
        assert expected['vm']['pve:bravo/guest/200'] == before['vm']['pve:bravo/guest/200']
        assert 'pve:alpha/guest/101/disk/scsi0' in expected['disk'] and not expected['backup']
        assert expected['interface'] and expected['task']
        assert list(expected['replication']) == ['pve:alpha/replication/101-0']  # VMIDs are per cluster
        assert expected['replication']['pve:alpha/replication/101-0']['disabled'] is True

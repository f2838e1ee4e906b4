"""Generator contract: deterministic from seed and sizes, realistic proportions, every bus and NIC, fast at 10k."""

from __future__ import annotations

import ipaddress
import re
from collections import Counter

import pytest

from proxmox_sim import Fleet, FleetSpec, SimServer

from .helpers import Raw


@pytest.fixture(scope='module')
def big() -> Fleet:
    return Fleet(FleetSpec(seed=3, clusters=2, nodes=4, standalone=1, guests=3000))


def test_same_seed_same_world() -> None:
    spec = FleetSpec(seed=11, clusters=2, nodes=2, guests=200)
    assert Fleet(spec).to_dict() == Fleet(spec).to_dict()
    assert Fleet(FleetSpec(seed=12, clusters=2, nodes=2, guests=200)).to_dict() != Fleet(spec).to_dict()


def test_byte_identical_responses() -> None:
    bodies = []
    for _ in range(2):
        with SimServer(Fleet(FleetSpec(seed=5, guests=60))) as server:
            raw = Raw(server.endpoints[0])
            paths = ['/cluster/resources', f'/nodes/{raw.endpoint.nodes[0]}/qemu', '/cluster/backup', '/storage']
            bodies.append([raw.api(path, headers={'Accept-Encoding': 'identity'}).content for path in paths])
    assert bodies[0] == bodies[1]


def test_sizes_and_layout(big: Fleet) -> None:
    clusters = list(big.clusters.values())
    assert [c.standalone for c in clusters] == [False, False, True]
    assert [len(c.nodes) for c in clusters] == [4, 4, 1]
    assert sum(len(c.guests) for c in clusters) == 3000
    names = [node for c in clusters for node in c.nodes]
    assert len(names) == len(set(names))


def test_proportions(big: Fleet) -> None:
    guests = [g for c in big.clusters.values() for g in c.guests.values()]
    kinds = Counter(g.kind for g in guests)
    assert 0.25 < kinds['lxc'] / len(guests) < 0.35
    running = sum(g.running for g in guests) / len(guests)
    assert 0.65 < running < 0.85
    assert 0.01 < sum(g.template for g in guests) / len(guests) < 0.06
    assert 0.005 < sum(bool(g.lock) for g in guests) / len(guests) < 0.05
    assert all(not (g.template and g.running) for g in guests)
    agents = Counter(g.agent for g in guests if g.kind == 'qemu')
    assert agents['none'] and agents['ok'] and agents['down']
    assert 0.5 < sum(bool(g.tags) for g in guests) / len(guests) < 0.7
    assert 0.3 < sum(bool(g.pool) for g in guests) / len(guests) < 0.5


def test_nics(big: Fleet) -> None:
    for cluster in big.clusters.values():
        macs = [nic.mac for g in cluster.guests.values() for nic in g.nics]
        assert len(macs) == len(set(macs))
        assert all(re.fullmatch(r'BC:24:11(:[0-9A-F]{2}){3}', mac) for mac in macs)
        counts = Counter(len(g.nics) for g in cluster.guests.values())
        assert set(counts) == {1, 2, 3, 4}
        nics = [nic for g in cluster.guests.values() for nic in g.nics]
        assert any(nic.tag for nic in nics) and any(nic.trunks for nic in nics)


def test_disks_on_every_bus(big: Fleet) -> None:
    keys = {re.sub(r'\d+$', '', d.key) for c in big.clusters.values() for g in c.guests.values() for d in g.disks}
    assert {'scsi', 'virtio', 'sata', 'ide', 'efidisk', 'tpmstate', 'rootfs', 'mp'} <= keys
    volumes = [d.volume for c in big.clusters.values() for g in c.guests.values() for d in g.disks]
    assert any(volume.endswith('-cloudinit') for volume in volumes)


def test_addresses_in_cluster_subnets(big: Fleet) -> None:
    for cluster in big.clusters.values():
        networks = {n.vlan: n for n in cluster.networks}
        seen = set()
        for guest in cluster.guests.values():
            for nic in guest.nics:
                if nic.ipv4 is None:
                    continue
                network = networks[nic.tag or 0] if not nic.trunks else None
                address4 = ipaddress.ip_interface(nic.ipv4)
                assert address4.ip not in seen
                seen.add(address4.ip)
                assert address4.ip in ipaddress.ip_network(f'10.{cluster.index + 1}.0.0/16')
                if network is not None:
                    assert address4.ip in ipaddress.ip_network(network.ipv4_prefix)
                    assert ipaddress.ip_interface(nic.ipv6).ip in ipaddress.ip_network(network.ipv6_prefix)


def test_extras(big: Fleet) -> None:
    cluster = big.clusters['alpha']
    assert any(g.snapshots for g in cluster.guests.values())
    assert {b.storage for b in cluster.backups} >= {'pbs1'}
    assert cluster.backup_jobs and cluster.replication and cluster.tasks and cluster.pools
    assert any(g.ha for g in cluster.guests.values())
    assert not any(g.ha for g in big.clusters['solo-charlie'].guests.values())


def test_ten_thousand_guests() -> None:
    # How fast is bench/bench_sim.py's business; here only that the size is honoured.
    fleet = Fleet(FleetSpec(seed=1, clusters=1, nodes=8, guests=10_000))
    cluster = fleet.cluster()
    assert len(cluster.guests) == 10_000
    assert {guest.node for guest in cluster.guests.values()} == set(cluster.nodes)


def test_first_index_places_the_fleet_further_along() -> None:
    """Simulators started with distinct first indexes serve clusters with distinct names and subnets."""
    first = Fleet(FleetSpec(seed=4, clusters=1, nodes=2, guests=6)).cluster()
    third = Fleet(FleetSpec(seed=4, clusters=1, nodes=2, guests=6, first_index=2)).cluster()
    assert (first.name, third.name) == ('alpha', 'charlie')
    assert third.networks[0].ipv4_prefix.startswith('10.3.') and sorted(third.nodes) == ['charlie-pve1', 'charlie-pve2']
    first_ips = {nic.ipv4 for guest in first.guests.values() for nic in guest.nics if nic.ipv4}
    third_ips = {nic.ipv4 for guest in third.guests.values() for nic in guest.nics if nic.ipv4}
    assert first_ips and third_ips and not first_ips & third_ips
    solo = Fleet(FleetSpec(clusters=1, standalone=1, first_index=3)).clusters
    assert sorted(solo) == ['delta', 'solo-echo']


def test_epoch_dates_the_history() -> None:
    """Backups, snapshots, tasks and changes are dated just before (or, for changes, after) the epoch."""
    epoch = 1_900_000_000
    fleet = Fleet(FleetSpec(seed=5, clusters=1, nodes=2, guests=10, epoch=epoch))
    cluster = fleet.cluster()
    assert cluster.epoch == epoch
    assert all(epoch - 8 * 86400 < task.starttime < epoch for task in cluster.tasks)
    assert all(epoch - 31 * 86400 < backup.ctime < epoch for backup in cluster.backups)
    vmid = sorted(cluster.guests)[0]
    fleet.add_snapshot(vmid, 'after-epoch')
    assert cluster.tasks[-1].starttime > epoch


@pytest.mark.parametrize(
    'bad',
    [
        {'clusters': 0, 'standalone': 0},
        {'nodes': 0},
        {'guests': -1},
        {'pve_version': '6.4'},
        {'lxc_share': 2.0},
        {'first_index': -1},
        {'first_index': 250},
        {'epoch': -5},
    ],
)
def test_spec_validation(bad: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        FleetSpec(**bad)  # type: ignore[arg-type]

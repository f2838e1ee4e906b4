"""The benchmark's fleets (S, M, L) and the "1 % changed" mutation applied between two syncs."""

from dataclasses import asdict, dataclass
from typing import Any

from proxmox_sim import Fleet, FleetSpec

__all__ = ['FLEETS', 'TARGETED_CHANGES', 'FleetSize', 'change_fraction', 'change_one_guest']


@dataclass(frozen=True)
class FleetSize:
    """A fleet: ``guests`` spread over ``clusters`` clusters of ``nodes`` nodes (30 % containers)."""

    name: str
    guests: int
    clusters: int
    nodes: int
    seed: int = 1
    pve_version: str = '8.3'

    def make(self) -> Fleet:
        spec = FleetSpec(seed=self.seed, clusters=self.clusters, nodes=self.nodes, guests=self.guests,
                         pve_version=self.pve_version)  # fmt: skip
        return Fleet(spec)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


FLEETS: dict[str, FleetSize] = {
    size.name: size
    for size in (
        FleetSize('XS', guests=5, clusters=1, nodes=2),  # the smoke test's
        FleetSize('S', guests=100, clusters=1, nodes=3),
        FleetSize('M', guests=1_000, clusters=2, nodes=4),
        FleetSize('L', guests=10_000, clusters=4, nodes=8),
    )
}


def change_fraction(fleet: Fleet, fraction: float) -> dict[str, int]:
    """Change ``fraction`` of the guests (at least one), spread evenly: rename, reconfigure, migrate in turn.

    Each change is one field of one VM in NetBox (name; vCPUs and memory; node device), so the
    re-sync should write exactly one update per changed guest.
    """
    guests = [(cluster, guest) for cluster in fleet.to_dict()['clusters'] for guest in cluster['guests']]
    count = max(1, round(len(guests) * fraction))
    done = {'renamed': 0, 'reconfigured': 0, 'migrated': 0}
    for i in range(count):
        cluster, guest = guests[i * len(guests) // count]
        name, vmid = cluster['name'], guest['vmid']
        if i % 3 == 0:
            fleet.rename_guest(vmid, f'{guest["name"]}-renamed', cluster=name)
            done['renamed'] += 1
        elif i % 3 == 1:
            fleet.reconfigure_guest(vmid, memory=guest['memory_mib'] + 1024, cluster=name)
            done['reconfigured'] += 1
        else:
            nodes = [node['name'] for node in cluster['nodes'] if node['name'] != guest['node']]
            fleet.migrate_guest(vmid, nodes[i % len(nodes)], cluster=name)
            done['migrated'] += 1
    return {'guests': count, **done}


# One guest changed in each of these ways, then synced alone (a targeted sync of that guest).
TARGETED_CHANGES = ('created', 'renamed', 'migrated', 'disk resized', 'NIC added', 'deleted')


def change_one_guest(fleet: Fleet, change: str, index: int) -> tuple[str, int]:
    """Make one ``change`` (of ``TARGETED_CHANGES``) to a guest of the first cluster; its (cluster, vmid).

    ``index`` picks a different guest for each change, spread over the cluster.
    """
    cluster = fleet.to_dict()['clusters'][0]
    name = cluster['name']
    if change == 'created':
        return name, fleet.add_guest('qemu', cluster=name, name='bench-created').vmid
    guests = [
        g for g in cluster['guests'] if not g['template'] and g['type'] == 'qemu' and g['name'] != 'bench-created'
    ]
    guest = guests[(index * 7919) % len(guests)]
    vmid = guest['vmid']
    if change == 'renamed':
        fleet.rename_guest(vmid, f'{guest["name"]}-targeted', cluster=name)
    elif change == 'migrated':
        other = next(node['name'] for node in cluster['nodes'] if node['name'] != guest['node'] and node['online'])
        fleet.migrate_guest(vmid, other, cluster=name)
    elif change == 'disk resized':
        disk = next(d for d in guest['disks'] if d.get('media') != 'cdrom' and d['size_mib'] > 16)
        fleet.resize_disk(vmid, disk['key'], disk['size_mib'] + 1024, cluster=name)
    elif change == 'NIC added':
        fleet.add_nic(vmid, cluster=name)
    elif change == 'deleted':
        fleet.remove_guest(vmid, cluster=name)
    else:
        raise ValueError(f'unknown change {change!r}; one of {", ".join(TARGETED_CHANGES)}')
    return name, vmid

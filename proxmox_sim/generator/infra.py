"""Generate the infrastructure of one endpoint: nodes, networks, storages, pools and credentials."""

from __future__ import annotations

import hashlib
import random
import uuid

from ..model import Cluster, Network, Node, Pool, Storage, TokenDef
from ..version import PveVersion

__all__ = ['CLUSTER_NAMES', 'GUEST_VLANS', 'build_cluster', 'cluster_name', 'host_address']

CLUSTER_NAMES = (
    'alpha',
    'bravo',
    'charlie',
    'delta',
    'echo',
    'foxtrot',
    'golf',
    'hotel',
    'india',
    'juliet',
    'kilo',
    'lima',
    'mike',
    'november',
    'oscar',
    'papa',
    'quebec',
    'romeo',
    'sierra',
    'tango',
)
GUEST_VLANS = (0, 10, 20, 30, 40, 50, 60)
CPU_MODELS = (
    ('AMD EPYC 7302P 16-Core Processor', 1, 16),
    ('Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz', 2, 32),
    ('Intel(R) Xeon(R) E-2388G CPU @ 3.20GHz', 1, 8),
    ('AMD EPYC 9354 32-Core Processor', 2, 32),
)
POOLS = (
    ('prod', 'Production'),
    ('prod/web', 'Production web tier'),
    ('staging', 'Staging'),
    ('dev', None),
    ('infra', 'Shared infrastructure'),
)
GIB = 1024**3
TIB = 1024**4


def cluster_name(index: int, standalone: bool) -> str:
    base = CLUSTER_NAMES[index % len(CLUSTER_NAMES)]
    suffix = '' if index < len(CLUSTER_NAMES) else str(index // len(CLUSTER_NAMES) + 1)
    return f'solo-{base}{suffix}' if standalone else f'{base}{suffix}'


def host_address(prefix: str, host: int) -> str:
    """The ``host``-th address of an IPv4 /19 or IPv6 /64 prefix, without the length."""
    base, _length = prefix.split('/')
    if ':' in base:
        return f'{base.rstrip(":")}::{host:x}'
    octets = [int(part) for part in base.split('.')]
    value = (octets[2] << 8) + octets[3] + host
    return f'{octets[0]}.{octets[1]}.{value >> 8}.{value & 0xFF}'


def build_cluster(
    rng: random.Random,
    index: int,
    *,
    standalone: bool,
    node_count: int,
    version: PveVersion,
    token_id: str,
    password: str,
) -> Cluster:
    name = cluster_name(index, standalone)
    cluster = Cluster(name=name, index=index, version=version, standalone=standalone)
    cluster.networks = _networks(index)
    for number in range(1, node_count + 1):
        node = _node(rng, cluster, number, standalone)
        cluster.nodes[node.name] = node
    _add_storages(rng, cluster)
    _add_pools(rng, cluster)
    secret = str(uuid.UUID(int=rng.getrandbits(128), version=4))
    cluster.tokens[token_id] = TokenDef(tokenid=token_id, secret=secret)
    cluster.users[token_id.split('!')[0]] = password
    return cluster


def _networks(index: int) -> list[Network]:
    second = index + 1
    return [
        Network(
            vlan=vlan,
            bridge='vmbr0' if vlan == 0 else 'vmbr1',
            ipv4_prefix=f'10.{second}.{position * 32}.0/19',
            ipv6_prefix=f'fd00:{second:x}:{position:x}::/64',
        )
        for position, vlan in enumerate(GUEST_VLANS)
    ]


def _node(rng: random.Random, cluster: Cluster, number: int, standalone: bool) -> Node:
    model, sockets, cores = rng.choice(CPU_MODELS)
    name = f'pve-{cluster.name.removeprefix("solo-")}' if standalone else f'{cluster.name}-pve{number}'
    maxmem = rng.choice((64, 128, 256, 512)) * GIB
    maxdisk = rng.choice((94, 200, 450)) * GIB
    fingerprint = hashlib.sha256(name.encode()).hexdigest().upper()
    return Node(
        name=name,
        nodeid=0 if standalone else number,
        ip=host_address(cluster.networks[0].ipv4_prefix, 10 + number),
        level=rng.choice(('', 'c', 'b', 's', 'p')),
        cpu_model=model,
        cpu_sockets=sockets,
        cpu_cores=cores,
        maxmem=maxmem,
        maxdisk=maxdisk,
        cpu=round(rng.uniform(0.01, 0.6), 4),
        mem=int(maxmem * rng.uniform(0.2, 0.8)),
        disk=int(maxdisk * rng.uniform(0.05, 0.5)),
        uptime=rng.randint(3600, 180 * 86400),
        kernel=rng.choice(('6.8.12-4-pve', '6.5.13-6-pve', '6.14.8-2-pve')),
        ssl_fingerprint=':'.join(fingerprint[i : i + 2] for i in range(0, 64, 2)),
        efi=rng.random() < 0.7,
    )


def _add_storages(rng: random.Random, cluster: Cluster) -> None:
    clustered = not cluster.standalone and len(cluster.nodes) > 1
    storages = [
        Storage('local', 'dir', ('backup', 'iso', 'vztmpl'), total=100 * GIB, settings={'path': '/var/lib/vz'}),
        Storage(
            'local-lvm',
            'lvmthin',
            ('images', 'rootdir'),
            total=800 * GIB,
            settings={'vgname': 'pve', 'thinpool': 'data'},
        ),
        Storage(
            'local-zfs',
            'zfspool',
            ('images', 'rootdir'),
            total=1800 * GIB,
            settings={'pool': 'rpool/data', 'sparse': '1'},
        ),
        Storage(
            'pbs1',
            'pbs',
            ('backup',),
            shared=True,
            total=8 * TIB,
            settings={'server': f'10.{cluster.index + 1}.0.5', 'datastore': 'store1', 'username': 'pve@pbs'},
        ),
    ]
    if clustered:
        storages += [
            Storage(
                'ceph-rbd',
                'rbd',
                ('images', 'rootdir'),
                shared=True,
                total=20 * TIB,
                settings={'pool': 'vm-pool', 'krbd': '0'},
            ),
            Storage(
                'nfs-backup',
                'nfs',
                ('backup', 'iso'),
                shared=True,
                total=16 * TIB,
                settings={
                    'server': f'10.{cluster.index + 1}.0.6',
                    'export': '/export/pve',
                    'path': '/mnt/pve/nfs-backup',
                    'options': 'vers=4.2',
                },
            ),
            Storage(
                'cifs-archive',
                'cifs',
                ('backup',),
                shared=True,
                disabled=True,
                settings={
                    'server': f'10.{cluster.index + 1}.0.7',
                    'share': 'archive',
                    'path': '/mnt/pve/cifs-archive',
                    'username': 'pve',
                },
            ),
        ]
    for storage in storages:
        storage.used = 0 if storage.disabled else int(storage.total * rng.uniform(0.05, 0.7))
        cluster.storages[storage.storage] = storage


def _add_pools(rng: random.Random, cluster: Cluster) -> None:
    count = rng.randint(2, len(POOLS))
    for poolid, comment in POOLS[:count]:
        if '/' in poolid and not cluster.version.has_pool_query:
            continue  # nested pools exist from 8.1
        cluster.pools[poolid] = Pool(poolid=poolid, comment=comment)

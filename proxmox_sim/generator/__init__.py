"""Deterministic fleet generation: the same :class:`FleetSpec` always yields the same world."""

from __future__ import annotations

import random

from ..model import Cluster
from ..spec import FleetSpec
from .extras import add_extras, make_backup, make_task
from .guests import ROLES, allocate_address, make_guest, new_mac
from .infra import build_cluster

__all__ = ['allocate_address', 'generate', 'make_backup', 'make_guest', 'make_task', 'new_mac']


def generate(spec: FleetSpec) -> list[Cluster]:
    """Build every cluster, then every standalone node, and spread the guests over all their nodes."""
    clusters: list[Cluster] = []
    first = spec.first_index
    for index in range(first, first + spec.clusters + spec.standalone):
        standalone = index - first >= spec.clusters
        rng = random.Random(f'{spec.seed}:{index}')
        cluster = build_cluster(
            rng,
            index,
            standalone=standalone,
            node_count=1 if standalone else spec.nodes,
            version=spec.version,
            token_id=spec.token_id,
            password=spec.password,
        )
        cluster.epoch = spec.epoch
        clusters.append(cluster)
    shares = _guest_shares(spec, clusters)
    for cluster, share in zip(clusters, shares, strict=True):
        rng = random.Random(f'{spec.seed}:{cluster.index}:guests')
        _populate(rng, cluster, share, spec.lxc_share)
        add_extras(rng, cluster)
    return clusters


def _guest_shares(spec: FleetSpec, clusters: list[Cluster]) -> list[int]:
    """Guests per cluster, proportional to its node count; the remainder goes to the first clusters."""
    total_nodes = sum(len(cluster.nodes) for cluster in clusters)
    shares = [spec.guests * len(cluster.nodes) // total_nodes for cluster in clusters]
    for position in range(spec.guests - sum(shares)):
        shares[position % len(shares)] += 1
    return shares


def _populate(rng: random.Random, cluster: Cluster, count: int, lxc_share: float) -> None:
    nodes = sorted(cluster.nodes)
    counters = dict.fromkeys(ROLES, 0)
    vmid = 100
    for position in range(count):
        kind = 'lxc' if rng.random() < lxc_share else 'qemu'
        role = rng.choice(ROLES)
        counters[role] += 1
        name = f'{role}-{counters[role]:03d}' if kind == 'qemu' else f'{role}-ct{counters[role]:03d}'
        node = nodes[position % len(nodes)] if rng.random() < 0.8 else rng.choice(nodes)
        guest = make_guest(rng, cluster, vmid, node, kind, name)
        if guest.template:
            guest.name = f'tmpl-{rng.choice(("debian12", "ubuntu2404", "rocky9", "win2022"))}-{vmid}'
        cluster.guests[vmid] = guest
        vmid += rng.choice((1, 1, 1, 2, 5))

"""From a Proxmox snapshot to the NetBox objects it implies (pure)."""

from collections.abc import Sequence

from ...proxmox import ProxmoxSnapshot
from .. import keys
from ..state import DesiredState
from .context import ALL_FAMILIES, Collector, MappingContext
from .guests import map_guests
from .infra import cluster_name, map_infrastructure

__all__ = ['ALL_FAMILIES', 'MappingContext', 'cluster_name', 'desired_state']


def _incomplete_scopes(snapshot: ProxmoxSnapshot, cluster: str, out: Collector) -> None:
    """The reader's scopes (``node/pve3``, ``guest/qemu/100``) in key space."""
    for item in snapshot.incomplete_scopes:
        parts = item.scope.split('/')
        if parts[0] == 'node' and len(parts) == 2:
            out.protect(keys.node_key(cluster, parts[1]), item.reason)
        elif parts[0] == 'guest' and len(parts) == 3 and parts[2].isdigit():
            out.protect(keys.guest_key(cluster, int(parts[2])), item.reason)
        else:
            out.warnings.append(f'{cluster}: {item.scope} incomplete: {item.reason}')


def desired_state(snapshots: Sequence[tuple[ProxmoxSnapshot, MappingContext]]) -> DesiredState:
    """Everything the snapshots imply, for all their clusters together."""
    out = Collector()
    clusters = []
    for snapshot, ctx in snapshots:
        infra = map_infrastructure(snapshot, ctx, out)
        _incomplete_scopes(snapshot, infra['name'], out)
        map_guests(snapshot.guests, ctx, infra, out)
        out.warnings.extend(f'{infra["name"]}: {warning}' for warning in snapshot.warnings)
        clusters.append(keys.cluster_key(infra['name']))
    return DesiredState(
        objects=out.objects,
        clusters=frozenset(clusters),
        incomplete=dict(out.incomplete),
        warnings=tuple(out.warnings),
    )

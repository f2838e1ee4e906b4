"""From a Proxmox snapshot (and its data-protection read) to the NetBox objects it implies (pure)."""

from collections.abc import Callable, Sequence

from ...proxmox import DataProtectionSnapshot, ProxmoxSnapshot
from .. import keys
from ..state import DesiredState
from .context import ALL_FAMILIES, INVENTORY_FAMILIES, PROTECTION_FAMILIES, Collector, MappingContext
from .guests import map_guests
from .infra import cluster_name, map_infrastructure
from .protection import map_protection
from .storage import utc_text

__all__ = [
    'ALL_FAMILIES',
    'INVENTORY_FAMILIES',
    'PROTECTION_FAMILIES',
    'ClusterRead',
    'MappingContext',
    'cluster_name',
    'desired_state',
]

# One endpoint's read: its inventory snapshot, where it goes, and optionally its data-protection read.
ClusterRead = tuple[ProxmoxSnapshot, MappingContext] | tuple[ProxmoxSnapshot, MappingContext, DataProtectionSnapshot]


def _incomplete_scopes(snapshot: ProxmoxSnapshot, cluster: str, out: Collector) -> None:
    """The reader's scopes (``node/pve3``, ``guest/qemu/100``) in key space, each also a warning:
    a run that could not read a node or guest says so, even when nothing needed its protection."""
    for item in snapshot.incomplete_scopes:
        parts = item.scope.split('/')
        if parts[0] == 'node' and len(parts) == 2:
            out.protect(keys.node_key(cluster, parts[1]), item.reason)
            out.warnings.append(f'{cluster}: node {parts[1]} could not be read ({item.reason}): kept as it is')
        elif parts[0] == 'guest' and len(parts) == 3 and parts[2].isdigit():
            out.protect(keys.guest_key(cluster, int(parts[2])), item.reason)
            out.warnings.append(f'{cluster}: {parts[1]}/{parts[2]} could not be read ({item.reason}): kept as it is')
        elif item.scope in _SUBTREES:
            for scope in _SUBTREES[item.scope](cluster):
                out.protect(scope, item.reason)
            out.warnings.append(f'{cluster}: {item.scope} may be incomplete ({item.reason}): none of them is pruned')
        else:
            out.warnings.append(f'{cluster}: {item.scope} incomplete: {item.reason}')


# Reader scopes for a whole kind of Proxmox object the token may not see all of, and the key scopes
# they protect (replication jobs are listed only for the guests the token sees).
_SUBTREES: dict[str, Callable[[str], tuple[str, ...]]] = {
    'guests': lambda c: (f'{keys.cluster_key(c)}/guest', keys.replications_scope(c)),
    'nodes': lambda c: (f'{keys.cluster_key(c)}/node',),
    'storage': lambda c: (keys.storages_scope(c),),
}


def _task_filters(contexts: Sequence[MappingContext]) -> dict[str, dict[str, str]]:
    """Read only the tasks NetBox could match: those started inside the window."""
    starts = [ctx.task_since for ctx in contexts if 'tasks' in ctx.families]
    if not starts or any(start is None for start in starts):
        return {}
    oldest = utc_text(min(start for start in starts if start is not None))
    return {'netbox_proxbox.vmtaskhistory': {'start_time__gte': oldest}} if oldest else {}


def desired_state(reads: Sequence[ClusterRead]) -> DesiredState:
    """Everything the snapshots imply, for all their clusters together."""
    out = Collector()
    clusters = []
    families: set[str] = set()
    for read in reads:
        snapshot, ctx = read[0], read[1]
        infra = map_infrastructure(snapshot, ctx, out)
        infra['ha_known'] = snapshot.is_complete('cluster/ha')
        _incomplete_scopes(snapshot, infra['name'], out)
        map_guests(snapshot.guests, ctx, infra, out)
        if len(read) == 3:
            map_protection(snapshot, read[2], ctx, infra['name'], out)
            families |= ctx.families
        else:
            families |= ctx.families & INVENTORY_FAMILIES
        out.warnings.extend(f'{infra["name"]}: {warning}' for warning in snapshot.warnings)
        clusters.append(keys.cluster_key(infra['name']))
    return DesiredState(
        objects=out.objects,
        clusters=frozenset(clusters),
        incomplete=dict(out.incomplete),
        warnings=tuple(out.warnings),
        families=frozenset(families),
        read_filters=_task_filters([read[1] for read in reads if len(read) == 3]),
    )

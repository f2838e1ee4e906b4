"""The data-protection families of one cluster, and the read scopes that protect their records.

Whatever could not be read protects what it would have listed: a failed ``/storage`` read all
storages and backups, a storage whose content could not be listed (or a node-local one on a node
that could not be read) its backups, a guest's failed snapshot list its snapshots, a failed
``/cluster/backup`` or ``/cluster/replication`` every job. A family that is switched off, or that
needs the plugin's cluster record when the endpoint is not the plugin's, is neither written nor
pruned.
"""

from ...proxmox import DataProtectionSnapshot, ProxmoxSnapshot
from ...proxmox.protection import backup_sources
from .. import keys
from .context import Collector, MappingContext
from .jobs import map_replications, map_routines, map_snapshots, map_tasks
from .storage import PLUGIN_NODE, map_backups, map_storages

__all__ = ['map_protection']

_NEEDS_PLUGIN = ('storage', 'backups', 'backup_routines', 'replications', 'tasks')


def _readable_nodes(snapshot: ProxmoxSnapshot, data: DataProtectionSnapshot) -> frozenset[str]:
    """Nodes whose storage status was read."""
    failed = {scope.scope for scope in data.incomplete_scopes}
    return frozenset(
        node.name
        for node in snapshot.nodes
        if node.online and snapshot.is_complete(f'node/{node.name}') and f'node/{node.name}/storage' not in failed
    )


def _protect_scopes(
    snapshot: ProxmoxSnapshot, data: DataProtectionSnapshot, cluster: str, readable: frozenset[str], out: Collector
) -> None:
    for item in data.incomplete_scopes:
        parts = item.scope.split('/')
        if item.scope == 'storage':
            out.protect(keys.storages_scope(cluster), item.reason)
        elif parts[0] == 'storage' and len(parts) == 2:
            out.protect(keys.storage_key(cluster, parts[1]), item.reason)
        elif parts[0] == 'guest' and parts[-1] == 'snapshots' and parts[2].isdigit():
            out.protect(keys.snapshots_scope(cluster, int(parts[2])), item.reason)
        elif item.scope == 'cluster/backup':
            out.protect(keys.backup_jobs_scope(cluster), item.reason)
        elif item.scope == 'cluster/replication':
            out.protect(keys.replications_scope(cluster), item.reason)
        elif not item.scope.startswith(('node/', 'cluster/tasks')):
            out.warnings.append(f'{cluster}: {item.scope} incomplete: {item.reason}')
    _protect_unlisted(snapshot, data, cluster, readable, out)


def _protect_unlisted(
    snapshot: ProxmoxSnapshot, data: DataProtectionSnapshot, cluster: str, readable: frozenset[str], out: Collector
) -> None:
    """A backup storage whose archives were not (all) listed: a node-local one on a node that could
    not be read or where it is inactive, a shared one active nowhere (disabled, unmounted)."""
    all_nodes = [node.name for node in snapshot.nodes]
    listed: dict[str, set[str]] = {}
    for storage_id, node in backup_sources(data.storage_status, data.storages):
        listed.setdefault(storage_id, set()).add(node)
    for storage in data.storages:
        if 'backup' not in storage.content:
            continue
        nodes = [n for n in (storage.nodes or all_nodes) if n in all_nodes]
        unread = [n for n in nodes if n not in readable]
        missing = [n for n in nodes if n not in listed.get(storage.storage, ())]
        if not storage.shared and unread:
            reason = f'node {unread[0]} could not be read'
        elif (storage.shared and storage.storage not in listed) or (not storage.shared and missing):
            reason = 'not active: its backups could not be listed'
        else:
            continue
        out.protect(keys.storage_key(cluster, storage.storage), reason)


def _state_unknown(snapshot: ProxmoxSnapshot, data: DataProtectionSnapshot) -> frozenset[str]:
    """Nodes whose replication status is unknown (offline, unreadable or the status read failed)."""
    failed = {scope.scope for scope in data.incomplete_scopes}
    return frozenset(
        node.name
        for node in snapshot.nodes
        if not node.online or not snapshot.is_complete(f'node/{node.name}') or f'node/{node.name}/replication' in failed
    )


def _not_synced(cluster: str, families: list[str], why: str, scopes: list[str], out: Collector) -> None:
    if families:
        out.warnings.append(f'{cluster}: {", ".join(families)} not synced: {why}')
        for scope in scopes:
            out.protect(scope, f'not synced in this run: {why}')


def map_protection(
    snapshot: ProxmoxSnapshot, data: DataProtectionSnapshot, ctx: MappingContext, cluster: str, out: Collector
) -> None:
    """Map every switched-on data-protection family of one cluster."""
    readable = _readable_nodes(snapshot, data)
    _protect_scopes(snapshot, data, cluster, readable, out)
    on = [family for family in _NEEDS_PLUGIN if family in ctx.families]
    if 'snapshots' in ctx.families:
        map_snapshots(data.snapshots, cluster, out)
    if ctx.endpoint_id is None:
        scopes = [keys.storages_scope(cluster), keys.backup_jobs_scope(cluster), keys.replications_scope(cluster)]
        _not_synced(cluster, on, "they need the plugin's Proxmox cluster record (an endpoint id)", scopes, out)
        return
    storages = map_storages(snapshot, data, cluster, readable, out) if 'storage' in ctx.families else {}
    if 'backups' in ctx.families and 'storage' not in ctx.families:
        _not_synced(cluster, ['backups'], 'they need the storage family', [keys.storages_scope(cluster)], out)
    elif 'backups' in ctx.families:
        map_backups(data.backups, cluster, storages, out)
    if 'backup_routines' in ctx.families:
        map_routines(data.backup_jobs, cluster, out)
    if 'replications' in ctx.families:
        guest_nodes = {guest.vmid: guest.node for guest in snapshot.guests}
        map_replications(data.replication_jobs, cluster, guest_nodes, _state_unknown(snapshot, data), out)
    if 'tasks' in ctx.families and not out.objects.get(PLUGIN_NODE):
        _not_synced(cluster, ['tasks'], "they need the plugin's node records (the nodes family)", [], out)
    elif 'tasks' in ctx.families:
        map_tasks(data.tasks, cluster, ctx.task_since, out)

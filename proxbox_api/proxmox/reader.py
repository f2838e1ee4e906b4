"""Read one Proxmox VE cluster into a ``ProxmoxSnapshot``.

One ``/cluster/resources`` call lists nodes, guests and pools; nodes and guests are then read
concurrently (the client's semaphore bounds the requests in flight). What cannot be read is listed
in ``incomplete_scopes`` and the read goes on; only ``/version`` and ``/cluster/resources`` are fatal.
"""

import asyncio
import re
from collections.abc import Mapping
from typing import Any

from ._context import ReadContext, ReadOptions, ReadScope
from ._guests import base_guest, read_guest
from ._nodes import node_scope, read_nodes
from ._values import as_dict, as_int, as_list, as_str
from .client import ProxmoxClient
from .errors import ProxmoxAuthError, ProxmoxError, ProxmoxNotFound
from .models import Guest, Pool, ProxmoxSnapshot

__all__ = ['ReadOptions', 'ReadScope', 'node_scope', 'parse_release', 'read_cluster']


def parse_release(version: Mapping[str, Any]) -> tuple[int, int]:
    """``{"release": "8.1"}`` or ``{"version": "7.4-3"}`` → ``(8, 1)``; ``(0, 0)`` when unknown."""
    text = as_str(version.get('release')) or as_str(version.get('version')) or ''
    match = re.match(r'([0-9]+)\.([0-9]+)', text)
    return (int(match.group(1)), int(match.group(2))) if match else (0, 0)


def _cluster_name(cluster_status: list[Any]) -> str | None:
    for entry in map(as_dict, cluster_status):
        if entry.get('type') == 'cluster':
            return as_str(entry.get('name'))
    return None


def _quorate(cluster_status: list[Any]) -> bool | None:
    """The cluster entry's ``quorate`` (0/1); a standalone node has no quorum to report (None)."""
    for entry in map(as_dict, cluster_status):
        if entry.get('type') == 'cluster' and entry.get('quorate') is not None:
            return bool(as_int(entry.get('quorate')))
    return None


async def _ha_states(ctx: ReadContext) -> dict[str, str]:
    """``sid`` (``vm:100``/``ct:101``) → configured HA state; ``/cluster/resources`` ``hastate`` is the fallback."""
    if not ctx.options.ha:
        return {}
    items = await ctx.optional('cluster/ha', ctx.client.get('/cluster/ha/resources'), [])
    return {str(item['sid']): str(item['state']) for item in map(as_dict, as_list(items)) if 'sid' in item}


async def _pools(ctx: ReadContext, guests: tuple[Guest, ...]) -> tuple[Pool, ...]:
    if not ctx.options.pools:
        return ()
    items = as_list(await ctx.optional('pools', ctx.client.get('/pools'), []))
    members: dict[str, list[int]] = {}
    for guest in guests:
        if guest.pool:
            members.setdefault(guest.pool, []).append(guest.vmid)
    pools = (
        Pool(
            poolid=str(item['poolid']),
            comment=as_str(item.get('comment')),
            members=tuple(members.get(item['poolid'], ())),
        )
        for item in map(as_dict, items)
        if item.get('poolid')
    )
    return tuple(sorted(pools, key=lambda p: p.poolid))


# What a token must hold (on ``/`` propagated, or on the subtree) for Proxmox's lists to be whole: without
# it Proxmox leaves out what the token may not see, without an error. The scopes protect what is left out.
_VISIBILITY = (
    ('VM.Audit', '/vms', 'guests'),
    ('Sys.Audit', '/nodes', 'nodes'),
    ('Datastore.Audit', '/storage', 'storage'),
)


async def _blind_spots(ctx: ReadContext) -> None:
    """Mark ``guests`` / ``nodes`` / ``storage`` incomplete when the token may not see all of them."""
    try:
        raw = await ctx.client.get('/access/permissions')
    except ProxmoxNotFound:
        return  # a Proxmox (or a stand-in) without this call: nothing to tell
    except ProxmoxAuthError:
        raise
    except ProxmoxError as exc:
        ctx.mark_incomplete('access/permissions', str(exc))
        return
    held = as_dict(raw)
    for privilege, subtree, scope in _VISIBILITY:
        if as_dict(held.get('/')).get(privilege) == 1 or privilege in as_dict(held.get(subtree)):
            continue
        reason = f'the token lacks {privilege} on {subtree}: Proxmox leaves out what it may not see'
        ctx.mark_incomplete(scope, reason)


async def _guests(ctx: ReadContext, resources: list[Any], ha: dict[str, str]) -> tuple[Guest, ...]:
    bases = [g for g in (base_guest(as_dict(item), ha) for item in resources) if g is not None]
    unreachable = frozenset(s.removeprefix('node/') for s in ctx.incomplete if s.startswith('node/'))
    guests = await asyncio.gather(*(read_guest(ctx, guest, unreachable) for guest in bases))
    return tuple(sorted(guests, key=lambda g: g.vmid))


def _scope_name(cluster_status: list[Any], resources: list[Any]) -> str | None:
    """The name a scope gives the cluster: its own, or a standalone node's (as the mapping names it)."""
    named = _cluster_name(cluster_status)
    if named is not None:
        return named
    nodes = sorted(
        str(item['node']) for item in map(as_dict, resources) if item.get('type') == 'node' and item.get('node')
    )
    return nodes[0] if nodes else None


def _scoped(resources: list[Any], scope: ReadScope, standalone: bool) -> list[Any]:
    """The ``/cluster/resources`` entries of a targeted read: its guests, and its nodes and theirs."""
    items = [as_dict(item) for item in resources]
    guests = [
        item
        for item in items
        if item.get('type') in ('qemu', 'lxc')
        and (as_int(item.get('vmid')) in scope.guests or item.get('node') in scope.nodes)
    ]
    nodes = scope.nodes | {as_str(item.get('node')) for item in guests}
    kept = [item for item in items if item.get('type') == 'node' and (standalone or item.get('node') in nodes)]
    rest = [item for item in items if item.get('type') not in ('qemu', 'lxc', 'node')]
    return [*kept, *guests, *rest]


def _unread(client: ProxmoxClient, version: Mapping[str, Any], **found: Any) -> ProxmoxSnapshot:
    """A scoped read that stops before the nodes and guests: what it knows besides ``found``."""
    return ProxmoxSnapshot(
        endpoint=client.endpoint.name,
        version=as_str(version.get('version')) or 'unknown',
        release=as_str(version.get('release')) or 'unknown',
        **found,
    )


def _out_of_scope(client: ProxmoxClient, cluster_status: list[Any], version: Mapping[str, Any]) -> ProxmoxSnapshot:
    return _unread(client, version, cluster_name=_cluster_name(cluster_status), out_of_scope=True)


async def _status_first(client: ProxmoxClient) -> list[Any] | None:
    """A scoped read asks ``/cluster/status`` first: it names the cluster, so another one costs one request.
    None when it cannot be read (the full path reads it again and reports what is wrong)."""
    try:
        return as_list(await client.get('/cluster/status'))
    except ProxmoxAuthError:
        raise
    except ProxmoxError:
        return None


def _status_name(cluster_status: list[Any]) -> str | None:
    """The cluster's name, or a standalone node's (its one node entry); None when it cannot tell."""
    nodes = [as_str(e.get('name')) for e in map(as_dict, cluster_status) if e.get('type') == 'node']
    return _cluster_name(cluster_status) or (nodes[0] if len(nodes) == 1 else None)


async def read_cluster(client: ProxmoxClient, options: ReadOptions | None = None) -> ProxmoxSnapshot:
    """Read nodes, guests (config, disks, NICs, IPs), pools and HA state; never raises for a partial failure.

    A scoped read (``options.scope``) reads only the scope's nodes and guests, and of another cluster
    nothing past its name (``out_of_scope``). Raises a ``ProxmoxError`` only when ``/version`` or
    ``/cluster/resources`` cannot be read.
    """
    options = options or ReadOptions()
    scope = options.scope
    early = await _status_first(client) if scope is not None else None
    if scope is not None and early is not None and _status_name(early) not in (None, scope.cluster):
        return _out_of_scope(client, early, {})
    version = as_dict(await client.get('/version'))
    resources = as_list(await client.get('/cluster/resources'))
    ctx = ReadContext(client=client, options=options, release=parse_release(version))
    if early is not None:
        cluster_status = early
    else:
        cluster_status = as_list(await ctx.optional('cluster/status', client.get('/cluster/status'), []))
    if scope is not None and 'cluster/status' in ctx.incomplete:
        # Nameless: it may be the scope's cluster or not; nothing more is read (the caller says why).
        return _unread(client, version, incomplete_scopes=ctx.scopes())
    if scope is not None and _scope_name(cluster_status, resources) != scope.cluster:
        return _out_of_scope(client, cluster_status, version)
    if scope is not None and not scope.whole:
        resources = _scoped(resources, scope, standalone=_cluster_name(cluster_status) is None)
    await _blind_spots(ctx)
    nodes = await read_nodes(ctx, resources, cluster_status)
    guests = await _guests(ctx, resources, await _ha_states(ctx))
    for guest in guests:
        ctx.warnings.extend(f'{guest.type}/{guest.vmid}: {w}' for w in guest.warnings)
    cluster_name = _cluster_name(cluster_status)
    return ProxmoxSnapshot(
        endpoint=client.endpoint.name,
        version=as_str(version.get('version')) or 'unknown',
        release=as_str(version.get('release')) or '.'.join(map(str, ctx.release)),
        cluster_name=cluster_name,
        standalone=cluster_name is None and bool(cluster_status),
        quorate=_quorate(cluster_status),
        nodes=nodes,
        guests=guests,
        pools=await _pools(ctx, guests),
        incomplete_scopes=ctx.scopes(),
        warnings=tuple(ctx.warnings),
    )

"""Reading one guest: its ``/cluster/resources`` entry, then config, then IPs (agent or LXC interfaces).

Config failures mark the guest (or, for 595/timeouts, its node) incomplete; agent failures are
only warnings on the guest.
"""

from collections.abc import Mapping
from typing import Any

from ._context import ReadContext
from ._ips import agent_ips, config_ips, lxc_interface_ips, lxc_static_ips
from ._nodes import node_scope
from ._values import as_bool, as_dict, as_int, as_str
from .errors import ProxmoxAuthError, ProxmoxError, ProxmoxNotImplemented, ProxmoxUnavailable
from .models import Guest
from .parsers import parse_lxc_config, parse_qemu_config, parse_tags

__all__ = ['base_guest', 'guest_scope', 'read_guest']

_MIB = 1024 * 1024
_LXC_INTERFACES_SINCE = (8, 1)


def guest_scope(guest: Guest) -> str:
    return f'guest/{guest.type}/{guest.vmid}'


def base_guest(item: Mapping[str, Any], ha_states: Mapping[str, str]) -> Guest | None:
    """A guest from its ``/cluster/resources`` entry alone (all that is known for an unreadable node)."""
    vmid, kind, node = as_int(item.get('vmid')), item.get('type'), as_str(item.get('node'))
    if vmid is None or node is None or kind not in ('qemu', 'lxc'):
        return None
    tags = parse_tags(as_str(item.get('tags')) or '')
    sid = f'{"vm" if kind == "qemu" else "ct"}:{vmid}'
    return Guest(
        vmid=vmid,
        type=kind,
        name=as_str(item.get('name')) or f'{"VM " if kind == "qemu" else "CT"}{vmid}',
        node=node,
        status=as_str(item.get('status')) or 'unknown',
        template=as_bool(item.get('template')),
        lock=as_str(item.get('lock')),
        tags=tags.tags,
        pool=as_str(item.get('pool')),
        cpus=as_int(item.get('maxcpu')),
        memory_bytes=as_int(item.get('maxmem')),
        ha_state=ha_states.get(sid) or as_str(item.get('hastate')),
        warnings=tags.warnings,
    )


def _path(guest: Guest, suffix: str) -> str:
    return f'/nodes/{guest.node}/{guest.type}/{guest.vmid}/{suffix}'


async def _config(ctx: ReadContext, guest: Guest) -> Mapping[str, Any] | None:
    try:
        return as_dict(await ctx.client.get(_path(guest, 'config')))
    except ProxmoxAuthError:  # the credentials stopped working: nothing read from here on is sound
        raise
    except ProxmoxUnavailable as exc:  # 595, timeouts: the node, not the guest, is the problem
        ctx.mark_incomplete(node_scope(guest.node), str(exc))
    except ProxmoxError as exc:
        ctx.mark_incomplete(guest_scope(guest), str(exc))
    return None


async def _qemu(ctx: ReadContext, guest: Guest, config: Mapping[str, Any]) -> Guest:
    parsed = parse_qemu_config(config)
    ips = config_ips(parsed.ipconfigs, {nic.index: nic.mac for nic in parsed.nics})
    warnings = list(parsed.warnings)
    ips_complete = True
    if ctx.options.guest_agent and parsed.agent.enabled and guest.status == 'running':
        try:
            ips = agent_ips(await ctx.client.get(_path(guest, 'agent/network-get-interfaces'), retries=0))
        except ProxmoxAuthError:  # the credentials stopped working: nothing read from here on is sound
            raise
        except ProxmoxError as exc:
            warnings.append(f'guest agent: {exc}')
            ips_complete = False
    return guest.model_copy(
        update={
            'name': parsed.name or guest.name,
            'description': parsed.description,
            'tags': parsed.tags or guest.tags,
            'cpus': parsed.cpus,
            'memory_bytes': parsed.memory_mib * _MIB,
            'ostype': parsed.ostype,
            'agent_enabled': parsed.agent.enabled,
            'disks': parsed.disks,
            'nics': parsed.nics,
            'ip_configs': parsed.ipconfigs,
            'ips': ips,
            'ips_complete': ips_complete,
            'warnings': (*guest.warnings, *warnings),
        }
    )


async def _lxc_ips(ctx: ReadContext, guest: Guest) -> Any:
    """``/interfaces`` on 8.1+ for running containers; ``None`` means: use the static config."""
    if guest.status != 'running' or ctx.release < _LXC_INTERFACES_SINCE:
        return None
    try:
        return await ctx.client.get(_path(guest, 'interfaces'))
    except ProxmoxNotImplemented:
        return None


async def _lxc(ctx: ReadContext, guest: Guest, config: Mapping[str, Any]) -> Guest:
    parsed = parse_lxc_config(config)
    warnings = list(parsed.warnings)
    ips_complete = True
    try:
        reported = await _lxc_ips(ctx, guest)
    except ProxmoxAuthError:  # the credentials stopped working: nothing read from here on is sound
        raise
    except ProxmoxError as exc:
        warnings.append(f'interfaces: {exc}')
        reported, ips_complete = None, False
    ips = lxc_interface_ips(reported) if reported is not None else lxc_static_ips(parsed.nics)
    return guest.model_copy(
        update={
            'name': parsed.hostname or guest.name,
            'description': parsed.description,
            'tags': parsed.tags or guest.tags,
            'cpus': parsed.cpus or guest.cpus,
            'memory_bytes': parsed.memory_mib * _MIB if parsed.memory_mib else guest.memory_bytes,
            'ostype': parsed.ostype,
            'mounts': parsed.mounts,
            'nics': parsed.nics,
            'ips': ips,
            'ips_complete': ips_complete,
            'warnings': (*guest.warnings, *warnings),
        }
    )


async def read_guest(ctx: ReadContext, guest: Guest, unreachable: frozenset[str]) -> Guest:
    """Fill in one guest; on failure return what ``/cluster/resources`` said, marked incomplete."""
    if guest.node in unreachable:
        return guest.model_copy(update={'complete': False})
    config = await _config(ctx, guest)
    if config is None:
        return guest.model_copy(update={'complete': False})
    if guest.type == 'qemu':
        return await _qemu(ctx, guest, config)
    return await _lxc(ctx, guest, config)

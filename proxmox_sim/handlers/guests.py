"""QEMU and LXC endpoints: lists, configs, current status, guest agent, container interfaces, snapshots."""

from __future__ import annotations

from typing import Any

from ..errors import ApiError
from ..model import Guest
from ..render.config import lxc_config, qemu_config
from ..render.guests import agent_interfaces, guest_list_item, lxc_interfaces, snapshot_list
from ..server.routing import Context
from . import ROUTER


def _guest_list(ctx: Context, kind: str) -> list[dict[str, Any]]:
    node = ctx.node()
    if not ctx.allowed('VM.Audit'):
        return []
    version = ctx.cluster.version
    guests = [guest for guest in ctx.cluster.guests.values() if guest.node == node.name and guest.kind == kind]
    return [guest_list_item(guest, version) for guest in guests]


def _config(ctx: Context, guest: Guest) -> dict[str, Any]:
    name = ctx.params.get('snapshot')
    if name is not None and not any(snapshot.name == name for snapshot in guest.snapshots):
        raise ApiError(500, f"snapshot '{name}' does not exist")
    if guest.kind == 'qemu':
        return qemu_config(guest, ctx.cluster.version)
    return lxc_config(guest)


@ROUTER.get('/nodes/{node}/qemu')
def qemu_list(ctx: Context) -> list[dict[str, Any]]:
    return _guest_list(ctx, 'qemu')


@ROUTER.get('/nodes/{node}/lxc')
def lxc_list(ctx: Context) -> list[dict[str, Any]]:
    return _guest_list(ctx, 'lxc')


@ROUTER.get('/nodes/{node}/qemu/{vmid}')
def qemu_index(ctx: Context) -> list[dict[str, str]]:
    ctx.guest('qemu')
    return [{'subdir': name} for name in ('config', 'status', 'agent', 'snapshot', 'pending')]


@ROUTER.get('/nodes/{node}/lxc/{vmid}')
def lxc_index(ctx: Context) -> list[dict[str, str]]:
    ctx.guest('lxc')
    return [{'subdir': name} for name in ('config', 'status', 'interfaces', 'snapshot', 'pending')]


@ROUTER.get('/nodes/{node}/qemu/{vmid}/config')
def qemu_config_view(ctx: Context) -> dict[str, Any]:
    return _config(ctx, ctx.guest('qemu'))


@ROUTER.get('/nodes/{node}/lxc/{vmid}/config')
def lxc_config_view(ctx: Context) -> dict[str, Any]:
    return _config(ctx, ctx.guest('lxc'))


def _current(ctx: Context, kind: str) -> dict[str, Any]:
    guest = ctx.guest(kind)
    item = guest_list_item(guest, ctx.cluster.version)
    item['ha'] = {'managed': 0} if guest.ha is None else {'managed': 1, 'state': guest.ha.state}
    if kind == 'qemu':
        item['agent'] = int(guest.agent != 'none')
        if guest.running:
            item['qmpstatus'] = 'running'
    return item


@ROUTER.get('/nodes/{node}/qemu/{vmid}/status/current')
def qemu_current(ctx: Context) -> dict[str, Any]:
    return _current(ctx, 'qemu')


@ROUTER.get('/nodes/{node}/lxc/{vmid}/status/current')
def lxc_current(ctx: Context) -> dict[str, Any]:
    return _current(ctx, 'lxc')


def _agent_guest(ctx: Context) -> Guest:
    guest = ctx.guest('qemu', privilege=None)
    ctx.require(f'/vms/{guest.vmid}', *ctx.cluster.version.agent_privileges)
    return guest


@ROUTER.get('/nodes/{node}/qemu/{vmid}/agent/network-get-interfaces')
def agent_network(ctx: Context) -> dict[str, Any]:
    return agent_interfaces(_agent_guest(ctx))


@ROUTER.get('/nodes/{node}/qemu/{vmid}/agent/get-host-name')
def agent_host_name(ctx: Context) -> dict[str, Any]:
    guest = _agent_guest(ctx)
    agent_interfaces(guest)  # same failure modes, checked in the same order
    return {'result': {'host-name': guest.name}}


@ROUTER.get('/nodes/{node}/qemu/{vmid}/agent/get-osinfo')
def agent_osinfo(ctx: Context) -> dict[str, Any]:
    guest = _agent_guest(ctx)
    agent_interfaces(guest)
    if guest.ostype.startswith('win'):
        info = {
            'id': 'mswindows',
            'name': 'Microsoft Windows',
            'pretty-name': 'Windows Server 2022 Standard',
            'version-id': '2022',
            'kernel-release': '20348',
            'machine': 'x86_64',
        }
    else:
        info = {
            'id': 'debian',
            'name': 'Debian GNU/Linux',
            'pretty-name': 'Debian GNU/Linux 12 (bookworm)',
            'version-id': '12',
            'kernel-release': '6.1.0-26-amd64',
            'machine': 'x86_64',
        }
    return {'result': info}


@ROUTER.get('/nodes/{node}/lxc/{vmid}/interfaces')
def lxc_interfaces_view(ctx: Context) -> list[dict[str, Any]] | None:
    if not ctx.cluster.version.has_lxc_interfaces:
        raise ApiError(501, f"Method 'GET {ctx.path}' not implemented")
    return lxc_interfaces(ctx.guest('lxc'))


@ROUTER.get('/nodes/{node}/qemu/{vmid}/snapshot')
def qemu_snapshots(ctx: Context) -> list[dict[str, Any]]:
    guest = ctx.guest('qemu')
    return snapshot_list(guest, qemu_config(guest, ctx.cluster.version))


@ROUTER.get('/nodes/{node}/lxc/{vmid}/snapshot')
def lxc_snapshots(ctx: Context) -> list[dict[str, Any]]:
    guest = ctx.guest('lxc')
    return snapshot_list(guest, lxc_config(guest))

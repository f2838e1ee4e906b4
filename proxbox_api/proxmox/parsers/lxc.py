"""Parsers for LXC container options: ``netN``, ``rootfs`` and ``mpN``."""

import re
from typing import Literal, cast

from ._net import read_gateway, read_ip
from ._props import OptionReader, PropertyParseError, split_property_string
from .types import LxcMount, LxcNic, MountKind

__all__ = ['LXC_MOUNT_KEY_RE', 'LXC_NET_KEY_RE', 'parse_lxc_mount', 'parse_lxc_net']

LXC_NET_KEY_RE = re.compile(r'net([0-9]|[12][0-9]|3[01])', re.ASCII)
LXC_MOUNT_KEY_RE = re.compile(r'rootfs|mp([0-9]|[1-9][0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-5])', re.ASCII)
_VOLID_RE = re.compile(r'(?P<storage>[A-Za-z][A-Za-z0-9\-_.]*):(?P<volume>.+)', re.ASCII | re.DOTALL)

Ipv4Mode = Literal['static', 'dhcp', 'manual', 'none']
Ipv6Mode = Literal['static', 'dhcp', 'auto', 'manual', 'none']


def parse_lxc_net(key: str, value: str) -> LxcNic:
    """``name=eth0,bridge=vmbr0,hwaddr=BC:24:11:AA:BB:CC,ip=10.0.0.53/24,gw=10.0.0.1,ip6=auto`` → ``LxcNic``."""
    match = LXC_NET_KEY_RE.fullmatch(key)
    if match is None:
        raise PropertyParseError(f'{key[:40]!r} is not an LXC network option')
    reader = OptionReader(key, *split_property_string(value, None))
    if not any(reader.has(option) for option in ('name', 'bridge', 'hwaddr')):
        raise PropertyParseError('not a network device (none of name=, bridge=, hwaddr=)')
    name = reader.text('name')
    if name is None:
        reader.warn('no interface name (name=...)')
    ipv4_mode, ip = read_ip(reader, 'ip', 4, frozenset({'dhcp', 'manual'}))
    ipv6_mode, ip6 = read_ip(reader, 'ip6', 6, frozenset({'dhcp', 'auto', 'manual'}))
    return LxcNic(
        key=key,
        index=int(match.group(1)),
        name=name,
        mac=reader.mac('hwaddr'),
        bridge=reader.text('bridge'),
        ipv4_mode=cast(Ipv4Mode, ipv4_mode),
        ip=ip,
        gw=read_gateway(reader, 'gw', 4),
        ipv6_mode=cast(Ipv6Mode, ipv6_mode),
        ip6=ip6,
        gw6=read_gateway(reader, 'gw6', 6),
        tag=reader.integer('tag', 1, 4094),
        trunks=reader.vlan_list('trunks'),
        firewall=reader.boolean('firewall', False),
        link_down=reader.boolean('link_down', False),
        mtu=reader.integer('mtu', 64, 65535),
        rate=reader.number('rate'),
        options=reader.rest(),
        warnings=tuple(reader.warnings),
    )


def _split_volume(volid: str) -> tuple[MountKind, str | None, str | None]:
    """``local-lvm:vm-101-disk-1`` → volume; ``/dev/sdb1`` → device; ``/srv/x`` → bind mount."""
    if volid.startswith('/dev/'):
        return 'device', None, volid
    if volid.startswith('/'):
        return 'bind', None, volid
    match = _VOLID_RE.fullmatch(volid)
    if match is None:
        return 'volume', None, volid
    return 'volume', match.group('storage'), match.group('volume')


def parse_lxc_mount(key: str, value: str) -> LxcMount:
    """``local-lvm:vm-101-disk-1,mp=/srv/data,backup=1,size=100G`` (``rootfs`` or ``mpN``) → ``LxcMount``."""
    if LXC_MOUNT_KEY_RE.fullmatch(key) is None:
        raise PropertyParseError(f'{key[:40]!r} is not an LXC mount option')
    reader = OptionReader(key, *split_property_string(value, 'volume'))
    volid = reader.text('volume')
    if volid is None:
        raise PropertyParseError('no volume (expected STORAGE:VOLUME or a path)')
    kind, storage, volume = _split_volume(volid)
    if kind == 'volume' and storage is None:
        reader.warn(f'volume {volid[:60]!r} has no STORAGE: prefix')
    is_root = key == 'rootfs'
    mountpoint = '/' if is_root else reader.text('mp')
    if mountpoint is None:
        reader.warn('no mount point (mp=...)')
    return LxcMount(
        key=key,
        kind=kind,
        volid=volid,
        storage=storage,
        volume=volume,
        mountpoint=mountpoint,
        size_bytes=reader.size('size'),
        # vzdump always includes the rootfs; mount points only with backup=1.
        backup=True if is_root else reader.boolean('backup', False),
        ro=reader.boolean('ro', False),
        replicate=reader.boolean('replicate', True),
        shared=reader.boolean('shared', False),
        options=reader.rest(),
        warnings=tuple(reader.warnings),
    )

"""Parsers for QEMU guest options: ``netN``, disks, ``ipconfigN``, ``agent`` and ``memory``."""

import re
from typing import Literal, cast

from ._net import read_gateway, read_ip
from ._props import OptionReader, PropertyParseError, is_mac, split_property_string
from .types import AgentConfig, DiskKind, IpConfig, QemuDisk, QemuNic

Ipv4Mode = Literal['static', 'dhcp', 'none']
Ipv6Mode = Literal['static', 'dhcp', 'auto', 'none']

__all__ = [
    'QEMU_DISK_KEY_RE',
    'QEMU_IPCONFIG_KEY_RE',
    'QEMU_NET_KEY_RE',
    'parse_agent',
    'parse_ipconfig',
    'parse_qemu_disk',
    'parse_qemu_memory',
    'parse_qemu_net',
]

QEMU_NET_KEY_RE = re.compile(r'net([0-9]|[12][0-9]|3[01])', re.ASCII)
QEMU_DISK_KEY_RE = re.compile(
    r'(?P<bus>scsi|virtio|sata|ide|efidisk|tpmstate|unused)(?P<index>[0-9]{1,3})',
    re.ASCII,
)
QEMU_IPCONFIG_KEY_RE = re.compile(r'ipconfig([0-9]|[12][0-9]|3[01])', re.ASCII)

NIC_MODELS = frozenset(
    {
        'e1000', 'e1000-82540em', 'e1000-82544gc', 'e1000-82545em', 'e1000e', 'i82551', 'i82557b',
        'i82559er', 'ne2k_isa', 'ne2k_pci', 'pcnet', 'rtl8139', 'virtio', 'vmxnet3',
    }
)  # fmt: skip
_NIC_OPTIONS = frozenset(
    {'bridge', 'firewall', 'link_down', 'macaddr', 'model', 'mtu', 'queues', 'rate', 'tag', 'trunks'}
)
_BUS_LIMITS = {'scsi': 30, 'virtio': 15, 'sata': 5, 'ide': 3, 'efidisk': 0, 'tpmstate': 0, 'unused': 255}
_SPECIAL_DISKS: dict[str, DiskKind] = {'efidisk': 'efidisk', 'tpmstate': 'tpmstate', 'unused': 'unused'}
_CLOUDINIT_RE = re.compile(r'(?:^|/)vm-[0-9]+-cloudinit(?:\.[A-Za-z0-9]+)?')
_VOLID_RE = re.compile(r'(?P<storage>[A-Za-z][A-Za-z0-9\-_.]*):(?P<volume>.+)', re.ASCII | re.DOTALL)
_MIB_RE = re.compile(r'[0-9]{1,9}', re.ASCII)


def _index(key: str, pattern: re.Pattern[str]) -> int:
    match = pattern.fullmatch(key)
    if match is None:
        raise PropertyParseError(f'{key[:40]!r} is not a valid option name here')
    return int(match.group(1))


def _nic_model(reader: OptionReader) -> tuple[str | None, str | None]:
    """The model is the first key (``virtio=MAC``); ``model=virtio,macaddr=MAC`` is also accepted."""
    for key in reader.keys():
        if key in NIC_MODELS:
            return key, reader.mac(key)
    model = reader.text('model')
    if model is not None:
        return model, reader.mac('macaddr')
    for key in reader.keys():
        value = reader.text(key)
        if key not in _NIC_OPTIONS and value is not None and is_mac(value):
            reader.warn(f'unknown NIC model {key[:40]!r}')
            return key, value.strip().upper()
    raise PropertyParseError('no NIC model (expected MODEL=MAC, e.g. virtio=BC:24:11:2E:4F:5A)')


def parse_qemu_net(key: str, value: str) -> QemuNic:
    """``virtio=BC:24:11:2E:4F:5A,bridge=vmbr0,firewall=1,tag=20,trunks=10;20;30`` → ``QemuNic``."""
    index = _index(key, QEMU_NET_KEY_RE)
    reader = OptionReader(key, *split_property_string(value, None))
    model, mac = _nic_model(reader)
    reader.mac('macaddr')  # redundant with MODEL=MAC
    return QemuNic(
        key=key,
        index=index,
        model=model,
        mac=mac,
        bridge=reader.text('bridge'),
        tag=reader.integer('tag', 1, 4094),
        trunks=reader.vlan_list('trunks'),
        firewall=reader.boolean('firewall', False),
        link_down=reader.boolean('link_down', False),
        mtu=reader.integer('mtu', 1, 65520),
        rate=reader.number('rate'),
        queues=reader.integer('queues', 0, 64),
        options=reader.rest(),
        warnings=tuple(reader.warnings),
    )


def _split_volid(volid: str, reader: OptionReader) -> tuple[str | None, str | None, bool]:
    """``local-lvm:vm-100-disk-0`` → (storage, volume, passthrough)."""
    if volid == 'none':
        return None, None, False
    if volid == 'cdrom' or volid.startswith('/'):
        return None, volid, True
    match = _VOLID_RE.fullmatch(volid)
    if match is None:
        reader.warn(f'volume {volid[:60]!r} has no STORAGE: prefix')
        return None, volid, False
    return match.group('storage'), match.group('volume'), False


def _disk_kind(bus: str, media: str | None, volume: str | None) -> DiskKind:
    if bus in _SPECIAL_DISKS:
        return _SPECIAL_DISKS[bus]
    if volume is not None and _CLOUDINIT_RE.search(volume):
        return 'cloudinit'
    return 'cdrom' if media == 'cdrom' else 'disk'


def parse_qemu_disk(key: str, value: str) -> QemuDisk:
    """``local-lvm:vm-100-disk-0,iothread=1,size=32G`` (or ``file=...``, ``none,media=cdrom``) → ``QemuDisk``."""
    match = QEMU_DISK_KEY_RE.fullmatch(key)
    if match is None or int(match.group('index')) > _BUS_LIMITS[match.group('bus')]:
        raise PropertyParseError(f'{key[:40]!r} is not a QEMU disk option')
    bus = match.group('bus')
    reader = OptionReader(key, *split_property_string(value, 'file'))
    volid = reader.text('file')
    if volid is None:
        raise PropertyParseError('no volume (expected STORAGE:VOLUME, a path, "none" or file=...)')
    storage, volume, passthrough = _split_volid(volid, reader)
    media = reader.choice('media', frozenset({'cdrom', 'disk'}))
    return QemuDisk(
        key=key,
        bus=bus,
        index=int(match.group('index')),
        kind=_disk_kind(bus, media, volume),
        volid=volid,
        storage=storage,
        volume=volume,
        passthrough=passthrough,
        empty=volid == 'none',
        media=media,
        size_bytes=reader.size('size'),
        format=reader.text('format'),
        backup=reader.boolean('backup', True),
        replicate=reader.boolean('replicate', True),
        shared=reader.boolean('shared', False),
        options=reader.rest(),
        warnings=tuple(reader.warnings),
    )


def parse_ipconfig(key: str, value: str) -> IpConfig:
    """``ip=10.0.0.50/24,gw=10.0.0.1,ip6=auto`` (cloud-init) → ``IpConfig``."""
    index = _index(key, QEMU_IPCONFIG_KEY_RE)
    reader = OptionReader(key, *split_property_string(value, None))
    ipv4_mode, ip = read_ip(reader, 'ip', 4, frozenset({'dhcp'}))
    ipv6_mode, ip6 = read_ip(reader, 'ip6', 6, frozenset({'dhcp', 'auto'}))
    gw, gw6 = read_gateway(reader, 'gw', 4), read_gateway(reader, 'gw6', 6)
    for unknown in reader.rest():
        reader.warn(f'unknown option {unknown[:40]!r} ignored')
    return IpConfig(
        key=key,
        index=index,
        ipv4_mode=cast(Ipv4Mode, ipv4_mode),
        ip=ip,
        gw=gw,
        ipv6_mode=cast(Ipv6Mode, ipv6_mode),
        ip6=ip6,
        gw6=gw6,
        warnings=tuple(reader.warnings),
    )


def parse_agent(value: str) -> AgentConfig:
    """``1``, ``0``, ``enabled=1,fstrim_cloned_disks=1`` or ``1,type=virtio`` → ``AgentConfig``."""
    reader = OptionReader('agent', *split_property_string(value, 'enabled'))
    return AgentConfig(
        enabled=reader.boolean('enabled', False),
        fstrim_cloned_disks=reader.boolean('fstrim_cloned_disks', False),
        type=reader.choice('type', frozenset({'virtio', 'isa'})),
        options=reader.rest(),
        warnings=tuple(reader.warnings),
    )


def parse_qemu_memory(value: object) -> int | None:
    """QEMU ``memory`` in MiB: an int (< 8.1), a string ``"4096"`` or ``"current=4096"`` (8.1+).

    ``None`` when absent or unreadable (the caller then applies PVE's default of 512 MiB).
    """
    if isinstance(value, int) and not isinstance(value, bool):
        return value if value > 0 else None
    if not isinstance(value, str) or not value.strip():
        return None
    options, _ = split_property_string(value, 'current')
    current = options.get('current', '').strip()
    return int(current) if _MIB_RE.fullmatch(current) else None

"""Frozen, JSON-serialisable results of the property-string parsers.

Every result carries ``warnings``: one human-readable line per option that could not be
understood. The option is then left at its default (``None``/``False``) and the rest of the
object is still usable, so one odd value never hides a whole guest.
"""

from typing import Literal

from pydantic import BaseModel, ConfigDict

__all__ = [
    'AgentConfig',
    'DiskKind',
    'IpConfig',
    'LxcMount',
    'LxcNic',
    'MountKind',
    'OsType',
    'QemuDisk',
    'QemuNic',
    'TagList',
]

DiskKind = Literal['disk', 'cdrom', 'cloudinit', 'efidisk', 'tpmstate', 'unused']
MountKind = Literal['volume', 'bind', 'device']


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra='forbid')

    warnings: tuple[str, ...] = ()


class TagList(_Frozen):
    """Guest tags, in configuration order, without duplicates."""

    tags: tuple[str, ...] = ()


class OsType(_Frozen):
    """A guest ``ostype`` code with its family (``linux``, ``windows``, ``solaris``, ``other``)."""

    code: str
    family: Literal['linux', 'windows', 'solaris', 'other']
    label: str


class AgentConfig(_Frozen):
    """The QEMU ``agent`` option (``1``, ``0``, ``enabled=1,fstrim_cloned_disks=1``)."""

    enabled: bool = False
    fstrim_cloned_disks: bool = False
    type: str | None = None
    options: dict[str, str] = {}


class QemuNic(_Frozen):
    """A QEMU ``netN`` option (``virtio=BC:24:11:2E:4F:5A,bridge=vmbr0,tag=20``)."""

    key: str
    index: int
    model: str | None = None
    mac: str | None = None
    bridge: str | None = None
    tag: int | None = None
    trunks: tuple[int, ...] = ()
    firewall: bool = False
    link_down: bool = False
    mtu: int | None = None
    rate: float | None = None
    queues: int | None = None
    options: dict[str, str] = {}
    kind: Literal['qemu'] = 'qemu'


class QemuDisk(_Frozen):
    """A QEMU disk option (``scsi0``, ``virtio0``, ``sata0``, ``ide2``, ``efidisk0``, ``tpmstate0``, ``unused0``).

    ``volid`` is the raw ``file`` value; ``storage``/``volume`` its two halves when it has the
    ``STORAGE:VOLUME`` form. ``passthrough`` marks host devices and files (``/dev/sdb``, ``cdrom``).
    ``empty`` marks a drive with no medium (``none``).
    """

    key: str
    bus: str
    index: int
    kind: DiskKind
    volid: str | None = None
    storage: str | None = None
    volume: str | None = None
    passthrough: bool = False
    empty: bool = False
    media: str | None = None
    size_bytes: int | None = None
    format: str | None = None
    backup: bool = True
    replicate: bool = True
    shared: bool = False
    options: dict[str, str] = {}
    type: Literal['qemu'] = 'qemu'


class IpConfig(_Frozen):
    """A cloud-init ``ipconfigN`` option. Addresses are CIDR strings; modes say how they are obtained."""

    key: str
    index: int
    ipv4_mode: Literal['static', 'dhcp', 'none'] = 'none'
    ip: str | None = None
    gw: str | None = None
    ipv6_mode: Literal['static', 'dhcp', 'auto', 'none'] = 'none'
    ip6: str | None = None
    gw6: str | None = None


class LxcNic(_Frozen):
    """An LXC ``netN`` option (``name=eth0,bridge=vmbr0,hwaddr=...,ip=10.0.0.53/24,gw=...``)."""

    key: str
    index: int
    name: str | None = None
    mac: str | None = None
    bridge: str | None = None
    ipv4_mode: Literal['static', 'dhcp', 'manual', 'none'] = 'none'
    ip: str | None = None
    gw: str | None = None
    ipv6_mode: Literal['static', 'dhcp', 'auto', 'manual', 'none'] = 'none'
    ip6: str | None = None
    gw6: str | None = None
    tag: int | None = None
    trunks: tuple[int, ...] = ()
    firewall: bool = False
    link_down: bool = False
    mtu: int | None = None
    rate: float | None = None
    options: dict[str, str] = {}
    kind: Literal['lxc'] = 'lxc'


class LxcMount(_Frozen):
    """An LXC ``rootfs`` or ``mpN`` option. ``mountpoint`` is ``/`` for the rootfs."""

    key: str
    kind: MountKind
    volid: str
    storage: str | None = None
    volume: str | None = None
    mountpoint: str | None = None
    size_bytes: int | None = None
    backup: bool = False
    ro: bool = False
    replicate: bool = True
    shared: bool = False
    options: dict[str, str] = {}
    type: Literal['lxc'] = 'lxc'

"""The simulated world: plain dataclasses, no behaviour beyond small derived values.

Renderers (``proxmox_sim.render``) turn these into API payloads; the fleet
(``proxmox_sim.fleet``) owns them and applies changes.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from .notify import Notifications
from .version import PveVersion

__all__ = [
    'Backup',
    'BackupJob',
    'Cluster',
    'Disk',
    'GuestStats',
    'Guest',
    'HaConfig',
    'Network',
    'Nic',
    'Node',
    'Pool',
    'ReplicationJob',
    'Snapshot',
    'Storage',
    'Task',
    'TokenDef',
]


@dataclass(slots=True)
class Network:
    """One guest network of a cluster: a VLAN (0 = untagged on vmbr0) with its IPv4 and IPv6 subnets."""

    vlan: int
    bridge: str
    ipv4_prefix: str  # e.g. '10.1.32.0/19'
    ipv6_prefix: str  # e.g. 'fd00:1:1::/64'
    next_host: int = 100


@dataclass(slots=True)
class Nic:
    index: int
    model: str  # QEMU model (virtio, e1000, ...) or 'veth' for LXC
    mac: str
    bridge: str
    tag: int | None = None
    trunks: tuple[int, ...] = ()
    firewall: bool = True
    link_down: bool = False
    ipv4: str | None = None  # address/prefix the guest holds
    ipv4_dhcp: bool = False
    gw4: str | None = None
    ipv6: str | None = None
    gw6: str | None = None


@dataclass(slots=True)
class Disk:
    key: str  # scsi0, virtio1, sata0, ide2, efidisk0, tpmstate0, rootfs, mp0
    storage: str | None
    volume: str
    size_mib: int = 0
    media: str | None = None  # 'cdrom' for CD drives (including cloud-init)
    options: tuple[tuple[str, str], ...] = ()
    mountpoint: str | None = None

    @property
    def volid(self) -> str:
        return f'{self.storage}:{self.volume}' if self.storage else self.volume


@dataclass(slots=True)
class Snapshot:
    name: str
    snaptime: int
    description: str = ''
    vmstate: bool = False
    parent: str | None = None


@dataclass(slots=True)
class HaConfig:
    state: str = 'started'
    group: str | None = None
    max_restart: int = 1
    max_relocate: int = 1
    comment: str | None = None
    failback: bool = True


@dataclass(slots=True)
class GuestStats:
    cpu: float = 0.0
    mem: int = 0
    disk: int = 0
    netin: int = 0
    netout: int = 0
    diskread: int = 0
    diskwrite: int = 0
    uptime: int = 0
    pid: int = 0


@dataclass(slots=True)
class Guest:
    vmid: int
    kind: str  # 'qemu' or 'lxc'
    name: str
    node: str
    status: str  # 'running' or 'stopped'
    cores: int = 1
    sockets: int = 1
    memory_mib: int = 512
    balloon_mib: int | None = None
    swap_mib: int = 512
    ostype: str = 'l26'
    template: bool = False
    lock: str | None = None
    tags: list[str] = field(default_factory=list)
    pool: str | None = None
    onboot: bool = False
    description: str = ''
    agent: str = 'none'  # 'none' = not configured, 'down' = configured but not answering, 'ok'
    bios: str = 'seabios'
    machine: str | None = None
    cloudinit: bool = False
    uuid: str = ''
    nics: list[Nic] = field(default_factory=list)
    disks: list[Disk] = field(default_factory=list)
    snapshots: list[Snapshot] = field(default_factory=list)
    ha: HaConfig | None = None
    stats: GuestStats = field(default_factory=GuestStats)
    ctime: int = 0

    @property
    def running(self) -> bool:
        return self.status == 'running'

    @property
    def vcpus(self) -> int:
        return self.cores * self.sockets

    @property
    def root_disk(self) -> Disk | None:
        """The boot disk (QEMU: first non-CD disk on a bus) or the LXC rootfs."""
        for disk in self.disks:
            if disk.media is None and disk.key not in ('efidisk0', 'tpmstate0') and disk.mountpoint is None:
                return disk
        return None

    @property
    def maxdisk(self) -> int:
        root = self.root_disk
        return root.size_mib * 1024 * 1024 if root else 0

    @property
    def ha_sid(self) -> str:
        return f'{"vm" if self.kind == "qemu" else "ct"}:{self.vmid}'


@dataclass(slots=True)
class Node:
    name: str
    nodeid: int
    ip: str
    online: bool = True
    level: str = ''
    cpu_model: str = 'AMD EPYC 7302P 16-Core Processor'
    cpu_sockets: int = 1
    cpu_cores: int = 16
    maxmem: int = 68719476736
    maxdisk: int = 100861726720
    cpu: float = 0.03
    mem: int = 17179869184
    disk: int = 9663676416
    uptime: int = 1209600
    kernel: str = '6.8.12-4-pve'
    ssl_fingerprint: str = ''
    efi: bool = True

    @property
    def maxcpu(self) -> int:
        return self.cpu_sockets * self.cpu_cores * 2


@dataclass(slots=True)
class Storage:
    storage: str
    type: str
    content: tuple[str, ...]
    shared: bool = False
    nodes: tuple[str, ...] = ()  # empty: every node
    disabled: bool = False
    total: int = 0
    used: int = 0
    settings: dict[str, str] = field(default_factory=dict)  # type-specific keys: path, server, datastore ...

    def on_node(self, node: str) -> bool:
        return not self.nodes or node in self.nodes


@dataclass(slots=True)
class Backup:
    storage: str
    vmid: int
    subtype: str  # 'qemu' or 'lxc'
    ctime: int
    size: int
    storage_type: str
    node: str | None = None  # set for node-local storages
    notes: str | None = None
    protected: bool = False
    verified: str | None = None  # PBS: 'ok' / 'failed'
    encrypted: str | None = None

    @property
    def volid(self) -> str:
        if self.storage_type == 'pbs':
            stamp = time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(self.ctime))
            return f'{self.storage}:backup/{"vm" if self.subtype == "qemu" else "ct"}/{self.vmid}/{stamp}'
        return f'{self.storage}:backup/vzdump-{self.subtype}-{self.vmid}-{self._stamp()}.{self.format}'

    def _stamp(self) -> str:
        return time.strftime('%Y_%m_%d-%H_%M_%S', time.gmtime(self.ctime))

    @property
    def format(self) -> str:
        if self.storage_type == 'pbs':
            return 'pbs-vm' if self.subtype == 'qemu' else 'pbs-ct'
        return 'vma.zst' if self.subtype == 'qemu' else 'tar.zst'


@dataclass(slots=True)
class BackupJob:
    id: str
    schedule: str
    storage: str
    mode: str = 'snapshot'
    compress: str = 'zstd'
    enabled: bool = True
    all: bool = False
    vmids: tuple[int, ...] = ()
    pool: str | None = None
    exclude: tuple[int, ...] = ()
    node: str | None = None
    comment: str | None = None
    keep_daily: int = 7
    keep_weekly: int = 4


@dataclass(slots=True)
class ReplicationJob:
    guest: int
    jobnum: int
    target: str
    schedule: str | None = None  # None means the default '*/15'
    rate: int | None = None
    comment: str | None = None
    disable: bool = False
    last_sync: int = 0
    duration: float = 0.0
    fail_count: int = 0
    error: str | None = None

    @property
    def id(self) -> str:
        return f'{self.guest}-{self.jobnum}'


@dataclass(slots=True)
class Task:
    node: str
    pid: int
    pstart: int
    starttime: int
    type: str
    id: str
    user: str
    endtime: int | None
    status: str  # 'OK', 'WARNINGS: N' or an error text; ignored while running

    @property
    def upid(self) -> str:
        return (
            f'UPID:{self.node}:{self.pid:08X}:{self.pstart:08X}:{self.starttime:08X}:{self.type}:{self.id}:{self.user}:'
        )

    @property
    def running(self) -> bool:
        return self.endtime is None


@dataclass(slots=True)
class Pool:
    poolid: str
    comment: str | None = None


@dataclass(slots=True)
class TokenDef:
    """An API token (``user@realm!name``) and the privileges it holds on every path (None: all)."""

    tokenid: str
    secret: str
    privileges: frozenset[str] | None = None


@dataclass(slots=True)
class Cluster:
    """One Proxmox endpoint: a cluster, or a standalone node when ``standalone`` is set."""

    name: str
    index: int
    version: PveVersion
    standalone: bool = False
    nodes: dict[str, Node] = field(default_factory=dict)
    guests: dict[int, Guest] = field(default_factory=dict)
    storages: dict[str, Storage] = field(default_factory=dict)
    networks: list[Network] = field(default_factory=list)
    backups: list[Backup] = field(default_factory=list)
    backup_jobs: list[BackupJob] = field(default_factory=list)
    replication: list[ReplicationJob] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    pools: dict[str, Pool] = field(default_factory=dict)
    tokens: dict[str, TokenDef] = field(default_factory=dict)
    users: dict[str, str] = field(default_factory=dict)  # userid -> password
    macs: set[str] = field(default_factory=set)
    notifications: Notifications = field(default_factory=Notifications, repr=False, compare=False)
    revision: int = 0
    epoch: int = 1767225600

    def guests_on(self, node: str) -> list[Guest]:
        return [guest for guest in self.guests.values() if guest.node == node]

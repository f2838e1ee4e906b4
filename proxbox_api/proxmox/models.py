"""The typed, frozen, JSON-serialisable result of reading one Proxmox VE cluster.

``ProxmoxSnapshot.incomplete_scopes`` lists what could not be read (``node/pve3``,
``guest/qemu/100``, ``cluster/ha`` ...) and why. A planner must not treat anything inside an
incomplete scope as deleted.
"""

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from .parsers.types import IpConfig, LxcMount, LxcNic, OsType, QemuDisk, QemuNic

__all__ = ['Guest', 'GuestIp', 'IncompleteScope', 'Node', 'NodeInterface', 'Pool', 'ProxmoxSnapshot']


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra='forbid')


class IncompleteScope(_Frozen):
    """A part of the cluster that could not be read, e.g. ``node/pve3`` because of ``595 No route to host``."""

    scope: str
    reason: str


class NodeInterface(_Frozen):
    """One entry of ``GET /nodes/{node}/network``: a NIC, bridge, bond or VLAN with its addresses."""

    name: str
    type: str
    active: bool = False
    autostart: bool = False
    method: str | None = None
    method6: str | None = None
    cidr: str | None = None
    gateway: str | None = None
    cidr6: str | None = None
    gateway6: str | None = None
    bridge_ports: tuple[str, ...] = ()
    bridge_vlan_aware: bool = False
    slaves: tuple[str, ...] = ()
    bond_mode: str | None = None
    vlan_id: int | None = None
    vlan_raw_device: str | None = None
    mtu: int | None = None
    comments: str | None = None


class Node(_Frozen):
    """A cluster node. ``pve_version`` etc. are ``None`` when the node could not be read."""

    name: str
    online: bool
    ip: str | None = None
    pve_version: str | None = None
    cpu_model: str | None = None
    cpus: int | None = None
    memory_bytes: int | None = None
    uptime: int | None = None
    interfaces: tuple[NodeInterface, ...] = ()


class GuestIp(_Frozen):
    """A guest address in CIDR form, with where it was learnt (loopback and link-local are dropped)."""

    address: str
    interface: str | None = None
    mac: str | None = None
    source: Literal['agent', 'lxc-interfaces', 'config']


class Guest(_Frozen):
    """A QEMU VM or LXC container. ``complete`` is False when its config could not be read."""

    vmid: int
    type: Literal['qemu', 'lxc']
    name: str
    node: str
    status: str
    # The guest's notes (``description`` in its config), None when it has none or was not read.
    description: str | None = None
    template: bool = False
    lock: str | None = None
    tags: tuple[str, ...] = ()
    pool: str | None = None
    cpus: int | None = None
    memory_bytes: int | None = None
    ostype: OsType | None = None
    agent_enabled: bool = False
    ha_state: str | None = None
    disks: tuple[QemuDisk, ...] = ()
    mounts: tuple[LxcMount, ...] = ()
    nics: tuple[Annotated[QemuNic | LxcNic, Field(discriminator='kind')], ...] = ()
    ip_configs: tuple[IpConfig, ...] = ()
    ips: tuple[GuestIp, ...] = ()
    complete: bool = True
    # False when the runtime addresses could not be read (agent or LXC interfaces failed): the
    # ``ips`` then come from the static config only, and no address may be treated as removed.
    ips_complete: bool = True
    warnings: tuple[str, ...] = ()


class Pool(_Frozen):
    """A resource pool and the guests in it (by vmid)."""

    poolid: str
    comment: str | None = None
    members: tuple[int, ...] = ()


class ProxmoxSnapshot(_Frozen):
    """Everything read from one Proxmox VE endpoint in one pass."""

    endpoint: str
    version: str
    release: str
    cluster_name: str | None = None
    standalone: bool = False
    quorate: bool | None = None
    nodes: tuple[Node, ...] = ()
    guests: tuple[Guest, ...] = ()
    pools: tuple[Pool, ...] = ()
    incomplete_scopes: tuple[IncompleteScope, ...] = ()
    warnings: tuple[str, ...] = ()
    # A targeted read of another cluster: read no further than its name (``ReadOptions.scope``).
    out_of_scope: bool = False

    def is_complete(self, scope: str) -> bool:
        """False when ``scope`` (``node/pve3``, ``guest/qemu/100``, ``pools``...) could not be fully read."""
        return all(item.scope != scope for item in self.incomplete_scopes)

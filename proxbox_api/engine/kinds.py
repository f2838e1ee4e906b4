"""The NetBox object types the sync writes, in dependency order, and how each is handled.

``identity`` says how an object is recognised again:
- ``cf``: by the ``proxbox_id`` custom field; Proxbox owns it (tag ``proxbox``) and prunes it;
- ``shared``: by a natural key (slug); created when missing, never changed or deleted
  (tags, roles, platforms, manufacturers, device types, the default site);
- ``plugin``: the plugin's own records, by their natural key (always Proxbox's).

A ``phase`` kind patches fields of its ``base`` kind that can only be set once other objects
exist (a VM's primary IPs, an interface's primary MAC).
"""

from dataclasses import dataclass, field
from typing import Literal

__all__ = ['KINDS', 'KIND_ORDER', 'KindSpec', 'PruneStyle', 'kind_spec']

PruneStyle = Literal['policy', 'with-parent', 'never']


@dataclass(frozen=True, slots=True)
class KindSpec:
    kind: str
    path: str
    identity: Literal['cf', 'shared', 'plugin']
    fields: tuple[str, ...]
    # Fields written on create only (never compared afterwards).
    create_only: tuple[str, ...] = ()
    # Fields whose NetBox value is an object: compared by id.
    relations: tuple[str, ...] = ()
    # Natural key fields: a NetBox object with the same values that is not Proxbox's is a conflict.
    natural: tuple[str, ...] = ()
    prune: PruneStyle = 'never'
    base: str | None = None
    # Extra query parameters when reading this kind from NetBox.
    read_params: dict[str, str] = field(default_factory=dict)
    # The family switch (plugin settings) this kind belongs to; None = always synced.
    family: str | None = None

    @property
    def is_phase(self) -> bool:
        return self.base is not None


_OWNED = ('tags', 'custom_fields')

KINDS: tuple[KindSpec, ...] = (
    KindSpec('extras.tag', '/api/extras/tags/', 'shared', ('name', 'slug', 'color', 'description'), natural=('slug',)),
    KindSpec('dcim.site', '/api/dcim/sites/', 'shared', ('name', 'slug', 'status'), natural=('slug',)),
    KindSpec(
        'virtualization.clustertype',
        '/api/virtualization/cluster-types/',
        'shared',
        ('name', 'slug'),
        natural=('slug',),
    ),
    KindSpec('dcim.manufacturer', '/api/dcim/manufacturers/', 'shared', ('name', 'slug'), natural=('slug',)),
    KindSpec(
        'dcim.devicetype',
        '/api/dcim/device-types/',
        'shared',
        ('manufacturer', 'model', 'slug'),
        relations=('manufacturer',),
        natural=('slug',),
    ),
    KindSpec(
        'dcim.devicerole', '/api/dcim/device-roles/', 'shared', ('name', 'slug', 'color', 'vm_role'), natural=('slug',)
    ),
    KindSpec('dcim.platform', '/api/dcim/platforms/', 'shared', ('name', 'slug'), natural=('slug',)),
    KindSpec(
        'virtualization.cluster',
        '/api/virtualization/clusters/',
        'cf',
        ('name', 'type', 'status', 'scope_type', 'scope_id', *_OWNED),
        relations=('type',),
        natural=('name',),
        prune='policy',
    ),
    KindSpec(
        'ipam.vlangroup',
        '/api/ipam/vlan-groups/',
        'cf',
        ('name', 'slug', 'scope_type', 'scope_id', *_OWNED),
        natural=('slug',),
        family='interfaces',
    ),
    # VLANs stay when no guest uses them any more: people may have attached their own objects.
    KindSpec(
        'ipam.vlan',
        '/api/ipam/vlans/',
        'cf',
        ('vid', 'name', 'group', 'status', *_OWNED),
        relations=('group',),
        natural=('group', 'vid'),
        family='interfaces',
    ),
    KindSpec(
        'dcim.device',
        '/api/dcim/devices/',
        'cf',
        ('name', 'device_type', 'role', 'site', 'cluster', 'status', *_OWNED),
        relations=('device_type', 'role', 'site', 'cluster'),
        natural=('name', 'site'),
        prune='policy',
        family='nodes',
    ),
    KindSpec(
        'dcim.interface',
        '/api/dcim/interfaces/',
        'cf',
        ('device', 'name', 'type', 'enabled', 'mtu', 'description', *_OWNED),
        relations=('device',),
        natural=('device', 'name'),
        prune='with-parent',
        family='nodes',
    ),
    KindSpec(
        'virtualization.virtualmachine',
        '/api/virtualization/virtual-machines/',
        'cf',
        ('name', 'status', 'cluster', 'device', 'site', 'role', 'platform', 'vcpus', 'memory', *_OWNED),
        relations=('cluster', 'device', 'site', 'role', 'platform'),
        natural=('cluster', 'name'),
        prune='policy',
        read_params={'exclude': 'config_context'},
        family='virtual_machines',
    ),
    KindSpec(
        'virtualization.vminterface',
        '/api/virtualization/interfaces/',
        'cf',
        ('virtual_machine', 'name', 'enabled', 'mtu', 'mode', 'untagged_vlan', 'tagged_vlans', 'description', *_OWNED),
        relations=('virtual_machine', 'untagged_vlan', 'tagged_vlans'),
        natural=('virtual_machine', 'name'),
        prune='with-parent',
        family='interfaces',
    ),
    KindSpec(
        'dcim.macaddress',
        '/api/dcim/mac-addresses/',
        'cf',
        ('mac_address', 'assigned_object_type', 'assigned_object_id', *_OWNED),
        prune='with-parent',
        family='interfaces',
    ),
    KindSpec(
        'ipam.ipaddress',
        '/api/ipam/ip-addresses/',
        'cf',
        ('address', 'status', 'assigned_object_type', 'assigned_object_id', *_OWNED),
        natural=('address',),
        prune='with-parent',
        family='ip_addresses',
    ),
    KindSpec(
        'virtualization.virtualdisk',
        '/api/virtualization/virtual-disks/',
        'cf',
        ('virtual_machine', 'name', 'size', 'description', *_OWNED),
        relations=('virtual_machine',),
        natural=('virtual_machine', 'name'),
        prune='with-parent',
        family='virtual_disks',
    ),
    KindSpec(
        'virtualization.vminterface#mac',
        '/api/virtualization/interfaces/',
        'cf',
        ('primary_mac_address',),
        relations=('primary_mac_address',),
        base='virtualization.vminterface',
        family='interfaces',
    ),
    KindSpec(
        'virtualization.virtualmachine#primary',
        '/api/virtualization/virtual-machines/',
        'cf',
        ('primary_ip4', 'primary_ip6'),
        relations=('primary_ip4', 'primary_ip6'),
        base='virtualization.virtualmachine',
        family='ip_addresses',
    ),
    KindSpec(
        'netbox_proxbox.proxmoxcluster',
        '/api/plugins/proxbox/clusters/',
        'plugin',
        ('endpoint', 'name', 'standalone', 'quorate', 'pve_version', 'node_count', 'cluster'),
        relations=('endpoint', 'cluster'),
    ),
    KindSpec(
        'netbox_proxbox.proxmoxnode',
        '/api/plugins/proxbox/nodes/',
        'plugin',
        ('cluster', 'name', 'ip_address', 'online', 'pve_version', 'cpu_model', 'cpu_count', 'memory_total', 'device'),
        relations=('cluster', 'device'),
        prune='with-parent',
        family='nodes',
    ),
)

KIND_ORDER: dict[str, int] = {spec.kind: index for index, spec in enumerate(KINDS)}
_BY_KIND = {spec.kind: spec for spec in KINDS}


def kind_spec(kind: str) -> KindSpec:
    return _BY_KIND[kind]

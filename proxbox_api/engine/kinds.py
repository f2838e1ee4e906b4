"""The NetBox object types the sync writes, in dependency order, and how each is handled.

``identity`` says how an object is recognised again:
- ``cf``: by the ``proxbox_id`` custom field; Proxbox owns it (tag ``proxbox``) and prunes it;
- ``shared``: by a natural key (slug); created when missing, never changed or deleted
  (tags, roles, platforms, manufacturers, device types, the default site);
- ``plugin``: the plugin's own records, by their natural key (always Proxbox's).

A ``phase`` kind patches fields of its ``base`` kind that can only be set once other objects
exist (a VM's primary IPs, an interface's primary MAC).

``prune`` says what happens when Proxmox no longer has the object: ``policy`` (the run's prune
policy: off, mark or delete after a grace period), ``with-parent`` (a part of its parent: deleted
when gone from a parent that is still there, else it follows the parent), ``never``.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = ['INVENTORY_KINDS', 'KINDS', 'KIND_ORDER', 'KindSpec', 'PruneStyle', 'kind_spec', 'kinds_of_family']

PruneStyle = Literal['policy', 'with-parent', 'never']
ORPHAN_STATUS = 'decommissioning'


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
    # Read every object of the kind (not only the ``proxbox``-tagged ones), to find people's records
    # that hold a natural key Proxbox wants (the plugin's own models: nothing else refers to them).
    read_all: bool = False
    # Date-time fields: compared in one canonical form (UTC, ``...Z``).
    datetimes: tuple[str, ...] = ()
    # What marking an orphan sets besides its tag and first-miss time; default: a status field
    # becomes ``decommissioning``.
    orphan: tuple[tuple[str, Any], ...] = ()
    # Objects whose keys share the part before this marker are written in one bulk batch: NetBox
    # keeps a total on their parent that concurrent batches would leave wrong (a VM's disk size).
    same_batch: str | None = None

    def batch_group(self, key: str) -> str:
        return key.rpartition(self.same_batch)[0] if self.same_batch else ''

    @property
    def is_phase(self) -> bool:
        return self.base is not None

    @property
    def orphan_attrs(self) -> Mapping[str, Any]:
        if self.orphan:
            return dict(self.orphan)
        return {'status': ORPHAN_STATUS} if 'status' in self.fields else {}


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
        (
            'name',
            'description',
            'comments',
            'status',
            'cluster',
            'device',
            'site',
            'role',
            'platform',
            'vcpus',
            'memory',
            *_OWNED,
        ),
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
        same_batch='/disk/',
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

_PLUGIN = '/api/plugins/proxbox'

# The plugin's data-protection records. Backups and snapshots are parts (of their storage, of their
# guest): once gone from a storage or guest that was read, they are gone. Tasks are history: a task
# missing from Proxmox's bounded task list proves nothing, so they are never pruned.
PROTECTION_KINDS: tuple[KindSpec, ...] = (
    KindSpec(
        'netbox_proxbox.proxmoxstorage',
        f'{_PLUGIN}/storage/',
        'cf',
        ('cluster', 'name', 'type', 'content', 'shared', 'enabled', 'path', 'nodes', 'total', 'used', 'available',
         *_OWNED),
        relations=('cluster', 'nodes'),
        natural=('cluster', 'name'),
        prune='policy',
        family='storage',
        read_all=True,
        orphan=(('enabled', False),),
    ),
    KindSpec(
        'netbox_proxbox.vmsnapshot',
        f'{_PLUGIN}/snapshots/',
        'cf',
        ('virtual_machine', 'name', 'parent', 'snapshot_time', 'vmstate', 'description', *_OWNED),
        relations=('virtual_machine',),
        natural=('virtual_machine', 'name'),
        prune='with-parent',
        family='snapshots',
        read_all=True,
        datetimes=('snapshot_time',),
    ),
    KindSpec(
        'netbox_proxbox.vmbackup',
        f'{_PLUGIN}/backups/',
        'cf',
        ('storage', 'volume_id', 'virtual_machine', 'guest_id', 'guest_type', 'format', 'size', 'creation_time',
         'notes', 'protected', 'verification_state', 'encrypted', *_OWNED),
        relations=('storage', 'virtual_machine'),
        natural=('storage', 'volume_id'),
        prune='with-parent',
        family='backups',
        read_all=True,
        datetimes=('creation_time',),
    ),
    KindSpec(
        'netbox_proxbox.backuproutine',
        f'{_PLUGIN}/backup-routines/',
        'cf',
        ('cluster', 'job_id', 'schedule', 'enabled', 'storage', 'node', 'mode', 'compression', 'selection',
         'guest_ids', 'pool', 'keep_last', 'keep_hourly', 'keep_daily', 'keep_weekly', 'keep_monthly',
         'keep_yearly', 'next_run', 'comment', *_OWNED),
        relations=('cluster', 'storage'),
        natural=('cluster', 'job_id'),
        prune='policy',
        family='backup_routines',
        read_all=True,
        datetimes=('next_run',),
        orphan=(('enabled', False),),
    ),
    KindSpec(
        'netbox_proxbox.replication',
        f'{_PLUGIN}/replications/',
        'cf',
        ('cluster', 'job_id', 'guest_id', 'virtual_machine', 'source', 'target', 'schedule', 'rate', 'disabled',
         'comment', 'last_sync', 'next_sync', 'duration', 'fail_count', 'error', *_OWNED),
        relations=('cluster', 'virtual_machine', 'source', 'target'),
        natural=('cluster', 'job_id'),
        prune='policy',
        family='replications',
        read_all=True,
        datetimes=('last_sync', 'next_sync'),
        orphan=(('disabled', True),),
    ),
    KindSpec(
        'netbox_proxbox.vmtaskhistory',
        f'{_PLUGIN}/tasks/',
        'cf',
        ('node', 'upid', 'task_type', 'object_id', 'user', 'start_time', 'end_time', 'status', 'exit_status',
         'virtual_machine', *_OWNED),
        relations=('node', 'virtual_machine'),
        natural=('upid',),
        family='tasks',
        read_all=True,
        datetimes=('start_time', 'end_time'),
    ),
)  # fmt: skip

# The inventory (clusters, nodes, guests and their parts) comes first; the data-protection records
# refer to it (a snapshot to its VM, a task to its node), never the other way round.
INVENTORY_KINDS: frozenset[str] = frozenset(spec.kind for spec in KINDS)
KINDS += PROTECTION_KINDS

KIND_ORDER: dict[str, int] = {spec.kind: index for index, spec in enumerate(KINDS)}
_BY_KIND = {spec.kind: spec for spec in KINDS}


def kind_spec(kind: str) -> KindSpec:
    return _BY_KIND[kind]


def kinds_of_family(family: str) -> tuple[str, ...]:
    return tuple(spec.kind for spec in KINDS if spec.family == family)

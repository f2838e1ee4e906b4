from typing import TYPE_CHECKING, Annotated

import strawberry
import strawberry_django
from strawberry.scalars import ID
from strawberry_django import DatetimeFilterLookup, FilterLookup, StrFilterLookup

from netbox.graphql.filters import NetBoxModelFilter, PrimaryModelFilter, register_filter
from tenancy.graphql.filter_mixins import TenancyFilterMixin

from .. import models

if TYPE_CHECKING:
    from dcim.graphql.filters import SiteFilter
    from netbox.graphql.filter_lookups import BigIntegerLookup, FloatLookup, IntegerLookup
    from virtualization.graphql.filters import VirtualMachineFilter

__all__ = (
    'BackupRoutineFilter',
    'FastAPIEndpointFilter',
    'NetBoxEndpointFilter',
    'ProxboxPluginSettingsFilter',
    'ProxmoxClusterFilter',
    'ProxmoxEndpointFilter',
    'ProxmoxNodeFilter',
    'ProxmoxStorageFilter',
    'ReplicationFilter',
    'SyncRunFilter',
    'VMBackupFilter',
    'VMSnapshotFilter',
    'VMTaskHistoryFilter',
)

IntegerFilter = Annotated['IntegerLookup', strawberry.lazy('netbox.graphql.filter_lookups')]
VirtualMachineFilterRef = Annotated['VirtualMachineFilter', strawberry.lazy('virtualization.graphql.filters')]


@register_filter(models.ProxmoxEndpoint, lookups=True)
class ProxmoxEndpointFilter(TenancyFilterMixin, PrimaryModelFilter):
    name: StrFilterLookup | None = strawberry_django.filter_field()
    host: StrFilterLookup | None = strawberry_django.filter_field()
    port: Annotated['IntegerLookup', strawberry.lazy('netbox.graphql.filter_lookups')] | None = (
        strawberry_django.filter_field()
    )
    username: StrFilterLookup | None = strawberry_django.filter_field()
    token_name: StrFilterLookup | None = strawberry_django.filter_field()
    verify_ssl: FilterLookup[bool] | None = strawberry_django.filter_field()
    timeout: Annotated['IntegerLookup', strawberry.lazy('netbox.graphql.filter_lookups')] | None = (
        strawberry_django.filter_field()
    )
    enabled: FilterLookup[bool] | None = strawberry_django.filter_field()
    site: Annotated['SiteFilter', strawberry.lazy('dcim.graphql.filters')] | None = strawberry_django.filter_field()
    site_id: ID | None = strawberry_django.filter_field()
    sync_interval: IntegerFilter | None = strawberry_django.filter_field()
    continuous_interval: IntegerFilter | None = strawberry_django.filter_field()
    follow_notifications: FilterLookup[bool] | None = strawberry_django.filter_field()
    sync_start: DatetimeFilterLookup | None = strawberry_django.filter_field()


@register_filter(models.BackupRoutine, lookups=True)
class BackupRoutineFilter(PrimaryModelFilter):
    cluster_id: ID | None = strawberry_django.filter_field()
    job_id: StrFilterLookup | None = strawberry_django.filter_field()
    schedule: StrFilterLookup | None = strawberry_django.filter_field()
    enabled: FilterLookup[bool] | None = strawberry_django.filter_field()
    storage_id: ID | None = strawberry_django.filter_field()
    node: StrFilterLookup | None = strawberry_django.filter_field()
    mode: StrFilterLookup | None = strawberry_django.filter_field()
    compression: StrFilterLookup | None = strawberry_django.filter_field()
    selection: StrFilterLookup | None = strawberry_django.filter_field()
    pool: StrFilterLookup | None = strawberry_django.filter_field()
    keep_last: IntegerFilter | None = strawberry_django.filter_field()
    keep_daily: IntegerFilter | None = strawberry_django.filter_field()
    next_run: DatetimeFilterLookup | None = strawberry_django.filter_field()


@register_filter(models.Replication, lookups=True)
class ReplicationFilter(PrimaryModelFilter):
    cluster_id: ID | None = strawberry_django.filter_field()
    job_id: StrFilterLookup | None = strawberry_django.filter_field()
    guest_id: IntegerFilter | None = strawberry_django.filter_field()
    virtual_machine: VirtualMachineFilterRef | None = strawberry_django.filter_field()
    virtual_machine_id: ID | None = strawberry_django.filter_field()
    source_id: ID | None = strawberry_django.filter_field()
    target_id: ID | None = strawberry_django.filter_field()
    schedule: StrFilterLookup | None = strawberry_django.filter_field()
    rate: Annotated['FloatLookup', strawberry.lazy('netbox.graphql.filter_lookups')] | None = (
        strawberry_django.filter_field()
    )
    disabled: FilterLookup[bool] | None = strawberry_django.filter_field()
    last_sync: DatetimeFilterLookup | None = strawberry_django.filter_field()
    fail_count: IntegerFilter | None = strawberry_django.filter_field()
    error: StrFilterLookup | None = strawberry_django.filter_field()


@register_filter(models.VMBackup, lookups=True)
class VMBackupFilter(PrimaryModelFilter):
    storage_id: ID | None = strawberry_django.filter_field()
    volume_id: StrFilterLookup | None = strawberry_django.filter_field()
    virtual_machine: VirtualMachineFilterRef | None = strawberry_django.filter_field()
    virtual_machine_id: ID | None = strawberry_django.filter_field()
    guest_id: IntegerFilter | None = strawberry_django.filter_field()
    guest_type: StrFilterLookup | None = strawberry_django.filter_field()
    format: StrFilterLookup | None = strawberry_django.filter_field()
    size: Annotated['BigIntegerLookup', strawberry.lazy('netbox.graphql.filter_lookups')] | None = (
        strawberry_django.filter_field()
    )
    creation_time: DatetimeFilterLookup | None = strawberry_django.filter_field()
    protected: FilterLookup[bool] | None = strawberry_django.filter_field()
    verification_state: StrFilterLookup | None = strawberry_django.filter_field()
    encrypted: FilterLookup[bool] | None = strawberry_django.filter_field()


@register_filter(models.VMSnapshot, lookups=True)
class VMSnapshotFilter(PrimaryModelFilter):
    virtual_machine: VirtualMachineFilterRef | None = strawberry_django.filter_field()
    virtual_machine_id: ID | None = strawberry_django.filter_field()
    name: StrFilterLookup | None = strawberry_django.filter_field()
    parent: StrFilterLookup | None = strawberry_django.filter_field()
    snapshot_time: DatetimeFilterLookup | None = strawberry_django.filter_field()
    vmstate: FilterLookup[bool] | None = strawberry_django.filter_field()


@register_filter(models.VMTaskHistory, lookups=True)
class VMTaskHistoryFilter(NetBoxModelFilter):
    node_id: ID | None = strawberry_django.filter_field()
    upid: StrFilterLookup | None = strawberry_django.filter_field()
    task_type: StrFilterLookup | None = strawberry_django.filter_field()
    object_id: StrFilterLookup | None = strawberry_django.filter_field()
    user: StrFilterLookup | None = strawberry_django.filter_field()
    start_time: DatetimeFilterLookup | None = strawberry_django.filter_field()
    end_time: DatetimeFilterLookup | None = strawberry_django.filter_field()
    status: StrFilterLookup | None = strawberry_django.filter_field()
    virtual_machine: VirtualMachineFilterRef | None = strawberry_django.filter_field()
    virtual_machine_id: ID | None = strawberry_django.filter_field()


@register_filter(models.SyncRun, lookups=True)
class SyncRunFilter(NetBoxModelFilter):
    trigger: StrFilterLookup | None = strawberry_django.filter_field()
    kind: StrFilterLookup | None = strawberry_django.filter_field()
    dry_run: FilterLookup[bool] | None = strawberry_django.filter_field()
    status: StrFilterLookup | None = strawberry_django.filter_field()
    user_id: ID | None = strawberry_django.filter_field()
    job_id: ID | None = strawberry_django.filter_field()
    started: DatetimeFilterLookup | None = strawberry_django.filter_field()
    finished: DatetimeFilterLookup | None = strawberry_django.filter_field()
    error_summary: StrFilterLookup | None = strawberry_django.filter_field()


@register_filter(models.ProxmoxCluster, lookups=True)
class ProxmoxClusterFilter(PrimaryModelFilter):
    endpoint_id: ID | None = strawberry_django.filter_field()
    name: StrFilterLookup | None = strawberry_django.filter_field()
    standalone: FilterLookup[bool] | None = strawberry_django.filter_field()
    quorate: FilterLookup[bool] | None = strawberry_django.filter_field()
    pve_version: StrFilterLookup | None = strawberry_django.filter_field()
    node_count: Annotated['IntegerLookup', strawberry.lazy('netbox.graphql.filter_lookups')] | None = (
        strawberry_django.filter_field()
    )
    cluster_id: ID | None = strawberry_django.filter_field()


@register_filter(models.ProxmoxNode, lookups=True)
class ProxmoxNodeFilter(PrimaryModelFilter):
    cluster_id: ID | None = strawberry_django.filter_field()
    name: StrFilterLookup | None = strawberry_django.filter_field()
    node_id: Annotated['IntegerLookup', strawberry.lazy('netbox.graphql.filter_lookups')] | None = (
        strawberry_django.filter_field()
    )
    online: FilterLookup[bool] | None = strawberry_django.filter_field()
    pve_version: StrFilterLookup | None = strawberry_django.filter_field()
    cpu_model: StrFilterLookup | None = strawberry_django.filter_field()
    cpu_count: Annotated['IntegerLookup', strawberry.lazy('netbox.graphql.filter_lookups')] | None = (
        strawberry_django.filter_field()
    )
    device_id: ID | None = strawberry_django.filter_field()


@register_filter(models.ProxmoxStorage, lookups=True)
class ProxmoxStorageFilter(PrimaryModelFilter):
    cluster_id: ID | None = strawberry_django.filter_field()
    name: StrFilterLookup | None = strawberry_django.filter_field()
    type: StrFilterLookup | None = strawberry_django.filter_field()
    shared: FilterLookup[bool] | None = strawberry_django.filter_field()
    enabled: FilterLookup[bool] | None = strawberry_django.filter_field()
    path: StrFilterLookup | None = strawberry_django.filter_field()


@register_filter(models.NetBoxEndpoint, lookups=True)
class NetBoxEndpointFilter(PrimaryModelFilter):
    name: StrFilterLookup | None = strawberry_django.filter_field()
    url: StrFilterLookup | None = strawberry_django.filter_field()
    verify_ssl: FilterLookup[bool] | None = strawberry_django.filter_field()


@register_filter(models.FastAPIEndpoint, lookups=True)
class FastAPIEndpointFilter(PrimaryModelFilter):
    name: StrFilterLookup | None = strawberry_django.filter_field()
    url: StrFilterLookup | None = strawberry_django.filter_field()
    verify_ssl: FilterLookup[bool] | None = strawberry_django.filter_field()
    timeout: Annotated['IntegerLookup', strawberry.lazy('netbox.graphql.filter_lookups')] | None = (
        strawberry_django.filter_field()
    )


@register_filter(models.ProxboxPluginSettings, lookups=True)
class ProxboxPluginSettingsFilter(NetBoxModelFilter):
    name: StrFilterLookup | None = strawberry_django.filter_field()
    prune_policy: StrFilterLookup | None = strawberry_django.filter_field()
    templates: StrFilterLookup | None = strawberry_django.filter_field()

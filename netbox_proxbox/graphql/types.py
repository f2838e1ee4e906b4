from typing import TYPE_CHECKING, Annotated

import strawberry

from netbox.graphql.scalars import BigInt
from netbox.graphql.types import NetBoxObjectType, PrimaryObjectType, register_type

from .. import models
from .filters import *

if TYPE_CHECKING:
    from dcim.graphql.types import DeviceType, SiteType
    from tenancy.graphql.types import TenantType
    from users.graphql.types import UserType
    from virtualization.graphql.types import ClusterType, VirtualMachineType

__all__ = (
    'ProxboxBackupRoutineType',
    'ProxboxFastAPIEndpointType',
    'ProxboxNetBoxEndpointType',
    'ProxboxPluginSettingsType',
    'ProxboxProxmoxClusterType',
    'ProxboxProxmoxEndpointType',
    'ProxboxProxmoxNodeType',
    'ProxboxProxmoxStorageType',
    'ProxboxReplicationType',
    'ProxboxSyncRunType',
    'ProxboxVMBackupType',
    'ProxboxVMSnapshotType',
    'ProxboxVMTaskHistoryType',
)

_TYPES = 'netbox_proxbox.graphql.types'
VirtualMachineRef = Annotated['VirtualMachineType', strawberry.lazy('virtualization.graphql.types')]
# Related objects are typed nullable even where the database requires them: a user who may see a
# backup but not its storage gets null there instead of an error for the whole query.


# Secrets are excluded: GraphQL never exposes them.
@register_type(
    models.ProxmoxEndpoint,
    exclude=list(models.ProxmoxEndpoint.secret_fields),
    filters=ProxmoxEndpointFilter,
    pagination=True,
)
class ProxboxProxmoxEndpointType(PrimaryObjectType):
    site: Annotated['SiteType', strawberry.lazy('dcim.graphql.types')] | None
    tenant: Annotated['TenantType', strawberry.lazy('tenancy.graphql.types')] | None


@register_type(models.BackupRoutine, fields='__all__', filters=BackupRoutineFilter, pagination=True)
class ProxboxBackupRoutineType(PrimaryObjectType):
    cluster: Annotated['ProxboxProxmoxClusterType', strawberry.lazy(_TYPES)] | None
    storage: Annotated['ProxboxProxmoxStorageType', strawberry.lazy(_TYPES)] | None
    guest_ids: list[int]


@register_type(models.Replication, fields='__all__', filters=ReplicationFilter, pagination=True)
class ProxboxReplicationType(PrimaryObjectType):
    cluster: Annotated['ProxboxProxmoxClusterType', strawberry.lazy(_TYPES)] | None
    virtual_machine: VirtualMachineRef | None
    source: Annotated['ProxboxProxmoxNodeType', strawberry.lazy(_TYPES)] | None
    target: Annotated['ProxboxProxmoxNodeType', strawberry.lazy(_TYPES)] | None


@register_type(models.VMBackup, fields='__all__', filters=VMBackupFilter, pagination=True)
class ProxboxVMBackupType(PrimaryObjectType):
    storage: Annotated['ProxboxProxmoxStorageType', strawberry.lazy(_TYPES)] | None
    virtual_machine: VirtualMachineRef | None
    # Bytes: a backup over 2 GiB overflows GraphQL's 32-bit Int.
    size: BigInt | None


@register_type(models.VMSnapshot, fields='__all__', filters=VMSnapshotFilter, pagination=True)
class ProxboxVMSnapshotType(PrimaryObjectType):
    virtual_machine: VirtualMachineRef | None


@register_type(models.VMTaskHistory, fields='__all__', filters=VMTaskHistoryFilter, pagination=True)
class ProxboxVMTaskHistoryType(NetBoxObjectType):
    node: Annotated['ProxboxProxmoxNodeType', strawberry.lazy(_TYPES)] | None
    virtual_machine: VirtualMachineRef | None


# The bulky plan is left to the REST API; GraphQL lists runs with their outcome. NetBox has no
# GraphQL type for core.Job, so the job is left out too (the REST API links it).
@register_type(models.SyncRun, exclude=['plan', 'job'], filters=SyncRunFilter, pagination=True)
class ProxboxSyncRunType(NetBoxObjectType):
    endpoints: list[Annotated['ProxboxProxmoxEndpointType', strawberry.lazy(_TYPES)]]
    user: Annotated['UserType', strawberry.lazy('users.graphql.types')] | None
    applies_run: Annotated['ProxboxSyncRunType', strawberry.lazy(_TYPES)] | None


@register_type(models.ProxmoxCluster, fields='__all__', filters=ProxmoxClusterFilter, pagination=True)
class ProxboxProxmoxClusterType(PrimaryObjectType):
    endpoint: Annotated['ProxboxProxmoxEndpointType', strawberry.lazy(_TYPES)] | None
    cluster: Annotated['ClusterType', strawberry.lazy('virtualization.graphql.types')] | None
    nodes: list[Annotated['ProxboxProxmoxNodeType', strawberry.lazy(_TYPES)]]
    storages: list[Annotated['ProxboxProxmoxStorageType', strawberry.lazy(_TYPES)]]


@register_type(models.ProxmoxNode, fields='__all__', filters=ProxmoxNodeFilter, pagination=True)
class ProxboxProxmoxNodeType(PrimaryObjectType):
    cluster: Annotated['ProxboxProxmoxClusterType', strawberry.lazy(_TYPES)] | None
    device: Annotated['DeviceType', strawberry.lazy('dcim.graphql.types')] | None
    memory_total: BigInt | None


@register_type(models.ProxmoxStorage, fields='__all__', filters=ProxmoxStorageFilter, pagination=True)
class ProxboxProxmoxStorageType(PrimaryObjectType):
    cluster: Annotated['ProxboxProxmoxClusterType', strawberry.lazy(_TYPES)] | None
    nodes: list[Annotated['ProxboxProxmoxNodeType', strawberry.lazy(_TYPES)]]
    content: list[str]
    total: BigInt | None
    used: BigInt | None
    available: BigInt | None


# Secrets are excluded: GraphQL never exposes them.
@register_type(
    models.NetBoxEndpoint,
    exclude=list(models.NetBoxEndpoint.secret_fields),
    filters=NetBoxEndpointFilter,
    pagination=True,
)
class ProxboxNetBoxEndpointType(PrimaryObjectType):
    pass


@register_type(
    models.FastAPIEndpoint,
    exclude=list(models.FastAPIEndpoint.secret_fields),
    filters=FastAPIEndpointFilter,
    pagination=True,
)
class ProxboxFastAPIEndpointType(PrimaryObjectType):
    pass


@register_type(models.ProxboxPluginSettings, fields='__all__', filters=ProxboxPluginSettingsFilter, pagination=True)
class ProxboxPluginSettingsType(NetBoxObjectType):
    pass

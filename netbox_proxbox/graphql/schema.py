import strawberry
import strawberry_django

from .types import *


@strawberry.type(name='Query')
class ProxboxQuery:
    proxbox_proxmox_endpoint: ProxboxProxmoxEndpointType = strawberry_django.field()
    proxbox_proxmox_endpoint_list: list[ProxboxProxmoxEndpointType] = strawberry_django.field()
    proxbox_netbox_endpoint: ProxboxNetBoxEndpointType = strawberry_django.field()
    proxbox_netbox_endpoint_list: list[ProxboxNetBoxEndpointType] = strawberry_django.field()
    proxbox_fastapi_endpoint: ProxboxFastAPIEndpointType = strawberry_django.field()
    proxbox_fastapi_endpoint_list: list[ProxboxFastAPIEndpointType] = strawberry_django.field()
    proxbox_proxmox_cluster: ProxboxProxmoxClusterType = strawberry_django.field()
    proxbox_proxmox_cluster_list: list[ProxboxProxmoxClusterType] = strawberry_django.field()
    proxbox_proxmox_node: ProxboxProxmoxNodeType = strawberry_django.field()
    proxbox_proxmox_node_list: list[ProxboxProxmoxNodeType] = strawberry_django.field()
    proxbox_proxmox_storage: ProxboxProxmoxStorageType = strawberry_django.field()
    proxbox_proxmox_storage_list: list[ProxboxProxmoxStorageType] = strawberry_django.field()
    proxbox_plugin_settings: ProxboxPluginSettingsType = strawberry_django.field()
    proxbox_plugin_settings_list: list[ProxboxPluginSettingsType] = strawberry_django.field()
    proxbox_backup_routine: ProxboxBackupRoutineType = strawberry_django.field()
    proxbox_backup_routine_list: list[ProxboxBackupRoutineType] = strawberry_django.field()
    proxbox_replication: ProxboxReplicationType = strawberry_django.field()
    proxbox_replication_list: list[ProxboxReplicationType] = strawberry_django.field()
    proxbox_vm_backup: ProxboxVMBackupType = strawberry_django.field()
    proxbox_vm_backup_list: list[ProxboxVMBackupType] = strawberry_django.field()
    proxbox_vm_snapshot: ProxboxVMSnapshotType = strawberry_django.field()
    proxbox_vm_snapshot_list: list[ProxboxVMSnapshotType] = strawberry_django.field()
    proxbox_vm_task_history: ProxboxVMTaskHistoryType = strawberry_django.field()
    proxbox_vm_task_history_list: list[ProxboxVMTaskHistoryType] = strawberry_django.field()
    proxbox_sync_run: ProxboxSyncRunType = strawberry_django.field()
    proxbox_sync_run_list: list[ProxboxSyncRunType] = strawberry_django.field()


schema = [ProxboxQuery]

from netbox.search import SearchIndex, register_search

from . import models


@register_search
class ProxmoxEndpointIndex(SearchIndex):
    model = models.ProxmoxEndpoint
    fields = (
        ('name', 100),
        ('host', 110),
        ('username', 300),
        ('description', 500),
        ('comments', 5000),
    )
    display_attrs = ('host', 'port', 'site', 'tenant', 'description')


@register_search
class BackupRoutineIndex(SearchIndex):
    model = models.BackupRoutine
    fields = (
        ('job_id', 100),
        ('pool', 300),
        ('comment', 500),
        ('description', 500),
        ('comments', 5000),
    )
    display_attrs = ('cluster', 'schedule', 'storage', 'selection', 'description')


@register_search
class ReplicationIndex(SearchIndex):
    model = models.Replication
    fields = (
        ('job_id', 100),
        ('comment', 500),
        ('description', 500),
        ('error', 1000),
        ('comments', 5000),
    )
    display_attrs = ('cluster', 'virtual_machine', 'source', 'target', 'schedule', 'description')


@register_search
class VMBackupIndex(SearchIndex):
    model = models.VMBackup
    fields = (
        ('volume_id', 100),
        ('notes', 500),
        ('description', 500),
        ('comments', 5000),
    )
    display_attrs = ('storage', 'virtual_machine', 'guest_type', 'creation_time', 'description')


@register_search
class VMSnapshotIndex(SearchIndex):
    model = models.VMSnapshot
    fields = (
        ('name', 100),
        ('description', 500),
        ('comments', 5000),
    )
    display_attrs = ('virtual_machine', 'parent', 'snapshot_time', 'description')


@register_search
class VMTaskHistoryIndex(SearchIndex):
    model = models.VMTaskHistory
    fields = (
        ('upid', 100),
        ('exit_status', 1000),
    )
    display_attrs = ('node', 'task_type', 'user', 'status', 'virtual_machine')


@register_search
class ProxmoxClusterIndex(SearchIndex):
    model = models.ProxmoxCluster
    fields = (
        ('name', 100),
        ('pve_version', 500),
        ('description', 500),
        ('comments', 5000),
    )
    display_attrs = ('endpoint', 'cluster', 'pve_version', 'description')


@register_search
class ProxmoxNodeIndex(SearchIndex):
    model = models.ProxmoxNode
    fields = (
        ('name', 100),
        ('ip_address', 110),
        ('cpu_model', 500),
        ('description', 500),
        ('comments', 5000),
    )
    display_attrs = ('cluster', 'ip_address', 'device', 'pve_version', 'description')


@register_search
class ProxmoxStorageIndex(SearchIndex):
    model = models.ProxmoxStorage
    fields = (
        ('name', 100),
        ('path', 300),
        ('description', 500),
        ('comments', 5000),
    )
    display_attrs = ('cluster', 'type', 'description')

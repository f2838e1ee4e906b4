import contextlib
import ipaddress

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import Job
from dcim.models import Device, Site
from netbox.filtersets import NetBoxModelFilterSet, PrimaryModelFilterSet
from tenancy.filtersets import TenancyFilterSet
from users.models import User
from utilities.filters import NumericArrayFilter
from utilities.filtersets import register_filterset
from virtualization.models import Cluster, VirtualMachine

from .choices import (
    BackupCompressionChoices,
    BackupModeChoices,
    BackupSelectionChoices,
    BackupVerificationChoices,
    GuestTypeChoices,
    PrunePolicyChoices,
    StorageContentChoices,
    StorageTypeChoices,
    SyncKindChoices,
    SyncStatusChoices,
    SyncTriggerChoices,
    TaskStatusChoices,
    TemplateHandlingChoices,
)
from .models import (
    SYNC_FAMILIES,
    BackupRoutine,
    FastAPIEndpoint,
    NetBoxEndpoint,
    ProxboxPluginSettings,
    ProxmoxCluster,
    ProxmoxEndpoint,
    ProxmoxNode,
    ProxmoxStorage,
    Replication,
    SyncRun,
    VMBackup,
    VMSnapshot,
    VMTaskHistory,
)

__all__ = (
    'BackupRoutineFilterSet',
    'FastAPIEndpointFilterSet',
    'NetBoxEndpointFilterSet',
    'ProxboxPluginSettingsFilterSet',
    'ProxmoxClusterFilterSet',
    'ProxmoxEndpointFilterSet',
    'ProxmoxNodeFilterSet',
    'ProxmoxStorageFilterSet',
    'ReplicationFilterSet',
    'SyncRunFilterSet',
    'VMBackupFilterSet',
    'VMSnapshotFilterSet',
    'VMTaskHistoryFilterSet',
)


@register_filterset
class ProxmoxEndpointFilterSet(TenancyFilterSet, PrimaryModelFilterSet):
    site_id = django_filters.ModelMultipleChoiceFilter(queryset=Site.objects.all(), label=_('Site (ID)'))
    site = django_filters.ModelMultipleChoiceFilter(
        field_name='site__slug', queryset=Site.objects.all(), to_field_name='slug', label=_('Site (slug)')
    )
    sync_run_id = django_filters.ModelMultipleChoiceFilter(
        field_name='sync_runs', queryset=SyncRun.objects.all(), label=_('Sync run (ID)')
    )

    class Meta:
        model = ProxmoxEndpoint
        fields = (
            'id',
            'name',
            'host',
            'port',
            'username',
            'token_name',
            'verify_ssl',
            'timeout',
            'enabled',
            'sync_interval',
            'continuous_interval',
            'follow_notifications',
            'sync_start',
            'description',
        )

    def search(self, queryset, name, value):
        if not value.strip():
            return queryset
        return queryset.filter(
            Q(name__icontains=value)
            | Q(host__icontains=value)
            | Q(username__icontains=value)
            | Q(description__icontains=value)
            | Q(comments__icontains=value)
        )


def _cluster_filters(field_name='cluster'):
    """`<field>_id` and `<field>` (by name) filters for a ProxmoxCluster relation."""
    return (
        django_filters.ModelMultipleChoiceFilter(
            field_name=field_name, queryset=ProxmoxCluster.objects.all(), label=_('Proxmox cluster (ID)')
        ),
        django_filters.ModelMultipleChoiceFilter(
            field_name=f'{field_name}__name',
            queryset=ProxmoxCluster.objects.all(),
            to_field_name='name',
            label=_('Proxmox cluster (name)'),
        ),
    )


def _vm_filters():
    return (
        django_filters.ModelMultipleChoiceFilter(
            queryset=VirtualMachine.objects.all(), field_name='virtual_machine', label=_('Virtual machine (ID)')
        ),
        django_filters.ModelMultipleChoiceFilter(
            field_name='virtual_machine__name',
            queryset=VirtualMachine.objects.all(),
            to_field_name='name',
            label=_('Virtual machine (name)'),
        ),
    )


@register_filterset
class BackupRoutineFilterSet(PrimaryModelFilterSet):
    cluster_id, cluster = _cluster_filters()
    storage_id = django_filters.ModelMultipleChoiceFilter(
        queryset=ProxmoxStorage.objects.all(), label=_('Storage (ID)')
    )
    mode = django_filters.MultipleChoiceFilter(choices=BackupModeChoices)
    compression = django_filters.MultipleChoiceFilter(choices=BackupCompressionChoices)
    selection = django_filters.MultipleChoiceFilter(choices=BackupSelectionChoices)
    guest_ids = NumericArrayFilter(field_name='guest_ids', lookup_expr='contains', label=_('Covers VMID'))

    class Meta:
        model = BackupRoutine
        fields = (
            'id',
            'job_id',
            'schedule',
            'enabled',
            'node',
            'pool',
            'keep_last',
            'keep_hourly',
            'keep_daily',
            'keep_weekly',
            'keep_monthly',
            'keep_yearly',
            'next_run',
            'comment',
            'description',
        )

    def search(self, queryset, name, value):
        if not value.strip():
            return queryset
        return queryset.filter(
            Q(job_id__icontains=value)
            | Q(schedule__icontains=value)
            | Q(pool__icontains=value)
            | Q(comment__icontains=value)
            | Q(description__icontains=value)
        )


@register_filterset
class ReplicationFilterSet(PrimaryModelFilterSet):
    cluster_id, cluster = _cluster_filters()
    virtual_machine_id, virtual_machine = _vm_filters()
    source_id = django_filters.ModelMultipleChoiceFilter(queryset=ProxmoxNode.objects.all(), label=_('Source (ID)'))
    target_id = django_filters.ModelMultipleChoiceFilter(queryset=ProxmoxNode.objects.all(), label=_('Target (ID)'))
    has_error = django_filters.BooleanFilter(method='filter_has_error', label=_('Has an error'))

    class Meta:
        model = Replication
        fields = (
            'id',
            'job_id',
            'guest_id',
            'schedule',
            'rate',
            'disabled',
            'comment',
            'last_sync',
            'next_sync',
            'duration',
            'fail_count',
            'error',
            'description',
        )

    def search(self, queryset, name, value):
        if not value.strip():
            return queryset
        return queryset.filter(
            Q(job_id__icontains=value)
            | Q(virtual_machine__name__icontains=value)
            | Q(comment__icontains=value)
            | Q(error__icontains=value)
            | Q(description__icontains=value)
        )

    def filter_has_error(self, queryset, name, value):
        return queryset.exclude(error='') if value else queryset.filter(error='')


@register_filterset
class VMBackupFilterSet(PrimaryModelFilterSet):
    cluster_id, cluster = _cluster_filters('storage__cluster')
    storage_id = django_filters.ModelMultipleChoiceFilter(
        queryset=ProxmoxStorage.objects.all(), label=_('Storage (ID)')
    )
    virtual_machine_id, virtual_machine = _vm_filters()
    guest_type = django_filters.MultipleChoiceFilter(choices=GuestTypeChoices)
    verification_state = django_filters.MultipleChoiceFilter(choices=BackupVerificationChoices)

    class Meta:
        model = VMBackup
        fields = (
            'id',
            'volume_id',
            'guest_id',
            'format',
            'size',
            'creation_time',
            'notes',
            'protected',
            'encrypted',
            'description',
        )

    def search(self, queryset, name, value):
        if not value.strip():
            return queryset
        return queryset.filter(
            Q(volume_id__icontains=value)
            | Q(virtual_machine__name__icontains=value)
            | Q(notes__icontains=value)
            | Q(description__icontains=value)
        )


@register_filterset
class VMSnapshotFilterSet(PrimaryModelFilterSet):
    virtual_machine_id, virtual_machine = _vm_filters()

    class Meta:
        model = VMSnapshot
        fields = ('id', 'name', 'parent', 'snapshot_time', 'vmstate', 'description')

    def search(self, queryset, name, value):
        if not value.strip():
            return queryset
        return queryset.filter(
            Q(name__icontains=value) | Q(virtual_machine__name__icontains=value) | Q(description__icontains=value)
        )


@register_filterset
class VMTaskHistoryFilterSet(NetBoxModelFilterSet):
    cluster_id, cluster = _cluster_filters('node__cluster')
    node_id = django_filters.ModelMultipleChoiceFilter(queryset=ProxmoxNode.objects.all(), label=_('Node (ID)'))
    node = django_filters.ModelMultipleChoiceFilter(
        field_name='node__name', queryset=ProxmoxNode.objects.all(), to_field_name='name', label=_('Node (name)')
    )
    virtual_machine_id, virtual_machine = _vm_filters()
    status = django_filters.MultipleChoiceFilter(choices=TaskStatusChoices)

    class Meta:
        model = VMTaskHistory
        fields = ('id', 'upid', 'task_type', 'object_id', 'user', 'start_time', 'end_time', 'exit_status')

    def search(self, queryset, name, value):
        if not value.strip():
            return queryset
        return queryset.filter(
            Q(upid__icontains=value)
            | Q(task_type__icontains=value)
            | Q(object_id__icontains=value)
            | Q(user__icontains=value)
            | Q(exit_status__icontains=value)
        )


@register_filterset
class SyncRunFilterSet(NetBoxModelFilterSet):
    proxmox_endpoint_id = django_filters.ModelMultipleChoiceFilter(
        field_name='endpoints', queryset=ProxmoxEndpoint.objects.all(), label=_('Endpoint (ID)')
    )
    trigger = django_filters.MultipleChoiceFilter(choices=SyncTriggerChoices)
    kind = django_filters.MultipleChoiceFilter(choices=SyncKindChoices)
    scope_cluster = django_filters.CharFilter(method='filter_scope_cluster', label=_('Scope: Proxmox cluster'))
    status = django_filters.MultipleChoiceFilter(choices=SyncStatusChoices)
    user_id = django_filters.ModelMultipleChoiceFilter(queryset=User.objects.all(), label=_('User (ID)'))
    user = django_filters.ModelMultipleChoiceFilter(
        field_name='user__username', queryset=User.objects.all(), to_field_name='username', label=_('User (name)')
    )
    job_id = django_filters.ModelMultipleChoiceFilter(queryset=Job.objects.all(), label=_('Job (ID)'))
    applies_run_id = django_filters.ModelMultipleChoiceFilter(
        queryset=SyncRun.objects.all(), label=_('Applies preview (ID)')
    )

    class Meta:
        model = SyncRun
        fields = ('id', 'dry_run', 'started', 'finished', 'error_summary')

    def filter_scope_cluster(self, queryset, name, value):
        """Targeted runs of this Proxmox cluster."""
        return queryset.filter(scope__cluster=value) if value else queryset

    def search(self, queryset, name, value):
        if not value.strip():
            return queryset
        query = Q(error_summary__icontains=value) | Q(endpoints__name__icontains=value)
        if value.strip().isdigit():
            query |= Q(pk=int(value))
        return queryset.filter(query).distinct()


@register_filterset
class ProxmoxClusterFilterSet(PrimaryModelFilterSet):
    endpoint_id = django_filters.ModelMultipleChoiceFilter(
        queryset=ProxmoxEndpoint.objects.all(), label=_('Endpoint (ID)')
    )
    endpoint = django_filters.ModelMultipleChoiceFilter(
        field_name='endpoint__name',
        queryset=ProxmoxEndpoint.objects.all(),
        to_field_name='name',
        label=_('Endpoint (name)'),
    )
    cluster_id = django_filters.ModelMultipleChoiceFilter(
        queryset=Cluster.objects.all(), label=_('NetBox cluster (ID)')
    )
    cluster = django_filters.ModelMultipleChoiceFilter(
        field_name='cluster__name', queryset=Cluster.objects.all(), to_field_name='name', label=_('NetBox cluster')
    )

    class Meta:
        model = ProxmoxCluster
        fields = ('id', 'name', 'standalone', 'quorate', 'pve_version', 'node_count', 'last_synced', 'description')

    def search(self, queryset, name, value):
        if not value.strip():
            return queryset
        return queryset.filter(
            Q(name__icontains=value)
            | Q(endpoint__name__icontains=value)
            | Q(pve_version__icontains=value)
            | Q(description__icontains=value)
            | Q(comments__icontains=value)
        )


@register_filterset
class ProxmoxNodeFilterSet(PrimaryModelFilterSet):
    endpoint_id = django_filters.ModelMultipleChoiceFilter(
        field_name='cluster__endpoint', queryset=ProxmoxEndpoint.objects.all(), label=_('Endpoint (ID)')
    )
    cluster_id = django_filters.ModelMultipleChoiceFilter(
        queryset=ProxmoxCluster.objects.all(), label=_('Proxmox cluster (ID)')
    )
    cluster = django_filters.ModelMultipleChoiceFilter(
        field_name='cluster__name',
        queryset=ProxmoxCluster.objects.all(),
        to_field_name='name',
        label=_('Proxmox cluster (name)'),
    )
    device_id = django_filters.ModelMultipleChoiceFilter(queryset=Device.objects.all(), label=_('Device (ID)'))
    device = django_filters.ModelMultipleChoiceFilter(
        field_name='device__name', queryset=Device.objects.all(), to_field_name='name', label=_('Device (name)')
    )
    storage_id = django_filters.ModelMultipleChoiceFilter(
        field_name='storages', queryset=ProxmoxStorage.objects.all(), label=_('Storage (ID)')
    )

    class Meta:
        model = ProxmoxNode
        fields = (
            'id',
            'name',
            'node_id',
            'ip_address',
            'online',
            'pve_version',
            'cpu_model',
            'cpu_count',
            'memory_total',
            'description',
        )

    def search(self, queryset, name, value):
        if not value.strip():
            return queryset
        query = (
            Q(name__icontains=value)
            | Q(cluster__name__icontains=value)
            | Q(cpu_model__icontains=value)
            | Q(description__icontains=value)
            | Q(comments__icontains=value)
        )
        with contextlib.suppress(ValueError):
            query |= Q(ip_address=str(ipaddress.ip_address(value.strip())))
        return queryset.filter(query)


@register_filterset
class ProxmoxStorageFilterSet(PrimaryModelFilterSet):
    cluster_id = django_filters.ModelMultipleChoiceFilter(
        queryset=ProxmoxCluster.objects.all(), label=_('Proxmox cluster (ID)')
    )
    cluster = django_filters.ModelMultipleChoiceFilter(
        field_name='cluster__name',
        queryset=ProxmoxCluster.objects.all(),
        to_field_name='name',
        label=_('Proxmox cluster (name)'),
    )
    type = django_filters.MultipleChoiceFilter(choices=StorageTypeChoices)
    content = django_filters.MultipleChoiceFilter(
        choices=StorageContentChoices, method='filter_content', label=_('Holds (any of)')
    )
    node_id = django_filters.ModelMultipleChoiceFilter(
        field_name='nodes', queryset=ProxmoxNode.objects.all(), label=_('Node (ID)')
    )
    node = django_filters.ModelMultipleChoiceFilter(
        field_name='nodes__name', queryset=ProxmoxNode.objects.all(), to_field_name='name', label=_('Node (name)')
    )

    class Meta:
        model = ProxmoxStorage
        fields = ('id', 'name', 'shared', 'enabled', 'path', 'total', 'used', 'available', 'description')

    def search(self, queryset, name, value):
        if not value.strip():
            return queryset
        return queryset.filter(
            Q(name__icontains=value)
            | Q(path__icontains=value)
            | Q(description__icontains=value)
            | Q(comments__icontains=value)
        )

    def filter_content(self, queryset, name, value):
        return queryset.filter(content__overlap=value) if value else queryset


@register_filterset
class NetBoxEndpointFilterSet(PrimaryModelFilterSet):
    class Meta:
        model = NetBoxEndpoint
        fields = ('id', 'name', 'url', 'verify_ssl', 'description')

    def search(self, queryset, name, value):
        if not value.strip():
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(url__icontains=value) | Q(description__icontains=value))


@register_filterset
class FastAPIEndpointFilterSet(PrimaryModelFilterSet):
    class Meta:
        model = FastAPIEndpoint
        fields = ('id', 'name', 'url', 'verify_ssl', 'timeout', 'description')

    def search(self, queryset, name, value):
        if not value.strip():
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(url__icontains=value) | Q(description__icontains=value))


@register_filterset
class ProxboxPluginSettingsFilterSet(NetBoxModelFilterSet):
    templates = django_filters.MultipleChoiceFilter(choices=TemplateHandlingChoices)
    prune_policy = django_filters.MultipleChoiceFilter(choices=PrunePolicyChoices)

    class Meta:
        model = ProxboxPluginSettings
        fields = (
            'id',
            'name',
            'read_concurrency',
            'write_concurrency',
            'batch_size',
            'proxmox_timeout',
            'netbox_timeout',
            'retries',
            *(f'sync_{family}' for family in SYNC_FAMILIES),
            'prune_grace_days',
            'task_history_days',
            'default_schedule_interval',
        )

    def search(self, queryset, name, value):
        if not value.strip():
            return queryset
        return queryset.filter(name__icontains=value)

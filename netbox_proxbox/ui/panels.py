from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from netbox.ui import attrs, panels

__all__ = (
    'BackupRetentionPanel',
    'BackupRoutinePanel',
    'BytesAttr',
    'EndpointSchedulePanel',
    'FastAPIEndpointPanel',
    'NetBoxEndpointPanel',
    'PluginSettingsFamiliesPanel',
    'PluginSettingsPerformancePanel',
    'PluginSettingsPolicyPanel',
    'ProxmoxClusterPanel',
    'ProxmoxEndpointCredentialsPanel',
    'ProxmoxEndpointPanel',
    'ProxmoxNodePanel',
    'ProxmoxStoragePanel',
    'ProxmoxStorageUsagePanel',
    'ReplicationPanel',
    'ReplicationStatePanel',
    'SecretAttr',
    'SyncRunCountsPanel',
    'SyncRunEventsPanel',
    'SyncRunPanel',
    'SyncRunStageDurationsPanel',
    'TLSAttr',
    'VMBackupPanel',
    'VMSnapshotPanel',
    'VMTaskHistoryPanel',
    'interval_text',
)


class SecretAttr(attrs.ObjectAttribute):
    """Says whether a write-only secret is stored; the secret itself never reaches the template."""

    template_name = 'netbox_proxbox/attrs/secret.html'

    def get_value(self, obj):
        return 'stored' if super().get_value(obj) else 'unset'


class TLSAttr(attrs.ObjectAttribute):
    """Whether the server certificate is verified; off is a warning badge, never just a cross."""

    template_name = 'netbox_proxbox/attrs/tls.html'


class ProxmoxEndpointPanel(panels.ObjectAttributesPanel):
    name = attrs.TextAttr('name')
    host = attrs.TextAttr('host', style='font-monospace')
    port = attrs.TextAttr('port')
    url = attrs.TextAttr('url', label=_('API URL'), style='font-monospace')
    enabled = attrs.BooleanAttr('enabled')
    verify_ssl = TLSAttr('verify_ssl', label=_('Verify TLS'))
    timeout = attrs.TextAttr('timeout', label=_('Timeout (seconds)'))
    site = attrs.RelatedObjectAttr('site', linkify=True)
    tenant = attrs.RelatedObjectAttr('tenant', linkify=True, grouped_by='group')
    description = attrs.TextAttr('description')


class ProxmoxEndpointCredentialsPanel(panels.ObjectAttributesPanel):
    """Who the sync logs in as. Secrets are never shown: only whether one is stored."""

    title = _('Credentials')
    username = attrs.TextAttr('username', style='font-monospace')
    auth_method = attrs.ChoiceAttr('auth_method', label=_('Authentication'))
    token_name = attrs.TextAttr('token_name', label=_('API token name'), style='font-monospace')
    token_secret = SecretAttr('token_secret', label=_('API token secret'))
    password = SecretAttr('password', label=_('Password'))


class BackupRoutinePanel(panels.ObjectAttributesPanel):
    cluster = attrs.RelatedObjectAttr('cluster', linkify=True, label=_('Proxmox cluster'))
    job_id = attrs.TextAttr('job_id', label=_('Job ID'), style='font-monospace')
    schedule = attrs.TextAttr('schedule', style='font-monospace')
    enabled = attrs.BooleanAttr('enabled')
    next_run = attrs.DateTimeAttr('next_run', spec='minutes', label=_('Next run'))
    storage = attrs.RelatedObjectAttr('storage', linkify=True)
    mode = attrs.ChoiceAttr('mode')
    compression = attrs.ChoiceAttr('compression')
    selection = attrs.ChoiceAttr('selection')
    guest_ids = attrs.ArrayAttr('guest_ids', label=_('Guests'))
    pool = attrs.TextAttr('pool')
    node = attrs.TextAttr('node')
    comment = attrs.TextAttr('comment', label=_('Proxmox comment'))
    description = attrs.TextAttr('description')


class BackupRetentionPanel(panels.ObjectAttributesPanel):
    title = _('Retention')
    keep_last = attrs.TextAttr('keep_last', label=_('Keep last'))
    keep_hourly = attrs.TextAttr('keep_hourly', label=_('Keep hourly'))
    keep_daily = attrs.TextAttr('keep_daily', label=_('Keep daily'))
    keep_weekly = attrs.TextAttr('keep_weekly', label=_('Keep weekly'))
    keep_monthly = attrs.TextAttr('keep_monthly', label=_('Keep monthly'))
    keep_yearly = attrs.TextAttr('keep_yearly', label=_('Keep yearly'))


class ReplicationPanel(panels.ObjectAttributesPanel):
    cluster = attrs.RelatedObjectAttr('cluster', linkify=True, label=_('Proxmox cluster'))
    job_id = attrs.TextAttr('job_id', label=_('Job ID'), style='font-monospace')
    guest_id = attrs.TextAttr('guest_id', label=_('VMID'))
    virtual_machine = attrs.RelatedObjectAttr('virtual_machine', linkify=True)
    source = attrs.RelatedObjectAttr('source', linkify=True, label=_('Source node'))
    target = attrs.RelatedObjectAttr('target', linkify=True, label=_('Target node'))
    schedule = attrs.TextAttr('schedule', style='font-monospace')
    rate = attrs.TextAttr('rate', label=_('Rate limit (MB/s)'))
    disabled = attrs.BooleanAttr('disabled')
    comment = attrs.TextAttr('comment', label=_('Proxmox comment'))
    description = attrs.TextAttr('description')


class ReplicationStatePanel(panels.ObjectAttributesPanel):
    title = _('State')
    last_sync = attrs.DateTimeAttr('last_sync', label=_('Last sync'))
    next_sync = attrs.DateTimeAttr('next_sync', label=_('Next sync'))
    duration = attrs.TextAttr('duration', label=_('Last duration (s)'))
    fail_count = attrs.TextAttr('fail_count', label=_('Fail count'))
    error = attrs.TextAttr('error', label=_('Last error'), style='font-monospace')


class VMBackupPanel(panels.ObjectAttributesPanel):
    storage = attrs.RelatedObjectAttr('storage', linkify=True)
    volume_id = attrs.TextAttr('volume_id', label=_('Volume ID'), style='font-monospace', copy_button=True)
    virtual_machine = attrs.RelatedObjectAttr('virtual_machine', linkify=True)
    guest_id = attrs.TextAttr('guest_id', label=_('VMID'))
    guest_type = attrs.ChoiceAttr('guest_type', label=_('Guest type'))
    format = attrs.TextAttr('format')
    size = attrs.TextAttr('size', label=_('Size (bytes)'))
    creation_time = attrs.DateTimeAttr('creation_time', label=_('Created at'))
    protected = attrs.BooleanAttr('protected')
    verification_state = attrs.ChoiceAttr('verification_state', label=_('Verification'))
    encrypted = attrs.BooleanAttr('encrypted')
    notes = attrs.TextAttr('notes')
    description = attrs.TextAttr('description')


class VMSnapshotPanel(panels.ObjectAttributesPanel):
    virtual_machine = attrs.RelatedObjectAttr('virtual_machine', linkify=True)
    name = attrs.TextAttr('name', style='font-monospace')
    parent = attrs.TextAttr('parent', style='font-monospace')
    snapshot_time = attrs.DateTimeAttr('snapshot_time', label=_('Taken at'))
    vmstate = attrs.BooleanAttr('vmstate', label=_('Includes RAM'))
    description = attrs.TextAttr('description')


class VMTaskHistoryPanel(panels.ObjectAttributesPanel):
    node = attrs.RelatedObjectAttr('node', linkify=True)
    upid = attrs.TextAttr('upid', label=_('UPID'), style='font-monospace', copy_button=True)
    task_type = attrs.TextAttr('task_type', label=_('Type'))
    object_id = attrs.TextAttr('object_id', label=_('Object ID'))
    virtual_machine = attrs.RelatedObjectAttr('virtual_machine', linkify=True)
    user = attrs.TextAttr('user')
    start_time = attrs.DateTimeAttr('start_time', label=_('Started'))
    end_time = attrs.DateTimeAttr('end_time', label=_('Ended'))
    status = attrs.ChoiceAttr('status')
    exit_status = attrs.TextAttr('exit_status', label=_('Exit status'), style='font-monospace')


class SyncRunPanel(panels.ObjectAttributesPanel):
    status = attrs.ChoiceAttr('status')
    trigger = attrs.ChoiceAttr('trigger')
    kind = attrs.ChoiceAttr('kind')
    scope = attrs.TextAttr('scope_display', label=_('Scope'))
    dry_run = attrs.BooleanAttr('dry_run', label=_('Dry run'))
    endpoints = attrs.RelatedObjectListAttr('endpoints', linkify=True, max_items=20)
    user = attrs.RelatedObjectAttr('user')
    job = attrs.RelatedObjectAttr('job', linkify=True, label=_('Background job'))
    applies_run = attrs.RelatedObjectAttr('applies_run', linkify=True, label=_('Applies preview'))
    started = attrs.DateTimeAttr('started')
    finished = attrs.DateTimeAttr('finished')
    duration = attrs.DurationAttr('duration')


class SyncRunCountsPanel(panels.ObjectPanel):
    """Created/updated/deleted/unchanged/conflict/failed per object type, from `counts`."""

    template_name = 'netbox_proxbox/panels/sync_run_counts.html'
    title = _('Objects')
    columns = ('created', 'updated', 'deleted', 'unchanged', 'conflict', 'failed')

    def get_context(self, context):
        ctx = super().get_context(context)
        counts = ctx['object'].counts or {}
        rows = [(kind, [(counts[kind] or {}).get(c, 0) for c in self.columns]) for kind in sorted(counts)]
        totals = [sum(values[i] for _kind, values in rows) for i in range(len(self.columns))]
        return {**ctx, 'columns': self.columns, 'rows': rows, 'totals': totals}


class SyncRunStageDurationsPanel(panels.ObjectPanel):
    """Seconds per stage, from `stage_durations`, in the order a sync runs them (then any others)."""

    template_name = 'netbox_proxbox/panels/sync_run_stages.html'
    title = _('Stage durations')
    # The stored JSON does not keep its order (PostgreSQL jsonb), so the known stages come first.
    order = ('proxmox', 'netbox', 'plan', 'apply')

    def get_context(self, context):
        ctx = super().get_context(context)
        durations = ctx['object'].stage_durations or {}
        rank = {name: index for index, name in enumerate(self.order)}
        stages = sorted(durations.items(), key=lambda item: (rank.get(item[0], len(rank)), item[0]))
        return {**ctx, 'stages': stages}


class SyncRunEventsPanel(panels.ObjectPanel):
    """The stored event stream ({id, event, data} items), collapsed by default."""

    template_name = 'netbox_proxbox/panels/sync_run_events.html'
    title = _('Events')

    def get_context(self, context):
        ctx = super().get_context(context)
        return {**ctx, 'events': ctx['object'].events or []}


class BytesAttr(attrs.TextAttr):
    """A size in bytes, shown human-readable (e.g. 1.5 GB)."""

    def get_value(self, obj):
        value = super().get_value(obj)
        return None if value is None else filesizeformat(value)


class ProxmoxClusterPanel(panels.ObjectAttributesPanel):
    name = attrs.TextAttr('name')
    endpoint = attrs.RelatedObjectAttr('endpoint', linkify=True)
    standalone = attrs.BooleanAttr('standalone')
    quorate = attrs.BooleanAttr('quorate')
    pve_version = attrs.TextAttr('pve_version', label=_('PVE version'))
    node_count = attrs.TextAttr('node_count', label=_('Nodes'))
    cluster = attrs.RelatedObjectAttr('cluster', linkify=True, label=_('NetBox cluster'))
    last_synced = attrs.DateTimeAttr('last_synced', label=_('Last synced'))
    description = attrs.TextAttr('description')


class ProxmoxNodePanel(panels.ObjectAttributesPanel):
    name = attrs.TextAttr('name')
    cluster = attrs.RelatedObjectAttr('cluster', linkify=True, label=_('Proxmox cluster'))
    node_id = attrs.TextAttr('node_id', label=_('Node ID'))
    ip_address = attrs.TextAttr('ip_address', label=_('IP address'), style='font-monospace', copy_button=True)
    online = attrs.BooleanAttr('online')
    pve_version = attrs.TextAttr('pve_version', label=_('PVE version'))
    cpu_model = attrs.TextAttr('cpu_model', label=_('CPU model'))
    cpu_count = attrs.TextAttr('cpu_count', label=_('CPUs'))
    memory_total = BytesAttr('memory_total', label=_('Memory'))
    device = attrs.RelatedObjectAttr('device', linkify=True)
    description = attrs.TextAttr('description')


class ProxmoxStoragePanel(panels.ObjectAttributesPanel):
    name = attrs.TextAttr('name', label=_('Storage ID'), style='font-monospace')
    cluster = attrs.RelatedObjectAttr('cluster', linkify=True, label=_('Proxmox cluster'))
    type = attrs.ChoiceAttr('type')
    content = attrs.ArrayAttr('content')
    path = attrs.TextAttr('path', label=_('Path or target'), style='font-monospace')
    shared = attrs.BooleanAttr('shared')
    enabled = attrs.BooleanAttr('enabled')
    nodes = attrs.RelatedObjectListAttr('nodes', linkify=True)
    description = attrs.TextAttr('description')


class ProxmoxStorageUsagePanel(panels.ObjectAttributesPanel):
    title = _('Usage')
    total = BytesAttr('total', label=_('Total'))
    used = BytesAttr('used', label=_('Used'))
    available = BytesAttr('available', label=_('Available'))
    utilization = attrs.UtilizationAttr('utilization')


class NetBoxEndpointPanel(panels.ObjectAttributesPanel):
    """Where the sync writes. The token is never shown: only whether one is stored."""

    name = attrs.TextAttr('name')
    url = attrs.TextAttr('url', label=_('URL'), style='font-monospace')
    verify_ssl = TLSAttr('verify_ssl', label=_('Verify TLS'))
    token = SecretAttr('token', label=_('API token'))
    description = attrs.TextAttr('description')


class FastAPIEndpointPanel(panels.ObjectAttributesPanel):
    """The sync service. The API key is never shown: only whether one is stored."""

    name = attrs.TextAttr('name')
    url = attrs.TextAttr('url', label=_('URL'), style='font-monospace')
    verify_ssl = TLSAttr('verify_ssl', label=_('Verify TLS'))
    timeout = attrs.TextAttr('timeout', label=_('Timeout (seconds)'))
    api_key = SecretAttr('api_key', label=_('API key'))
    description = attrs.TextAttr('description')


class PluginSettingsPerformancePanel(panels.ObjectAttributesPanel):
    title = _('Performance')
    read_concurrency = attrs.TextAttr('read_concurrency', label=_('Read concurrency'))
    write_concurrency = attrs.TextAttr('write_concurrency', label=_('Write concurrency'))
    batch_size = attrs.TextAttr('batch_size', label=_('Batch size'))
    proxmox_timeout = attrs.TextAttr('proxmox_timeout', label=_('Proxmox timeout (s)'))
    netbox_timeout = attrs.TextAttr('netbox_timeout', label=_('NetBox timeout (s)'))
    retries = attrs.TextAttr('retries')


class PluginSettingsFamiliesPanel(panels.ObjectAttributesPanel):
    title = _('What to sync')
    sync_nodes = attrs.BooleanAttr('sync_nodes', label=_('Nodes'))
    sync_virtual_machines = attrs.BooleanAttr('sync_virtual_machines', label=_('Virtual machines'))
    sync_containers = attrs.BooleanAttr('sync_containers', label=_('Containers'))
    sync_interfaces = attrs.BooleanAttr('sync_interfaces', label=_('Interfaces'))
    sync_ip_addresses = attrs.BooleanAttr('sync_ip_addresses', label=_('IP addresses'))
    sync_virtual_disks = attrs.BooleanAttr('sync_virtual_disks', label=_('Virtual disks'))
    sync_storage = attrs.BooleanAttr('sync_storage', label=_('Storage'))
    sync_snapshots = attrs.BooleanAttr('sync_snapshots', label=_('Snapshots'))
    sync_backups = attrs.BooleanAttr('sync_backups', label=_('Backups'))
    sync_backup_routines = attrs.BooleanAttr('sync_backup_routines', label=_('Backup routines'))
    sync_replications = attrs.BooleanAttr('sync_replications', label=_('Replication jobs'))
    sync_tasks = attrs.BooleanAttr('sync_tasks', label=_('Tasks'))
    templates = attrs.ChoiceAttr('templates')


class PluginSettingsPolicyPanel(panels.ObjectAttributesPanel):
    title = _('Pruning, history and schedule')
    prune_policy = attrs.ChoiceAttr('prune_policy', label=_('Prune policy'))
    prune_grace_days = attrs.TextAttr('prune_grace_days', label=_('Grace period (days)'))
    task_history_days = attrs.TextAttr('task_history_days', label=_('Task history (days)'))
    default_schedule_interval = attrs.TextAttr('default_schedule_interval', label=_('Default schedule (minutes)'))


class EndpointSchedulePanel(panels.ObjectPanel):
    """An endpoint's scheduled Full Update (interval, next job, last run) and continuous mode (interval,
    notifications, what the last tick found)."""

    template_name = 'netbox_proxbox/panels/endpoint_schedule.html'
    title = _('Schedule and continuous mode')

    def get_context(self, context):
        from ..sync import continuous
        from ..sync.schedule import scheduled_job

        ctx = super().get_context(context)
        endpoint = ctx['object']
        following = endpoint.continuous_interval or endpoint.follow_notifications
        return {
            **ctx,
            'interval_text': interval_text(endpoint.sync_interval),
            'next_job': scheduled_job(endpoint) if endpoint.sync_interval else None,
            'last_run': endpoint.sync_runs.defer('plan', 'events').first(),
            'continuous': continuous.poll_state(endpoint.pk) if following else None,
        }


def interval_text(minutes):
    """1440 -> 'every day (nightly)', 90 -> 'every 90 minutes'."""
    if not minutes:
        return ''
    if minutes % (24 * 60) == 0:
        days = minutes // (24 * 60)
        return _('every day (nightly)') if days == 1 else _('every %(n)s days') % {'n': days}
    if minutes % 60 == 0:
        hours = minutes // 60
        return _('every hour') if hours == 1 else _('every %(n)s hours') % {'n': hours}
    return _('every %(n)s minutes') % {'n': minutes}

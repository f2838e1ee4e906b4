"""
Proxbox panels on NetBox's own detail pages: a virtual machine's snapshots, backups, replication
jobs and recent tasks; a Proxmox node's (device's) tasks and replication; a cluster's backup
routines, replication and last sync. Every table is a bounded query on the object's relations.
Each of these pages, and a Proxmox cluster record's, has a **Sync now** button when Proxbox syncs
the object: a targeted sync of that guest, node or cluster.
"""

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from netbox.plugins import PluginTemplateExtension
from utilities.permissions import get_permission_for_model

from . import tables
from .constants import RUN_SYNC_PERMISSION
from .models import BackupRoutine, Replication, SyncRun, VMBackup, VMSnapshot, VMTaskHistory
from .sync.targets import describe, scope_of

__all__ = (
    'ClusterProxboxContent',
    'DeviceProxboxContent',
    'ProxmoxClusterSyncNow',
    'SyncNowButton',
    'VirtualMachineProxboxContent',
    'template_extensions',
)

# Rows per panel: the full list is one click away ("View all").
PANEL_ROWS = 10
# Columns that repeat the page's own object, or act on rows, are left out of embedded tables.
HIDDEN_COLUMNS = ('pk', 'actions', 'virtual_machine', 'cluster', 'node')


class SyncNowButton(PluginTemplateExtension):
    """The Sync now button, on an object Proxbox syncs, for a user who may start syncs."""

    def buttons(self):
        obj = self.context['object']
        if not self.context['request'].user.has_perm(RUN_SYNC_PERMISSION):
            return ''
        scope = scope_of(obj)
        if scope is None:
            return ''
        context = {'object_type': f'{obj._meta.app_label}.{obj._meta.model_name}', 'scope_label': describe(scope)}
        return self.render('netbox_proxbox/inc/sync_now_button.html', extra_context=context)


class ProxboxContent(SyncNowButton):
    """Renders a list of (title, table of the most recent related objects, link to all of them)."""

    template_name = 'netbox_proxbox/inc/related_tables.html'

    def sections(self, obj):
        """Yield (title, model, table class, queryset, list filter) for the object."""
        raise NotImplementedError

    def full_width_page(self):
        request = self.context['request']
        rendered = []
        for title, model, table_class, queryset, list_filter in self.sections(self.context['object']):
            if not request.user.has_perm(get_permission_for_model(model, 'view')):
                continue
            rows = list(queryset.restrict(request.user, 'view')[: PANEL_ROWS + 1])
            if not rows:
                continue
            table = table_class(rows[:PANEL_ROWS], orderable=False, exclude=HIDDEN_COLUMNS)
            url = reverse(f'plugins:netbox_proxbox:{model._meta.model_name}_list') + '?' + urlencode(list_filter)
            rendered.append({'title': title, 'table': table, 'url': url, 'more': len(rows) > PANEL_ROWS})
        if not rendered:
            return ''
        return self.render(self.template_name, extra_context={'sections': rendered})


def _last_sync_runs(endpoint_id):
    return SyncRun.objects.filter(endpoints=endpoint_id).select_related('user').defer('plan', 'events')


class VirtualMachineProxboxContent(ProxboxContent):
    models = ['virtualization.virtualmachine']

    def sections(self, vm):
        f = {'virtual_machine_id': vm.pk}
        yield _('Snapshots'), VMSnapshot, tables.VMSnapshotTable, vm.proxmox_snapshots.order_by('-snapshot_time'), f
        backups = vm.proxmox_backups.select_related('storage').order_by('-creation_time')
        yield _('Backups'), VMBackup, tables.VMBackupTable, backups, f
        replications = vm.proxmox_replications.select_related('source', 'target')
        yield _('Replication'), Replication, tables.ReplicationTable, replications, f
        tasks = vm.proxmox_tasks.select_related('node').order_by('-start_time')
        yield _('Recent tasks'), VMTaskHistory, tables.VMTaskHistoryTable, tasks, f
        pve = getattr(vm.cluster, 'proxmox_cluster', None) if vm.cluster_id else None
        if pve is not None:
            runs = _last_sync_runs(pve.endpoint_id)
            yield _('Last syncs'), SyncRun, tables.SyncRunTable, runs, {'proxmox_endpoint_id': pve.endpoint_id}


class DeviceProxboxContent(ProxboxContent):
    """A device that is a Proxmox node: its tasks and the replication jobs from or to it."""

    models = ['dcim.device']

    def sections(self, device):
        node = getattr(device, 'proxmox_node', None)
        if node is None:
            return
        tasks = node.tasks.select_related('virtual_machine').order_by('-start_time')
        yield _('Recent Proxmox tasks'), VMTaskHistory, tables.VMTaskHistoryTable, tasks, {'node_id': node.pk}
        replications = Replication.objects.filter(source=node) | Replication.objects.filter(target=node)
        replications = replications.select_related('virtual_machine', 'source', 'target')
        yield _('Replication'), Replication, tables.ReplicationTable, replications, {'cluster_id': node.cluster_id}


class ClusterProxboxContent(ProxboxContent):
    """A NetBox cluster synced from Proxmox: its backup jobs, replication, recent tasks and last sync."""

    models = ['virtualization.cluster']

    def sections(self, cluster):
        pve = getattr(cluster, 'proxmox_cluster', None)
        if pve is None:
            return
        f = {'cluster_id': pve.pk}
        routines = pve.backup_routines.select_related('storage')
        yield _('Backup routines'), BackupRoutine, tables.BackupRoutineTable, routines, f
        replications = pve.replications.select_related('virtual_machine', 'source', 'target')
        yield _('Replication'), Replication, tables.ReplicationTable, replications, f
        tasks = VMTaskHistory.objects.filter(node__cluster=pve).select_related('node', 'virtual_machine')
        yield _('Recent tasks'), VMTaskHistory, tables.VMTaskHistoryTable, tasks.order_by('-start_time'), f
        runs = _last_sync_runs(pve.endpoint_id)
        yield _('Last syncs'), SyncRun, tables.SyncRunTable, runs, {'proxmox_endpoint_id': pve.endpoint_id}


class ProxmoxClusterSyncNow(SyncNowButton):
    models = ['netbox_proxbox.proxmoxcluster']


template_extensions = [VirtualMachineProxboxContent, DeviceProxboxContent, ClusterProxboxContent, ProxmoxClusterSyncNow]

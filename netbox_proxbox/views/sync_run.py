from extras.ui.panels import CustomFieldsPanel, TagsPanel
from netbox.object_actions import BulkDelete, BulkExport, DeleteObject
from netbox.ui import layout
from netbox.ui.panels import TextCodePanel
from netbox.views import generic
from utilities.views import register_model_view

from .. import filtersets, forms, tables
from ..models import SyncRun
from ..ui import panels

# Sync runs are written by the sync: people list, read and delete them, nothing else.
__all__ = (
    'SyncRunBulkDeleteView',
    'SyncRunDeleteView',
    'SyncRunListView',
    'SyncRunView',
)


@register_model_view(SyncRun, 'list', path='', detail=False)
class SyncRunListView(generic.ObjectListView):
    queryset = SyncRun.objects.select_related('user', 'job').prefetch_related('endpoints').defer('plan', 'events')
    filterset = filtersets.SyncRunFilterSet
    filterset_form = forms.SyncRunFilterForm
    table = tables.SyncRunTable
    actions = (BulkExport, BulkDelete)


@register_model_view(SyncRun)
class SyncRunView(generic.ObjectView):
    """Outcome of one run; the `sync_progress` block of the template is left for the live view."""

    queryset = SyncRun.objects.select_related('user', 'job', 'applies_run').defer('plan')
    template_name = 'netbox_proxbox/syncrun.html'
    actions = (DeleteObject,)
    layout = layout.SimpleLayout(
        left_panels=[panels.SyncRunPanel(), panels.SyncRunStageDurationsPanel()],
        right_panels=[panels.SyncRunCountsPanel(), CustomFieldsPanel(), TagsPanel()],
        bottom_panels=[TextCodePanel('error_summary', title='Errors'), panels.SyncRunEventsPanel()],
    )


@register_model_view(SyncRun, 'delete')
class SyncRunDeleteView(generic.ObjectDeleteView):
    queryset = SyncRun.objects.all()


@register_model_view(SyncRun, 'bulk_delete', path='delete', detail=False)
class SyncRunBulkDeleteView(generic.BulkDeleteView):
    queryset = SyncRun.objects.defer('plan', 'events')
    filterset = filtersets.SyncRunFilterSet
    table = tables.SyncRunTable

from extras.ui.panels import CustomFieldsPanel, TagsPanel
from netbox.ui import layout
from netbox.ui.panels import CommentsPanel, ObjectsTablePanel
from netbox.views import generic
from utilities.views import register_model_view

from .. import filtersets, forms, tables
from ..models import ProxmoxCluster
from ..ui import panels

__all__ = (
    'ProxmoxClusterBulkDeleteView',
    'ProxmoxClusterBulkEditView',
    'ProxmoxClusterBulkImportView',
    'ProxmoxClusterDeleteView',
    'ProxmoxClusterEditView',
    'ProxmoxClusterListView',
    'ProxmoxClusterView',
)


@register_model_view(ProxmoxCluster, 'list', path='', detail=False)
class ProxmoxClusterListView(generic.ObjectListView):
    queryset = ProxmoxCluster.objects.select_related('endpoint', 'cluster')
    filterset = filtersets.ProxmoxClusterFilterSet
    filterset_form = forms.ProxmoxClusterFilterForm
    table = tables.ProxmoxClusterTable


@register_model_view(ProxmoxCluster)
class ProxmoxClusterView(generic.ObjectView):
    queryset = ProxmoxCluster.objects.all()
    template_name = 'generic/object.html'
    layout = layout.SimpleLayout(
        left_panels=[panels.ProxmoxClusterPanel()],
        right_panels=[CustomFieldsPanel(), TagsPanel(), CommentsPanel()],
        bottom_panels=[
            ObjectsTablePanel(
                model='netbox_proxbox.ProxmoxNode',
                filters={'cluster_id': lambda ctx: ctx['object'].pk},
                exclude_columns=['cluster'],
            ),
            ObjectsTablePanel(
                model='netbox_proxbox.ProxmoxStorage',
                filters={'cluster_id': lambda ctx: ctx['object'].pk},
                exclude_columns=['cluster'],
            ),
        ],
    )


@register_model_view(ProxmoxCluster, 'add', detail=False)
@register_model_view(ProxmoxCluster, 'edit')
class ProxmoxClusterEditView(generic.ObjectEditView):
    queryset = ProxmoxCluster.objects.all()
    form = forms.ProxmoxClusterForm


@register_model_view(ProxmoxCluster, 'delete')
class ProxmoxClusterDeleteView(generic.ObjectDeleteView):
    queryset = ProxmoxCluster.objects.all()


@register_model_view(ProxmoxCluster, 'bulk_import', path='import', detail=False)
class ProxmoxClusterBulkImportView(generic.BulkImportView):
    queryset = ProxmoxCluster.objects.all()
    model_form = forms.ProxmoxClusterImportForm


@register_model_view(ProxmoxCluster, 'bulk_edit', path='edit', detail=False)
class ProxmoxClusterBulkEditView(generic.BulkEditView):
    queryset = ProxmoxCluster.objects.all()
    filterset = filtersets.ProxmoxClusterFilterSet
    table = tables.ProxmoxClusterTable
    form = forms.ProxmoxClusterBulkEditForm


@register_model_view(ProxmoxCluster, 'bulk_delete', path='delete', detail=False)
class ProxmoxClusterBulkDeleteView(generic.BulkDeleteView):
    queryset = ProxmoxCluster.objects.all()
    filterset = filtersets.ProxmoxClusterFilterSet
    table = tables.ProxmoxClusterTable

from extras.ui.panels import CustomFieldsPanel, TagsPanel
from netbox.ui import layout
from netbox.ui.panels import CommentsPanel, ObjectsTablePanel
from netbox.views import generic
from utilities.views import register_model_view

from .. import filtersets, forms, tables
from ..models import ProxmoxNode
from ..ui import panels

__all__ = (
    'ProxmoxNodeBulkDeleteView',
    'ProxmoxNodeBulkEditView',
    'ProxmoxNodeBulkImportView',
    'ProxmoxNodeDeleteView',
    'ProxmoxNodeEditView',
    'ProxmoxNodeListView',
    'ProxmoxNodeView',
)


@register_model_view(ProxmoxNode, 'list', path='', detail=False)
class ProxmoxNodeListView(generic.ObjectListView):
    queryset = ProxmoxNode.objects.select_related('cluster', 'device')
    filterset = filtersets.ProxmoxNodeFilterSet
    filterset_form = forms.ProxmoxNodeFilterForm
    table = tables.ProxmoxNodeTable


@register_model_view(ProxmoxNode)
class ProxmoxNodeView(generic.ObjectView):
    queryset = ProxmoxNode.objects.all()
    template_name = 'generic/object.html'
    layout = layout.SimpleLayout(
        left_panels=[panels.ProxmoxNodePanel()],
        right_panels=[CustomFieldsPanel(), TagsPanel(), CommentsPanel()],
        bottom_panels=[
            ObjectsTablePanel(
                model='netbox_proxbox.ProxmoxStorage',
                filters={'node_id': lambda ctx: ctx['object'].pk},
                exclude_columns=['nodes'],
            ),
        ],
    )


@register_model_view(ProxmoxNode, 'add', detail=False)
@register_model_view(ProxmoxNode, 'edit')
class ProxmoxNodeEditView(generic.ObjectEditView):
    queryset = ProxmoxNode.objects.all()
    form = forms.ProxmoxNodeForm


@register_model_view(ProxmoxNode, 'delete')
class ProxmoxNodeDeleteView(generic.ObjectDeleteView):
    queryset = ProxmoxNode.objects.all()


@register_model_view(ProxmoxNode, 'bulk_import', path='import', detail=False)
class ProxmoxNodeBulkImportView(generic.BulkImportView):
    queryset = ProxmoxNode.objects.all()
    model_form = forms.ProxmoxNodeImportForm


@register_model_view(ProxmoxNode, 'bulk_edit', path='edit', detail=False)
class ProxmoxNodeBulkEditView(generic.BulkEditView):
    queryset = ProxmoxNode.objects.all()
    filterset = filtersets.ProxmoxNodeFilterSet
    table = tables.ProxmoxNodeTable
    form = forms.ProxmoxNodeBulkEditForm


@register_model_view(ProxmoxNode, 'bulk_delete', path='delete', detail=False)
class ProxmoxNodeBulkDeleteView(generic.BulkDeleteView):
    queryset = ProxmoxNode.objects.all()
    filterset = filtersets.ProxmoxNodeFilterSet
    table = tables.ProxmoxNodeTable

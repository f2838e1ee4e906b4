from extras.ui.panels import CustomFieldsPanel, TagsPanel
from netbox.object_actions import AddObject, BulkDelete, BulkExport, BulkImport
from netbox.ui import layout
from netbox.ui.panels import CommentsPanel
from netbox.views import generic
from utilities.views import register_model_view

from .. import filtersets, forms, tables
from ..models import NetBoxEndpoint
from ..ui import panels
from .mixins import SingletonAddViewMixin, SingletonListViewMixin

__all__ = (
    'NetBoxEndpointBulkDeleteView',
    'NetBoxEndpointBulkImportView',
    'NetBoxEndpointDeleteView',
    'NetBoxEndpointEditView',
    'NetBoxEndpointListView',
    'NetBoxEndpointView',
)

# One NetBox endpoint exists at most (a singleton): there is nothing to bulk-edit.


@register_model_view(NetBoxEndpoint, 'list', path='', detail=False)
class NetBoxEndpointListView(SingletonListViewMixin, generic.ObjectListView):
    queryset = NetBoxEndpoint.objects.all()
    filterset = filtersets.NetBoxEndpointFilterSet
    filterset_form = forms.NetBoxEndpointFilterForm
    table = tables.NetBoxEndpointTable
    actions = (AddObject, BulkImport, BulkExport, BulkDelete)


@register_model_view(NetBoxEndpoint)
class NetBoxEndpointView(generic.ObjectView):
    queryset = NetBoxEndpoint.objects.all()
    template_name = 'generic/object.html'
    layout = layout.SimpleLayout(
        left_panels=[panels.NetBoxEndpointPanel()],
        right_panels=[CustomFieldsPanel(), TagsPanel(), CommentsPanel()],
    )


@register_model_view(NetBoxEndpoint, 'add', detail=False)
@register_model_view(NetBoxEndpoint, 'edit')
class NetBoxEndpointEditView(SingletonAddViewMixin, generic.ObjectEditView):
    queryset = NetBoxEndpoint.objects.all()
    form = forms.NetBoxEndpointForm


@register_model_view(NetBoxEndpoint, 'delete')
class NetBoxEndpointDeleteView(generic.ObjectDeleteView):
    queryset = NetBoxEndpoint.objects.all()


@register_model_view(NetBoxEndpoint, 'bulk_import', path='import', detail=False)
class NetBoxEndpointBulkImportView(generic.BulkImportView):
    queryset = NetBoxEndpoint.objects.all()
    model_form = forms.NetBoxEndpointImportForm


@register_model_view(NetBoxEndpoint, 'bulk_delete', path='delete', detail=False)
class NetBoxEndpointBulkDeleteView(generic.BulkDeleteView):
    queryset = NetBoxEndpoint.objects.all()
    filterset = filtersets.NetBoxEndpointFilterSet
    table = tables.NetBoxEndpointTable

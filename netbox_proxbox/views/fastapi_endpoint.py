from extras.ui.panels import CustomFieldsPanel, TagsPanel
from netbox.object_actions import AddObject, BulkDelete, BulkExport, BulkImport
from netbox.ui import layout
from netbox.ui.panels import CommentsPanel
from netbox.views import generic
from utilities.views import register_model_view

from .. import filtersets, forms, tables
from ..models import FastAPIEndpoint
from ..ui import panels
from .mixins import SingletonAddViewMixin, SingletonListViewMixin

__all__ = (
    'FastAPIEndpointBulkDeleteView',
    'FastAPIEndpointBulkImportView',
    'FastAPIEndpointDeleteView',
    'FastAPIEndpointEditView',
    'FastAPIEndpointListView',
    'FastAPIEndpointView',
)

# One proxbox-api endpoint exists at most (a singleton): there is nothing to bulk-edit.


@register_model_view(FastAPIEndpoint, 'list', path='', detail=False)
class FastAPIEndpointListView(SingletonListViewMixin, generic.ObjectListView):
    queryset = FastAPIEndpoint.objects.all()
    filterset = filtersets.FastAPIEndpointFilterSet
    filterset_form = forms.FastAPIEndpointFilterForm
    table = tables.FastAPIEndpointTable
    actions = (AddObject, BulkImport, BulkExport, BulkDelete)


@register_model_view(FastAPIEndpoint)
class FastAPIEndpointView(generic.ObjectView):
    queryset = FastAPIEndpoint.objects.all()
    template_name = 'generic/object.html'
    layout = layout.SimpleLayout(
        left_panels=[panels.FastAPIEndpointPanel()],
        right_panels=[CustomFieldsPanel(), TagsPanel(), CommentsPanel()],
    )


@register_model_view(FastAPIEndpoint, 'add', detail=False)
@register_model_view(FastAPIEndpoint, 'edit')
class FastAPIEndpointEditView(SingletonAddViewMixin, generic.ObjectEditView):
    queryset = FastAPIEndpoint.objects.all()
    form = forms.FastAPIEndpointForm


@register_model_view(FastAPIEndpoint, 'delete')
class FastAPIEndpointDeleteView(generic.ObjectDeleteView):
    queryset = FastAPIEndpoint.objects.all()


@register_model_view(FastAPIEndpoint, 'bulk_import', path='import', detail=False)
class FastAPIEndpointBulkImportView(generic.BulkImportView):
    queryset = FastAPIEndpoint.objects.all()
    model_form = forms.FastAPIEndpointImportForm


@register_model_view(FastAPIEndpoint, 'bulk_delete', path='delete', detail=False)
class FastAPIEndpointBulkDeleteView(generic.BulkDeleteView):
    queryset = FastAPIEndpoint.objects.all()
    filterset = filtersets.FastAPIEndpointFilterSet
    table = tables.FastAPIEndpointTable

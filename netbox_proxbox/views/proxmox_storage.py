from extras.ui.panels import CustomFieldsPanel, TagsPanel
from netbox.ui import layout
from netbox.ui.panels import CommentsPanel
from netbox.views import generic
from utilities.views import register_model_view

from .. import filtersets, forms, tables
from ..models import ProxmoxStorage
from ..ui import panels

__all__ = (
    'ProxmoxStorageBulkDeleteView',
    'ProxmoxStorageBulkEditView',
    'ProxmoxStorageBulkImportView',
    'ProxmoxStorageDeleteView',
    'ProxmoxStorageEditView',
    'ProxmoxStorageListView',
    'ProxmoxStorageView',
)


@register_model_view(ProxmoxStorage, 'list', path='', detail=False)
class ProxmoxStorageListView(generic.ObjectListView):
    queryset = ProxmoxStorage.objects.select_related('cluster').prefetch_related('nodes')
    filterset = filtersets.ProxmoxStorageFilterSet
    filterset_form = forms.ProxmoxStorageFilterForm
    table = tables.ProxmoxStorageTable


@register_model_view(ProxmoxStorage)
class ProxmoxStorageView(generic.ObjectView):
    queryset = ProxmoxStorage.objects.all()
    template_name = 'generic/object.html'
    layout = layout.SimpleLayout(
        left_panels=[panels.ProxmoxStoragePanel(), panels.ProxmoxStorageUsagePanel()],
        right_panels=[CustomFieldsPanel(), TagsPanel(), CommentsPanel()],
    )


@register_model_view(ProxmoxStorage, 'add', detail=False)
@register_model_view(ProxmoxStorage, 'edit')
class ProxmoxStorageEditView(generic.ObjectEditView):
    queryset = ProxmoxStorage.objects.all()
    form = forms.ProxmoxStorageForm


@register_model_view(ProxmoxStorage, 'delete')
class ProxmoxStorageDeleteView(generic.ObjectDeleteView):
    queryset = ProxmoxStorage.objects.all()


@register_model_view(ProxmoxStorage, 'bulk_import', path='import', detail=False)
class ProxmoxStorageBulkImportView(generic.BulkImportView):
    queryset = ProxmoxStorage.objects.all()
    model_form = forms.ProxmoxStorageImportForm


@register_model_view(ProxmoxStorage, 'bulk_edit', path='edit', detail=False)
class ProxmoxStorageBulkEditView(generic.BulkEditView):
    queryset = ProxmoxStorage.objects.all()
    filterset = filtersets.ProxmoxStorageFilterSet
    table = tables.ProxmoxStorageTable
    form = forms.ProxmoxStorageBulkEditForm


@register_model_view(ProxmoxStorage, 'bulk_delete', path='delete', detail=False)
class ProxmoxStorageBulkDeleteView(generic.BulkDeleteView):
    queryset = ProxmoxStorage.objects.all()
    filterset = filtersets.ProxmoxStorageFilterSet
    table = tables.ProxmoxStorageTable

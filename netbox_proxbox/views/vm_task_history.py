from extras.ui.panels import CustomFieldsPanel, TagsPanel
from netbox.ui import layout
from netbox.views import generic
from utilities.views import register_model_view

from .. import filtersets, forms, tables
from ..models import VMTaskHistory
from ..ui import panels

__all__ = (
    'VMTaskHistoryBulkDeleteView',
    'VMTaskHistoryBulkEditView',
    'VMTaskHistoryBulkImportView',
    'VMTaskHistoryDeleteView',
    'VMTaskHistoryEditView',
    'VMTaskHistoryListView',
    'VMTaskHistoryView',
)


@register_model_view(VMTaskHistory, 'list', path='', detail=False)
class VMTaskHistoryListView(generic.ObjectListView):
    queryset = VMTaskHistory.objects.select_related('node', 'virtual_machine')
    filterset = filtersets.VMTaskHistoryFilterSet
    filterset_form = forms.VMTaskHistoryFilterForm
    table = tables.VMTaskHistoryTable


@register_model_view(VMTaskHistory)
class VMTaskHistoryView(generic.ObjectView):
    queryset = VMTaskHistory.objects.all()
    template_name = 'generic/object.html'
    layout = layout.SimpleLayout(
        left_panels=[panels.VMTaskHistoryPanel()],
        right_panels=[CustomFieldsPanel(), TagsPanel()],
    )


@register_model_view(VMTaskHistory, 'add', detail=False)
@register_model_view(VMTaskHistory, 'edit')
class VMTaskHistoryEditView(generic.ObjectEditView):
    queryset = VMTaskHistory.objects.all()
    form = forms.VMTaskHistoryForm


@register_model_view(VMTaskHistory, 'delete')
class VMTaskHistoryDeleteView(generic.ObjectDeleteView):
    queryset = VMTaskHistory.objects.all()


@register_model_view(VMTaskHistory, 'bulk_import', path='import', detail=False)
class VMTaskHistoryBulkImportView(generic.BulkImportView):
    queryset = VMTaskHistory.objects.all()
    model_form = forms.VMTaskHistoryImportForm


@register_model_view(VMTaskHistory, 'bulk_edit', path='edit', detail=False)
class VMTaskHistoryBulkEditView(generic.BulkEditView):
    queryset = VMTaskHistory.objects.all()
    filterset = filtersets.VMTaskHistoryFilterSet
    table = tables.VMTaskHistoryTable
    form = forms.VMTaskHistoryBulkEditForm


@register_model_view(VMTaskHistory, 'bulk_delete', path='delete', detail=False)
class VMTaskHistoryBulkDeleteView(generic.BulkDeleteView):
    queryset = VMTaskHistory.objects.all()
    filterset = filtersets.VMTaskHistoryFilterSet
    table = tables.VMTaskHistoryTable

from extras.ui.panels import CustomFieldsPanel, TagsPanel
from netbox.ui import layout
from netbox.ui.panels import CommentsPanel
from netbox.views import generic
from utilities.views import register_model_view

from .. import filtersets, forms, tables
from ..models import VMBackup
from ..ui import panels

__all__ = (
    'VMBackupBulkDeleteView',
    'VMBackupBulkEditView',
    'VMBackupBulkImportView',
    'VMBackupDeleteView',
    'VMBackupEditView',
    'VMBackupListView',
    'VMBackupView',
)


@register_model_view(VMBackup, 'list', path='', detail=False)
class VMBackupListView(generic.ObjectListView):
    queryset = VMBackup.objects.select_related('storage__cluster', 'virtual_machine')
    filterset = filtersets.VMBackupFilterSet
    filterset_form = forms.VMBackupFilterForm
    table = tables.VMBackupTable


@register_model_view(VMBackup)
class VMBackupView(generic.ObjectView):
    queryset = VMBackup.objects.all()
    template_name = 'generic/object.html'
    layout = layout.SimpleLayout(
        left_panels=[panels.VMBackupPanel()],
        right_panels=[CustomFieldsPanel(), TagsPanel(), CommentsPanel()],
    )


@register_model_view(VMBackup, 'add', detail=False)
@register_model_view(VMBackup, 'edit')
class VMBackupEditView(generic.ObjectEditView):
    queryset = VMBackup.objects.all()
    form = forms.VMBackupForm


@register_model_view(VMBackup, 'delete')
class VMBackupDeleteView(generic.ObjectDeleteView):
    queryset = VMBackup.objects.all()


@register_model_view(VMBackup, 'bulk_import', path='import', detail=False)
class VMBackupBulkImportView(generic.BulkImportView):
    queryset = VMBackup.objects.all()
    model_form = forms.VMBackupImportForm


@register_model_view(VMBackup, 'bulk_edit', path='edit', detail=False)
class VMBackupBulkEditView(generic.BulkEditView):
    queryset = VMBackup.objects.all()
    filterset = filtersets.VMBackupFilterSet
    table = tables.VMBackupTable
    form = forms.VMBackupBulkEditForm


@register_model_view(VMBackup, 'bulk_delete', path='delete', detail=False)
class VMBackupBulkDeleteView(generic.BulkDeleteView):
    queryset = VMBackup.objects.all()
    filterset = filtersets.VMBackupFilterSet
    table = tables.VMBackupTable

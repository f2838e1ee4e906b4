from extras.ui.panels import CustomFieldsPanel, TagsPanel
from netbox.ui import layout
from netbox.ui.panels import CommentsPanel
from netbox.views import generic
from utilities.views import register_model_view

from .. import filtersets, forms, tables
from ..models import VMSnapshot
from ..ui import panels

__all__ = (
    'VMSnapshotBulkDeleteView',
    'VMSnapshotBulkEditView',
    'VMSnapshotBulkImportView',
    'VMSnapshotDeleteView',
    'VMSnapshotEditView',
    'VMSnapshotListView',
    'VMSnapshotView',
)


@register_model_view(VMSnapshot, 'list', path='', detail=False)
class VMSnapshotListView(generic.ObjectListView):
    queryset = VMSnapshot.objects.select_related('virtual_machine')
    filterset = filtersets.VMSnapshotFilterSet
    filterset_form = forms.VMSnapshotFilterForm
    table = tables.VMSnapshotTable


@register_model_view(VMSnapshot)
class VMSnapshotView(generic.ObjectView):
    queryset = VMSnapshot.objects.all()
    template_name = 'generic/object.html'
    layout = layout.SimpleLayout(
        left_panels=[panels.VMSnapshotPanel()],
        right_panels=[CustomFieldsPanel(), TagsPanel(), CommentsPanel()],
    )


@register_model_view(VMSnapshot, 'add', detail=False)
@register_model_view(VMSnapshot, 'edit')
class VMSnapshotEditView(generic.ObjectEditView):
    queryset = VMSnapshot.objects.all()
    form = forms.VMSnapshotForm


@register_model_view(VMSnapshot, 'delete')
class VMSnapshotDeleteView(generic.ObjectDeleteView):
    queryset = VMSnapshot.objects.all()


@register_model_view(VMSnapshot, 'bulk_import', path='import', detail=False)
class VMSnapshotBulkImportView(generic.BulkImportView):
    queryset = VMSnapshot.objects.all()
    model_form = forms.VMSnapshotImportForm


@register_model_view(VMSnapshot, 'bulk_edit', path='edit', detail=False)
class VMSnapshotBulkEditView(generic.BulkEditView):
    queryset = VMSnapshot.objects.all()
    filterset = filtersets.VMSnapshotFilterSet
    table = tables.VMSnapshotTable
    form = forms.VMSnapshotBulkEditForm


@register_model_view(VMSnapshot, 'bulk_delete', path='delete', detail=False)
class VMSnapshotBulkDeleteView(generic.BulkDeleteView):
    queryset = VMSnapshot.objects.all()
    filterset = filtersets.VMSnapshotFilterSet
    table = tables.VMSnapshotTable

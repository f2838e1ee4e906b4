from extras.ui.panels import CustomFieldsPanel, TagsPanel
from netbox.ui import layout
from netbox.ui.panels import CommentsPanel
from netbox.views import generic
from utilities.views import register_model_view

from .. import filtersets, forms, tables
from ..models import BackupRoutine
from ..ui import panels

__all__ = (
    'BackupRoutineBulkDeleteView',
    'BackupRoutineBulkEditView',
    'BackupRoutineBulkImportView',
    'BackupRoutineDeleteView',
    'BackupRoutineEditView',
    'BackupRoutineListView',
    'BackupRoutineView',
)


@register_model_view(BackupRoutine, 'list', path='', detail=False)
class BackupRoutineListView(generic.ObjectListView):
    queryset = BackupRoutine.objects.select_related('cluster', 'storage')
    filterset = filtersets.BackupRoutineFilterSet
    filterset_form = forms.BackupRoutineFilterForm
    table = tables.BackupRoutineTable


@register_model_view(BackupRoutine)
class BackupRoutineView(generic.ObjectView):
    queryset = BackupRoutine.objects.all()
    template_name = 'generic/object.html'
    layout = layout.SimpleLayout(
        left_panels=[panels.BackupRoutinePanel(), panels.BackupRetentionPanel()],
        right_panels=[CustomFieldsPanel(), TagsPanel(), CommentsPanel()],
    )


@register_model_view(BackupRoutine, 'add', detail=False)
@register_model_view(BackupRoutine, 'edit')
class BackupRoutineEditView(generic.ObjectEditView):
    queryset = BackupRoutine.objects.all()
    form = forms.BackupRoutineForm


@register_model_view(BackupRoutine, 'delete')
class BackupRoutineDeleteView(generic.ObjectDeleteView):
    queryset = BackupRoutine.objects.all()


@register_model_view(BackupRoutine, 'bulk_import', path='import', detail=False)
class BackupRoutineBulkImportView(generic.BulkImportView):
    queryset = BackupRoutine.objects.all()
    model_form = forms.BackupRoutineImportForm


@register_model_view(BackupRoutine, 'bulk_edit', path='edit', detail=False)
class BackupRoutineBulkEditView(generic.BulkEditView):
    queryset = BackupRoutine.objects.all()
    filterset = filtersets.BackupRoutineFilterSet
    table = tables.BackupRoutineTable
    form = forms.BackupRoutineBulkEditForm


@register_model_view(BackupRoutine, 'bulk_delete', path='delete', detail=False)
class BackupRoutineBulkDeleteView(generic.BulkDeleteView):
    queryset = BackupRoutine.objects.all()
    filterset = filtersets.BackupRoutineFilterSet
    table = tables.BackupRoutineTable

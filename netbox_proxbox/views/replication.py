from extras.ui.panels import CustomFieldsPanel, TagsPanel
from netbox.ui import layout
from netbox.ui.panels import CommentsPanel
from netbox.views import generic
from utilities.views import register_model_view

from .. import filtersets, forms, tables
from ..models import Replication
from ..ui import panels

__all__ = (
    'ReplicationBulkDeleteView',
    'ReplicationBulkEditView',
    'ReplicationBulkImportView',
    'ReplicationDeleteView',
    'ReplicationEditView',
    'ReplicationListView',
    'ReplicationView',
)


@register_model_view(Replication, 'list', path='', detail=False)
class ReplicationListView(generic.ObjectListView):
    queryset = Replication.objects.select_related('cluster', 'virtual_machine', 'source', 'target')
    filterset = filtersets.ReplicationFilterSet
    filterset_form = forms.ReplicationFilterForm
    table = tables.ReplicationTable


@register_model_view(Replication)
class ReplicationView(generic.ObjectView):
    queryset = Replication.objects.all()
    template_name = 'generic/object.html'
    layout = layout.SimpleLayout(
        left_panels=[panels.ReplicationPanel(), panels.ReplicationStatePanel()],
        right_panels=[CustomFieldsPanel(), TagsPanel(), CommentsPanel()],
    )


@register_model_view(Replication, 'add', detail=False)
@register_model_view(Replication, 'edit')
class ReplicationEditView(generic.ObjectEditView):
    queryset = Replication.objects.all()
    form = forms.ReplicationForm


@register_model_view(Replication, 'delete')
class ReplicationDeleteView(generic.ObjectDeleteView):
    queryset = Replication.objects.all()


@register_model_view(Replication, 'bulk_import', path='import', detail=False)
class ReplicationBulkImportView(generic.BulkImportView):
    queryset = Replication.objects.all()
    model_form = forms.ReplicationImportForm


@register_model_view(Replication, 'bulk_edit', path='edit', detail=False)
class ReplicationBulkEditView(generic.BulkEditView):
    queryset = Replication.objects.all()
    filterset = filtersets.ReplicationFilterSet
    table = tables.ReplicationTable
    form = forms.ReplicationBulkEditForm


@register_model_view(Replication, 'bulk_delete', path='delete', detail=False)
class ReplicationBulkDeleteView(generic.BulkDeleteView):
    queryset = Replication.objects.all()
    filterset = filtersets.ReplicationFilterSet
    table = tables.ReplicationTable

from extras.ui.panels import CustomFieldsPanel, TagsPanel
from netbox.ui import layout
from netbox.ui.panels import CommentsPanel, ObjectsTablePanel
from netbox.views import generic
from utilities.views import register_model_view

from .. import filtersets, forms, tables
from ..models import ProxmoxEndpoint
from ..ui import panels

__all__ = (
    'ProxmoxEndpointBulkDeleteView',
    'ProxmoxEndpointBulkEditView',
    'ProxmoxEndpointBulkImportView',
    'ProxmoxEndpointDeleteView',
    'ProxmoxEndpointEditView',
    'ProxmoxEndpointListView',
    'ProxmoxEndpointView',
)


@register_model_view(ProxmoxEndpoint, 'list', path='', detail=False)
class ProxmoxEndpointListView(generic.ObjectListView):
    queryset = ProxmoxEndpoint.objects.all()
    filterset = filtersets.ProxmoxEndpointFilterSet
    filterset_form = forms.ProxmoxEndpointFilterForm
    table = tables.ProxmoxEndpointTable
    template_name = 'netbox_proxbox/proxmoxendpoint_list.html'


@register_model_view(ProxmoxEndpoint)
class ProxmoxEndpointView(generic.ObjectView):
    """An endpoint, with its Full Update / Preview / Test buttons, its schedule and its last runs."""

    queryset = ProxmoxEndpoint.objects.all()
    template_name = 'netbox_proxbox/proxmoxendpoint.html'
    layout = layout.SimpleLayout(
        left_panels=[panels.ProxmoxEndpointPanel(), panels.ProxmoxEndpointCredentialsPanel()],
        right_panels=[panels.EndpointSchedulePanel(), CustomFieldsPanel(), TagsPanel(), CommentsPanel()],
        bottom_panels=[
            ObjectsTablePanel(
                'netbox_proxbox.syncrun',
                title='Sync runs',
                filters={'proxmox_endpoint_id': lambda ctx: ctx['object'].pk},
                exclude_columns=['endpoints'],
            ),
        ],
    )


@register_model_view(ProxmoxEndpoint, 'add', detail=False)
@register_model_view(ProxmoxEndpoint, 'edit')
class ProxmoxEndpointEditView(generic.ObjectEditView):
    queryset = ProxmoxEndpoint.objects.all()
    form = forms.ProxmoxEndpointForm


@register_model_view(ProxmoxEndpoint, 'delete')
class ProxmoxEndpointDeleteView(generic.ObjectDeleteView):
    queryset = ProxmoxEndpoint.objects.all()


@register_model_view(ProxmoxEndpoint, 'bulk_import', path='import', detail=False)
class ProxmoxEndpointBulkImportView(generic.BulkImportView):
    queryset = ProxmoxEndpoint.objects.all()
    model_form = forms.ProxmoxEndpointImportForm


@register_model_view(ProxmoxEndpoint, 'bulk_edit', path='edit', detail=False)
class ProxmoxEndpointBulkEditView(generic.BulkEditView):
    queryset = ProxmoxEndpoint.objects.all()
    filterset = filtersets.ProxmoxEndpointFilterSet
    table = tables.ProxmoxEndpointTable
    form = forms.ProxmoxEndpointBulkEditForm


@register_model_view(ProxmoxEndpoint, 'bulk_delete', path='delete', detail=False)
class ProxmoxEndpointBulkDeleteView(generic.BulkDeleteView):
    queryset = ProxmoxEndpoint.objects.all()
    filterset = filtersets.ProxmoxEndpointFilterSet
    table = tables.ProxmoxEndpointTable

from django.utils.translation import gettext_lazy as _

from extras.ui.panels import CustomFieldsPanel, TagsPanel
from netbox.object_actions import AddObject, BulkDelete, BulkExport
from netbox.ui import layout
from netbox.ui.panels import JSONPanel
from netbox.views import generic
from utilities.views import register_model_view

from .. import filtersets, forms, tables
from ..models import ProxboxPluginSettings
from ..ui import panels
from .mixins import SingletonAddViewMixin, SingletonListViewMixin

__all__ = (
    'ProxboxPluginSettingsBulkDeleteView',
    'ProxboxPluginSettingsDeleteView',
    'ProxboxPluginSettingsEditView',
    'ProxboxPluginSettingsListView',
    'ProxboxPluginSettingsView',
)

# One settings row exists at most (a singleton): no bulk import or bulk edit.


@register_model_view(ProxboxPluginSettings, 'list', path='', detail=False)
class ProxboxPluginSettingsListView(SingletonListViewMixin, generic.ObjectListView):
    queryset = ProxboxPluginSettings.objects.all()
    filterset = filtersets.ProxboxPluginSettingsFilterSet
    filterset_form = forms.ProxboxPluginSettingsFilterForm
    table = tables.ProxboxPluginSettingsTable
    actions = (AddObject, BulkExport, BulkDelete)


@register_model_view(ProxboxPluginSettings)
class ProxboxPluginSettingsView(generic.ObjectView):
    queryset = ProxboxPluginSettings.objects.all()
    template_name = 'generic/object.html'
    layout = layout.SimpleLayout(
        left_panels=[panels.PluginSettingsPerformancePanel(), panels.PluginSettingsFamiliesPanel()],
        right_panels=[
            panels.PluginSettingsPolicyPanel(),
            JSONPanel('field_ownership', title=_('Field ownership overrides')),
            CustomFieldsPanel(),
            TagsPanel(),
        ],
    )


@register_model_view(ProxboxPluginSettings, 'add', detail=False)
@register_model_view(ProxboxPluginSettings, 'edit')
class ProxboxPluginSettingsEditView(SingletonAddViewMixin, generic.ObjectEditView):
    queryset = ProxboxPluginSettings.objects.all()
    form = forms.ProxboxPluginSettingsForm


@register_model_view(ProxboxPluginSettings, 'delete')
class ProxboxPluginSettingsDeleteView(generic.ObjectDeleteView):
    queryset = ProxboxPluginSettings.objects.all()


@register_model_view(ProxboxPluginSettings, 'bulk_delete', path='delete', detail=False)
class ProxboxPluginSettingsBulkDeleteView(generic.BulkDeleteView):
    queryset = ProxboxPluginSettings.objects.all()
    filterset = filtersets.ProxboxPluginSettingsFilterSet
    table = tables.ProxboxPluginSettingsTable

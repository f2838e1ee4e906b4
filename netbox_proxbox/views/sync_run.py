from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from extras.ui.panels import CustomFieldsPanel, TagsPanel
from netbox.object_actions import BulkDelete, BulkExport, DeleteObject
from netbox.ui import layout
from netbox.ui.panels import TextCodePanel
from netbox.views import generic
from utilities.views import ViewTab, register_model_view

from .. import filtersets, forms, tables
from ..choices import SyncStatusChoices
from ..models import SyncRun
from ..sync.plan_diff import plan_sections
from ..sync.runs import UNFINISHED, close_if_dead
from ..ui import panels

# Sync runs are written by the sync: people list, read and delete them, nothing else.
__all__ = (
    'SyncRunBulkDeleteView',
    'SyncRunDeleteView',
    'SyncRunListView',
    'SyncRunPlanView',
    'SyncRunView',
    'changelog_url',
)


def changelog_url(run):
    """NetBox's change log, filtered to this run's writes (their message names the run)."""
    query = {'q': f'Proxbox sync #{run.pk} (', 'sort': '-time'}
    return reverse('core:objectchange_list') + '?' + urlencode(query)


def _can_apply(run):
    return (
        run.dry_run
        and run.status == SyncStatusChoices.COMPLETED
        and not run.applied_by.exclude(status__in=(SyncStatusChoices.FAILED, SyncStatusChoices.CANCELLED)).exists()
    )


def _stale_plan(run):
    return run.applies_run_id is not None and any(
        item.get('event') == 'error' and (item.get('data') or {}).get('kind') == 'StalePlan'
        for item in run.events or []
    )


@register_model_view(SyncRun, 'list', path='', detail=False)
class SyncRunListView(generic.ObjectListView):
    queryset = SyncRun.objects.select_related('user', 'job').prefetch_related('endpoints').defer('plan', 'events')
    filterset = filtersets.SyncRunFilterSet
    filterset_form = forms.SyncRunFilterForm
    table = tables.SyncRunTable
    actions = (BulkExport, BulkDelete)
    template_name = 'netbox_proxbox/syncrun_list.html'


@register_model_view(SyncRun)
class SyncRunView(generic.ObjectView):
    """One run: its live progress (stages, errors, summary; see syncrun.js), then its recorded outcome."""

    queryset = SyncRun.objects.select_related('user', 'job', 'applies_run').defer('plan')
    template_name = 'netbox_proxbox/syncrun.html'
    actions = (DeleteObject,)
    layout = layout.SimpleLayout(
        left_panels=[panels.SyncRunPanel(), panels.SyncRunStageDurationsPanel()],
        right_panels=[panels.SyncRunCountsPanel(), CustomFieldsPanel(), TagsPanel()],
        bottom_panels=[TextCodePanel('error_summary', title='Errors'), panels.SyncRunEventsPanel()],
    )

    def get_extra_context(self, request, instance):
        if close_if_dead(instance):  # its worker died: show it as failed, not running forever
            instance.refresh_from_db()
        stale = _stale_plan(instance)
        return {
            'unfinished': instance.status in UNFINISHED,
            'events_url': reverse('plugins:netbox_proxbox:syncrun_events', kwargs={'pk': instance.pk}),
            'changelog_url': changelog_url(instance),
            'plan_url': reverse('plugins:netbox_proxbox:syncrun_plan', kwargs={'pk': instance.pk})
            if instance.dry_run
            else '',
            'can_apply': _can_apply(instance),
            'stale_plan': stale,
            'offer_preview': stale or (instance.dry_run and instance.status in SyncStatusChoices.FINISHED),
        }


@register_model_view(SyncRun, 'plan', path='plan')
class SyncRunPlanView(generic.ObjectView):
    """A preview's plan as a readable diff, per object type, with "Apply this plan"."""

    queryset = SyncRun.objects.select_related('applies_run').defer('events')
    template_name = 'netbox_proxbox/syncrun_plan.html'
    tab = ViewTab(label=_('Plan'), visible=lambda run: run.dry_run, weight=500)

    def get_extra_context(self, request, instance):
        return {
            'sections': plan_sections(instance.plan),
            'digest': (instance.plan or {}).get('digest'),
            'can_apply': _can_apply(instance),
            'applied_by': instance.applied_by.defer('plan', 'events').order_by('-pk'),
        }


@register_model_view(SyncRun, 'delete')
class SyncRunDeleteView(generic.ObjectDeleteView):
    queryset = SyncRun.objects.all()


@register_model_view(SyncRun, 'bulk_delete', path='delete', detail=False)
class SyncRunBulkDeleteView(generic.BulkDeleteView):
    queryset = SyncRun.objects.defer('plan', 'events')
    filterset = filtersets.SyncRunFilterSet
    table = tables.SyncRunTable

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from netbox.tables import NetBoxTable, columns

from ..models import SyncRun

__all__ = ('SyncRunTable',)


class SyncRunTable(NetBoxTable):
    """Sync runs; the bulky plan and event stream stay on the detail page."""

    id = tables.Column(verbose_name=_('ID'), linkify=True)
    endpoints = columns.ManyToManyColumn(verbose_name=_('Endpoints'), linkify_item=True)
    trigger = columns.ChoiceFieldColumn(verbose_name=_('Trigger'))
    kind = columns.ChoiceFieldColumn(verbose_name=_('Kind'))
    scope = tables.Column(verbose_name=_('Scope'), accessor='scope_display', orderable=False)
    dry_run = columns.BooleanColumn(verbose_name=_('Dry run'))
    status = columns.ChoiceFieldColumn(verbose_name=_('Status'))
    user = tables.Column(verbose_name=_('User'))
    job = tables.Column(verbose_name=_('Job'), linkify=True)
    started = columns.DateTimeColumn(verbose_name=_('Started'))
    finished = columns.DateTimeColumn(verbose_name=_('Finished'))
    duration = tables.Column(verbose_name=_('Duration'), orderable=False)
    error_summary = tables.Column(verbose_name=_('Errors'))
    tags = columns.TagColumn(url_name='plugins:netbox_proxbox:syncrun_list')
    actions = columns.ActionsColumn(actions=('delete',))

    class Meta(NetBoxTable.Meta):
        model = SyncRun
        fields = (
            'pk',
            'id',
            'endpoints',
            'trigger',
            'kind',
            'scope',
            'dry_run',
            'status',
            'user',
            'job',
            'started',
            'finished',
            'duration',
            'error_summary',
            'tags',
            'created',
            'last_updated',
        )
        default_columns = (
            'pk',
            'id',
            'endpoints',
            'trigger',
            'kind',
            'scope',
            'dry_run',
            'status',
            'user',
            'started',
            'duration',
        )

    def render_duration(self, value):
        return str(value).split('.')[0]

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from netbox.tables import PrimaryModelTable, columns

from ..models import BackupRoutine

__all__ = ('BackupRoutineTable',)


class BackupRoutineTable(PrimaryModelTable):
    job_id = tables.Column(verbose_name=_('Job ID'), linkify=True)
    cluster = tables.Column(verbose_name=_('Proxmox cluster'), linkify=True)
    storage = tables.Column(verbose_name=_('Storage'), linkify=True)
    enabled = columns.BooleanColumn(verbose_name=_('Enabled'))
    mode = columns.ChoiceFieldColumn(verbose_name=_('Mode'))
    selection = columns.ChoiceFieldColumn(verbose_name=_('Selection'))
    guest_ids = columns.ArrayColumn(verbose_name=_('Guests'))
    next_run = columns.DateTimeColumn(verbose_name=_('Next run'), timespec='minutes')
    tags = columns.TagColumn(url_name='plugins:netbox_proxbox:backuproutine_list')

    class Meta(PrimaryModelTable.Meta):
        model = BackupRoutine
        fields = (
            'pk',
            'id',
            'job_id',
            'cluster',
            'schedule',
            'enabled',
            'storage',
            'node',
            'mode',
            'compression',
            'selection',
            'guest_ids',
            'pool',
            'keep_last',
            'keep_hourly',
            'keep_daily',
            'keep_weekly',
            'keep_monthly',
            'keep_yearly',
            'next_run',
            'comment',
            'description',
            'owner',
            'owner_group',
            'comments',
            'tags',
            'created',
            'last_updated',
        )
        default_columns = ('pk', 'job_id', 'cluster', 'schedule', 'enabled', 'storage', 'mode', 'selection', 'next_run')

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from netbox.tables import NetBoxTable, columns

from ..models import VMTaskHistory

__all__ = ('VMTaskHistoryTable',)


class VMTaskHistoryTable(NetBoxTable):
    upid = tables.Column(verbose_name=_('UPID'), linkify=True)
    task_type = tables.Column(verbose_name=_('Type'), linkify=True)
    node = tables.Column(verbose_name=_('Node'), linkify=True)
    virtual_machine = tables.Column(verbose_name=_('Virtual machine'), linkify=True)
    start_time = columns.DateTimeColumn(verbose_name=_('Started'))
    end_time = columns.DateTimeColumn(verbose_name=_('Ended'))
    status = columns.ChoiceFieldColumn(verbose_name=_('Status'))
    tags = columns.TagColumn(url_name='plugins:netbox_proxbox:vmtaskhistory_list')

    class Meta(NetBoxTable.Meta):
        model = VMTaskHistory
        fields = (
            'pk',
            'id',
            'task_type',
            'upid',
            'node',
            'object_id',
            'user',
            'start_time',
            'end_time',
            'status',
            'exit_status',
            'virtual_machine',
            'tags',
            'created',
            'last_updated',
        )
        default_columns = ('pk', 'task_type', 'object_id', 'node', 'user', 'start_time', 'end_time', 'status')

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from netbox.tables import PrimaryModelTable, columns

from ..models import VMSnapshot

__all__ = ('VMSnapshotTable',)


class VMSnapshotTable(PrimaryModelTable):
    name = tables.Column(verbose_name=_('Name'), linkify=True)
    virtual_machine = tables.Column(verbose_name=_('Virtual machine'), linkify=True)
    snapshot_time = columns.DateTimeColumn(verbose_name=_('Taken at'), timespec='minutes')
    vmstate = columns.BooleanColumn(verbose_name=_('Includes RAM'))
    tags = columns.TagColumn(url_name='plugins:netbox_proxbox:vmsnapshot_list')

    class Meta(PrimaryModelTable.Meta):
        model = VMSnapshot
        fields = (
            'pk',
            'id',
            'name',
            'virtual_machine',
            'parent',
            'snapshot_time',
            'vmstate',
            'description',
            'owner',
            'owner_group',
            'comments',
            'tags',
            'created',
            'last_updated',
        )
        default_columns = ('pk', 'name', 'virtual_machine', 'parent', 'snapshot_time', 'vmstate', 'description')

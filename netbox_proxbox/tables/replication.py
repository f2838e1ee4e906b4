import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from netbox.tables import PrimaryModelTable, columns

from ..models import Replication

__all__ = ('ReplicationTable',)


class ReplicationTable(PrimaryModelTable):
    job_id = tables.Column(verbose_name=_('Job ID'), linkify=True)
    cluster = tables.Column(verbose_name=_('Proxmox cluster'), linkify=True)
    guest_id = tables.Column(verbose_name=_('VMID'))
    virtual_machine = tables.Column(verbose_name=_('Virtual machine'), linkify=True)
    source = tables.Column(verbose_name=_('Source'), linkify=True)
    target = tables.Column(verbose_name=_('Target'), linkify=True)
    disabled = columns.BooleanColumn(verbose_name=_('Disabled'))
    last_sync = columns.DateTimeColumn(verbose_name=_('Last sync'), timespec='minutes')
    next_sync = columns.DateTimeColumn(verbose_name=_('Next sync'), timespec='minutes')
    error = tables.Column(verbose_name=_('Last error'))
    tags = columns.TagColumn(url_name='plugins:netbox_proxbox:replication_list')

    class Meta(PrimaryModelTable.Meta):
        model = Replication
        fields = (
            'pk',
            'id',
            'job_id',
            'cluster',
            'guest_id',
            'virtual_machine',
            'source',
            'target',
            'schedule',
            'rate',
            'disabled',
            'comment',
            'last_sync',
            'next_sync',
            'duration',
            'fail_count',
            'error',
            'description',
            'owner',
            'owner_group',
            'comments',
            'tags',
            'created',
            'last_updated',
        )
        default_columns = (
            'pk',
            'job_id',
            'virtual_machine',
            'source',
            'target',
            'schedule',
            'disabled',
            'last_sync',
            'fail_count',
        )

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from netbox.tables import PrimaryModelTable, columns

from ..models import VMBackup

__all__ = ('VMBackupTable',)


class VMBackupTable(PrimaryModelTable):
    volume_id = tables.Column(verbose_name=_('Volume ID'), linkify=True)
    storage = tables.Column(verbose_name=_('Storage'), linkify=True)
    virtual_machine = tables.Column(verbose_name=_('Virtual machine'), linkify=True)
    guest_id = tables.Column(verbose_name=_('VMID'))
    guest_type = columns.ChoiceFieldColumn(verbose_name=_('Guest type'))
    size = columns.TemplateColumn(
        template_code='{% if value %}{{ value|filesizeformat }}{% endif %}', verbose_name=_('Size')
    )
    creation_time = columns.DateTimeColumn(verbose_name=_('Created at'), timespec='minutes')
    protected = columns.BooleanColumn(verbose_name=_('Protected'))
    verification_state = columns.ChoiceFieldColumn(verbose_name=_('Verification'))
    encrypted = columns.BooleanColumn(verbose_name=_('Encrypted'))
    tags = columns.TagColumn(url_name='plugins:netbox_proxbox:vmbackup_list')

    class Meta(PrimaryModelTable.Meta):
        model = VMBackup
        fields = (
            'pk',
            'id',
            'volume_id',
            'storage',
            'virtual_machine',
            'guest_id',
            'guest_type',
            'format',
            'size',
            'creation_time',
            'notes',
            'protected',
            'verification_state',
            'encrypted',
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
            'volume_id',
            'storage',
            'virtual_machine',
            'guest_type',
            'size',
            'creation_time',
            'protected',
            'verification_state',
        )

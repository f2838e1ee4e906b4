import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from netbox.tables import NetBoxTable, columns

from ..models import ProxboxPluginSettings

__all__ = ('ProxboxPluginSettingsTable',)


class ProxboxPluginSettingsTable(NetBoxTable):
    name = tables.Column(verbose_name=_('Name'), linkify=True)
    prune_policy = columns.ChoiceFieldColumn(verbose_name=_('Prune policy'))
    templates = columns.ChoiceFieldColumn(verbose_name=_('Templates'))
    tags = columns.TagColumn(url_name='plugins:netbox_proxbox:proxboxpluginsettings_list')

    class Meta(NetBoxTable.Meta):
        model = ProxboxPluginSettings
        fields = (
            'pk',
            'id',
            'name',
            'read_concurrency',
            'write_concurrency',
            'batch_size',
            'proxmox_timeout',
            'netbox_timeout',
            'retries',
            'templates',
            'prune_policy',
            'prune_grace_days',
            'task_history_days',
            'default_schedule_interval',
            'tags',
            'created',
            'last_updated',
        )
        default_columns = (
            'pk',
            'name',
            'read_concurrency',
            'write_concurrency',
            'batch_size',
            'prune_policy',
            'default_schedule_interval',
        )

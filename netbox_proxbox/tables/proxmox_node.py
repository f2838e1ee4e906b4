import django_tables2 as tables
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from netbox.tables import PrimaryModelTable, columns

from ..models import ProxmoxNode

__all__ = ('ProxmoxNodeTable',)


class ProxmoxNodeTable(PrimaryModelTable):
    name = tables.Column(verbose_name=_('Name'), linkify=True)
    cluster = tables.Column(verbose_name=_('Proxmox cluster'), linkify=True)
    endpoint = tables.Column(verbose_name=_('Endpoint'), accessor='cluster__endpoint', linkify=True)
    node_id = tables.Column(verbose_name=_('Node ID'))
    ip_address = tables.Column(verbose_name=_('IP address'))
    online = columns.BooleanColumn(verbose_name=_('Online'))
    pve_version = tables.Column(verbose_name=_('PVE version'))
    cpu_model = tables.Column(verbose_name=_('CPU model'))
    cpu_count = tables.Column(verbose_name=_('CPUs'))
    memory_total = tables.Column(verbose_name=_('Memory'))
    device = tables.Column(verbose_name=_('Device'), linkify=True)
    tags = columns.TagColumn(url_name='plugins:netbox_proxbox:proxmoxnode_list')

    class Meta(PrimaryModelTable.Meta):
        model = ProxmoxNode
        fields = (
            'pk',
            'id',
            'name',
            'cluster',
            'endpoint',
            'node_id',
            'ip_address',
            'online',
            'pve_version',
            'cpu_model',
            'cpu_count',
            'memory_total',
            'device',
            'description',
            'comments',
            'tags',
            'created',
            'last_updated',
        )
        default_columns = ('pk', 'name', 'cluster', 'ip_address', 'online', 'pve_version', 'cpu_count', 'device')

    def render_memory_total(self, value):
        return filesizeformat(value)

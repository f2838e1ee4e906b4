import django_tables2 as tables
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from netbox.tables import PrimaryModelTable, columns

from ..models import ProxmoxStorage

__all__ = ('ProxmoxStorageTable',)


class ProxmoxStorageTable(PrimaryModelTable):
    name = tables.Column(verbose_name=_('Storage ID'), linkify=True)
    cluster = tables.Column(verbose_name=_('Proxmox cluster'), linkify=True)
    type = columns.ChoiceFieldColumn(verbose_name=_('Type'))
    content = columns.ArrayColumn(verbose_name=_('Content'))
    shared = columns.BooleanColumn(verbose_name=_('Shared'))
    enabled = columns.BooleanColumn(verbose_name=_('Enabled'))
    path = tables.Column(verbose_name=_('Path or target'))
    nodes = columns.ManyToManyColumn(verbose_name=_('Nodes'), linkify_item=True)
    total = tables.Column(verbose_name=_('Total'))
    used = tables.Column(verbose_name=_('Used'))
    available = tables.Column(verbose_name=_('Available'))
    # Usage is unknown for a storage no node reports: show nothing rather than a bar.
    utilization = columns.TemplateColumn(
        template_code='{% load helpers %}{% if value is not None %}{% utilization_graph value %}{% endif %}',
        verbose_name=_('Utilization'),
        orderable=False,
    )
    tags = columns.TagColumn(url_name='plugins:netbox_proxbox:proxmoxstorage_list')

    class Meta(PrimaryModelTable.Meta):
        model = ProxmoxStorage
        fields = (
            'pk',
            'id',
            'name',
            'cluster',
            'type',
            'content',
            'shared',
            'enabled',
            'path',
            'nodes',
            'total',
            'used',
            'available',
            'utilization',
            'description',
            'comments',
            'tags',
            'created',
            'last_updated',
        )
        default_columns = ('pk', 'name', 'cluster', 'type', 'content', 'shared', 'enabled', 'utilization')

    def render_total(self, value):
        return filesizeformat(value)

    def render_used(self, value):
        return filesizeformat(value)

    def render_available(self, value):
        return filesizeformat(value)

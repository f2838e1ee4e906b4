import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from netbox.tables import PrimaryModelTable, columns

from ..models import ProxmoxCluster

__all__ = ('ProxmoxClusterTable',)


class ProxmoxClusterTable(PrimaryModelTable):
    name = tables.Column(verbose_name=_('Name'), linkify=True)
    endpoint = tables.Column(verbose_name=_('Endpoint'), linkify=True)
    standalone = columns.BooleanColumn(verbose_name=_('Standalone'))
    quorate = columns.BooleanColumn(verbose_name=_('Quorate'))
    pve_version = tables.Column(verbose_name=_('PVE version'))
    node_count = tables.Column(verbose_name=_('Nodes'))
    cluster = tables.Column(verbose_name=_('NetBox cluster'), linkify=True)
    last_synced = columns.DateTimeColumn(verbose_name=_('Last synced'))
    tags = columns.TagColumn(url_name='plugins:netbox_proxbox:proxmoxcluster_list')

    class Meta(PrimaryModelTable.Meta):
        model = ProxmoxCluster
        fields = (
            'pk',
            'id',
            'name',
            'endpoint',
            'standalone',
            'quorate',
            'pve_version',
            'node_count',
            'cluster',
            'last_synced',
            'description',
            'comments',
            'tags',
            'created',
            'last_updated',
        )
        default_columns = ('pk', 'name', 'endpoint', 'standalone', 'quorate', 'pve_version', 'node_count', 'cluster')

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from netbox.tables import PrimaryModelTable, columns

from ..models import NetBoxEndpoint
from .columns import TLSColumn

__all__ = ('NetBoxEndpointTable',)


# The token is write-only: it has no column.
class NetBoxEndpointTable(PrimaryModelTable):
    name = tables.Column(verbose_name=_('Name'), linkify=True)
    url = tables.Column(verbose_name=_('URL'))
    verify_ssl = TLSColumn(verbose_name=_('Verify TLS'))
    tags = columns.TagColumn(url_name='plugins:netbox_proxbox:netboxendpoint_list')

    class Meta(PrimaryModelTable.Meta):
        model = NetBoxEndpoint
        fields = ('pk', 'id', 'name', 'url', 'verify_ssl', 'description', 'comments', 'tags', 'created', 'last_updated')
        default_columns = ('pk', 'name', 'url', 'verify_ssl', 'description')

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from netbox.tables import PrimaryModelTable, columns

from ..models import FastAPIEndpoint
from .columns import TLSColumn

__all__ = ('FastAPIEndpointTable',)


# The API key is write-only: it has no column.
class FastAPIEndpointTable(PrimaryModelTable):
    name = tables.Column(verbose_name=_('Name'), linkify=True)
    url = tables.Column(verbose_name=_('URL'))
    verify_ssl = TLSColumn(verbose_name=_('Verify TLS'))
    timeout = tables.Column(verbose_name=_('Timeout'))
    tags = columns.TagColumn(url_name='plugins:netbox_proxbox:fastapiendpoint_list')

    class Meta(PrimaryModelTable.Meta):
        model = FastAPIEndpoint
        fields = (
            'pk',
            'id',
            'name',
            'url',
            'verify_ssl',
            'timeout',
            'description',
            'comments',
            'tags',
            'created',
            'last_updated',
        )
        default_columns = ('pk', 'name', 'url', 'verify_ssl', 'timeout', 'description')

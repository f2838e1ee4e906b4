import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from netbox.tables import PrimaryModelTable, columns
from tenancy.tables import TenancyColumnsMixin

from ..models import ProxmoxEndpoint
from .columns import TLSColumn

__all__ = ('ProxmoxEndpointTable',)


class ProxmoxEndpointTable(TenancyColumnsMixin, PrimaryModelTable):
    name = tables.Column(verbose_name=_('Name'), linkify=True)
    host = tables.Column(verbose_name=_('Host'))
    port = tables.Column(verbose_name=_('Port'))
    username = tables.Column(verbose_name=_('Username'))
    token_name = tables.Column(verbose_name=_('Token'))
    auth_method = columns.ChoiceFieldColumn(verbose_name=_('Authentication'), orderable=False)
    verify_ssl = TLSColumn(verbose_name=_('Verify TLS'))
    enabled = columns.BooleanColumn(verbose_name=_('Enabled'))
    site = tables.Column(verbose_name=_('Site'), linkify=True)
    sync_interval = tables.Column(verbose_name=_('Sync interval (min)'))
    continuous_interval = tables.Column(verbose_name=_('Continuous (s)'))
    follow_notifications = columns.BooleanColumn(verbose_name=_('Notifications'))
    tags = columns.TagColumn(url_name='plugins:netbox_proxbox:proxmoxendpoint_list')

    class Meta(PrimaryModelTable.Meta):
        model = ProxmoxEndpoint
        fields = (
            'pk',
            'id',
            'name',
            'host',
            'port',
            'username',
            'token_name',
            'auth_method',
            'verify_ssl',
            'timeout',
            'enabled',
            'site',
            'tenant',
            'tenant_group',
            'sync_interval',
            'continuous_interval',
            'follow_notifications',
            'sync_start',
            'description',
            'comments',
            'tags',
            'created',
            'last_updated',
        )
        default_columns = ('pk', 'name', 'host', 'port', 'username', 'auth_method', 'verify_ssl', 'enabled', 'site')

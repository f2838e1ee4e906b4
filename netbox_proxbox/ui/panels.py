from django.utils.translation import gettext_lazy as _

from netbox.ui import attrs, panels

__all__ = ('ProxmoxEndpointCredentialsPanel', 'ProxmoxEndpointPanel', 'SecretAttr')


class SecretAttr(attrs.ObjectAttribute):
    """Says whether a write-only secret is stored; the secret itself never reaches the template."""

    template_name = 'netbox_proxbox/attrs/secret.html'

    def get_value(self, obj):
        return 'stored' if super().get_value(obj) else 'unset'


class ProxmoxEndpointPanel(panels.ObjectAttributesPanel):
    name = attrs.TextAttr('name')
    host = attrs.TextAttr('host', style='font-monospace')
    port = attrs.TextAttr('port')
    url = attrs.TextAttr('url', label=_('API URL'), style='font-monospace')
    enabled = attrs.BooleanAttr('enabled')
    verify_ssl = attrs.BooleanAttr('verify_ssl', label=_('Verify TLS'))
    timeout = attrs.TextAttr('timeout', label=_('Timeout (seconds)'))
    site = attrs.RelatedObjectAttr('site', linkify=True)
    tenant = attrs.RelatedObjectAttr('tenant', linkify=True, grouped_by='group')
    description = attrs.TextAttr('description')


class ProxmoxEndpointCredentialsPanel(panels.ObjectAttributesPanel):
    """Who the sync logs in as. Secrets are never shown: only whether one is stored."""

    title = _('Credentials')
    username = attrs.TextAttr('username', style='font-monospace')
    auth_method = attrs.ChoiceAttr('auth_method', label=_('Authentication'))
    token_name = attrs.TextAttr('token_name', label=_('API token name'), style='font-monospace')
    token_secret = SecretAttr('token_secret', label=_('API token secret'))
    password = SecretAttr('password', label=_('Password'))

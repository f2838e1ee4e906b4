"""Validators for values users type into Proxbox's forms and API."""

import ipaddress
import re
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

__all__ = ('validate_host', 'validate_service_url')

_LABEL = r'[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?'
_HOSTNAME = re.compile(rf'^(?=.{{1,253}}$){_LABEL}(\.{_LABEL})*\.?$')


def validate_host(value):
    """A bare DNS name or IP address: no scheme, port, path or spaces."""
    try:
        ipaddress.ip_address(value)
    except ValueError:
        if not _HOSTNAME.match(value):
            raise ValidationError(
                _('Enter a host name or IP address only, without scheme, port or path (e.g. pve1.example.com).'),
                code='invalid_host',
            ) from None


def _url_error(message):
    return ValidationError(message, code='invalid_url')


def validate_service_url(value):
    """
    The base URL of a service Proxbox calls (NetBox, proxbox-api): http or https, a host (a DNS
    name, including one-word names such as a Compose service, or an IP address), an optional port
    and path; no credentials (the token and the key have their own fields), query or fragment.
    """
    if not value or any(char.isspace() for char in value):
        raise _url_error(_('Enter a URL without spaces, e.g. https://netbox.example.com/.'))
    parts = urlsplit(value)
    if parts.scheme not in ('http', 'https'):
        raise _url_error(_('Use an http:// or https:// URL.'))
    if '@' in parts.netloc:
        raise _url_error(_('Leave credentials out of the URL: the token or API key has its own field.'))
    if parts.query or parts.fragment or value.endswith(('?', '#')):
        raise _url_error(_('Give the base URL only, without a query (?) or fragment (#).'))
    try:
        port = parts.port
    except ValueError:
        port = 0
    if port == 0:
        raise _url_error(_('The port must be between 1 and 65535.'))
    host = parts.hostname
    if not host:
        raise _url_error(_('The URL needs a host, e.g. https://netbox.example.com/.'))
    try:
        validate_host(host)
    except ValidationError:
        raise _url_error(_("The URL's host must be a DNS name or an IP address.")) from None

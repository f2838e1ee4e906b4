"""Validators for values users type into Proxbox's forms and API."""

import ipaddress
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

__all__ = ('validate_host',)

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

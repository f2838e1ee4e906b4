"""Columns shared by Proxbox tables."""

from django.utils.html import format_html
from django.utils.translation import gettext as _

from netbox.tables import columns

__all__ = ('TLSColumn',)


class TLSColumn(columns.BooleanColumn):
    """Verify TLS: a check when on; when off, a warning badge that cannot be mistaken for a detail."""

    def __init__(self, **kwargs):
        kwargs.setdefault('verbose_name', _('Verify TLS'))
        super().__init__(**kwargs)

    def render(self, value):
        if value is False:
            return format_html(
                '<span class="badge text-bg-warning"><i class="mdi mdi-alert" aria-hidden="true"></i> {}</span>',
                _('TLS not verified'),
            )
        return super().render(value)

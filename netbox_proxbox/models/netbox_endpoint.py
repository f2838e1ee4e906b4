from django.db import models
from django.utils.translation import gettext_lazy as _

from netbox.models import PrimaryModel

from ..validators import validate_service_url
from .mixins import SingletonMixin, WriteOnlySecretsMixin, singleton_constraint

__all__ = ('NetBoxEndpoint',)


class NetBoxEndpoint(SingletonMixin, WriteOnlySecretsMixin, PrimaryModel):
    """
    The NetBox the sync service writes to (usually this one), with the API token of a dedicated
    sync user, so NetBox's change log shows every change the sync makes under that user.
    """

    secret_fields = ('token',)

    name = models.CharField(verbose_name=_('name'), max_length=100, unique=True, default='NetBox')
    url = models.CharField(
        verbose_name=_('URL'),
        max_length=500,
        validators=[validate_service_url],
        help_text=_('Base URL of NetBox as the sync service reaches it, e.g. https://netbox.example.com/'),
    )
    token = models.CharField(
        verbose_name=_('API token'),
        max_length=255,
        blank=True,
        help_text=_('Token of the dedicated sync user (v2 "nbt_<key>.<token>" or v1)'),
    )
    verify_ssl = models.BooleanField(verbose_name=_('verify TLS'), default=True)

    class Meta:
        ordering = ('name',)
        verbose_name = _('NetBox endpoint')
        verbose_name_plural = _('NetBox endpoints')
        constraints = (singleton_constraint('netboxendpoint'),)

    def __str__(self):
        return self.name

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from netbox.models import PrimaryModel

from ..validators import validate_service_url
from .mixins import SingletonMixin, WriteOnlySecretsMixin, singleton_constraint

__all__ = ('FastAPIEndpoint',)


class FastAPIEndpoint(SingletonMixin, WriteOnlySecretsMixin, PrimaryModel):
    """The proxbox-api sync service NetBox's background job calls."""

    secret_fields = ('api_key',)

    name = models.CharField(verbose_name=_('name'), max_length=100, unique=True, default='proxbox-api')
    url = models.CharField(
        verbose_name=_('URL'),
        max_length=500,
        validators=[validate_service_url],
        help_text=_('Base URL of proxbox-api, e.g. http://127.0.0.1:8800/'),
    )
    api_key = models.CharField(verbose_name=_('API key'), max_length=255, blank=True)
    verify_ssl = models.BooleanField(verbose_name=_('verify TLS'), default=True)
    timeout = models.PositiveIntegerField(
        verbose_name=_('timeout'),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(3600)],
        help_text=_('Seconds to wait for proxbox-api to answer (the sync stream itself may run longer)'),
    )

    class Meta:
        ordering = ('name',)
        verbose_name = _('proxbox-api endpoint')
        verbose_name_plural = _('proxbox-api endpoints')
        constraints = (singleton_constraint('fastapiendpoint'),)

    def __str__(self):
        return self.name

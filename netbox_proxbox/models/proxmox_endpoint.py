from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from netbox.models import PrimaryModel
from netbox.models.features import JobsMixin

from ..choices import AuthMethodChoices
from ..constants import PROXMOX_DEFAULT_PORT, PROXMOX_DEFAULT_TIMEOUT, PROXMOX_TOKEN_NAME_REGEX, PROXMOX_USERID_REGEX
from ..validators import validate_host
from .mixins import WriteOnlySecretsMixin

__all__ = ('ProxmoxEndpoint', 'default_sync_interval', 'default_timeout')


def default_sync_interval():
    """
    A new endpoint's Full Update interval (minutes): the Proxbox settings' default schedule, or the
    plugin setting `default_schedule_interval` when nobody saved settings. The add form, the REST API
    and CSV import start from it (not the model field's default: that would query the settings for
    every endpoint instance Django makes).
    """
    from django.conf import settings

    from .plugin_settings import ProxboxPluginSettings

    stored = ProxboxPluginSettings.objects.values('default_schedule_interval').first()
    if stored is not None:
        return stored['default_schedule_interval']
    return settings.PLUGINS_CONFIG.get('netbox_proxbox', {}).get('default_schedule_interval')


def default_timeout():
    """
    A new endpoint's Proxmox request timeout (seconds): the Proxbox settings' `proxmox_timeout`, or
    the built-in default when nobody saved settings. Like the schedule, the add form, the REST API
    and CSV import start from it; each endpoint's own timeout is what a sync then uses.
    """
    from .plugin_settings import ProxboxPluginSettings

    stored = ProxboxPluginSettings.objects.values('proxmox_timeout').first()
    return PROXMOX_DEFAULT_TIMEOUT if stored is None else stored['proxmox_timeout']


class ProxmoxEndpoint(WriteOnlySecretsMixin, JobsMixin, PrimaryModel):
    """
    A Proxmox VE API the sync reads: one node of a cluster (any node answers for the whole
    cluster) or a standalone node, with the credentials of a Proxmox user or API token.
    """

    secret_fields = ('token_secret', 'password')

    name = models.CharField(verbose_name=_('name'), max_length=100, unique=True)
    host = models.CharField(
        verbose_name=_('host'),
        max_length=255,
        validators=[validate_host],
        help_text=_('DNS name or IP address of a Proxmox VE node'),
    )
    port = models.PositiveIntegerField(
        verbose_name=_('port'),
        default=PROXMOX_DEFAULT_PORT,
        validators=[MinValueValidator(1), MaxValueValidator(65535)],
    )
    username = models.CharField(
        verbose_name=_('username'),
        max_length=100,
        validators=[RegexValidator(PROXMOX_USERID_REGEX, _('Use the form user@realm, e.g. root@pam'))],
        help_text=_('Proxmox user id, e.g. proxbox@pve'),
    )
    token_name = models.CharField(
        verbose_name=_('API token name'),
        max_length=100,
        blank=True,
        validators=[RegexValidator(PROXMOX_TOKEN_NAME_REGEX, _('Letters, digits, ".", "-" and "_" only'))],
        help_text=_('The token id after "!" (user@realm!name); leave empty to log in with a password'),
    )
    token_secret = models.CharField(verbose_name=_('API token secret'), max_length=255, blank=True)
    password = models.CharField(verbose_name=_('password'), max_length=255, blank=True)
    verify_ssl = models.BooleanField(
        verbose_name=_('verify TLS'),
        default=True,
        help_text=_('Check the server certificate; turn off only for a self-signed certificate you trust'),
    )
    ca_certificate = models.TextField(
        verbose_name=_('CA certificate'),
        blank=True,
        help_text=_('PEM bundle to verify the server certificate with (e.g. the cluster CA)'),
    )
    timeout = models.PositiveIntegerField(
        verbose_name=_('timeout'),
        default=PROXMOX_DEFAULT_TIMEOUT,
        validators=[MinValueValidator(1), MaxValueValidator(600)],
        help_text=_('Seconds one Proxmox API request may take'),
    )
    enabled = models.BooleanField(verbose_name=_('enabled'), default=True)
    site = models.ForeignKey(
        to='dcim.Site',
        on_delete=models.PROTECT,
        related_name='+',
        verbose_name=_('site'),
        blank=True,
        null=True,
        help_text=_('Site of the clusters and nodes synced from this endpoint'),
    )
    tenant = models.ForeignKey(
        to='tenancy.Tenant',
        on_delete=models.PROTECT,
        related_name='+',
        verbose_name=_('tenant'),
        blank=True,
        null=True,
    )
    sync_interval = models.PositiveIntegerField(
        verbose_name=_('sync interval'),
        blank=True,
        null=True,
        validators=[MinValueValidator(5)],
        help_text=_('Minutes between scheduled Full Updates (1440 = nightly); empty for no schedule'),
    )
    continuous_interval = models.PositiveIntegerField(
        verbose_name=_('continuous mode'),
        blank=True,
        null=True,
        validators=[MinValueValidator(10), MaxValueValidator(3600)],
        help_text=_(
            'Seconds between cheap polls of the cluster (two Proxmox requests); guests found changed are '
            'synced at once (a targeted sync). Empty: off'
        ),
    )
    follow_notifications = models.BooleanField(
        verbose_name=_('follow notifications'),
        default=False,
        help_text=_(
            "Sync the guests named by this cluster's Proxmox VE notifications (backup, replication, fencing) "
            'within seconds; needs a webhook notification target pointing at proxbox-api'
        ),
    )
    sync_start = models.DateTimeField(
        verbose_name=_('first scheduled sync'),
        blank=True,
        null=True,
        help_text=_(
            'When the schedule starts; later runs follow every interval from it. Empty: the next 03:00 '
            'for daily intervals, else one interval from now'
        ),
    )

    clone_fields = ('port', 'username', 'verify_ssl', 'timeout', 'enabled', 'site', 'tenant', 'sync_interval')

    class Meta:
        ordering = ('name',)
        verbose_name = _('Proxmox endpoint')
        verbose_name_plural = _('Proxmox endpoints')

    def __str__(self):
        return self.name

    @property
    def auth_method(self):
        return AuthMethodChoices.TOKEN if self.token_name else AuthMethodChoices.PASSWORD

    def get_auth_method_color(self):
        return AuthMethodChoices.colors.get(self.auth_method)

    def get_auth_method_display(self):
        return dict(AuthMethodChoices)[self.auth_method]

    @property
    def url(self):
        host = f'[{self.host}]' if ':' in self.host else self.host
        return f'https://{host}:{self.port}/api2/json'

    def clean(self):
        super().clean()
        if self.token_name and not self.token_secret:
            raise ValidationError({'token_secret': _('An API token needs its secret.')})
        if self.token_secret and not self.token_name:
            raise ValidationError({'token_name': _('Name the API token this secret belongs to.')})
        if not self.token_name and not self.password:
            raise ValidationError({'password': _('Give an API token (name and secret) or a password.')})

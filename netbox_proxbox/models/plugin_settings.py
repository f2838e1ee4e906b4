from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from netbox.models import NetBoxModel

from ..choices import FieldOwnershipChoices, PrunePolicyChoices, TemplateHandlingChoices
from .mixins import SingletonMixin, singleton_constraint

__all__ = ('DEFAULT_FIELD_OWNERSHIP', 'SYNC_FAMILIES', 'ProxboxPluginSettings')

# What a sync can keep in step; each one can be switched off.
SYNC_FAMILIES = (
    'nodes',
    'virtual_machines',
    'containers',
    'interfaces',
    'ip_addresses',
    'virtual_disks',
    'storage',
    'snapshots',
    'backups',
    'backup_routines',
    'replications',
    'tasks',
)

# Fields people usually curate in NetBox: set when the object is created, then left alone.
DEFAULT_FIELD_OWNERSHIP = {
    'virtualization.virtualmachine.description': FieldOwnershipChoices.NETBOX,
    'virtualization.virtualmachine.comments': FieldOwnershipChoices.NETBOX,
    'virtualization.virtualmachine.tenant': FieldOwnershipChoices.NETBOX,
    'virtualization.virtualmachine.role': FieldOwnershipChoices.IF_EMPTY,
    'virtualization.virtualmachine.platform': FieldOwnershipChoices.IF_EMPTY,
    'dcim.device.description': FieldOwnershipChoices.NETBOX,
    'dcim.device.comments': FieldOwnershipChoices.NETBOX,
    'dcim.device.rack': FieldOwnershipChoices.NETBOX,
}


def _validate_ownership(value):
    if not isinstance(value, dict):
        raise ValidationError(_('Give a mapping of "app.model.field" to an ownership mode.'))
    modes = {choice[0] for choice in FieldOwnershipChoices}
    for key, mode in value.items():
        if not isinstance(key, str) or key.count('.') != 2:
            raise ValidationError(_('%(key)s: use the form app.model.field') % {'key': key})
        if mode not in modes:
            raise ValidationError(
                _('%(key)s: %(mode)s is not one of %(modes)s') % {'key': key, 'mode': mode, 'modes': sorted(modes)}
            )


def _family_field(name):
    return models.BooleanField(verbose_name=_('sync %(family)s') % {'family': name.replace('_', ' ')}, default=True)


class ProxboxPluginSettings(SingletonMixin, NetBoxModel):
    """
    The sync's knobs, honoured by proxbox-api on every run: concurrency and batching, what to
    sync, what to do with objects that disappeared from Proxmox, and who owns which field.
    """

    name = models.CharField(verbose_name=_('name'), max_length=100, unique=True, default='Proxbox settings')
    read_concurrency = models.PositiveSmallIntegerField(
        verbose_name=_('read concurrency'),
        default=8,
        validators=[MinValueValidator(1), MaxValueValidator(64)],
        help_text=_('Proxmox API requests in flight at once, per endpoint'),
    )
    write_concurrency = models.PositiveSmallIntegerField(
        verbose_name=_('write concurrency'),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(16)],
        help_text=_('NetBox bulk writes in flight at once'),
    )
    batch_size = models.PositiveSmallIntegerField(
        verbose_name=_('batch size'),
        default=100,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
        help_text=_('Objects per NetBox bulk request'),
    )
    proxmox_timeout = models.PositiveSmallIntegerField(
        verbose_name=_('Proxmox timeout (s)'), default=30, validators=[MinValueValidator(1), MaxValueValidator(600)]
    )
    netbox_timeout = models.PositiveSmallIntegerField(
        verbose_name=_('NetBox timeout (s)'), default=120, validators=[MinValueValidator(1), MaxValueValidator(3600)]
    )
    retries = models.PositiveSmallIntegerField(
        verbose_name=_('retries'),
        default=3,
        validators=[MaxValueValidator(10)],
        help_text=_('Retries of a failed read or batch (timeouts, 5xx, 429), with backoff'),
    )
    sync_nodes = _family_field('nodes')
    sync_virtual_machines = _family_field('virtual_machines')
    sync_containers = _family_field('containers')
    sync_interfaces = _family_field('interfaces')
    sync_ip_addresses = _family_field('ip_addresses')
    sync_virtual_disks = _family_field('virtual_disks')
    sync_storage = _family_field('storage')
    sync_snapshots = _family_field('snapshots')
    sync_backups = _family_field('backups')
    sync_backup_routines = _family_field('backup_routines')
    sync_replications = _family_field('replications')
    sync_tasks = _family_field('tasks')
    templates = models.CharField(
        verbose_name=_('templates'),
        max_length=10,
        choices=TemplateHandlingChoices,
        default=TemplateHandlingChoices.TAG,
    )
    prune_policy = models.CharField(
        verbose_name=_('prune policy'),
        max_length=10,
        choices=PrunePolicyChoices,
        default=PrunePolicyChoices.MARK,
        help_text=_('What happens to synced objects that disappeared from Proxmox'),
    )
    prune_grace_days = models.PositiveSmallIntegerField(
        verbose_name=_('grace period (days)'),
        default=7,
        validators=[MaxValueValidator(3650)],
        help_text=_('With "delete": days after the first miss before deleting'),
    )
    field_ownership = models.JSONField(
        verbose_name=_('field ownership'),
        default=dict,
        blank=True,
        validators=[_validate_ownership],
        help_text=_('Overrides per "app.model.field": proxmox, netbox or if-empty'),
    )
    task_history_days = models.PositiveSmallIntegerField(
        verbose_name=_('task history (days)'), default=7, validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    default_schedule_interval = models.PositiveIntegerField(
        verbose_name=_('default schedule (minutes)'),
        blank=True,
        null=True,
        default=24 * 60,
        validators=[MinValueValidator(5)],
        help_text=_("Interval of a new endpoint's scheduled Full Update; empty for none"),
    )

    class Meta:
        verbose_name = _('Proxbox settings')
        verbose_name_plural = _('Proxbox settings')
        constraints = (singleton_constraint('proxboxpluginsettings'),)

    def __str__(self):
        return self.name

    @classmethod
    def current(cls):
        """The settings in force: the stored row, or the defaults when nobody saved any."""
        return cls.get_solo() or cls()

    def effective_field_ownership(self):
        return {**DEFAULT_FIELD_OWNERSHIP, **(self.field_ownership or {})}

    def enabled_families(self):
        return [family for family in SYNC_FAMILIES if getattr(self, f'sync_{family}')]

from django.db import models
from django.utils.translation import gettext_lazy as _

from netbox.models import PrimaryModel

from ..choices import BackupVerificationChoices, GuestTypeChoices
from .mixins import UniqueErrorFieldMixin

__all__ = ('VMBackup',)


class VMBackup(UniqueErrorFieldMixin, PrimaryModel):
    """
    One backup archive of a guest on a storage: a vzdump file on a directory-style storage or a
    snapshot on a Proxmox Backup Server storage.
    """

    storage = models.ForeignKey(
        to='netbox_proxbox.ProxmoxStorage',
        on_delete=models.CASCADE,
        related_name='backups',
        verbose_name=_('storage'),
    )
    volume_id = models.CharField(verbose_name=_('volume ID'), max_length=500)
    virtual_machine = models.ForeignKey(
        to='virtualization.VirtualMachine',
        on_delete=models.SET_NULL,
        related_name='proxmox_backups',
        verbose_name=_('virtual machine'),
        blank=True,
        null=True,
    )
    guest_id = models.PositiveIntegerField(verbose_name=_('VMID'))
    guest_type = models.CharField(verbose_name=_('guest type'), max_length=10, choices=GuestTypeChoices)
    format = models.CharField(verbose_name=_('format'), max_length=30, blank=True)
    size = models.PositiveBigIntegerField(verbose_name=_('size (bytes)'), blank=True, null=True)
    creation_time = models.DateTimeField(verbose_name=_('created at'), blank=True, null=True)
    notes = models.TextField(verbose_name=_('notes'), blank=True)
    protected = models.BooleanField(verbose_name=_('protected'), default=False)
    verification_state = models.CharField(
        verbose_name=_('verification'),
        max_length=10,
        choices=BackupVerificationChoices,
        default=BackupVerificationChoices.NONE,
    )
    encrypted = models.BooleanField(verbose_name=_('encrypted'), default=False)

    class Meta:
        ordering = ('storage', '-creation_time', 'volume_id')
        verbose_name = _('VM backup')
        verbose_name_plural = _('VM backups')
        constraints = (
            models.UniqueConstraint(
                fields=('storage', 'volume_id'),
                name='netbox_proxbox_vmbackup_unique_storage_volume_id',
                violation_error_message=_('This storage already has a backup with that volume ID.'),
            ),
        )

    unique_error_field = 'volume_id'

    def __str__(self):
        return self.volume_id

    def get_guest_type_color(self):
        return GuestTypeChoices.colors.get(self.guest_type)

    def get_verification_state_color(self):
        return BackupVerificationChoices.colors.get(self.verification_state)

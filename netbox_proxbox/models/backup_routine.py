from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from netbox.models import PrimaryModel

from ..choices import BackupCompressionChoices, BackupModeChoices, BackupSelectionChoices
from .mixins import UniqueErrorFieldMixin

__all__ = ('BackupRoutine',)


class BackupRoutine(UniqueErrorFieldMixin, PrimaryModel):
    """A scheduled vzdump backup job of a Proxmox cluster (`/cluster/backup`)."""

    cluster = models.ForeignKey(
        to='netbox_proxbox.ProxmoxCluster',
        on_delete=models.CASCADE,
        related_name='backup_routines',
        verbose_name=_('Proxmox cluster'),
    )
    job_id = models.CharField(verbose_name=_('job ID'), max_length=100)
    schedule = models.CharField(verbose_name=_('schedule'), max_length=200, blank=True)
    enabled = models.BooleanField(verbose_name=_('enabled'), default=True)
    storage = models.ForeignKey(
        to='netbox_proxbox.ProxmoxStorage',
        on_delete=models.SET_NULL,
        related_name='backup_routines',
        verbose_name=_('storage'),
        blank=True,
        null=True,
    )
    node = models.CharField(
        verbose_name=_('node'), max_length=100, blank=True, help_text=_('Only guests on this node, if set')
    )
    mode = models.CharField(verbose_name=_('mode'), max_length=20, choices=BackupModeChoices, default='snapshot')
    compression = models.CharField(
        verbose_name=_('compression'), max_length=10, choices=BackupCompressionChoices, blank=True
    )
    selection = models.CharField(
        verbose_name=_('selection'), max_length=10, choices=BackupSelectionChoices, default=BackupSelectionChoices.ALL
    )
    guest_ids = ArrayField(
        base_field=models.PositiveIntegerField(),
        verbose_name=_('guests'),
        default=list,
        blank=True,
        help_text=_('VMIDs backed up (selection "guests") or excluded (selection "all")'),
    )
    pool = models.CharField(verbose_name=_('pool'), max_length=100, blank=True)
    keep_last = models.PositiveIntegerField(verbose_name=_('keep last'), blank=True, null=True)
    keep_hourly = models.PositiveIntegerField(verbose_name=_('keep hourly'), blank=True, null=True)
    keep_daily = models.PositiveIntegerField(verbose_name=_('keep daily'), blank=True, null=True)
    keep_weekly = models.PositiveIntegerField(verbose_name=_('keep weekly'), blank=True, null=True)
    keep_monthly = models.PositiveIntegerField(verbose_name=_('keep monthly'), blank=True, null=True)
    keep_yearly = models.PositiveIntegerField(verbose_name=_('keep yearly'), blank=True, null=True)
    next_run = models.DateTimeField(verbose_name=_('next run'), blank=True, null=True)
    comment = models.CharField(verbose_name=_('Proxmox comment'), max_length=500, blank=True)

    class Meta:
        ordering = ('cluster', 'job_id')
        verbose_name = _('backup routine')
        verbose_name_plural = _('backup routines')
        constraints = (
            models.UniqueConstraint(
                fields=('cluster', 'job_id'),
                name='netbox_proxbox_backuproutine_unique_cluster_job_id',
                violation_error_message=_('This Proxmox cluster already has a backup job with that ID.'),
            ),
        )

    unique_error_field = 'job_id'

    def __str__(self):
        return self.job_id

    def clean(self):
        super().clean()
        if self.storage_id and self.cluster_id and self.storage.cluster_id != self.cluster_id:
            raise ValidationError({'storage': _('Pick a storage of the same Proxmox cluster.')})
        if self.selection == BackupSelectionChoices.POOL and not self.pool:
            raise ValidationError({'pool': _('A backup job of a pool needs the pool.')})
        if self.selection == BackupSelectionChoices.GUESTS and not self.guest_ids:
            raise ValidationError({'guest_ids': _('List the VMIDs this backup job covers.')})

    def get_mode_color(self):
        return BackupModeChoices.colors.get(self.mode)

    def get_selection_color(self):
        return BackupSelectionChoices.colors.get(self.selection)

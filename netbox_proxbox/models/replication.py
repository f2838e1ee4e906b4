from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from netbox.models import PrimaryModel

from .mixins import UniqueErrorFieldMixin

__all__ = ('Replication',)


class Replication(UniqueErrorFieldMixin, PrimaryModel):
    """A storage replication job of one guest between two nodes (`/cluster/replication`), with its state."""

    cluster = models.ForeignKey(
        to='netbox_proxbox.ProxmoxCluster',
        on_delete=models.CASCADE,
        related_name='replications',
        verbose_name=_('Proxmox cluster'),
    )
    job_id = models.CharField(verbose_name=_('job ID'), max_length=50, help_text=_('<vmid>-<number>, e.g. 100-0'))
    guest_id = models.PositiveIntegerField(verbose_name=_('VMID'))
    virtual_machine = models.ForeignKey(
        to='virtualization.VirtualMachine',
        on_delete=models.SET_NULL,
        related_name='proxmox_replications',
        verbose_name=_('virtual machine'),
        blank=True,
        null=True,
    )
    source = models.ForeignKey(
        to='netbox_proxbox.ProxmoxNode',
        on_delete=models.SET_NULL,
        related_name='+',
        verbose_name=_('source node'),
        blank=True,
        null=True,
    )
    target = models.ForeignKey(
        to='netbox_proxbox.ProxmoxNode',
        on_delete=models.SET_NULL,
        related_name='+',
        verbose_name=_('target node'),
        blank=True,
        null=True,
    )
    schedule = models.CharField(verbose_name=_('schedule'), max_length=200, default='*/15')
    rate = models.FloatField(verbose_name=_('rate limit (MB/s)'), blank=True, null=True)
    disabled = models.BooleanField(verbose_name=_('disabled'), default=False)
    comment = models.CharField(verbose_name=_('Proxmox comment'), max_length=500, blank=True)
    last_sync = models.DateTimeField(verbose_name=_('last sync'), blank=True, null=True)
    next_sync = models.DateTimeField(verbose_name=_('next sync'), blank=True, null=True)
    duration = models.FloatField(verbose_name=_('last duration (s)'), blank=True, null=True)
    fail_count = models.PositiveIntegerField(verbose_name=_('fail count'), default=0)
    error = models.TextField(verbose_name=_('last error'), blank=True)

    class Meta:
        ordering = ('cluster', 'job_id')
        verbose_name = _('replication job')
        verbose_name_plural = _('replication jobs')
        constraints = (
            models.UniqueConstraint(
                fields=('cluster', 'job_id'),
                name='netbox_proxbox_replication_unique_cluster_job_id',
                violation_error_message=_('This Proxmox cluster already has a replication job with that ID.'),
            ),
        )

    unique_error_field = 'job_id'

    def __str__(self):
        return self.job_id

    def clean(self):
        super().clean()
        for field in ('source', 'target'):
            node = getattr(self, field)
            if node is not None and self.cluster_id and node.cluster_id != self.cluster_id:
                raise ValidationError({field: _('Pick a node of the same Proxmox cluster.')})
        if self.source_id and self.source_id == self.target_id:
            raise ValidationError({'target': _('The target node must differ from the source node.')})

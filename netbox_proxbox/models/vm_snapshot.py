from django.db import models
from django.utils.translation import gettext_lazy as _

from netbox.models import PrimaryModel

from .mixins import UniqueErrorFieldMixin

__all__ = ('VMSnapshot',)


class VMSnapshot(UniqueErrorFieldMixin, PrimaryModel):
    """A snapshot of a guest (the pseudo-snapshot "current" is not one)."""

    virtual_machine = models.ForeignKey(
        to='virtualization.VirtualMachine',
        on_delete=models.CASCADE,
        related_name='proxmox_snapshots',
        verbose_name=_('virtual machine'),
    )
    name = models.CharField(verbose_name=_('name'), max_length=100)
    parent = models.CharField(verbose_name=_('parent'), max_length=100, blank=True)
    snapshot_time = models.DateTimeField(verbose_name=_('taken at'), blank=True, null=True)
    vmstate = models.BooleanField(verbose_name=_('includes RAM'), default=False)

    class Meta:
        ordering = ('virtual_machine', 'snapshot_time', 'name')
        verbose_name = _('VM snapshot')
        verbose_name_plural = _('VM snapshots')
        constraints = (
            models.UniqueConstraint(
                fields=('virtual_machine', 'name'),
                name='netbox_proxbox_vmsnapshot_unique_vm_name',
                violation_error_message=_('This virtual machine already has a snapshot of that name.'),
            ),
        )

    unique_error_field = 'name'

    def __str__(self):
        return self.name

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _

from netbox.models import PrimaryModel

from ..choices import StorageContentChoices, StorageTypeChoices

__all__ = ('ProxmoxStorage',)


class ProxmoxStorage(PrimaryModel):
    """A storage defined in a Proxmox cluster (`/storage`), the nodes that see it, and its usage."""

    cluster = models.ForeignKey(
        to='netbox_proxbox.ProxmoxCluster',
        on_delete=models.CASCADE,
        related_name='storages',
        verbose_name=_('Proxmox cluster'),
    )
    name = models.CharField(verbose_name=_('storage ID'), max_length=100)
    type = models.CharField(verbose_name=_('type'), max_length=30, choices=StorageTypeChoices)
    content = ArrayField(
        base_field=models.CharField(max_length=20, choices=StorageContentChoices),
        verbose_name=_('content'),
        default=list,
        blank=True,
    )
    shared = models.BooleanField(verbose_name=_('shared'), default=False)
    enabled = models.BooleanField(verbose_name=_('enabled'), default=True)
    path = models.CharField(verbose_name=_('path or target'), max_length=255, blank=True)
    nodes = models.ManyToManyField(
        to='netbox_proxbox.ProxmoxNode',
        related_name='storages',
        verbose_name=_('nodes'),
        blank=True,
    )
    total = models.PositiveBigIntegerField(verbose_name=_('total (bytes)'), blank=True, null=True)
    used = models.PositiveBigIntegerField(verbose_name=_('used (bytes)'), blank=True, null=True)
    available = models.PositiveBigIntegerField(verbose_name=_('available (bytes)'), blank=True, null=True)

    class Meta:
        ordering = ('cluster', 'name')
        verbose_name = _('Proxmox storage')
        verbose_name_plural = _('Proxmox storages')
        constraints = (
            models.UniqueConstraint(
                fields=('cluster', 'name'),
                name='netbox_proxbox_proxmoxstorage_unique_cluster_name',
                violation_error_message=_('This Proxmox cluster already has a storage with that ID.'),
            ),
        )

    def __str__(self):
        # The name alone, like NetBox's interfaces: tables and panels show the cluster beside it.
        return self.name

    def get_type_color(self):
        return StorageTypeChoices.colors.get(self.type)

    @property
    def utilization(self):
        """Percent used, for NetBox's utilization bar."""
        if not self.total:
            return None
        return round(100 * (self.used or 0) / self.total, 1)

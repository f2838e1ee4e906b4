from django.db import models
from django.utils.translation import gettext_lazy as _

from netbox.models import PrimaryModel

__all__ = ('ProxmoxNode',)


class ProxmoxNode(PrimaryModel):
    """A Proxmox VE node, linked to the NetBox device that represents it."""

    cluster = models.ForeignKey(
        to='netbox_proxbox.ProxmoxCluster',
        on_delete=models.CASCADE,
        related_name='nodes',
        verbose_name=_('Proxmox cluster'),
    )
    name = models.CharField(verbose_name=_('name'), max_length=100)
    node_id = models.PositiveIntegerField(
        verbose_name=_('node ID'), blank=True, null=True, help_text=_('Corosync node id')
    )
    ip_address = models.GenericIPAddressField(verbose_name=_('IP address'), blank=True, null=True)
    online = models.BooleanField(verbose_name=_('online'), default=True)
    pve_version = models.CharField(verbose_name=_('PVE version'), max_length=50, blank=True)
    cpu_model = models.CharField(verbose_name=_('CPU model'), max_length=200, blank=True)
    cpu_count = models.PositiveIntegerField(verbose_name=_('CPUs'), blank=True, null=True)
    memory_total = models.PositiveBigIntegerField(verbose_name=_('memory (bytes)'), blank=True, null=True)
    device = models.OneToOneField(
        to='dcim.Device',
        on_delete=models.SET_NULL,
        related_name='proxmox_node',
        verbose_name=_('device'),
        blank=True,
        null=True,
    )

    class Meta:
        ordering = ('cluster', 'name')
        verbose_name = _('Proxmox node')
        verbose_name_plural = _('Proxmox nodes')
        constraints = (
            models.UniqueConstraint(
                fields=('cluster', 'name'),
                name='netbox_proxbox_proxmoxnode_unique_cluster_name',
                violation_error_message=_('This Proxmox cluster already has a node of that name.'),
            ),
        )

    def __str__(self):
        return self.name

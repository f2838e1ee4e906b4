from django.db import models
from django.utils.translation import gettext_lazy as _

from netbox.models import PrimaryModel

__all__ = ('ProxmoxCluster',)


class ProxmoxCluster(PrimaryModel):
    """
    A Proxmox VE cluster, or a standalone node (which NetBox shows as a cluster of one), as read
    from an endpoint, linked to the NetBox cluster it is synced to.
    """

    endpoint = models.ForeignKey(
        to='netbox_proxbox.ProxmoxEndpoint',
        on_delete=models.CASCADE,
        related_name='clusters',
        verbose_name=_('endpoint'),
    )
    name = models.CharField(
        verbose_name=_('name'), max_length=100, help_text=_('Proxmox cluster name, or the node name if standalone')
    )
    standalone = models.BooleanField(verbose_name=_('standalone'), default=False)
    quorate = models.BooleanField(verbose_name=_('quorate'), null=True, blank=True)
    pve_version = models.CharField(verbose_name=_('PVE version'), max_length=50, blank=True)
    node_count = models.PositiveIntegerField(verbose_name=_('nodes'), default=0)
    cluster = models.OneToOneField(
        to='virtualization.Cluster',
        on_delete=models.SET_NULL,
        related_name='proxmox_cluster',
        verbose_name=_('NetBox cluster'),
        blank=True,
        null=True,
    )
    last_synced = models.DateTimeField(verbose_name=_('last synced'), blank=True, null=True)

    class Meta:
        ordering = ('endpoint', 'name')
        verbose_name = _('Proxmox cluster')
        verbose_name_plural = _('Proxmox clusters')
        constraints = (
            models.UniqueConstraint(
                fields=('endpoint', 'name'),
                name='netbox_proxbox_proxmoxcluster_unique_endpoint_name',
                violation_error_message=_('This endpoint already has a Proxmox cluster of that name.'),
            ),
        )

    def __str__(self):
        return self.name

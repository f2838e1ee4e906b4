from django.utils.translation import gettext_lazy as _
from rest_framework.validators import UniqueValidator

from dcim.api.serializers import DeviceSerializer
from netbox.api.serializers import PrimaryModelSerializer

from ...models import ProxmoxNode
from .proxmox_cluster import ProxmoxClusterSerializer

__all__ = ('ProxmoxNodeSerializer',)


class ProxmoxNodeSerializer(PrimaryModelSerializer):
    cluster = ProxmoxClusterSerializer(nested=True)
    # A declared field loses DRF's automatic unique check, and NetBox skips field uniqueness in
    # full_clean(): say it here, or a second node on the same device is a database error (500).
    device = DeviceSerializer(
        nested=True,
        required=False,
        allow_null=True,
        validators=[
            UniqueValidator(
                queryset=ProxmoxNode.objects.all(), message=_('This device already represents another Proxmox node.')
            )
        ],
    )

    class Meta:
        model = ProxmoxNode
        fields = (
            'id',
            'url',
            'display_url',
            'display',
            'cluster',
            'name',
            'node_id',
            'ip_address',
            'online',
            'pve_version',
            'cpu_model',
            'cpu_count',
            'memory_total',
            'device',
            'description',
            'owner',
            'comments',
            'tags',
            'custom_fields',
            'created',
            'last_updated',
        )
        brief_fields = ('id', 'url', 'display', 'name', 'description')

from dcim.api.serializers import DeviceSerializer
from netbox.api.serializers import PrimaryModelSerializer

from ...models import ProxmoxNode
from .proxmox_cluster import ProxmoxClusterSerializer

__all__ = ('ProxmoxNodeSerializer',)


class ProxmoxNodeSerializer(PrimaryModelSerializer):
    cluster = ProxmoxClusterSerializer(nested=True)
    device = DeviceSerializer(nested=True, required=False, allow_null=True)

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

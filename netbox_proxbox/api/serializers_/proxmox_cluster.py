from netbox.api.serializers import PrimaryModelSerializer
from virtualization.api.serializers import ClusterSerializer

from ...models import ProxmoxCluster
from .proxmox_endpoint import ProxmoxEndpointSerializer

__all__ = ('ProxmoxClusterSerializer',)


class ProxmoxClusterSerializer(PrimaryModelSerializer):
    endpoint = ProxmoxEndpointSerializer(nested=True)
    cluster = ClusterSerializer(nested=True, required=False, allow_null=True)

    class Meta:
        model = ProxmoxCluster
        fields = (
            'id',
            'url',
            'display_url',
            'display',
            'endpoint',
            'name',
            'standalone',
            'quorate',
            'pve_version',
            'node_count',
            'cluster',
            'last_synced',
            'description',
            'owner',
            'comments',
            'tags',
            'custom_fields',
            'created',
            'last_updated',
        )
        brief_fields = ('id', 'url', 'display', 'name', 'description')

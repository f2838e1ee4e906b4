from django.utils.translation import gettext_lazy as _
from rest_framework.validators import UniqueValidator

from netbox.api.serializers import PrimaryModelSerializer
from virtualization.api.serializers import ClusterSerializer

from ...models import ProxmoxCluster
from .proxmox_endpoint import ProxmoxEndpointSerializer

__all__ = ('ProxmoxClusterSerializer',)


class ProxmoxClusterSerializer(PrimaryModelSerializer):
    endpoint = ProxmoxEndpointSerializer(nested=True)
    # See ProxmoxNodeSerializer.device: a declared one-to-one field needs its unique check spelled out.
    cluster = ClusterSerializer(
        nested=True,
        required=False,
        allow_null=True,
        validators=[
            UniqueValidator(
                queryset=ProxmoxCluster.objects.all(),
                message=_('This NetBox cluster already represents another Proxmox cluster.'),
            )
        ],
    )

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

from netbox.api.serializers import PrimaryModelSerializer
from virtualization.api.serializers import VirtualMachineSerializer

from ...models import Replication
from .proxmox_cluster import ProxmoxClusterSerializer
from .proxmox_node import ProxmoxNodeSerializer

__all__ = ('ReplicationSerializer',)


class ReplicationSerializer(PrimaryModelSerializer):
    cluster = ProxmoxClusterSerializer(nested=True)
    virtual_machine = VirtualMachineSerializer(nested=True, required=False, allow_null=True)
    source = ProxmoxNodeSerializer(nested=True, required=False, allow_null=True)
    target = ProxmoxNodeSerializer(nested=True, required=False, allow_null=True)

    class Meta:
        model = Replication
        fields = (
            'id',
            'url',
            'display_url',
            'display',
            'cluster',
            'job_id',
            'guest_id',
            'virtual_machine',
            'source',
            'target',
            'schedule',
            'rate',
            'disabled',
            'comment',
            'last_sync',
            'next_sync',
            'duration',
            'fail_count',
            'error',
            'description',
            'owner',
            'comments',
            'tags',
            'custom_fields',
            'created',
            'last_updated',
        )
        brief_fields = ('id', 'url', 'display', 'job_id', 'guest_id', 'description')

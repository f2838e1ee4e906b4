from netbox.api.serializers import PrimaryModelSerializer
from virtualization.api.serializers import VirtualMachineSerializer

from ...models import VMSnapshot

__all__ = ('VMSnapshotSerializer',)


class VMSnapshotSerializer(PrimaryModelSerializer):
    virtual_machine = VirtualMachineSerializer(nested=True)

    class Meta:
        model = VMSnapshot
        fields = (
            'id',
            'url',
            'display_url',
            'display',
            'virtual_machine',
            'name',
            'parent',
            'snapshot_time',
            'vmstate',
            'description',
            'owner',
            'comments',
            'tags',
            'custom_fields',
            'created',
            'last_updated',
        )
        brief_fields = ('id', 'url', 'display', 'virtual_machine', 'name', 'description')

from netbox.api.fields import ChoiceField
from netbox.api.serializers import NetBoxModelSerializer
from virtualization.api.serializers import VirtualMachineSerializer

from ...choices import TaskStatusChoices
from ...models import VMTaskHistory
from .proxmox_node import ProxmoxNodeSerializer

__all__ = ('VMTaskHistorySerializer',)


class VMTaskHistorySerializer(NetBoxModelSerializer):
    node = ProxmoxNodeSerializer(nested=True)
    virtual_machine = VirtualMachineSerializer(nested=True, required=False, allow_null=True)
    status = ChoiceField(choices=TaskStatusChoices, required=False)

    class Meta:
        model = VMTaskHistory
        fields = (
            'id',
            'url',
            'display_url',
            'display',
            'node',
            'upid',
            'task_type',
            'object_id',
            'user',
            'start_time',
            'end_time',
            'status',
            'exit_status',
            'virtual_machine',
            'tags',
            'custom_fields',
            'created',
            'last_updated',
        )
        brief_fields = ('id', 'url', 'display', 'upid', 'task_type', 'status')

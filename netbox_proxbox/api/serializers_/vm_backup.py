from netbox.api.fields import ChoiceField
from netbox.api.serializers import PrimaryModelSerializer
from virtualization.api.serializers import VirtualMachineSerializer

from ...choices import BackupVerificationChoices, GuestTypeChoices
from ...models import VMBackup
from .proxmox_storage import ProxmoxStorageSerializer

__all__ = ('VMBackupSerializer',)


class VMBackupSerializer(PrimaryModelSerializer):
    storage = ProxmoxStorageSerializer(nested=True)
    virtual_machine = VirtualMachineSerializer(nested=True, required=False, allow_null=True)
    guest_type = ChoiceField(choices=GuestTypeChoices)
    verification_state = ChoiceField(choices=BackupVerificationChoices, required=False)

    class Meta:
        model = VMBackup
        fields = (
            'id',
            'url',
            'display_url',
            'display',
            'storage',
            'volume_id',
            'virtual_machine',
            'guest_id',
            'guest_type',
            'format',
            'size',
            'creation_time',
            'notes',
            'protected',
            'verification_state',
            'encrypted',
            'description',
            'owner',
            'comments',
            'tags',
            'custom_fields',
            'created',
            'last_updated',
        )
        brief_fields = ('id', 'url', 'display', 'volume_id', 'guest_id', 'description')

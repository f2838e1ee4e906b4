from netbox.api.fields import ChoiceField
from netbox.api.serializers import PrimaryModelSerializer

from ...choices import BackupCompressionChoices, BackupModeChoices, BackupSelectionChoices
from ...models import BackupRoutine
from .proxmox_cluster import ProxmoxClusterSerializer
from .proxmox_storage import ProxmoxStorageSerializer

__all__ = ('BackupRoutineSerializer',)


class BackupRoutineSerializer(PrimaryModelSerializer):
    cluster = ProxmoxClusterSerializer(nested=True)
    storage = ProxmoxStorageSerializer(nested=True, required=False, allow_null=True)
    mode = ChoiceField(choices=BackupModeChoices, required=False)
    compression = ChoiceField(choices=BackupCompressionChoices, required=False, allow_blank=True)
    selection = ChoiceField(choices=BackupSelectionChoices, required=False)

    class Meta:
        model = BackupRoutine
        fields = (
            'id',
            'url',
            'display_url',
            'display',
            'cluster',
            'job_id',
            'schedule',
            'enabled',
            'storage',
            'node',
            'mode',
            'compression',
            'selection',
            'guest_ids',
            'pool',
            'keep_last',
            'keep_hourly',
            'keep_daily',
            'keep_weekly',
            'keep_monthly',
            'keep_yearly',
            'next_run',
            'comment',
            'description',
            'owner',
            'comments',
            'tags',
            'custom_fields',
            'created',
            'last_updated',
        )
        brief_fields = ('id', 'url', 'display', 'cluster', 'job_id', 'description')

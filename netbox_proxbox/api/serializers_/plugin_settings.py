from netbox.api.fields import ChoiceField
from netbox.api.serializers import NetBoxModelSerializer

from ...choices import PrunePolicyChoices, TemplateHandlingChoices
from ...models import SYNC_FAMILIES, ProxboxPluginSettings

__all__ = ('ProxboxPluginSettingsSerializer',)


class ProxboxPluginSettingsSerializer(NetBoxModelSerializer):
    templates = ChoiceField(choices=TemplateHandlingChoices, required=False)
    prune_policy = ChoiceField(choices=PrunePolicyChoices, required=False)

    class Meta:
        model = ProxboxPluginSettings
        fields = (
            'id',
            'url',
            'display_url',
            'display',
            'name',
            'read_concurrency',
            'write_concurrency',
            'batch_size',
            'proxmox_timeout',
            'netbox_timeout',
            'retries',
            *(f'sync_{family}' for family in SYNC_FAMILIES),
            'templates',
            'prune_policy',
            'prune_grace_days',
            'field_ownership',
            'task_history_days',
            'default_schedule_interval',
            'tags',
            'custom_fields',
            'created',
            'last_updated',
        )
        brief_fields = ('id', 'url', 'display', 'name')

from rest_framework import serializers

from core.api.serializers import JobSerializer
from netbox.api.fields import ChoiceField, SerializedPKRelatedField
from netbox.api.serializers import NetBoxModelSerializer
from users.api.serializers import UserSerializer

from ...choices import SyncKindChoices, SyncStatusChoices, SyncTriggerChoices
from ...models import ProxmoxEndpoint, SyncRun
from .proxmox_endpoint import ProxmoxEndpointSerializer

__all__ = ('SyncRunSerializer',)


class SyncRunSerializer(NetBoxModelSerializer):
    """Read and delete only: the sync writes runs (the viewset refuses POST, PUT and PATCH)."""

    endpoints = SerializedPKRelatedField(
        queryset=ProxmoxEndpoint.objects.all(),
        serializer=ProxmoxEndpointSerializer,
        nested=True,
        required=False,
        many=True,
    )
    trigger = ChoiceField(choices=SyncTriggerChoices)
    kind = ChoiceField(choices=SyncKindChoices, required=False)
    status = ChoiceField(choices=SyncStatusChoices, required=False)
    user = UserSerializer(nested=True, required=False, allow_null=True)
    job = JobSerializer(nested=True, required=False, allow_null=True)
    applies_run = serializers.PrimaryKeyRelatedField(read_only=True)
    duration = serializers.SerializerMethodField(read_only=True)

    class Meta:
        model = SyncRun
        fields = (
            'id',
            'url',
            'display_url',
            'display',
            'endpoints',
            'trigger',
            'kind',
            'scope',
            'dry_run',
            'status',
            'user',
            'job',
            'applies_run',
            'started',
            'finished',
            'duration',
            'counts',
            'stage_durations',
            'error_summary',
            'plan',
            'events',
            'tags',
            'custom_fields',
            'created',
            'last_updated',
        )
        brief_fields = ('id', 'url', 'display', 'trigger', 'kind', 'dry_run', 'status')

    def get_duration(self, obj) -> float | None:
        """Seconds from start to finish, once finished."""
        return obj.duration.total_seconds() if obj.duration else None

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from netbox.api.fields import ChoiceField, SerializedPKRelatedField
from netbox.api.serializers import PrimaryModelSerializer

from ...choices import StorageContentChoices, StorageTypeChoices
from ...models import ProxmoxNode, ProxmoxStorage
from .proxmox_cluster import ProxmoxClusterSerializer
from .proxmox_node import ProxmoxNodeSerializer

__all__ = ('ProxmoxStorageSerializer',)


class ProxmoxStorageSerializer(PrimaryModelSerializer):
    cluster = ProxmoxClusterSerializer(nested=True)
    type = ChoiceField(choices=StorageTypeChoices)
    content = serializers.ListField(
        child=serializers.ChoiceField(choices=StorageContentChoices), required=False, allow_empty=True
    )
    nodes = SerializedPKRelatedField(
        queryset=ProxmoxNode.objects.all(),
        serializer=ProxmoxNodeSerializer,
        nested=True,
        required=False,
        many=True,
    )
    utilization = serializers.FloatField(read_only=True, allow_null=True)

    class Meta:
        model = ProxmoxStorage
        fields = (
            'id',
            'url',
            'display_url',
            'display',
            'cluster',
            'name',
            'type',
            'content',
            'shared',
            'enabled',
            'path',
            'nodes',
            'total',
            'used',
            'available',
            'utilization',
            'description',
            'owner',
            'comments',
            'tags',
            'custom_fields',
            'created',
            'last_updated',
        )
        brief_fields = ('id', 'url', 'display', 'name', 'type', 'description')

    def validate(self, data):
        if self.nested:  # a reference to an existing storage: nothing to check
            return data
        cluster = data.get('cluster') or getattr(self.instance, 'cluster', None)
        nodes = data.get('nodes') or ()
        if cluster and any(node.cluster_id != cluster.pk for node in nodes):
            raise serializers.ValidationError({'nodes': _('Pick nodes of the same Proxmox cluster.')})
        return super().validate(data)

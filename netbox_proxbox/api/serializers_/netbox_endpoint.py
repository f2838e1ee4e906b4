from rest_framework import serializers

from netbox.api.serializers import PrimaryModelSerializer

from ...models import NetBoxEndpoint
from ...validators import validate_service_url
from .mixins import WriteOnlySecretsSerializerMixin

__all__ = ('NetBoxEndpointSerializer',)


class NetBoxEndpointSerializer(WriteOnlySecretsSerializerMixin, PrimaryModelSerializer):
    # `url` is the API object's own link in NetBox's REST API, so the endpoint's URL is `base_url`.
    base_url = serializers.CharField(source='url', max_length=500, validators=[validate_service_url])
    token = serializers.CharField(write_only=True, required=False, allow_blank=True, trim_whitespace=False)

    class Meta:
        model = NetBoxEndpoint
        fields = (
            'id',
            'url',
            'display_url',
            'display',
            'name',
            'base_url',
            'token',
            'secrets_set',
            'verify_ssl',
            'description',
            'owner',
            'comments',
            'tags',
            'custom_fields',
            'created',
            'last_updated',
        )
        brief_fields = ('id', 'url', 'display', 'name', 'description')

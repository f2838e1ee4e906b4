from rest_framework import serializers

from dcim.api.serializers import SiteSerializer
from netbox.api.serializers import PrimaryModelSerializer
from tenancy.api.serializers import TenantSerializer

from ...models import ProxmoxEndpoint
from ...models.proxmox_endpoint import default_sync_interval, default_timeout
from .mixins import WriteOnlySecretsSerializerMixin

__all__ = ('ProxmoxEndpointSerializer',)


class ProxmoxEndpointSerializer(WriteOnlySecretsSerializerMixin, PrimaryModelSerializer):
    site = SiteSerializer(nested=True, required=False, allow_null=True)
    tenant = TenantSerializer(nested=True, required=False, allow_null=True)
    token_secret = serializers.CharField(write_only=True, required=False, allow_blank=True, trim_whitespace=False)
    password = serializers.CharField(write_only=True, required=False, allow_blank=True, trim_whitespace=False)
    auth_method = serializers.CharField(read_only=True)
    # A new endpoint gets the default schedule (nightly) unless the request says otherwise.
    sync_interval = serializers.IntegerField(
        min_value=5, allow_null=True, required=False, default=default_sync_interval
    )
    # And the settings' Proxmox timeout.
    timeout = serializers.IntegerField(min_value=1, max_value=600, required=False, default=default_timeout)

    class Meta:
        model = ProxmoxEndpoint
        fields = (
            'id',
            'url',
            'display_url',
            'display',
            'name',
            'host',
            'port',
            'username',
            'token_name',
            'token_secret',
            'password',
            'secrets_set',
            'auth_method',
            'verify_ssl',
            'ca_certificate',
            'timeout',
            'enabled',
            'site',
            'tenant',
            'sync_interval',
            'sync_start',
            'continuous_interval',
            'follow_notifications',
            'description',
            'owner',
            'comments',
            'tags',
            'custom_fields',
            'created',
            'last_updated',
        )
        brief_fields = ('id', 'url', 'display', 'name', 'host', 'port', 'description')

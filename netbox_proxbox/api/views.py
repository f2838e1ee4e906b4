from netbox.api.viewsets import NetBoxModelViewSet

from .. import filtersets
from ..models import ProxmoxEndpoint
from . import serializers

__all__ = ('ProxmoxEndpointViewSet',)


class ProxmoxEndpointViewSet(NetBoxModelViewSet):
    queryset = ProxmoxEndpoint.objects.all()
    serializer_class = serializers.ProxmoxEndpointSerializer
    filterset_class = filtersets.ProxmoxEndpointFilterSet

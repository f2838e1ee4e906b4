from netbox.search import SearchIndex, register_search

from . import models


@register_search
class ProxmoxEndpointIndex(SearchIndex):
    model = models.ProxmoxEndpoint
    fields = (
        ('name', 100),
        ('host', 110),
        ('username', 300),
        ('description', 500),
        ('comments', 5000),
    )
    display_attrs = ('host', 'port', 'site', 'tenant', 'description')

import strawberry
import strawberry_django

from .types import *


@strawberry.type(name='Query')
class ProxboxQuery:
    proxbox_proxmox_endpoint: ProxboxProxmoxEndpointType = strawberry_django.field()
    proxbox_proxmox_endpoint_list: list[ProxboxProxmoxEndpointType] = strawberry_django.field()


schema = [ProxboxQuery]

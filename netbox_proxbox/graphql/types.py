from typing import TYPE_CHECKING, Annotated

import strawberry

from netbox.graphql.types import PrimaryObjectType, register_type

from .. import models
from .filters import *

if TYPE_CHECKING:
    from dcim.graphql.types import SiteType
    from tenancy.graphql.types import TenantType

__all__ = ('ProxboxProxmoxEndpointType',)


# Secrets are excluded: GraphQL never exposes them.
@register_type(
    models.ProxmoxEndpoint,
    exclude=list(models.ProxmoxEndpoint.secret_fields),
    filters=ProxmoxEndpointFilter,
    pagination=True,
)
class ProxboxProxmoxEndpointType(PrimaryObjectType):
    site: Annotated['SiteType', strawberry.lazy('dcim.graphql.types')] | None
    tenant: Annotated['TenantType', strawberry.lazy('tenancy.graphql.types')] | None

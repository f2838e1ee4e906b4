from typing import TYPE_CHECKING, Annotated

import strawberry
import strawberry_django
from strawberry.scalars import ID
from strawberry_django import FilterLookup, StrFilterLookup

from netbox.graphql.filters import PrimaryModelFilter, register_filter
from tenancy.graphql.filter_mixins import TenancyFilterMixin

from .. import models

if TYPE_CHECKING:
    from dcim.graphql.filters import SiteFilter
    from netbox.graphql.filter_lookups import IntegerLookup

__all__ = ('ProxmoxEndpointFilter',)


@register_filter(models.ProxmoxEndpoint, lookups=True)
class ProxmoxEndpointFilter(TenancyFilterMixin, PrimaryModelFilter):
    name: StrFilterLookup | None = strawberry_django.filter_field()
    host: StrFilterLookup | None = strawberry_django.filter_field()
    port: Annotated['IntegerLookup', strawberry.lazy('netbox.graphql.filter_lookups')] | None = (
        strawberry_django.filter_field()
    )
    username: StrFilterLookup | None = strawberry_django.filter_field()
    token_name: StrFilterLookup | None = strawberry_django.filter_field()
    verify_ssl: FilterLookup[bool] | None = strawberry_django.filter_field()
    timeout: Annotated['IntegerLookup', strawberry.lazy('netbox.graphql.filter_lookups')] | None = (
        strawberry_django.filter_field()
    )
    enabled: FilterLookup[bool] | None = strawberry_django.filter_field()
    site: Annotated['SiteFilter', strawberry.lazy('dcim.graphql.filters')] | None = strawberry_django.filter_field()
    site_id: ID | None = strawberry_django.filter_field()

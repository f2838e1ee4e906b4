import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dcim.models import Site
from netbox.filtersets import PrimaryModelFilterSet
from tenancy.filtersets import TenancyFilterSet
from utilities.filtersets import register_filterset

from .models import ProxmoxEndpoint

__all__ = ('ProxmoxEndpointFilterSet',)


@register_filterset
class ProxmoxEndpointFilterSet(TenancyFilterSet, PrimaryModelFilterSet):
    site_id = django_filters.ModelMultipleChoiceFilter(queryset=Site.objects.all(), label=_('Site (ID)'))
    site = django_filters.ModelMultipleChoiceFilter(
        field_name='site__slug', queryset=Site.objects.all(), to_field_name='slug', label=_('Site (slug)')
    )

    class Meta:
        model = ProxmoxEndpoint
        fields = (
            'id',
            'name',
            'host',
            'port',
            'username',
            'token_name',
            'verify_ssl',
            'timeout',
            'enabled',
            'description',
        )

    def search(self, queryset, name, value):
        if not value.strip():
            return queryset
        return queryset.filter(
            Q(name__icontains=value)
            | Q(host__icontains=value)
            | Q(username__icontains=value)
            | Q(description__icontains=value)
            | Q(comments__icontains=value)
        )

from django import forms
from django.utils.translation import gettext_lazy as _

from netbox.forms import PrimaryModelBulkEditForm, PrimaryModelFilterSetForm, PrimaryModelForm, PrimaryModelImportForm
from utilities.forms import BOOLEAN_WITH_BLANK_CHOICES
from utilities.forms.fields import (
    CSVModelChoiceField,
    DynamicModelChoiceField,
    DynamicModelMultipleChoiceField,
    TagFilterField,
)
from utilities.forms.rendering import FieldSet
from utilities.forms.widgets import DateTimePicker
from virtualization.models import Cluster

from ..models import ProxmoxCluster, ProxmoxEndpoint

__all__ = (
    'ProxmoxClusterBulkEditForm',
    'ProxmoxClusterFilterForm',
    'ProxmoxClusterForm',
    'ProxmoxClusterImportForm',
)

FIELDS = (
    'endpoint',
    'name',
    'standalone',
    'quorate',
    'pve_version',
    'node_count',
    'cluster',
    'last_synced',
    'description',
    'owner',
    'comments',
    'tags',
)


class ProxmoxClusterForm(PrimaryModelForm):
    endpoint = DynamicModelChoiceField(label=_('Endpoint'), queryset=ProxmoxEndpoint.objects.all())
    cluster = DynamicModelChoiceField(label=_('NetBox cluster'), queryset=Cluster.objects.all(), required=False)

    fieldsets = (
        FieldSet('endpoint', 'name', 'standalone', 'description', 'tags', name=_('Proxmox cluster')),
        FieldSet('quorate', 'pve_version', 'node_count', 'last_synced', name=_('State')),
        FieldSet('cluster', name=_('NetBox')),
    )

    class Meta:
        model = ProxmoxCluster
        fields = FIELDS
        widgets = {'last_synced': DateTimePicker()}


class ProxmoxClusterFilterForm(PrimaryModelFilterSetForm):
    model = ProxmoxCluster
    fieldsets = (
        FieldSet('q', 'filter_id', 'tag'),
        FieldSet('endpoint_id', 'standalone', 'quorate', 'pve_version', name=_('Proxmox cluster')),
        FieldSet('cluster_id', name=_('NetBox')),
        FieldSet('owner_group_id', 'owner_id', name=_('Ownership')),
    )
    endpoint_id = DynamicModelMultipleChoiceField(
        queryset=ProxmoxEndpoint.objects.all(), required=False, label=_('Endpoint')
    )
    standalone = forms.NullBooleanField(
        label=_('Standalone'), required=False, widget=forms.Select(choices=BOOLEAN_WITH_BLANK_CHOICES)
    )
    quorate = forms.NullBooleanField(
        label=_('Quorate'), required=False, widget=forms.Select(choices=BOOLEAN_WITH_BLANK_CHOICES)
    )
    pve_version = forms.CharField(label=_('PVE version'), required=False)
    cluster_id = DynamicModelMultipleChoiceField(
        queryset=Cluster.objects.all(), required=False, label=_('NetBox cluster')
    )
    tag = TagFilterField(model)


class ProxmoxClusterImportForm(PrimaryModelImportForm):
    endpoint = CSVModelChoiceField(label=_('Endpoint'), queryset=ProxmoxEndpoint.objects.all(), to_field_name='name')
    cluster = CSVModelChoiceField(
        label=_('NetBox cluster'), queryset=Cluster.objects.all(), required=False, to_field_name='name'
    )
    # Optional in CSV: an omitted column takes the model default.
    node_count = forms.IntegerField(label=_('Nodes'), min_value=0, required=False)

    class Meta:
        model = ProxmoxCluster
        fields = FIELDS


class ProxmoxClusterBulkEditForm(PrimaryModelBulkEditForm):
    model = ProxmoxCluster
    endpoint = DynamicModelChoiceField(label=_('Endpoint'), queryset=ProxmoxEndpoint.objects.all(), required=False)
    standalone = forms.NullBooleanField(
        label=_('Standalone'), required=False, widget=forms.Select(choices=BOOLEAN_WITH_BLANK_CHOICES)
    )
    pve_version = forms.CharField(label=_('PVE version'), max_length=50, required=False)

    fieldsets = (FieldSet('endpoint', 'standalone', 'pve_version', 'description', name=_('Proxmox cluster')),)
    nullable_fields = ('pve_version', 'description', 'comments')

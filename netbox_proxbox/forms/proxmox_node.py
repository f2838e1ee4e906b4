from django import forms
from django.utils.translation import gettext_lazy as _

from dcim.models import Device
from netbox.forms import PrimaryModelBulkEditForm, PrimaryModelFilterSetForm, PrimaryModelForm, PrimaryModelImportForm
from utilities.forms import BOOLEAN_WITH_BLANK_CHOICES
from utilities.forms.fields import (
    CSVModelChoiceField,
    DynamicModelChoiceField,
    DynamicModelMultipleChoiceField,
    TagFilterField,
)
from utilities.forms.rendering import FieldSet

from ..models import ProxmoxCluster, ProxmoxEndpoint, ProxmoxNode
from .mixins import OmittedBooleansMixin

__all__ = (
    'ProxmoxNodeBulkEditForm',
    'ProxmoxNodeFilterForm',
    'ProxmoxNodeForm',
    'ProxmoxNodeImportForm',
)

FIELDS = (
    'cluster',
    'name',
    'node_id',
    'ip_address',
    'online',
    'pve_version',
    'cpu_model',
    'cpu_count',
    'memory_total',
    'device',
    'description',
    'owner',
    'comments',
    'tags',
)


class ProxmoxNodeForm(PrimaryModelForm):
    cluster = DynamicModelChoiceField(label=_('Proxmox cluster'), queryset=ProxmoxCluster.objects.all())
    device = DynamicModelChoiceField(label=_('Device'), queryset=Device.objects.all(), required=False)

    fieldsets = (
        FieldSet('cluster', 'name', 'node_id', 'ip_address', 'online', 'description', 'tags', name=_('Node')),
        FieldSet('pve_version', 'cpu_model', 'cpu_count', 'memory_total', name=_('Hardware')),
        FieldSet('device', name=_('NetBox')),
    )

    class Meta:
        model = ProxmoxNode
        fields = FIELDS


class ProxmoxNodeFilterForm(PrimaryModelFilterSetForm):
    model = ProxmoxNode
    fieldsets = (
        FieldSet('q', 'filter_id', 'tag'),
        FieldSet('endpoint_id', 'cluster_id', 'online', 'pve_version', name=_('Node')),
        FieldSet('device_id', name=_('NetBox')),
        FieldSet('owner_group_id', 'owner_id', name=_('Ownership')),
    )
    endpoint_id = DynamicModelMultipleChoiceField(
        queryset=ProxmoxEndpoint.objects.all(), required=False, label=_('Endpoint')
    )
    cluster_id = DynamicModelMultipleChoiceField(
        queryset=ProxmoxCluster.objects.all(), required=False, label=_('Proxmox cluster')
    )
    online = forms.NullBooleanField(
        label=_('Online'), required=False, widget=forms.Select(choices=BOOLEAN_WITH_BLANK_CHOICES)
    )
    pve_version = forms.CharField(label=_('PVE version'), required=False)
    device_id = DynamicModelMultipleChoiceField(queryset=Device.objects.all(), required=False, label=_('Device'))
    tag = TagFilterField(model)


class ProxmoxNodeImportForm(OmittedBooleansMixin, PrimaryModelImportForm):
    cluster = CSVModelChoiceField(
        label=_('Proxmox cluster'), queryset=ProxmoxCluster.objects.all(), to_field_name='name'
    )
    device = CSVModelChoiceField(label=_('Device'), queryset=Device.objects.all(), required=False, to_field_name='name')

    class Meta:
        model = ProxmoxNode
        fields = FIELDS


class ProxmoxNodeBulkEditForm(PrimaryModelBulkEditForm):
    model = ProxmoxNode
    online = forms.NullBooleanField(
        label=_('Online'), required=False, widget=forms.Select(choices=BOOLEAN_WITH_BLANK_CHOICES)
    )
    pve_version = forms.CharField(label=_('PVE version'), max_length=50, required=False)
    cpu_model = forms.CharField(label=_('CPU model'), max_length=200, required=False)

    fieldsets = (FieldSet('online', 'pve_version', 'cpu_model', 'description', name=_('Node')),)
    nullable_fields = ('pve_version', 'cpu_model', 'description', 'comments')

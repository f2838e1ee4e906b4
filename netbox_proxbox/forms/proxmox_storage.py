from django import forms
from django.utils.translation import gettext_lazy as _

from netbox.forms import PrimaryModelBulkEditForm, PrimaryModelFilterSetForm, PrimaryModelForm, PrimaryModelImportForm
from utilities.forms import BOOLEAN_WITH_BLANK_CHOICES, add_blank_choice
from utilities.forms.fields import (
    CSVChoiceField,
    CSVModelChoiceField,
    CSVModelMultipleChoiceField,
    CSVMultipleChoiceField,
    DynamicModelChoiceField,
    DynamicModelMultipleChoiceField,
    TagFilterField,
)
from utilities.forms.rendering import FieldSet

from ..choices import StorageContentChoices, StorageTypeChoices
from ..models import ProxmoxCluster, ProxmoxNode, ProxmoxStorage
from .mixins import OmittedBooleansMixin

__all__ = (
    'ProxmoxStorageBulkEditForm',
    'ProxmoxStorageFilterForm',
    'ProxmoxStorageForm',
    'ProxmoxStorageImportForm',
)

FIELDS = (
    'cluster',
    'name',
    'type',
    'content',
    'shared',
    'enabled',
    'path',
    'nodes',
    'total',
    'used',
    'available',
    'description',
    'owner',
    'comments',
    'tags',
)


class NodesOfClusterMixin:
    """The nodes that see a storage belong to the storage's cluster."""

    def clean(self):
        super().clean()
        cluster, nodes = self.cleaned_data.get('cluster'), self.cleaned_data.get('nodes')
        if cluster and nodes and any(node.cluster_id != cluster.pk for node in nodes):
            self.add_error('nodes', _('Pick nodes of the same Proxmox cluster.'))
        return self.cleaned_data


class ProxmoxStorageForm(NodesOfClusterMixin, PrimaryModelForm):
    cluster = DynamicModelChoiceField(label=_('Proxmox cluster'), queryset=ProxmoxCluster.objects.all())
    content = forms.MultipleChoiceField(label=_('Content'), choices=StorageContentChoices, required=False)
    nodes = DynamicModelMultipleChoiceField(
        label=_('Nodes'),
        queryset=ProxmoxNode.objects.all(),
        required=False,
        query_params={'cluster_id': '$cluster'},
    )

    fieldsets = (
        FieldSet('cluster', 'name', 'type', 'content', 'path', 'description', 'tags', name=_('Storage')),
        FieldSet('shared', 'enabled', 'nodes', name=_('Availability')),
        FieldSet('total', 'used', 'available', name=_('Usage (bytes)')),
    )

    class Meta:
        model = ProxmoxStorage
        fields = FIELDS


class ProxmoxStorageFilterForm(PrimaryModelFilterSetForm):
    model = ProxmoxStorage
    fieldsets = (
        FieldSet('q', 'filter_id', 'tag'),
        FieldSet('cluster_id', 'type', 'content', 'shared', 'enabled', 'node_id', name=_('Storage')),
        FieldSet('owner_group_id', 'owner_id', name=_('Ownership')),
    )
    cluster_id = DynamicModelMultipleChoiceField(
        queryset=ProxmoxCluster.objects.all(), required=False, label=_('Proxmox cluster')
    )
    type = forms.MultipleChoiceField(label=_('Type'), choices=StorageTypeChoices, required=False)
    content = forms.MultipleChoiceField(label=_('Content'), choices=StorageContentChoices, required=False)
    shared = forms.NullBooleanField(
        label=_('Shared'), required=False, widget=forms.Select(choices=BOOLEAN_WITH_BLANK_CHOICES)
    )
    enabled = forms.NullBooleanField(
        label=_('Enabled'), required=False, widget=forms.Select(choices=BOOLEAN_WITH_BLANK_CHOICES)
    )
    node_id = DynamicModelMultipleChoiceField(queryset=ProxmoxNode.objects.all(), required=False, label=_('Node'))
    tag = TagFilterField(model)


class ProxmoxStorageImportForm(OmittedBooleansMixin, NodesOfClusterMixin, PrimaryModelImportForm):
    cluster = CSVModelChoiceField(
        label=_('Proxmox cluster'), queryset=ProxmoxCluster.objects.all(), to_field_name='name'
    )
    type = CSVChoiceField(label=_('Type'), choices=StorageTypeChoices)
    content = CSVMultipleChoiceField(label=_('Content'), choices=StorageContentChoices, required=False)
    nodes = CSVModelMultipleChoiceField(
        label=_('Nodes'), queryset=ProxmoxNode.objects.all(), required=False, to_field_name='name'
    )

    class Meta:
        model = ProxmoxStorage
        fields = FIELDS

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        if data and data.get('cluster'):
            # Node names are unique only within their cluster.
            self.fields['nodes'].queryset = ProxmoxNode.objects.filter(cluster__name=data['cluster'])


class ProxmoxStorageBulkEditForm(PrimaryModelBulkEditForm):
    model = ProxmoxStorage
    type = forms.ChoiceField(label=_('Type'), choices=add_blank_choice(StorageTypeChoices), required=False)
    shared = forms.NullBooleanField(
        label=_('Shared'), required=False, widget=forms.Select(choices=BOOLEAN_WITH_BLANK_CHOICES)
    )
    enabled = forms.NullBooleanField(
        label=_('Enabled'), required=False, widget=forms.Select(choices=BOOLEAN_WITH_BLANK_CHOICES)
    )

    fieldsets = (FieldSet('type', 'shared', 'enabled', 'description', name=_('Storage')),)
    nullable_fields = ('description', 'comments')

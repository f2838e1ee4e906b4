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
from virtualization.models import VirtualMachine

from ..models import ProxmoxCluster, ProxmoxNode, Replication

__all__ = (
    'ReplicationBulkEditForm',
    'ReplicationFilterForm',
    'ReplicationForm',
    'ReplicationImportForm',
)

FIELDS = (
    'cluster',
    'job_id',
    'guest_id',
    'virtual_machine',
    'source',
    'target',
    'schedule',
    'rate',
    'disabled',
    'comment',
    'last_sync',
    'next_sync',
    'duration',
    'fail_count',
    'error',
    'description',
    'owner',
    'comments',
    'tags',
)


class ReplicationForm(PrimaryModelForm):
    cluster = DynamicModelChoiceField(label=_('Proxmox cluster'), queryset=ProxmoxCluster.objects.all())
    virtual_machine = DynamicModelChoiceField(
        label=_('Virtual machine'), queryset=VirtualMachine.objects.all(), required=False
    )
    source = DynamicModelChoiceField(
        label=_('Source node'),
        queryset=ProxmoxNode.objects.all(),
        required=False,
        query_params={'cluster_id': '$cluster'},
    )
    target = DynamicModelChoiceField(
        label=_('Target node'),
        queryset=ProxmoxNode.objects.all(),
        required=False,
        query_params={'cluster_id': '$cluster'},
    )

    fieldsets = (
        FieldSet('cluster', 'job_id', 'guest_id', 'virtual_machine', 'description', 'tags', name=_('Job')),
        FieldSet('source', 'target', 'schedule', 'rate', 'disabled', 'comment', name=_('Replication')),
        FieldSet('last_sync', 'next_sync', 'duration', 'fail_count', 'error', name=_('State')),
    )

    class Meta:
        model = Replication
        fields = FIELDS
        widgets = {'last_sync': DateTimePicker(), 'next_sync': DateTimePicker()}


class ReplicationFilterForm(PrimaryModelFilterSetForm):
    model = Replication
    fieldsets = (
        FieldSet('q', 'filter_id', 'tag'),
        FieldSet('cluster_id', 'job_id', 'guest_id', 'virtual_machine_id', 'disabled', name=_('Job')),
        FieldSet('source_id', 'target_id', 'has_error', name=_('Replication')),
        FieldSet('owner_group_id', 'owner_id', name=_('Ownership')),
    )
    cluster_id = DynamicModelMultipleChoiceField(
        queryset=ProxmoxCluster.objects.all(), required=False, label=_('Proxmox cluster')
    )
    job_id = forms.CharField(label=_('Job ID'), required=False)
    guest_id = forms.IntegerField(label=_('VMID'), required=False, min_value=0)
    virtual_machine_id = DynamicModelMultipleChoiceField(
        queryset=VirtualMachine.objects.all(), required=False, label=_('Virtual machine')
    )
    source_id = DynamicModelMultipleChoiceField(
        queryset=ProxmoxNode.objects.all(), required=False, label=_('Source node')
    )
    target_id = DynamicModelMultipleChoiceField(
        queryset=ProxmoxNode.objects.all(), required=False, label=_('Target node')
    )
    disabled = forms.NullBooleanField(
        label=_('Disabled'), required=False, widget=forms.Select(choices=BOOLEAN_WITH_BLANK_CHOICES)
    )
    has_error = forms.NullBooleanField(
        label=_('Has an error'), required=False, widget=forms.Select(choices=BOOLEAN_WITH_BLANK_CHOICES)
    )
    tag = TagFilterField(model)


class ReplicationImportForm(PrimaryModelImportForm):
    cluster = CSVModelChoiceField(
        label=_('Proxmox cluster'), queryset=ProxmoxCluster.objects.all(), to_field_name='name'
    )
    virtual_machine = CSVModelChoiceField(
        label=_('Virtual machine'), queryset=VirtualMachine.objects.all(), required=False, to_field_name='name'
    )
    source = CSVModelChoiceField(
        label=_('Source node'), queryset=ProxmoxNode.objects.all(), required=False, to_field_name='name'
    )
    target = CSVModelChoiceField(
        label=_('Target node'), queryset=ProxmoxNode.objects.all(), required=False, to_field_name='name'
    )
    # Optional in CSV: an omitted column takes the model default.
    schedule = forms.CharField(label=_('Schedule'), max_length=200, required=False)
    fail_count = forms.IntegerField(label=_('Fail count'), min_value=0, required=False)

    class Meta:
        model = Replication
        fields = FIELDS

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        if data and data.get('cluster'):
            # Node names are unique only within their cluster.
            nodes = ProxmoxNode.objects.filter(cluster__name=data['cluster'])
            self.fields['source'].queryset = nodes
            self.fields['target'].queryset = nodes

    def clean_schedule(self):
        # An empty cell means "the Proxmox default", like an omitted column.
        return self.cleaned_data['schedule'] or Replication._meta.get_field('schedule').default


class ReplicationBulkEditForm(PrimaryModelBulkEditForm):
    model = Replication
    schedule = forms.CharField(label=_('Schedule'), max_length=200, required=False)
    rate = forms.FloatField(label=_('Rate limit (MB/s)'), min_value=0, required=False)
    disabled = forms.NullBooleanField(
        label=_('Disabled'), required=False, widget=forms.Select(choices=BOOLEAN_WITH_BLANK_CHOICES)
    )

    fieldsets = (FieldSet('schedule', 'rate', 'disabled', 'description', name=_('Replication')),)
    nullable_fields = ('rate', 'description', 'comments')

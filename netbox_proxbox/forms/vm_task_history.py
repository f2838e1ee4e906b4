from django import forms
from django.utils.translation import gettext_lazy as _

from netbox.forms import NetBoxModelBulkEditForm, NetBoxModelFilterSetForm, NetBoxModelForm, NetBoxModelImportForm
from utilities.forms import add_blank_choice
from utilities.forms.fields import (
    CSVChoiceField,
    CSVModelChoiceField,
    DynamicModelChoiceField,
    DynamicModelMultipleChoiceField,
    TagFilterField,
)
from utilities.forms.rendering import FieldSet
from utilities.forms.widgets import DateTimePicker
from virtualization.models import VirtualMachine

from ..choices import TaskStatusChoices
from ..models import ProxmoxCluster, ProxmoxNode, VMTaskHistory

__all__ = (
    'VMTaskHistoryBulkEditForm',
    'VMTaskHistoryFilterForm',
    'VMTaskHistoryForm',
    'VMTaskHistoryImportForm',
)

FIELDS = (
    'node',
    'upid',
    'task_type',
    'object_id',
    'user',
    'start_time',
    'end_time',
    'status',
    'exit_status',
    'virtual_machine',
    'tags',
)


class VMTaskHistoryForm(NetBoxModelForm):
    node = DynamicModelChoiceField(label=_('Node'), queryset=ProxmoxNode.objects.all())
    virtual_machine = DynamicModelChoiceField(
        label=_('Virtual machine'), queryset=VirtualMachine.objects.all(), required=False
    )

    fieldsets = (
        FieldSet('node', 'upid', 'task_type', 'object_id', 'user', 'virtual_machine', 'tags', name=_('Task')),
        FieldSet('start_time', 'end_time', 'status', 'exit_status', name=_('Outcome')),
    )

    class Meta:
        model = VMTaskHistory
        fields = FIELDS
        widgets = {'start_time': DateTimePicker(), 'end_time': DateTimePicker()}


class VMTaskHistoryFilterForm(NetBoxModelFilterSetForm):
    model = VMTaskHistory
    fieldsets = (
        FieldSet('q', 'filter_id', 'tag'),
        FieldSet('cluster_id', 'node_id', 'virtual_machine_id', name=_('Location')),
        FieldSet('task_type', 'object_id', 'user', 'status', name=_('Task')),
    )
    cluster_id = DynamicModelMultipleChoiceField(
        queryset=ProxmoxCluster.objects.all(), required=False, label=_('Proxmox cluster')
    )
    node_id = DynamicModelMultipleChoiceField(
        queryset=ProxmoxNode.objects.all(),
        required=False,
        label=_('Node'),
        query_params={'cluster_id': '$cluster_id'},
    )
    virtual_machine_id = DynamicModelMultipleChoiceField(
        queryset=VirtualMachine.objects.all(), required=False, label=_('Virtual machine')
    )
    task_type = forms.CharField(label=_('Type'), required=False)
    object_id = forms.CharField(label=_('Object ID'), required=False)
    user = forms.CharField(label=_('User'), required=False)
    status = forms.MultipleChoiceField(label=_('Status'), choices=TaskStatusChoices, required=False)
    tag = TagFilterField(model)


class VMTaskHistoryImportForm(NetBoxModelImportForm):
    cluster = CSVModelChoiceField(
        label=_('Proxmox cluster'),
        queryset=ProxmoxCluster.objects.all(),
        to_field_name='name',
        required=False,
        help_text=_('Cluster of the node (needed when node names repeat across clusters)'),
    )
    node = CSVModelChoiceField(label=_('Node'), queryset=ProxmoxNode.objects.all(), to_field_name='name')
    status = CSVChoiceField(label=_('Status'), choices=TaskStatusChoices, required=False)
    virtual_machine = CSVModelChoiceField(
        label=_('Virtual machine'), queryset=VirtualMachine.objects.all(), required=False, to_field_name='name'
    )

    class Meta:
        model = VMTaskHistory
        fields = FIELDS

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        if data and data.get('cluster'):
            self.fields['node'].queryset = ProxmoxNode.objects.filter(cluster__name=data['cluster'])


class VMTaskHistoryBulkEditForm(NetBoxModelBulkEditForm):
    model = VMTaskHistory
    status = forms.ChoiceField(label=_('Status'), choices=add_blank_choice(TaskStatusChoices), required=False)
    exit_status = forms.CharField(label=_('Exit status'), max_length=500, required=False)

    fieldsets = (FieldSet('status', 'exit_status', name=_('Task')),)
    nullable_fields = ('exit_status',)

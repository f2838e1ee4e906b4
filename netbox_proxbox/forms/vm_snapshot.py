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

from ..models import VMSnapshot

__all__ = (
    'VMSnapshotBulkEditForm',
    'VMSnapshotFilterForm',
    'VMSnapshotForm',
    'VMSnapshotImportForm',
)

FIELDS = (
    'virtual_machine',
    'name',
    'parent',
    'snapshot_time',
    'vmstate',
    'description',
    'owner',
    'comments',
    'tags',
)


class VMSnapshotForm(PrimaryModelForm):
    virtual_machine = DynamicModelChoiceField(label=_('Virtual machine'), queryset=VirtualMachine.objects.all())

    fieldsets = (
        FieldSet(
            'virtual_machine', 'name', 'parent', 'snapshot_time', 'vmstate', 'description', 'tags', name=_('Snapshot')
        ),
    )

    class Meta:
        model = VMSnapshot
        fields = FIELDS
        widgets = {'snapshot_time': DateTimePicker()}


class VMSnapshotFilterForm(PrimaryModelFilterSetForm):
    model = VMSnapshot
    fieldsets = (
        FieldSet('q', 'filter_id', 'tag'),
        FieldSet('virtual_machine_id', 'name', 'parent', 'vmstate', name=_('Snapshot')),
        FieldSet('owner_group_id', 'owner_id', name=_('Ownership')),
    )
    virtual_machine_id = DynamicModelMultipleChoiceField(
        queryset=VirtualMachine.objects.all(), required=False, label=_('Virtual machine')
    )
    name = forms.CharField(label=_('Name'), required=False)
    parent = forms.CharField(label=_('Parent'), required=False)
    vmstate = forms.NullBooleanField(
        label=_('Includes RAM'), required=False, widget=forms.Select(choices=BOOLEAN_WITH_BLANK_CHOICES)
    )
    tag = TagFilterField(model)


class VMSnapshotImportForm(PrimaryModelImportForm):
    virtual_machine = CSVModelChoiceField(
        label=_('Virtual machine'), queryset=VirtualMachine.objects.all(), to_field_name='name'
    )

    class Meta:
        model = VMSnapshot
        fields = FIELDS


class VMSnapshotBulkEditForm(PrimaryModelBulkEditForm):
    model = VMSnapshot
    vmstate = forms.NullBooleanField(
        label=_('Includes RAM'), required=False, widget=forms.Select(choices=BOOLEAN_WITH_BLANK_CHOICES)
    )

    fieldsets = (FieldSet('vmstate', 'description', name=_('Snapshot')),)
    nullable_fields = ('description', 'comments')

from django import forms
from django.utils.translation import gettext_lazy as _

from netbox.forms import PrimaryModelBulkEditForm, PrimaryModelFilterSetForm, PrimaryModelForm, PrimaryModelImportForm
from utilities.forms import BOOLEAN_WITH_BLANK_CHOICES, add_blank_choice
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

from ..choices import BackupVerificationChoices, GuestTypeChoices
from ..models import ProxmoxCluster, ProxmoxStorage, VMBackup

__all__ = (
    'VMBackupBulkEditForm',
    'VMBackupFilterForm',
    'VMBackupForm',
    'VMBackupImportForm',
)

FIELDS = (
    'storage',
    'volume_id',
    'virtual_machine',
    'guest_id',
    'guest_type',
    'format',
    'size',
    'creation_time',
    'notes',
    'protected',
    'verification_state',
    'encrypted',
    'description',
    'owner',
    'comments',
    'tags',
)


class VMBackupForm(PrimaryModelForm):
    storage = DynamicModelChoiceField(label=_('Storage'), queryset=ProxmoxStorage.objects.all())
    virtual_machine = DynamicModelChoiceField(
        label=_('Virtual machine'), queryset=VirtualMachine.objects.all(), required=False
    )

    fieldsets = (
        FieldSet('storage', 'volume_id', 'format', 'size', 'creation_time', 'description', 'tags', name=_('Backup')),
        FieldSet('virtual_machine', 'guest_id', 'guest_type', name=_('Guest')),
        FieldSet('protected', 'verification_state', 'encrypted', 'notes', name=_('State')),
    )

    class Meta:
        model = VMBackup
        fields = FIELDS
        widgets = {'creation_time': DateTimePicker()}


class VMBackupFilterForm(PrimaryModelFilterSetForm):
    model = VMBackup
    fieldsets = (
        FieldSet('q', 'filter_id', 'tag'),
        FieldSet(
            'cluster_id', 'storage_id', 'format', 'protected', 'verification_state', 'encrypted', name=_('Backup')
        ),
        FieldSet('virtual_machine_id', 'guest_id', 'guest_type', name=_('Guest')),
        FieldSet('owner_group_id', 'owner_id', name=_('Ownership')),
    )
    cluster_id = DynamicModelMultipleChoiceField(
        queryset=ProxmoxCluster.objects.all(), required=False, label=_('Proxmox cluster')
    )
    storage_id = DynamicModelMultipleChoiceField(
        queryset=ProxmoxStorage.objects.all(),
        required=False,
        label=_('Storage'),
        query_params={'cluster_id': '$cluster_id'},
    )
    format = forms.CharField(label=_('Format'), required=False)
    protected = forms.NullBooleanField(
        label=_('Protected'), required=False, widget=forms.Select(choices=BOOLEAN_WITH_BLANK_CHOICES)
    )
    verification_state = forms.MultipleChoiceField(
        label=_('Verification'), choices=BackupVerificationChoices, required=False
    )
    encrypted = forms.NullBooleanField(
        label=_('Encrypted'), required=False, widget=forms.Select(choices=BOOLEAN_WITH_BLANK_CHOICES)
    )
    virtual_machine_id = DynamicModelMultipleChoiceField(
        queryset=VirtualMachine.objects.all(), required=False, label=_('Virtual machine')
    )
    guest_id = forms.IntegerField(label=_('VMID'), required=False, min_value=0)
    guest_type = forms.MultipleChoiceField(label=_('Guest type'), choices=GuestTypeChoices, required=False)
    tag = TagFilterField(model)


class VMBackupImportForm(PrimaryModelImportForm):
    cluster = CSVModelChoiceField(
        label=_('Proxmox cluster'),
        queryset=ProxmoxCluster.objects.all(),
        to_field_name='name',
        required=False,
        help_text=_('Cluster of the storage (needed when storage IDs repeat across clusters)'),
    )
    storage = CSVModelChoiceField(
        label=_('Storage'), queryset=ProxmoxStorage.objects.all(), to_field_name='name', help_text=_('Storage ID')
    )
    virtual_machine = CSVModelChoiceField(
        label=_('Virtual machine'), queryset=VirtualMachine.objects.all(), required=False, to_field_name='name'
    )
    guest_type = CSVChoiceField(label=_('Guest type'), choices=GuestTypeChoices)
    verification_state = CSVChoiceField(label=_('Verification'), choices=BackupVerificationChoices, required=False)

    class Meta:
        model = VMBackup
        fields = FIELDS

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        if data and data.get('cluster'):
            self.fields['storage'].queryset = ProxmoxStorage.objects.filter(cluster__name=data['cluster'])


class VMBackupBulkEditForm(PrimaryModelBulkEditForm):
    model = VMBackup
    protected = forms.NullBooleanField(
        label=_('Protected'), required=False, widget=forms.Select(choices=BOOLEAN_WITH_BLANK_CHOICES)
    )
    verification_state = forms.ChoiceField(
        label=_('Verification'), choices=add_blank_choice(BackupVerificationChoices), required=False
    )
    encrypted = forms.NullBooleanField(
        label=_('Encrypted'), required=False, widget=forms.Select(choices=BOOLEAN_WITH_BLANK_CHOICES)
    )
    notes = forms.CharField(label=_('Notes'), required=False)

    fieldsets = (FieldSet('protected', 'verification_state', 'encrypted', 'notes', 'description', name=_('Backup')),)
    nullable_fields = ('notes', 'description', 'comments')

from django import forms
from django.utils.translation import gettext_lazy as _

from netbox.forms import PrimaryModelBulkEditForm, PrimaryModelFilterSetForm, PrimaryModelForm, PrimaryModelImportForm
from utilities.forms import BOOLEAN_WITH_BLANK_CHOICES, add_blank_choice
from utilities.forms.fields import (
    CSVChoiceField,
    CSVModelChoiceField,
    DynamicModelChoiceField,
    DynamicModelMultipleChoiceField,
    NumericArrayField,
    TagFilterField,
)
from utilities.forms.rendering import FieldSet
from utilities.forms.widgets import DateTimePicker

from ..choices import BackupCompressionChoices, BackupModeChoices, BackupSelectionChoices
from ..models import BackupRoutine, ProxmoxCluster, ProxmoxStorage
from .mixins import OmittedBooleansMixin

__all__ = (
    'BackupRoutineBulkEditForm',
    'BackupRoutineFilterForm',
    'BackupRoutineForm',
    'BackupRoutineImportForm',
)

FIELDS = (
    'cluster',
    'job_id',
    'schedule',
    'enabled',
    'storage',
    'node',
    'mode',
    'compression',
    'selection',
    'guest_ids',
    'pool',
    'keep_last',
    'keep_hourly',
    'keep_daily',
    'keep_weekly',
    'keep_monthly',
    'keep_yearly',
    'next_run',
    'comment',
    'description',
    'owner',
    'comments',
    'tags',
)
RETENTION = ('keep_last', 'keep_hourly', 'keep_daily', 'keep_weekly', 'keep_monthly', 'keep_yearly')


def _guest_ids_field():
    return NumericArrayField(
        base_field=forms.IntegerField(min_value=0),
        label=_('Guests'),
        required=False,
        help_text=_('Comma-separated VMIDs'),
    )


class BackupRoutineForm(PrimaryModelForm):
    cluster = DynamicModelChoiceField(label=_('Proxmox cluster'), queryset=ProxmoxCluster.objects.all())
    storage = DynamicModelChoiceField(
        label=_('Storage'),
        queryset=ProxmoxStorage.objects.all(),
        required=False,
        query_params={'cluster_id': '$cluster'},
    )
    guest_ids = _guest_ids_field()

    fieldsets = (
        FieldSet('cluster', 'job_id', 'schedule', 'enabled', 'next_run', 'description', 'tags', name=_('Job')),
        FieldSet('storage', 'mode', 'compression', name=_('Backup')),
        FieldSet('selection', 'guest_ids', 'pool', 'node', name=_('Guests')),
        FieldSet(*RETENTION, name=_('Retention')),
        FieldSet('comment', name=_('Proxmox')),
    )

    class Meta:
        model = BackupRoutine
        fields = FIELDS
        widgets = {'next_run': DateTimePicker()}


class BackupRoutineFilterForm(PrimaryModelFilterSetForm):
    model = BackupRoutine
    fieldsets = (
        FieldSet('q', 'filter_id', 'tag'),
        FieldSet('cluster_id', 'storage_id', 'job_id', 'enabled', name=_('Job')),
        FieldSet('mode', 'compression', 'selection', 'pool', 'node', name=_('Backup')),
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
    job_id = forms.CharField(label=_('Job ID'), required=False)
    enabled = forms.NullBooleanField(
        label=_('Enabled'), required=False, widget=forms.Select(choices=BOOLEAN_WITH_BLANK_CHOICES)
    )
    mode = forms.MultipleChoiceField(label=_('Mode'), choices=BackupModeChoices, required=False)
    compression = forms.MultipleChoiceField(label=_('Compression'), choices=BackupCompressionChoices, required=False)
    selection = forms.MultipleChoiceField(label=_('Selection'), choices=BackupSelectionChoices, required=False)
    pool = forms.CharField(label=_('Pool'), required=False)
    node = forms.CharField(label=_('Node'), required=False)
    tag = TagFilterField(model)


class BackupRoutineImportForm(OmittedBooleansMixin, PrimaryModelImportForm):
    cluster = CSVModelChoiceField(
        label=_('Proxmox cluster'), queryset=ProxmoxCluster.objects.all(), to_field_name='name'
    )
    storage = CSVModelChoiceField(
        label=_('Storage'),
        queryset=ProxmoxStorage.objects.all(),
        required=False,
        to_field_name='name',
        help_text=_('Storage ID within the cluster'),
    )
    # Optional in CSV: an omitted column takes the model default.
    mode = CSVChoiceField(label=_('Mode'), choices=BackupModeChoices, required=False)
    compression = CSVChoiceField(label=_('Compression'), choices=BackupCompressionChoices, required=False)
    selection = CSVChoiceField(label=_('Selection'), choices=BackupSelectionChoices, required=False)
    guest_ids = _guest_ids_field()

    class Meta:
        model = BackupRoutine
        fields = FIELDS

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        if data and data.get('cluster'):
            # A storage ID is unique only within its cluster.
            self.fields['storage'].queryset = ProxmoxStorage.objects.filter(cluster__name=data['cluster'])

    def clean(self):
        super().clean()
        # An empty cell means "the default", like an omitted column.
        for name in ('mode', 'selection'):
            if name in self.fields and not self.cleaned_data.get(name):
                self.cleaned_data[name] = BackupRoutine._meta.get_field(name).default
        return self.cleaned_data


class BackupRoutineBulkEditForm(PrimaryModelBulkEditForm):
    model = BackupRoutine
    schedule = forms.CharField(label=_('Schedule'), max_length=200, required=False)
    enabled = forms.NullBooleanField(
        label=_('Enabled'), required=False, widget=forms.Select(choices=BOOLEAN_WITH_BLANK_CHOICES)
    )
    mode = forms.ChoiceField(label=_('Mode'), choices=add_blank_choice(BackupModeChoices), required=False)
    compression = forms.ChoiceField(
        label=_('Compression'), choices=add_blank_choice(BackupCompressionChoices), required=False
    )
    keep_last = forms.IntegerField(label=_('Keep last'), min_value=0, required=False)
    keep_daily = forms.IntegerField(label=_('Keep daily'), min_value=0, required=False)
    keep_weekly = forms.IntegerField(label=_('Keep weekly'), min_value=0, required=False)
    keep_monthly = forms.IntegerField(label=_('Keep monthly'), min_value=0, required=False)

    fieldsets = (
        FieldSet('schedule', 'enabled', 'mode', 'compression', 'description', name=_('Job')),
        FieldSet('keep_last', 'keep_daily', 'keep_weekly', 'keep_monthly', name=_('Retention')),
    )
    nullable_fields = (
        'compression',
        'keep_last',
        'keep_daily',
        'keep_weekly',
        'keep_monthly',
        'description',
        'comments',
    )

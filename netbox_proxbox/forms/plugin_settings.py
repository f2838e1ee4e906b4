from django import forms
from django.utils.translation import gettext_lazy as _

from netbox.forms import NetBoxModelFilterSetForm, NetBoxModelForm
from utilities.forms import add_blank_choice
from utilities.forms.fields import JSONField, TagFilterField
from utilities.forms.rendering import FieldSet

from ..choices import PrunePolicyChoices, TemplateHandlingChoices
from ..models import SYNC_FAMILIES, ProxboxPluginSettings

__all__ = (
    'ProxboxPluginSettingsFilterForm',
    'ProxboxPluginSettingsForm',
)

FAMILY_FIELDS = tuple(f'sync_{family}' for family in SYNC_FAMILIES)
PERFORMANCE_FIELDS = (
    'read_concurrency',
    'write_concurrency',
    'batch_size',
    'proxmox_timeout',
    'netbox_timeout',
    'retries',
)


class ProxboxPluginSettingsForm(NetBoxModelForm):
    field_ownership = JSONField(
        label=_('Field ownership'),
        required=False,
        help_text=ProxboxPluginSettings._meta.get_field('field_ownership').help_text,
    )

    fieldsets = (
        FieldSet('name', 'tags', name=_('Settings')),
        FieldSet(*PERFORMANCE_FIELDS, name=_('Performance')),
        FieldSet(*FAMILY_FIELDS, 'templates', name=_('What to sync')),
        FieldSet('prune_policy', 'prune_grace_days', name=_('Pruning')),
        FieldSet('field_ownership', name=_('Field ownership')),
        FieldSet('task_history_days', 'default_schedule_interval', name=_('History and schedule')),
    )

    class Meta:
        model = ProxboxPluginSettings
        fields = (
            'name',
            *PERFORMANCE_FIELDS,
            *FAMILY_FIELDS,
            'templates',
            'prune_policy',
            'prune_grace_days',
            'field_ownership',
            'task_history_days',
            'default_schedule_interval',
            'tags',
        )

    def clean_field_ownership(self):
        # An emptied JSON box means "no overrides", not null.
        return self.cleaned_data.get('field_ownership') or {}


class ProxboxPluginSettingsFilterForm(NetBoxModelFilterSetForm):
    model = ProxboxPluginSettings
    fieldsets = (
        FieldSet('q', 'filter_id', 'tag'),
        FieldSet('prune_policy', 'templates', name=_('Settings')),
    )
    prune_policy = forms.ChoiceField(
        label=_('Prune policy'), choices=add_blank_choice(PrunePolicyChoices), required=False
    )
    templates = forms.ChoiceField(
        label=_('Templates'), choices=add_blank_choice(TemplateHandlingChoices), required=False
    )
    tag = TagFilterField(model)

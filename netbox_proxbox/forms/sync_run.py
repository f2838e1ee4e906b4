from django import forms
from django.utils.translation import gettext_lazy as _

from netbox.forms import NetBoxModelFilterSetForm
from users.models import User
from utilities.forms import BOOLEAN_WITH_BLANK_CHOICES
from utilities.forms.fields import DynamicModelMultipleChoiceField, TagFilterField
from utilities.forms.rendering import FieldSet
from utilities.forms.widgets import DateTimePicker

from ..choices import SyncKindChoices, SyncStatusChoices, SyncTriggerChoices
from ..models import ProxmoxEndpoint, SyncRun

# Sync runs are written by the sync itself: there is no add/edit/import form.
__all__ = ('SyncRunFilterForm',)


class SyncRunFilterForm(NetBoxModelFilterSetForm):
    model = SyncRun
    fieldsets = (
        FieldSet('q', 'filter_id', 'tag'),
        FieldSet('proxmox_endpoint_id', 'trigger', 'kind', 'dry_run', 'status', 'user_id', name=_('Run')),
        FieldSet('started__gte', 'started__lte', name=_('Time')),
    )
    proxmox_endpoint_id = DynamicModelMultipleChoiceField(
        queryset=ProxmoxEndpoint.objects.all(), required=False, label=_('Endpoint')
    )
    trigger = forms.MultipleChoiceField(label=_('Trigger'), choices=SyncTriggerChoices, required=False)
    kind = forms.MultipleChoiceField(label=_('Kind'), choices=SyncKindChoices, required=False)
    dry_run = forms.NullBooleanField(
        label=_('Dry run'), required=False, widget=forms.Select(choices=BOOLEAN_WITH_BLANK_CHOICES)
    )
    status = forms.MultipleChoiceField(label=_('Status'), choices=SyncStatusChoices, required=False)
    user_id = DynamicModelMultipleChoiceField(queryset=User.objects.all(), required=False, label=_('User'))
    started__gte = forms.DateTimeField(label=_('Started after'), required=False, widget=DateTimePicker())
    started__lte = forms.DateTimeField(label=_('Started before'), required=False, widget=DateTimePicker())
    tag = TagFilterField(model)

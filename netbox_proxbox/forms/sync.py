from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import ProxmoxEndpoint, SyncRun

__all__ = ('SyncStartForm',)


class SyncStartForm(forms.Form):
    """What the Full Update and Preview buttons post: which endpoints (all enabled when none), dry run or not."""

    endpoints = forms.ModelMultipleChoiceField(
        label=_('Endpoints'), queryset=ProxmoxEndpoint.objects.none(), required=False
    )
    dry_run = forms.BooleanField(label=_('Preview only'), required=False)
    apply_run = forms.ModelChoiceField(label=_('Apply preview'), queryset=SyncRun.objects.none(), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields['endpoints'].queryset = ProxmoxEndpoint.objects.restrict(user, 'view')
        self.fields['apply_run'].queryset = SyncRun.objects.restrict(user, 'view').defer('events')

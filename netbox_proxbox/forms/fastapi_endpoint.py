from django import forms
from django.utils.translation import gettext_lazy as _

from netbox.forms import PrimaryModelFilterSetForm, PrimaryModelForm, PrimaryModelImportForm
from utilities.forms import BOOLEAN_WITH_BLANK_CHOICES
from utilities.forms.fields import TagFilterField
from utilities.forms.rendering import FieldSet

from ..models import FastAPIEndpoint
from .mixins import OmittedBooleansMixin, SecretField, WriteOnlySecretsFormMixin

__all__ = (
    'FastAPIEndpointFilterForm',
    'FastAPIEndpointForm',
    'FastAPIEndpointImportForm',
)

FIELDS = ('name', 'url', 'api_key', 'verify_ssl', 'timeout', 'description', 'owner', 'comments', 'tags')


class FastAPIEndpointForm(WriteOnlySecretsFormMixin, PrimaryModelForm):
    api_key = SecretField(label=_('API key'))

    fieldsets = (
        FieldSet('name', 'url', 'verify_ssl', 'timeout', 'description', 'tags', name=_('proxbox-api endpoint')),
        FieldSet('api_key', name=_('Credentials')),
    )

    class Meta:
        model = FastAPIEndpoint
        fields = FIELDS


class FastAPIEndpointFilterForm(PrimaryModelFilterSetForm):
    model = FastAPIEndpoint
    fieldsets = (
        FieldSet('q', 'filter_id', 'tag'),
        FieldSet('url', 'verify_ssl', 'timeout', name=_('proxbox-api endpoint')),
        FieldSet('owner_group_id', 'owner_id', name=_('Ownership')),
    )
    url = forms.CharField(label=_('URL'), required=False)
    verify_ssl = forms.NullBooleanField(
        label=_('Verify TLS'), required=False, widget=forms.Select(choices=BOOLEAN_WITH_BLANK_CHOICES)
    )
    timeout = forms.IntegerField(label=_('Timeout'), required=False, min_value=1)
    tag = TagFilterField(model)


class FastAPIEndpointImportForm(OmittedBooleansMixin, PrimaryModelImportForm):
    # Optional in CSV: an omitted column takes the model default.
    name = forms.CharField(label=_('Name'), max_length=100, required=False)
    timeout = forms.IntegerField(label=_('Timeout'), required=False, min_value=1, max_value=3600)

    class Meta:
        model = FastAPIEndpoint
        fields = FIELDS

    def clean_name(self):
        return self.cleaned_data.get('name') or FastAPIEndpoint._meta.get_field('name').default

from django import forms
from django.utils.translation import gettext_lazy as _

from netbox.forms import PrimaryModelFilterSetForm, PrimaryModelForm, PrimaryModelImportForm
from utilities.forms import BOOLEAN_WITH_BLANK_CHOICES
from utilities.forms.fields import TagFilterField
from utilities.forms.rendering import FieldSet

from ..models import NetBoxEndpoint
from .mixins import OmittedBooleansMixin, SecretField, WriteOnlySecretsFormMixin

__all__ = (
    'NetBoxEndpointFilterForm',
    'NetBoxEndpointForm',
    'NetBoxEndpointImportForm',
)

FIELDS = ('name', 'url', 'token', 'verify_ssl', 'description', 'owner', 'comments', 'tags')


class NetBoxEndpointForm(WriteOnlySecretsFormMixin, PrimaryModelForm):
    token = SecretField(label=_('API token'), help_text=NetBoxEndpoint._meta.get_field('token').help_text)

    fieldsets = (
        FieldSet('name', 'url', 'verify_ssl', 'description', 'tags', name=_('NetBox endpoint')),
        FieldSet('token', name=_('Credentials')),
    )

    class Meta:
        model = NetBoxEndpoint
        fields = FIELDS


class NetBoxEndpointFilterForm(PrimaryModelFilterSetForm):
    model = NetBoxEndpoint
    fieldsets = (
        FieldSet('q', 'filter_id', 'tag'),
        FieldSet('url', 'verify_ssl', name=_('NetBox endpoint')),
        FieldSet('owner_group_id', 'owner_id', name=_('Ownership')),
    )
    url = forms.CharField(label=_('URL'), required=False)
    verify_ssl = forms.NullBooleanField(
        label=_('Verify TLS'), required=False, widget=forms.Select(choices=BOOLEAN_WITH_BLANK_CHOICES)
    )
    tag = TagFilterField(model)


class NetBoxEndpointImportForm(OmittedBooleansMixin, PrimaryModelImportForm):
    # Optional in CSV: an omitted column takes the model default.
    name = forms.CharField(label=_('Name'), max_length=100, required=False)

    class Meta:
        model = NetBoxEndpoint
        fields = FIELDS

    def clean_name(self):
        return self.cleaned_data.get('name') or NetBoxEndpoint._meta.get_field('name').default

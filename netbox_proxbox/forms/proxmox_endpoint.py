from django import forms
from django.utils.translation import gettext_lazy as _

from dcim.models import Site
from netbox.forms import PrimaryModelBulkEditForm, PrimaryModelFilterSetForm, PrimaryModelForm, PrimaryModelImportForm
from tenancy.models import Tenant
from utilities.forms import BOOLEAN_WITH_BLANK_CHOICES
from utilities.forms.fields import (
    CSVModelChoiceField,
    DynamicModelChoiceField,
    DynamicModelMultipleChoiceField,
    TagFilterField,
)
from utilities.forms.rendering import FieldSet
from utilities.forms.widgets import DateTimePicker

from ..models import ProxmoxEndpoint
from ..models.proxmox_endpoint import default_sync_interval, default_timeout
from .mixins import OmittedBooleansMixin, SecretField, WriteOnlySecretsFormMixin

__all__ = (
    'ProxmoxEndpointBulkEditForm',
    'ProxmoxEndpointFilterForm',
    'ProxmoxEndpointForm',
    'ProxmoxEndpointImportForm',
)


class ProxmoxEndpointForm(WriteOnlySecretsFormMixin, PrimaryModelForm):
    token_secret = SecretField(label=_('API token secret'))
    password = SecretField(label=_('Password'))
    site = DynamicModelChoiceField(label=_('Site'), queryset=Site.objects.all(), required=False)
    tenant = DynamicModelChoiceField(label=_('Tenant'), queryset=Tenant.objects.all(), required=False)

    fieldsets = (
        FieldSet('name', 'host', 'port', 'enabled', 'description', 'tags', name=_('Endpoint')),
        FieldSet('username', 'token_name', 'token_secret', 'password', name=_('Credentials')),
        FieldSet('verify_ssl', 'ca_certificate', 'timeout', name=_('Connection')),
        FieldSet('site', 'tenant', name=_('Assignment')),
        FieldSet('sync_interval', 'sync_start', name=_('Scheduled Full Update')),
        FieldSet('continuous_interval', 'follow_notifications', name=_('Continuous mode')),
    )

    class Meta:
        model = ProxmoxEndpoint
        fields = (
            'name',
            'host',
            'port',
            'enabled',
            'username',
            'token_name',
            'token_secret',
            'password',
            'verify_ssl',
            'ca_certificate',
            'timeout',
            'site',
            'tenant',
            'sync_interval',
            'sync_start',
            'continuous_interval',
            'follow_notifications',
            'description',
            'owner',
            'comments',
            'tags',
        )
        widgets = {'sync_start': DateTimePicker()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.initial.setdefault('sync_interval', default_sync_interval())
            self.initial.setdefault('timeout', default_timeout())


class ProxmoxEndpointFilterForm(PrimaryModelFilterSetForm):
    model = ProxmoxEndpoint
    fieldsets = (
        FieldSet('q', 'filter_id', 'tag'),
        FieldSet('host', 'port', 'username', 'enabled', 'verify_ssl', name=_('Endpoint')),
        FieldSet('site_id', 'tenant_id', name=_('Assignment')),
        FieldSet('owner_group_id', 'owner_id', name=_('Ownership')),
    )
    host = forms.CharField(label=_('Host'), required=False)
    port = forms.IntegerField(label=_('Port'), required=False)
    username = forms.CharField(label=_('Username'), required=False)
    enabled = forms.NullBooleanField(
        label=_('Enabled'), required=False, widget=forms.Select(choices=BOOLEAN_WITH_BLANK_CHOICES)
    )
    verify_ssl = forms.NullBooleanField(
        label=_('Verify TLS'), required=False, widget=forms.Select(choices=BOOLEAN_WITH_BLANK_CHOICES)
    )
    site_id = DynamicModelMultipleChoiceField(queryset=Site.objects.all(), required=False, label=_('Site'))
    tenant_id = DynamicModelMultipleChoiceField(queryset=Tenant.objects.all(), required=False, label=_('Tenant'))
    tag = TagFilterField(model)


class ProxmoxEndpointImportForm(OmittedBooleansMixin, PrimaryModelImportForm):
    # Optional in CSV: an omitted column takes the model default.
    port = forms.IntegerField(label=_('Port'), required=False, min_value=1, max_value=65535)
    timeout = forms.IntegerField(label=_('Timeout'), required=False, min_value=1, max_value=600)
    sync_interval = forms.IntegerField(label=_('Sync interval'), required=False, min_value=5)
    site = CSVModelChoiceField(label=_('Site'), queryset=Site.objects.all(), required=False, to_field_name='name')
    tenant = CSVModelChoiceField(label=_('Tenant'), queryset=Tenant.objects.all(), required=False, to_field_name='name')

    class Meta:
        model = ProxmoxEndpoint
        fields = (
            'name',
            'host',
            'port',
            'enabled',
            'username',
            'token_name',
            'token_secret',
            'password',
            'verify_ssl',
            'ca_certificate',
            'timeout',
            'site',
            'tenant',
            'sync_interval',
            'sync_start',
            'continuous_interval',
            'follow_notifications',
            'description',
            'owner',
            'comments',
            'tags',
        )

    def clean_sync_interval(self):
        # An omitted column keeps the default schedule; an explicit 0 means "no schedule".
        value = self.cleaned_data.get('sync_interval')
        if value is None and 'sync_interval' not in self.data and not self.instance.pk:
            return default_sync_interval()
        return value or None

    def clean_timeout(self):
        # An omitted column or an empty cell: the settings' Proxmox timeout, or the one it had.
        value = self.cleaned_data.get('timeout')
        if value is None:
            return self.instance.timeout if self.instance.pk else default_timeout()
        return value


class ProxmoxEndpointBulkEditForm(PrimaryModelBulkEditForm):
    model = ProxmoxEndpoint
    port = forms.IntegerField(label=_('Port'), required=False, min_value=1, max_value=65535)
    enabled = forms.NullBooleanField(
        label=_('Enabled'), required=False, widget=forms.Select(choices=BOOLEAN_WITH_BLANK_CHOICES)
    )
    verify_ssl = forms.NullBooleanField(
        label=_('Verify TLS'), required=False, widget=forms.Select(choices=BOOLEAN_WITH_BLANK_CHOICES)
    )
    timeout = forms.IntegerField(label=_('Timeout'), required=False, min_value=1, max_value=600)
    site = DynamicModelChoiceField(label=_('Site'), queryset=Site.objects.all(), required=False)
    tenant = DynamicModelChoiceField(label=_('Tenant'), queryset=Tenant.objects.all(), required=False)
    sync_interval = forms.IntegerField(label=_('Sync interval (minutes)'), required=False, min_value=5)
    continuous_interval = forms.IntegerField(
        label=_('Continuous mode (seconds)'), required=False, min_value=10, max_value=3600
    )
    follow_notifications = forms.NullBooleanField(
        label=_('Follow notifications'), required=False, widget=forms.Select(choices=BOOLEAN_WITH_BLANK_CHOICES)
    )

    fieldsets = (
        FieldSet('port', 'enabled', 'verify_ssl', 'timeout', 'description', name=_('Endpoint')),
        FieldSet('site', 'tenant', name=_('Assignment')),
        FieldSet('sync_interval', name=_('Scheduled Full Update')),
        FieldSet('continuous_interval', 'follow_notifications', name=_('Continuous mode')),
    )
    nullable_fields = ('site', 'tenant', 'description', 'comments', 'sync_interval', 'continuous_interval')

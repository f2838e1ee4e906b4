from django import forms
from django.utils.translation import gettext_lazy as _

__all__ = ('OmittedBooleansMixin', 'SecretField', 'WriteOnlySecretsFormMixin')


class SecretField(forms.CharField):
    """A password input that never renders the stored value back into the page."""

    def __init__(self, **kwargs):
        kwargs.setdefault('required', False)
        kwargs.setdefault('strip', False)
        kwargs.setdefault('widget', forms.PasswordInput(render_value=False, attrs={'autocomplete': 'new-password'}))
        super().__init__(**kwargs)


class WriteOnlySecretsFormMixin:
    """
    On edit, an empty secret field keeps the stored secret, so people can change other fields
    without typing the secret again. The help text says whether a secret is stored.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        for name in instance.secret_fields:
            if name in self.fields and instance.pk and instance.secret_is_set(name):
                self.fields[name].help_text = _('A value is stored. Leave empty to keep it.')

    def clean(self):
        super().clean()
        if self.instance.pk:
            stored = type(self.instance).objects.get(pk=self.instance.pk)
            for name in self.instance.secret_fields:
                if name in self.fields and not self.cleaned_data.get(name):
                    self.cleaned_data[name] = getattr(stored, name)
        return self.cleaned_data


class OmittedBooleansMixin:
    """
    CSV import of new objects: a yes/no column that is left out takes the model's default (Django
    reads a missing checkbox as "no", so omitting verify_ssl would turn TLS verification off).
    """

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk:
            for name, field in self.fields.items():
                if isinstance(field, forms.BooleanField) and name not in self.data:
                    self.cleaned_data[name] = self._meta.model._meta.get_field(name).get_default()
        return cleaned

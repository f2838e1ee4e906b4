"""Behaviour shared by Proxbox models."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ('SingletonMixin', 'UniqueErrorFieldMixin', 'WriteOnlySecretsMixin', 'singleton_constraint')


class WriteOnlySecretsMixin:
    """
    A model whose `secret_fields` hold credentials. They are kept out of every change-log
    snapshot (and so out of event rules and webhooks that read them); the REST API, GraphQL
    and the UI leave them out on their side.
    """

    secret_fields: tuple[str, ...] = ()

    def serialize_object(self, exclude=None):
        return super().serialize_object(exclude=[*(exclude or []), *self.secret_fields])

    def secret_is_set(self, field_name):
        return bool(getattr(self, field_name))


def singleton_constraint(model_name):
    """A unique index on a constant: the database itself refuses a second row."""
    return models.UniqueConstraint(
        models.Value(True),
        name=f'netbox_proxbox_{model_name}_singleton',
        violation_error_message=_('Only one may exist; edit the existing one.'),
    )


class UniqueErrorFieldMixin:
    """
    Reports a broken multi-field unique constraint beside `unique_error_field` (the identifier
    people type, e.g. a snapshot's name) instead of as a form-wide error, so forms and the REST
    API name the field. Django only does this itself for single-field constraints.
    """

    unique_error_field: str = ''

    def validate_constraints(self, exclude=None):
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as e:
            errors = e.update_error_dict({})
            if NON_FIELD_ERRORS in errors and self.unique_error_field not in (exclude or ()):
                errors.setdefault(self.unique_error_field, []).extend(errors.pop(NON_FIELD_ERRORS))
            raise ValidationError(errors) from e


class SingletonMixin:
    """
    A model of which at most one row exists (settings-like). A second one is refused with a
    clear validation error; `singleton_constraint` backs this up in the database.
    """

    def clean(self):
        super().clean()
        if type(self).objects.exclude(pk=self.pk).exists():
            raise ValidationError(
                _('Only one %(name)s may exist; edit the existing one.') % {'name': self._meta.verbose_name}
            )

    @classmethod
    def get_solo(cls):
        """The one instance, or None when it has not been created yet."""
        return cls.objects.first()

"""
NetBox's uniqueness check of custom fields (`unique=True`), made once for a batch instead of per object.

`CustomFieldsMixin.clean()` asks the database, per object and unique field, whether another object holds
the same value (a custom field's uniqueness lives only there: there is no database constraint). For a
batch the same answer comes from one query per field: the objects holding any of the batch's values.
While the batch is validated, NetBox's own check is switched off for those fields in this request's
custom-field cache only (copies with `unique=False`, restored afterwards); `UniqueValues.check` then
gives each object NetBox's verdict and message, counting the objects saved earlier in the batch as
NetBox's sequential checks would. Values other than strings keep NetBox's per-object check (JSON's
equality and Python's differ for them).
"""

import copy
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from extras.choices import CustomFieldStatusChoices
from extras.constants import CUSTOMFIELD_EMPTY_VALUES
from extras.models import CustomField
from netbox.context import query_cache

__all__ = ('UniqueValues', 'unique_values')


class UniqueValues:
    """Who holds each value of the batch's unique custom fields: {field name: {value: {pk, ...}}}."""

    def __init__(self, model, holders):
        self.model, self.holders = model, holders

    def check(self, instance):
        """Raise NetBox's error if another object holds one of `instance`'s unique values."""
        for name, held in self.holders.items():
            value = instance.custom_field_data.get(name)
            if value in CUSTOMFIELD_EMPTY_VALUES:
                continue
            if held.get(value, set()) - {instance.pk}:
                raise ValidationError(_("Custom field '{name}' must have a unique value.").format(name=name))

    def saved(self, instance, before):
        """`instance` now holds its values (and no longer `before`'s, its custom field data before the batch)."""
        for name, held in self.holders.items():
            old = (before or {}).get(name)
            if old in held:
                held[old].discard(instance.pk)
            value = instance.custom_field_data.get(name)
            if value not in CUSTOMFIELD_EMPTY_VALUES and isinstance(value, str):
                held.setdefault(value, set()).add(instance.pk)


def _values(cf, payloads, existing):
    """Every value of `cf` the batch's objects can have once built (given, kept from before, the default);
    None if one is not a string."""
    given = (payload.get('custom_fields') if isinstance(payload, dict) else None for payload in payloads)
    candidates = [data.get(cf.name) for data in given if isinstance(data, dict)]
    candidates += [obj.custom_field_data.get(cf.name) for obj in existing.values()]
    candidates.append(cf.default)
    values = set()
    for value in candidates:
        if value in CUSTOMFIELD_EMPTY_VALUES:
            continue
        if not isinstance(value, str):
            return None
        values.add(value)
    return values


@contextmanager
def unique_values(model, payloads, existing):
    """`payloads`: the batch's; `existing`: the objects it updates, by pk. Within the block, NetBox's
    per-object check is off for the unique custom fields the batch can be checked for at once, and the
    `UniqueValues` yielded checks them; yields None when there are none (or no request cache to switch
    the check off in)."""
    cache = query_cache.get()
    fields = CustomField.objects.get_for_model(model, statuses=CustomFieldStatusChoices.DATA_STATUSES)
    if cache is None or cache['custom_fields'].get(model._meta.model) is None:
        yield None
        return
    batched = {}
    for cf in fields:
        if cf.unique and cf.status == CustomFieldStatusChoices.STATUS_ACTIVE:
            values = _values(cf, payloads, existing)
            if values is not None:
                batched[cf.name] = values
    if not batched:
        yield None
        return
    holders = {}
    for name, values in batched.items():
        rows = model.objects.filter(**{f'custom_field_data__{name}__in': sorted(values)}).values_list(
            'pk', f'custom_field_data__{name}'
        )
        held = holders[name] = {}
        for pk, value in rows:
            held.setdefault(value, set()).add(pk)
    original = cache['custom_fields'][model._meta.model]
    cache['custom_fields'][model._meta.model] = [_not_unique(cf) if cf.name in batched else cf for cf in original]
    try:
        yield UniqueValues(model, holders)
    finally:
        cache['custom_fields'][model._meta.model] = original


def _not_unique(cf):
    clone = copy.copy(cf)
    clone.unique = False
    return clone

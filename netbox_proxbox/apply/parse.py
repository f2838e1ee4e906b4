"""
REST-shaped payloads -> model attributes, with every related object of a batch fetched once.

A payload is what the sync would send to NetBox's REST API: scalar fields, related objects by id,
content types as `app_label.model`, many-to-many fields as lists of ids, `tags` as `[{"slug": ...}]`
and `custom_fields` as a dict. An object that names something that does not exist gets the message
NetBox's REST API gives for it.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import DecimalField, ForeignKey

from extras.models import CustomField, Tag

__all__ = ('Parsed', 'References', 'parse')

_SKIP = frozenset(('id', 'changelog_message'))


@dataclass
class Parsed:
    """One object's attributes (`attrs`), many-to-many values (`m2m`), tags (None: not given) and custom fields."""

    attrs: dict = field(default_factory=dict)
    m2m: dict = field(default_factory=dict)
    tags: list | None = None
    custom_fields: dict | None = None


def _field(model, name):
    try:
        found = model._meta.get_field(name)
    except FieldDoesNotExist:
        raise ValidationError({name: [f'{model._meta.label_lower} has no field "{name}".']})
    forward_m2m = found.many_to_many and not found.auto_created
    if not (getattr(found, 'concrete', False) or forward_m2m):  # reverse relations, generic foreign keys
        raise ValidationError({name: [f'"{name}" cannot be written.']})
    return found


def _ids(value, name):
    values = value if isinstance(value, list) else [value]
    ids = []
    for item in values:
        if isinstance(item, dict) and set(item) == {'id'}:
            item = item['id']
        if isinstance(item, bool) or not isinstance(item, int):
            raise ValidationError({name: [f'Related objects must be referenced by numeric ID, not {item!r}.']})
        ids.append(item)
    return ids


def _slug(tag):
    if isinstance(tag, dict) and isinstance(tag.get('slug'), str):
        return tag['slug']
    if isinstance(tag, str):
        return tag
    raise ValidationError({'tags': [f'Tags are given by slug ({{"slug": ...}}), not {tag!r}.']})


class References:
    """Every related object the batch names, fetched with one query per related model."""

    def __init__(self, model, payloads, user):
        self.model = model
        wanted = defaultdict(set)
        slugs = set()
        for payload in payloads:
            if not isinstance(payload, dict):
                continue
            for name, value in payload.items():
                if name == 'tags' and isinstance(value, list):
                    slugs.update(tag.get('slug') if isinstance(tag, dict) else tag for tag in value)
                    continue
                related = self._related_model(name)
                if related is not None and value is not None:
                    try:
                        wanted[related].update(_ids(value, name))
                    except ValidationError:
                        continue  # reported per object by parse()
        self.objects = {related: related.objects.in_bulk(ids) for related, ids in wanted.items()}
        # By attributes (a tag's slug) NetBox finds only what the user may view; by numeric id, anything.
        tags = Tag.objects.restrict(user, 'view').filter(slug__in=[s for s in slugs if isinstance(s, str)])
        self.tags = {tag.slug: tag for tag in tags}
        self.custom_fields = {cf.name: cf for cf in CustomField.objects.get_for_model(model)}
        # Foreign keys whose existence check (Django's `ForeignKey.validate`, a query per object) the
        # fetch above already made: those without `limit_choices_to`, which the fetch does not apply.
        self.checked = frozenset(
            found.name
            for found in model._meta.concrete_fields
            if isinstance(found, ForeignKey) and not found.remote_field.parent_link and not found.get_limit_choices_to()
        )

    def _related_model(self, name):
        try:
            found = self.model._meta.get_field(name)
        except FieldDoesNotExist:
            return None
        forward = found.concrete or found.many_to_many and not found.auto_created
        if found.is_relation and forward and found.related_model is not ContentType:
            return found.related_model
        return None

    def verified(self, parsed, kept=None):
        """The foreign keys of `parsed` whose related object this batch found, and those an update leaves
        set on `kept` (the object as loaded): for `full_clean(exclude=...)`."""
        found = [name for name, value in parsed.attrs.items() if value is not None and name in self.checked]
        if kept is not None:
            fields = self.model._meta
            found += [
                name for name in self.checked
                if name not in parsed.attrs and getattr(kept, fields.get_field(name).attname) is not None
            ]  # fmt: skip
        return found

    def get(self, related, pk, name):
        obj = self.objects.get(related, {}).get(pk)
        if obj is None:
            raise ValidationError({name: [f'Related object not found using the provided numeric ID: {pk}']})
        return obj

    def tag(self, slug):
        tag = self.tags.get(slug)
        if tag is None:
            raise ValidationError(
                {'tags': [f"Related object not found using the provided attributes: {{'slug': '{slug}'}}"]}
            )
        return tag

    def content_type(self, value, name):
        try:
            app_label, model = value.split('.')
            return ContentType.objects.get_by_natural_key(app_label, model)
        except (AttributeError, ValueError, ContentType.DoesNotExist):
            raise ValidationError({name: [f'Invalid content type: {value}']})


def _custom_fields(value, refs):
    if not isinstance(value, dict):
        raise ValidationError({'custom_fields': [
            'Invalid data format. Custom field data must be passed as a dictionary mapping field names to their '
            'values.'
        ]})  # fmt: skip
    unknown = sorted(set(value) - set(refs.custom_fields))
    if unknown:
        raise ValidationError(
            {name: [f"Custom field '{name}' does not exist for this object type."] for name in unknown}
        )
    return dict(value)


def parse(payload, refs):
    """The `Parsed` form of one payload; raises `ValidationError` (NetBox's messages) for what cannot be."""
    if not isinstance(payload, dict):
        raise ValidationError(f'Invalid data. Expected a dictionary, but got {type(payload).__name__}.')
    parsed = Parsed()
    for name, value in payload.items():
        if name in _SKIP:
            continue
        if name == 'tags':
            if not isinstance(value, list):
                raise ValidationError({'tags': ['Expected a list of tags.']})
            parsed.tags = [refs.tag(_slug(tag)) for tag in value]
            continue
        if name == 'custom_fields':
            parsed.custom_fields = _custom_fields(value, refs)
            continue
        found = _field(refs.model, name)
        if found.many_to_many:
            parsed.m2m[name] = [refs.get(found.related_model, pk, name) for pk in _ids(value or [], name)]
        elif found.is_relation and found.related_model is ContentType:
            parsed.attrs[name] = None if value is None else refs.content_type(value, name)
        elif found.is_relation:
            parsed.attrs[name] = None if value is None else refs.get(found.related_model, _ids(value, name)[0], name)
        else:
            parsed.attrs[name] = _decimal(found, value)
    return parsed


def _decimal(found, value):
    """A decimal field's value as NetBox's REST serializer stores it (2 -> 2.00), so an unchanged value
    compares equal in the change record; anything else is left for the model's validation."""
    if not isinstance(found, DecimalField) or value is None or isinstance(value, bool):
        return value
    try:
        return Decimal(str(value)).quantize(Decimal(1).scaleb(-found.decimal_places))
    except (InvalidOperation, ValueError):
        return value

"""
Creating and updating the objects of an attempt: build each instance from its payload, run the model's
validation as NetBox's REST serializers do, and save it with NetBox's signal receivers running, all
but the change-log one, whose work `record.record_writes` does for the whole batch afterwards.
"""

from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db.models.signals import m2m_changed

from extras.models import Tag
from netbox.api.viewsets.mixins import PERMISSION_DENIED_MESSAGE
from netbox.context import current_request
from netbox.models.features import CustomFieldsMixin
from utilities.exceptions import AbortRequest

from .parse import References, parse

__all__ = ('PERMISSION_DENIED', 'build', 'load_existing', 'message_of', 'save', 'tag_created')

PERMISSION_DENIED = PERMISSION_DENIED_MESSAGE  # NetBox's REST API's words for an object outside a permission


def message_of(exc):
    """NetBox's per-object error text: `field: message` parts, as the REST client flattens them."""
    if hasattr(exc, 'error_dict'):
        return '; '.join(
            ' '.join(exc_messages) if name in ('__all__', 'non_field_errors') else f'{name}: {" ".join(exc_messages)}'
            for name, exc_messages in (
                (name, ValidationError(errors).messages) for name, errors in exc.error_dict.items()
            )
        )
    return ' '.join(exc.messages)


def _taggable(model):
    return hasattr(model, 'tags') and hasattr(model.tags, 'through')


def load_existing(model, user, objects, pending, action):
    """The objects an update names, as the user may change them (tags prefetched for the snapshots)."""
    if action != 'update':
        return {}
    ids = [objects[index].get('id') for index in pending if isinstance(objects[index], dict)]
    queryset = model.objects.restrict(user, 'change')
    if _taggable(model):
        queryset = queryset.prefetch_related('tags')
    return queryset.in_bulk([oid for oid in ids if isinstance(oid, int) and not isinstance(oid, bool)])


def _instance(model, parsed, existing, refs, message):
    if existing is None:
        instance = model(**parsed.attrs)
        if issubclass(model, CustomFieldsMixin):
            defaults = {name: cf.default for name, cf in refs.custom_fields.items()}
            instance.custom_field_data = parsed.custom_fields if parsed.custom_fields is not None else defaults
    else:
        instance = existing
        instance.snapshot()
        for name, value in parsed.attrs.items():
            setattr(instance, name, value)
        if parsed.custom_fields is not None:
            instance.custom_field_data = {**instance.custom_field_data, **parsed.custom_fields}
    instance._changelog_message = message
    instance._m2m_values = parsed.m2m
    return instance


def build(attempt, existing):
    """Validate and save each pending object; returns [(index, instance)] of those written.

    Unique constraints are left to the database (it enforces every one NetBox declares): an object that
    breaks one ends the attempt, and the next validates it in full, so it fails with NetBox's message.
    """
    model, action = attempt.model, attempt.action
    refs = References(model, [attempt.objects[index] for index in attempt.pending], attempt.request.user)
    written, tagged = [], []
    for index in attempt.pending:
        payload = attempt.objects[index]
        current = None
        if action == 'update':
            oid = payload.get('id') if isinstance(payload, dict) else None
            current = existing.get(oid)
            if current is None:
                attempt.fail(index, f'id: Object with ID {oid} does not exist', 400, oid)
                continue
        try:
            parsed = parse(payload, refs)
            instance = _instance(model, parsed, current, refs, attempt.message)
            strict = index in attempt.strict
            instance.full_clean(validate_unique=strict, validate_constraints=strict)
        except ValidationError as exc:
            attempt.invalid(index, exc, current and current.pk)
            continue
        except AbortRequest as exc:
            attempt.fail(index, str(exc.message), 400, current and current.pk)
            continue
        if attempt.save(index, instance, parsed, created=current is None):
            written.append((index, instance))
            if current is None and parsed.tags:
                tagged.append((index, instance, parsed.tags))
    failed = tag_created(attempt, tagged)
    return [(index, instance) for index, instance in written if index not in failed]


@contextmanager
def _without_change_logging():
    """NetBox's change-log receiver does nothing without a current request; every other receiver runs."""
    token = current_request.set(None)
    try:
        yield
    finally:
        current_request.reset(token)


def save(instance, parsed, created):
    """Save as NetBox's REST serializers do: the object, then its tags (`_save_tags`), then its m2m fields.
    A new object's tags are added by `tag_created`, for the whole batch."""
    with _without_change_logging():
        instance.save()
        if parsed.tags is not None:
            instance._tags = parsed.tags
            if not created:
                getattr(instance, '_prefetched_objects_cache', {}).pop('tags', None)  # the snapshot's, now stale
                instance.tags.set(parsed.tags)
            elif not parsed.tags:
                instance.tags.clear()
        for name, values in parsed.m2m.items():
            getattr(instance, name).set(values)


def _tag_signal(action, instance, tags, through):
    m2m_changed.send(
        sender=through,
        action=action,
        instance=instance,
        reverse=False,
        model=Tag,
        pk_set={tag.pk for tag in tags},
        using=instance._state.db,
    )


def tag_created(attempt, tagged):
    """Tag new objects as NetBox's tag manager does (`pre_add`, the rows, `post_add`), the rows in one insert.
    Returns the indexes that a `pre_add` receiver refused (NetBox's tag restrictions), failed on `attempt`."""
    if not tagged:
        return set()
    through = attempt.model.tags.through
    refused, rows, done = set(), [], []
    with _without_change_logging():
        for index, instance, tags in tagged:
            try:
                _tag_signal('pre_add', instance, tags, through)
            except AbortRequest as exc:
                attempt.fail(index, str(exc.message))
                refused.add(index)
                continue
            rows += [through(tag=tag, **instance.tags._lookup_kwargs()) for tag in tags]
            done.append((instance, tags))
        through.objects.bulk_create(rows, ignore_conflicts=True)
        for instance, tags in done:
            _tag_signal('post_add', instance, tags, through)
    return refused

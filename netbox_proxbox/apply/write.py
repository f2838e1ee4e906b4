"""
Creating and updating the objects of an attempt: build each instance from its payload, run the model's
validation as NetBox's REST serializers do, and save it with NetBox's signal receivers running, all
but the change-log one, whose work `record.record_writes` does for the whole batch afterwards.
"""

from contextlib import contextmanager

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.db.models.signals import m2m_changed

from extras.cache import invalidate_config_context_for_objects
from extras.models import Tag
from extras.signals import invalidate_on_device_vm_tag_change, validate_assigned_tags
from netbox.api.viewsets.mixins import PERMISSION_DENIED_MESSAGE
from netbox.context import current_request
from netbox.models.features import CustomFieldsMixin
from utilities.exceptions import AbortRequest

from .parse import References, parse
from .unique import unique_values

__all__ = ('PERMISSION_DENIED', 'build', 'load_existing', 'message_of', 'save', 'tag_created')

PERMISSION_DENIED = PERMISSION_DENIED_MESSAGE  # NetBox's REST API's words for an object outside a permission

# NetBox's tag receivers whose work is done once per batch (`tag_created`), not once per object.
_BATCHED = frozenset((validate_assigned_tags, invalidate_on_device_vm_tag_change))
_CONFIG_CONTEXT_MODELS = {
    'dcim.device': 'dcim.device',
    'virtualization.virtualmachine': 'virtualization.virtualmachine',
}


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
    """The objects an update names, as the user may change them, with their many-to-many values (tags
    included) prefetched for the change records, in the order NetBox's serializer lists them."""
    if action != 'update':
        return {}
    ids = [objects[index].get('id') for index in pending if isinstance(objects[index], dict)]
    queryset = model.objects.restrict(user, 'change')
    for found in model._meta.many_to_many:
        if found.name == 'tags':  # taggit's own prefetch (NetBox lists tags by name in any case)
            queryset = queryset.prefetch_related('tags')
            continue
        related = found.related_model
        ordered = related._default_manager.order_by(*related._meta.ordering, 'pk')
        queryset = queryset.prefetch_related(Prefetch(found.name, queryset=ordered))
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
    payloads = [attempt.objects[index] for index in attempt.pending]
    refs = References(model, payloads, attempt.request.user)
    written, tagged = [], []
    with unique_values(model, payloads, existing) as uniques:
        for index in attempt.pending:
            payload = attempt.objects[index]
            current = None
            if action == 'update':
                oid = payload.get('id') if isinstance(payload, dict) else None
                current = existing.get(oid)
                if current is None:
                    attempt.fail(index, f'id: Object with ID {oid} does not exist', 400, oid)
                    continue
            before = getattr(current, 'custom_field_data', None)
            try:
                parsed = parse(payload, refs)
                instance = _instance(model, parsed, current, refs, attempt.message)
                strict = index in attempt.strict
                # Related objects the batch fetched, or an update keeps (the database's foreign keys hold them), are
                # not looked up again; a strict retry checks everything.
                exclude = None if strict else refs.verified(parsed, kept=current)
                instance.full_clean(exclude=exclude, validate_unique=strict, validate_constraints=strict)
                if uniques is not None:
                    uniques.check(instance)
            except ValidationError as exc:
                attempt.invalid(index, exc, current and current.pk)
                continue
            except AbortRequest as exc:
                attempt.fail(index, str(exc.message), 400, current and current.pk)
                continue
            if attempt.save(index, instance, parsed, created=current is None):
                if uniques is not None:
                    uniques.saved(instance, before)
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
                _cache_related(instance, 'tags', parsed.tags)
            elif not parsed.tags:
                instance.tags.clear()
        for name, values in parsed.m2m.items():
            if values or not created:  # a new object has none yet
                getattr(instance, name).set(values)
            if not values:  # else left to the query: the change record lists them in the model's order
                _cache_related(instance, name, ())
        if created:
            _cache_empty(instance, parsed)


def _cache_related(instance, name, objects):
    """`objects` as the prefetched value of the many-to-many field `name` (as Django's prefetch leaves it),
    so the change record reads it from memory; adding or removing through the field drops it again."""
    cache = instance.__dict__.setdefault('_prefetched_objects_cache', {})
    cache.pop(name, None)
    queryset = getattr(instance, name).all()
    queryset._result_cache, queryset._prefetch_done = list(objects), True
    cache[name] = queryset


def _cache_empty(instance, parsed):
    """A new object's many-to-many fields the payload left out are empty (its tags until `tag_created`)."""
    for found in instance._meta.many_to_many:
        if found.name not in parsed.m2m:
            _cache_related(instance, found.name, ())


def _tag_signal(action, instance, tags, through, receivers):
    """`m2m_changed` for tags added to `instance`, sent to `receivers` as `Signal.send` would."""
    for receiver in receivers:
        receiver(
            signal=m2m_changed, sender=through, action=action, instance=instance, reverse=False, model=Tag,
            pk_set={tag.pk for tag in tags}, using=instance._state.db,
        )  # fmt: skip


def _receivers(through):
    """The tag signal's receivers but NetBox's two whose per-object work `tag_created` does per batch;
    None when they cannot be told apart (an async receiver: then the signal is sent as it is)."""
    sync_receivers, async_receivers = m2m_changed._live_receivers(through)
    if async_receivers:
        return None
    return [receiver for receiver in sync_receivers if receiver not in _BATCHED]


def _restricted_tags(tags):
    """NetBox's `validate_assigned_tags` query for the whole batch: the tags limited to some object types."""
    return list(
        Tag.objects.filter(pk__in={tag.pk for tag in tags}, object_types__isnull=False).prefetch_related('object_types')
    )


def _refusal(instance, tags, restricted):
    """What `validate_assigned_tags` would raise for `instance` (the first tag, in its query's order)."""
    ct = ContentType.objects.get_for_model(instance)
    wanted = {tag.pk for tag in tags}
    for tag in restricted:
        if tag.pk in wanted and ct not in tag.object_types.all():
            return f'Tag {tag} cannot be assigned to {ct.model} objects.'
    return None


def _invalidate_config_contexts(model, instances):
    """`invalidate_on_device_vm_tag_change` for every tagged device or VM of the batch, in one call."""
    label = model._meta.label_lower
    if label in _CONFIG_CONTEXT_MODELS and instances:
        invalidate_config_context_for_objects(label, [instance.pk for instance in instances],
                                              using=instances[0]._state.db)  # fmt: skip


def tag_created(attempt, tagged):
    """Tag new objects as NetBox's tag manager does (`pre_add`, the rows, `post_add`), the rows in one insert.
    NetBox's tag-type check and config-context invalidation run once for the batch, every other receiver
    per object. Returns the indexes refused (NetBox's tag restrictions, a receiver's `AbortRequest`),
    failed on `attempt`."""
    if not tagged:
        return set()
    through = attempt.model.tags.through
    receivers = _receivers(through)
    if receivers is None:  # not separable: every receiver per object, NetBox's included
        receivers = m2m_changed._live_receivers(through)[0]
        restricted = None
    else:
        restricted = _restricted_tags([tag for _, _, tags in tagged for tag in tags])
    refused, rows, done = set(), [], []
    with _without_change_logging():
        for index, instance, tags in tagged:
            try:
                if restricted is not None and (refusal := _refusal(instance, tags, restricted)):
                    raise AbortRequest(refusal)
                _tag_signal('pre_add', instance, tags, through, receivers)
            except AbortRequest as exc:
                attempt.fail(index, str(exc.message))
                refused.add(index)
                continue
            rows += [through(tag=tag, **instance.tags._lookup_kwargs()) for tag in tags]
            done.append((instance, tags))
        through.objects.bulk_create(rows, ignore_conflicts=True)
        for instance, tags in done:
            _cache_related(instance, 'tags', tags)
            _tag_signal('post_add', instance, tags, through, receivers)
        if restricted is not None:
            _invalidate_config_contexts(attempt.model, [instance for instance, _ in done])
    return refused

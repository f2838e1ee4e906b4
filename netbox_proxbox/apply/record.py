"""
What NetBox's change-log receiver does per object, done once for a batch: one `ObjectChange` per object
(NetBox's own `to_objectchange()`: the same pre- and post-change data, user, request id and message),
written in one insert, and each object queued for NetBox's event pipeline (event rules, webhooks),
which NetBox flushes when the request ends, after the transaction has committed.
"""

from django_prometheus.models import model_inserts, model_updates

from core.choices import ObjectChangeActionChoices
from core.events import OBJECT_CREATED, OBJECT_UPDATED
from core.models import ObjectChange
from extras.events import enqueue_event
from netbox.context import current_request, events_queue

__all__ = ('record_writes',)


def record_writes(request, instances, created):
    """Change records and events for `instances`, all created (or all updated) by this request."""
    django_request = current_request.get() or request._request
    action = ObjectChangeActionChoices.ACTION_CREATE if created else ObjectChangeActionChoices.ACTION_UPDATE
    changes = []
    for instance in instances:
        change = instance.to_objectchange(action)
        if change.has_changes:
            change.user = django_request.user
            change.user_name = django_request.user.username
            change.request_id = django_request.id
            changes.append(change)
    ObjectChange.objects.bulk_create(changes)
    queue = events_queue.get()
    for instance in instances:
        enqueue_event(queue, instance, django_request, OBJECT_CREATED if created else OBJECT_UPDATED)
    events_queue.set(queue)
    counter = model_inserts if created else model_updates
    for instance in instances:
        counter.labels(instance._meta.model_name).inc()

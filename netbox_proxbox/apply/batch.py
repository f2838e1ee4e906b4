"""
One batch of one model and action, applied in one database transaction.

A batch is all-or-nothing in the database. An object that fails (NetBox's validation, a signal
receiver's `AbortRequest`, a database error, an object permission) is reported with NetBox's message,
the attempt is rolled back, and the batch is applied again without it, as NetBox's REST client loop
would resend it: so the rest of the batch still lands, and a worker killed mid-batch leaves nothing.
"""

from contextlib import nullcontext
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import ProtectedError, RestrictedError
from django.urls import Resolver404, resolve
from django_pg_utils import advisory_lock

from core.signals import _signals_received
from ipam.models import IPAddress
from netbox.constants import ADVISORY_LOCK_KEYS
from netbox.context import events_queue
from utilities.exceptions import AbortRequest

from .record import record_writes
from .write import PERMISSION_DENIED, build, load_existing, message_of, save

__all__ = ('ACTIONS', 'APPLY_MODELS', 'ApplyError', 'Result', 'apply_batch', 'model_for_path')

# The sync's write action -> the permission it needs (NetBox's codename prefix).
ACTIONS = {'create': 'add', 'update': 'change', 'delete': 'delete'}

# What the sync writes (its kinds): the parser is built and tested for these models' fields.
APPLY_MODELS = frozenset((
    'extras.tag', 'dcim.site', 'virtualization.clustertype', 'dcim.manufacturer', 'dcim.devicetype',
    'dcim.devicerole', 'dcim.platform', 'virtualization.cluster', 'ipam.vlangroup', 'ipam.vlan', 'dcim.device',
    'dcim.interface', 'virtualization.virtualmachine', 'virtualization.vminterface', 'dcim.macaddress',
    'ipam.ipaddress', 'virtualization.virtualdisk', 'netbox_proxbox.proxmoxcluster', 'netbox_proxbox.proxmoxnode',
    'netbox_proxbox.proxmoxstorage', 'netbox_proxbox.vmsnapshot', 'netbox_proxbox.vmbackup',
    'netbox_proxbox.backuproutine', 'netbox_proxbox.replication', 'netbox_proxbox.vmtaskhistory',
))  # fmt: skip

_STATUS = {'create': 201, 'update': 200, 'delete': 204}


class ApplyError(Exception):
    """The whole request is refused (bad request, not allowed): nothing was written."""

    def __init__(self, detail, status=400):
        super().__init__(detail)
        self.detail, self.status = detail, status


@dataclass
class Result:
    index: int
    ok: bool
    id: int | None = None
    error: str | None = None
    status: int | None = None

    def to_json(self):
        return {'index': self.index, 'ok': self.ok, 'id': self.id, 'error': self.error, 'status': self.status}


class _Abandon(Exception):
    """A database error: the transaction is broken, so the attempt ends here and is rolled back."""


def _id(obj):
    oid = obj.get('id') if isinstance(obj, dict) else None
    return oid if isinstance(oid, int) and not isinstance(oid, bool) else None


def model_for_path(path):
    """The model behind a REST list endpoint path (`/api/dcim/devices/`), if the apply handles it."""
    if not isinstance(path, str) or not path.startswith('/api/'):
        raise ApplyError(f'path must be a NetBox REST list endpoint such as /api/dcim/devices/, not {path!r}')
    try:
        match = resolve(f'/{settings.BASE_PATH}{path.lstrip("/")}')
    except Resolver404:
        raise ApplyError(f'{path} is not a NetBox REST endpoint')
    queryset = getattr(getattr(match.func, 'cls', None), 'queryset', None)
    model = getattr(queryset, 'model', None)
    if model is None or match.kwargs or model._meta.label_lower not in APPLY_MODELS:
        raise ApplyError(f'{path} is not an endpoint the in-NetBox apply writes')
    return model


def check_permission(user, model, action):
    codename = f'{model._meta.app_label}.{ACTIONS[action]}_{model._meta.model_name}'
    if not user.has_perm(codename):
        raise ApplyError(f'You do not have permission to {ACTIONS[action]} {model._meta.verbose_name_plural}.', 403)


class _Attempt:
    """One try at the pending objects, inside the caller's transaction."""

    def __init__(self, request, model, action, objects, message, pending, strict):
        self.request, self.model, self.action, self.message = request, model, action, message
        self.objects, self.pending = objects, pending
        # Objects validated in full, unique constraints included (the database refused them before).
        self.strict: set[int] = strict
        self.abandoned = False
        self.failed: dict[int, Result] = {}
        self.done: dict[int, Result] = {}

    def fail(self, index, error, status=400, oid=None):
        self.failed[index] = Result(index, False, id=oid, error=error, status=status)

    def run(self):
        if self.action == 'delete':
            self._delete()
            return
        existing = load_existing(self.model, self.request.user, self.objects, self.pending, self.action)
        written = build(self, existing)
        if self.failed:
            return
        allowed = set(
            self.model.objects.restrict(self.request.user, ACTIONS[self.action])
            .filter(pk__in=[instance.pk for _, instance in written])
            .values_list('pk', flat=True)
        )
        for index, instance in written:
            if instance.pk not in allowed:
                self.fail(index, PERMISSION_DENIED, 403, instance.pk)
        if not self.failed:
            record_writes(self.request, [instance for _, instance in written], created=self.action == 'create')
            for index, instance in written:
                self.done[index] = Result(index, True, instance.pk, status=_STATUS[self.action])

    def _delete(self):
        ids = {index: _id(self.objects[index]) for index in self.pending}
        visible = self.model.objects.restrict(self.request.user, 'delete').in_bulk(
            [oid for oid in ids.values() if oid is not None]
        )
        for index, oid in ids.items():
            obj = visible.get(oid)
            if obj is None:
                if oid is None:
                    self.fail(index, 'id: every object to delete needs an integer "id"')
                elif self.model.objects.filter(pk=oid).exists():
                    self.fail(index, PERMISSION_DENIED, 403, oid)
                else:  # already gone: done, as the REST client counts it
                    self.done[index] = Result(index, True, oid, status=404)
                continue
            try:
                obj._changelog_message = self.message
                obj.snapshot()
                obj.delete()  # NetBox's own receivers record the change and the event, cascades included
            except (ProtectedError, RestrictedError) as exc:
                self.fail(
                    index, f'Unable to delete {obj}: {len(exc.args[1])} dependent objects would be affected', 409, oid
                )
            except AbortRequest as exc:
                self.fail(index, str(exc.message), 400, oid)
            except DatabaseError as exc:
                self.fail(index, f'database error: {exc}', 409, oid)
                raise _Abandon from exc
            else:
                self.done[index] = Result(index, True, oid, status=204)

    def save(self, index, instance, parsed, created):
        try:
            save(instance, parsed, created)
        except AbortRequest as exc:
            self.fail(index, str(exc.message))
            return False
        except DatabaseError as exc:
            if index in self.strict:
                self.fail(index, f'database error: {exc}', 409, instance.pk)
            else:
                self.strict.add(index)
            raise _Abandon from exc
        return True

    def invalid(self, index, exc, oid=None):
        self.fail(index, message_of(exc), 400, oid)


def apply_batch(request, model, action, objects, message):
    """Apply `objects` (REST-shaped, one `action` on `model`); one `Result` per object, in order."""
    if action not in ACTIONS:
        raise ApplyError(f'action must be one of {", ".join(ACTIONS)}, not {action!r}')
    check_permission(request.user, model, action)
    results: dict[int, Result] = {}
    pending, strict = list(range(len(objects))), set()
    # NetBox's REST API serialises every IP address write behind this lock; so does the apply.
    lock = advisory_lock(ADVISORY_LOCK_KEYS['available-ips']) if model is IPAddress else nullcontext()
    with lock:
        while pending:
            attempt = _try(request, model, action, objects, message, pending, strict)
            results.update(attempt.failed)
            if not attempt.failed and not attempt.abandoned:
                results.update(attempt.done)
                break
            pending = [index for index in pending if index not in attempt.failed]
    return [results[index] for index in range(len(objects))]


def _try(request, model, action, objects, message, pending, strict):
    attempt = _Attempt(request, model, action, objects, message, pending, strict)
    queued = dict(events_queue.get())
    seen = set(getattr(_signals_received, 'pre_delete', set()))
    try:
        with transaction.atomic():
            attempt.run()
            if attempt.failed:
                transaction.set_rollback(True)
    except _Abandon:
        attempt.abandoned = True
    if attempt.failed or attempt.abandoned:  # rolled back: forget the events and deletions NetBox's receivers saw in it
        events_queue.set(queued)
        _signals_received.pre_delete = seen
    return attempt

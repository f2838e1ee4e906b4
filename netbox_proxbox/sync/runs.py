"""
Starting and cancelling syncs: the one place the button, the REST API, the CLI (through the API)
and the schedule go through, so all of them are recorded, locked and permission-checked alike.

One sync per endpoint at a time: starting locks the endpoints' rows (SELECT ... FOR UPDATE, so
two requests cannot both pass), then refuses while an unfinished run of any of them is alive.
A run whose worker died (no heartbeat, no waiting RQ job) is closed as failed on the way, so a
crash never holds an endpoint. A targeted sync (a `scope`: one cluster, node or guest) takes the
same lock on the endpoint holding its cluster: it never runs beside another sync of that endpoint.
"""

import django_rq
from django.db import transaction
from django.utils.translation import gettext as _
from rq.exceptions import InvalidJobOperation

from core.choices import JobStatusChoices

from ..choices import SyncKindChoices, SyncStatusChoices, SyncTriggerChoices
from .liveness import is_alive, request_cancel
from .recorder import RunRecorder
from .streams import RunStream

__all__ = (
    'SyncLocked',
    'SyncRefused',
    'active_runs',
    'cancel_run',
    'close_if_dead',
    'create_run',
    'scope_endpoints',
    'start_sync',
)

WORKER_GONE = 'The worker running this sync stopped (crashed, was killed or timed out) before the sync finished.'
UNFINISHED = (SyncStatusChoices.PENDING, SyncStatusChoices.RUNNING)


class SyncRefused(Exception):
    """The request cannot start a sync (no endpoint, an unusable preview, ...)."""


class SyncLocked(SyncRefused):
    """An endpoint is already being synced by `run`."""

    def __init__(self, run):
        self.run = run
        names = ', '.join(endpoint.name for endpoint in run.endpoints.all())
        super().__init__(_('A sync of {names} is already running: {run}.').format(names=names, run=run))


def close_if_dead(run):
    """Close an unfinished run nobody works on any more; returns True if it did."""
    if run.status not in UNFINISHED or is_alive(run):
        return False
    RunRecorder(run).finish(note=WORKER_GONE)
    return True


def active_runs(endpoints):
    """Unfinished, alive runs touching any of `endpoints` (dead ones are closed on the way)."""
    from ..models import SyncRun

    runs = SyncRun.objects.filter(status__in=UNFINISHED, endpoints__in=endpoints).distinct().select_related('job')
    return [run for run in runs if not close_if_dead(run)]


def _check_preview(preview, endpoints):
    if not preview.dry_run or preview.status != SyncStatusChoices.COMPLETED or not (preview.plan or {}).get('digest'):
        raise SyncRefused(_('{run} is not a completed preview with a plan; preview again.').format(run=preview))
    if preview.applied_by.exclude(status__in=(SyncStatusChoices.FAILED, SyncStatusChoices.CANCELLED)).exists():
        raise SyncRefused(_('{run} has already been applied; preview again.').format(run=preview))
    return list(preview.endpoints.all()) if not endpoints else endpoints


def scope_endpoints(scope):
    """The endpoint a scope's cluster was synced from (None: not synced yet, so every enabled one is read)."""
    from ..models import ProxmoxCluster

    cluster = ProxmoxCluster.objects.filter(name=scope['cluster']).select_related('endpoint').first()
    if cluster is None or cluster.endpoint is None:
        return None
    if not cluster.endpoint.enabled:
        raise SyncRefused(
            _('Cluster {cluster} is synced from {endpoint}, which is disabled.').format(
                cluster=scope['cluster'], endpoint=cluster.endpoint
            )
        )
    return [cluster.endpoint]


def create_run(
    user,
    endpoints=None,
    dry_run=False,
    apply_run=None,
    trigger=SyncTriggerChoices.BUTTON,
    job=None,
    scope=None,
    kind=None,
):
    """
    Lock the endpoints and record a pending SyncRun for them. Raises SyncLocked when one is busy
    and SyncRefused for a request that cannot run. `endpoints` default to all enabled ones (a `scope`'s:
    the endpoint its cluster is synced from); applying a preview (`apply_run`) syncs the preview's
    endpoints with its plan and scope.
    """
    from ..models import ProxmoxEndpoint, SyncRun

    if apply_run is not None:
        endpoints = _check_preview(apply_run, endpoints)
        scope, kind = apply_run.scope, apply_run.kind
        dry_run = False
    if scope and endpoints is None:
        endpoints = scope_endpoints(scope)
    kind = kind or (SyncKindChoices.TARGETED if scope else SyncKindChoices.FULL)
    with transaction.atomic():
        queryset = ProxmoxEndpoint.objects.select_for_update().order_by('pk')
        if endpoints is None:
            endpoints = list(queryset.filter(enabled=True))
        else:
            endpoints = list(queryset.filter(pk__in=[endpoint.pk for endpoint in endpoints]))
        if not endpoints:
            raise SyncRefused(_('There is no enabled Proxmox endpoint to sync.'))
        if busy := active_runs(endpoints):
            raise SyncLocked(busy[0])
        run = SyncRun.objects.create(
            trigger=trigger, dry_run=dry_run, user=user, applies_run=apply_run, job=job, scope=scope or None, kind=kind
        )
        run.endpoints.set(endpoints)
    RunStream(run.pk).clear()  # no keys of an earlier run with this id (e.g. a restored database)
    return run


def start_sync(
    user,
    endpoints=None,
    dry_run=False,
    apply_run=None,
    trigger=SyncTriggerChoices.BUTTON,
    scope=None,
    kind=None,
    **enqueue,
):
    """Record a run (see `create_run`) and enqueue its job; returns the run, its `job` set."""
    from ..jobs import ProxboxSyncJob
    from ..models import SyncRun

    with transaction.atomic():
        run = create_run(user, endpoints, dry_run, apply_run, trigger, scope=scope, kind=kind)
        if not enqueue.get('immediate'):
            # The job reaches the queue when this transaction commits.
            job = ProxboxSyncJob.enqueue(instance=run, user=user, run_id=run.pk, **enqueue)
            SyncRun.objects.filter(pk=run.pk).update(job=job)
    if enqueue.get('immediate'):
        # Runs here and now (tests, management commands), outside the endpoints' row locks.
        ProxboxSyncJob.enqueue(instance=run, user=user, run_id=run.pk, **enqueue)
    run.refresh_from_db()
    return run


def cancel_run(run, user=None):
    """
    Cancel an unfinished run: a waiting one ends at once (its job will not run), a running one
    is stopped by its job within a second or two. Returns False if the run had already finished.
    """
    from ..models import SyncRun

    with transaction.atomic():
        run = SyncRun.objects.select_for_update(of=('self',)).select_related('job').get(pk=run.pk)
        if run.status not in UNFINISHED:
            return False
        if run.status == SyncStatusChoices.RUNNING and is_alive(run):
            request_cancel(run, user)
            return True
        who = user.username if user is not None else _('a user')
        if run.status == SyncStatusChoices.PENDING:
            note = _('Cancelled by {who} before it started.').format(who=who)
        else:
            note = _('Cancelled by {who}; its worker had already stopped.').format(who=who)
        RunRecorder(run).finish(cancelled=True, note=note)
    if run.job is not None:
        _cancel_waiting_job(run.job)
    return True


def _cancel_waiting_job(job):
    """Take a job that has not started off the queue, and close it (it stays in the job list)."""
    if job.status not in JobStatusChoices.ENQUEUED_STATE_CHOICES:
        return
    rq_job = django_rq.get_queue(job.queue_name or 'default').fetch_job(str(job.job_id))
    if rq_job is not None:
        try:
            rq_job.cancel()
        except InvalidJobOperation:
            pass
    job.terminate(status=JobStatusChoices.STATUS_FAILED, error=_('The sync was cancelled before it started.'))

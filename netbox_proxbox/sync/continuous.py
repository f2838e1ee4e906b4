"""
Continuous mode: NetBox that follows Proxmox within a poll interval.

An endpoint with a `continuous_interval` (seconds) is polled that often by a chain of small RQ jobs
on the sync queue: each tick schedules the next, then asks proxbox-api's `/v1/poll` (two Proxmox
requests) which guests changed since the last tick, and starts a targeted sync of just those guests
(a run of kind `continuous`, recorded, locked and change-logged like any other). A tick takes about
a second, so it never holds a worker the way a long-running watcher would.

Nothing found is lost: the guests to sync stay pending while the endpoint is busy (one sync per
endpoint: a Full Update running means the next tick tries again), and the guests of a continuous run
that failed or was cancelled are pending again. The poll state lives in Redis, per endpoint. Saving
the endpoint re-arms the chain (a generation number ends the old one), as does each scheduled Full
Update; what the poll cannot see (a NIC changed with no task, guest agent addresses) waits for the
scheduled Full Update.
"""

import json
import logging
from datetime import timedelta

import django_rq
from django.db import connection
from django.utils import timezone

from ..choices import SyncKindChoices, SyncStatusChoices, SyncTriggerChoices
from .client import ProxboxApi
from .payload import endpoint_spec
from .problems import SyncProblem
from .runs import SyncRefused, start_sync
from .streams import redis

__all__ = ('arm', 'poll_state', 'tick')

logger = logging.getLogger('netbox_proxbox.continuous')
# Poll state is dropped if no tick touched it for this long (the chain is gone).
STATE_TTL = 7 * 24 * 3600


def _key(endpoint_pk, part):
    return f'proxbox:{connection.settings_dict["NAME"]}:continuous:{endpoint_pk}:{part}'


def _queue():
    from ..jobs import sync_queue_name

    return django_rq.get_queue(sync_queue_name())


def poll_state(endpoint_pk):
    """What the endpoint's last tick left: {poll, pending, run, last_poll, error}."""
    raw = redis().get(_key(endpoint_pk, 'state'))
    return json.loads(raw) if raw else {'poll': None, 'pending': [], 'run': None, 'last_poll': None, 'error': None}


def _save(endpoint_pk, state):
    redis().set(_key(endpoint_pk, 'state'), json.dumps(state), ex=STATE_TTL)


def arm(endpoint):
    """Start (or restart, or end) the endpoint's chain of ticks after it was saved. Returns the generation."""
    generation = redis().incr(_key(endpoint.pk, 'generation'))
    if endpoint.enabled and endpoint.continuous_interval:
        _queue().enqueue(tick, endpoint.pk, generation, job_timeout=600)
    return generation


def _live(endpoint_pk, generation):
    raw = redis().get(_key(endpoint_pk, 'generation'))
    return raw is not None and int(raw) == generation


def tick(endpoint_pk, generation):
    """One poll of one endpoint, and a targeted sync of what changed. Returns the run started, if any."""
    from ..models import ProxmoxEndpoint

    endpoint = ProxmoxEndpoint.objects.filter(pk=endpoint_pk).first()
    if (
        endpoint is None
        or not endpoint.enabled
        or not endpoint.continuous_interval
        or not _live(endpoint_pk, generation)
    ):
        return None  # the chain ends: the endpoint is gone, off, or re-armed (a newer chain runs)
    _queue().enqueue_in(timedelta(seconds=endpoint.continuous_interval), tick, endpoint_pk, generation, job_timeout=600)
    state = poll_state(endpoint_pk)
    _poll(endpoint, state)
    run = _sync(endpoint, state)
    _save(endpoint_pk, state)
    return run


def _poll(endpoint, state):
    """Ask proxbox-api what changed; the guests it names join `pending` (the state moves on only on success)."""
    spec = endpoint_spec(endpoint)
    try:
        answer = ProxboxApi.from_settings().poll([spec], {spec['name']: state['poll']} if state['poll'] else {})
    except SyncProblem as problem:
        state['error'] = str(problem)
        logger.warning('continuous mode of %s: %s', endpoint, problem)
        return
    (found,) = answer['endpoints']
    state['last_poll'] = timezone.now().isoformat()
    if not found['ok']:
        state['error'] = found.get('error') or 'the poll failed'
        return
    state['error'] = None
    state['poll'] = found['state']
    pending = set(state['pending']) | {change['vmid'] for change in found['changes']}
    state['pending'] = sorted(pending)


def _sync(endpoint, state):
    """Start a targeted sync of the pending guests, unless one of this endpoint's syncs still runs."""
    from ..models import ProxmoxCluster, SyncRun

    if state['run'] is not None:
        previous = SyncRun.objects.filter(pk=state['run']).first()
        if previous is not None and not previous.is_finished:
            return None  # its guests are being synced; the pending ones wait for the next tick
        if previous is not None and previous.status in (SyncStatusChoices.FAILED, SyncStatusChoices.CANCELLED):
            state['pending'] = sorted(set(state['pending']) | set((previous.scope or {}).get('vmids') or []))
        state['run'] = None
    cluster = ProxmoxCluster.objects.filter(endpoint=endpoint).first()
    if not state['pending'] or cluster is None:
        state['pending'] = [] if cluster is None else state['pending']  # never synced: a Full Update comes first
        return None
    scope = {'cluster': cluster.name, 'vmids': state['pending']}
    try:
        run = start_sync(
            None, [endpoint], trigger=SyncTriggerChoices.SCHEDULE, scope=scope, kind=SyncKindChoices.CONTINUOUS
        )
    except SyncRefused as exc:  # busy: a Full Update (or another sync) of the endpoint runs; try next tick
        logger.info('continuous mode of %s waits: %s', endpoint, exc)
        return None
    state['run'], state['pending'] = run.pk, []
    return run

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

An endpoint that follows notifications (`follow_notifications`) ticks every `NOTIFICATION_TICK`
seconds (or its interval, if shorter) and each tick also reads proxbox-api's notification inbox
(`/v1/notifications`, no Proxmox request): Proxmox VE's webhook events from this cluster's nodes
name guests (a backup's, a replication job's), which join the pending ones, or only a node (a
fencing, a backup whose guests the message does not list), which is then synced as a node scope.
The Proxmox poll still runs every `continuous_interval` when one is set.
"""

import json
import logging
import time
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
# Seconds between looks at proxbox-api's notification inbox (one loopback request, no Proxmox request).
NOTIFICATION_TICK = 5
# Notification types that sync their node when they name no guest (the others sync nothing).
NODE_EVENTS = frozenset({'fencing', 'vzdump', 'replication'})
# What an event (or a task the poll saw) changed besides its guests: these families of its cluster are
# synced after them (a cluster scope narrowed to them: a guest scope leaves storage, backups and jobs to
# the cluster's).
EVENT_FAMILIES = {'vzdump': ('storage', 'backups'), 'replication': ('replications',)}


def _key(endpoint_pk, part):
    return f'proxbox:{connection.settings_dict["NAME"]}:continuous:{endpoint_pk}:{part}'


def _queue():
    from ..jobs import sync_queue_name

    return django_rq.get_queue(sync_queue_name())


def poll_state(endpoint_pk):
    """What the endpoint's last tick left: {poll, pending, run, last_poll, error}."""
    raw = redis().get(_key(endpoint_pk, 'state'))
    state = json.loads(raw) if raw else {}
    defaults = {
        'poll': None, 'pending': [], 'pending_nodes': [], 'pending_families': [], 'run': None, 'last_poll': None,
        'error': None,
    }  # fmt: skip
    return {**defaults, 'polled_at': 0, 'inbox': None, **state}


def _save(endpoint_pk, state):
    redis().set(_key(endpoint_pk, 'state'), json.dumps(state), ex=STATE_TTL)


def arm(endpoint):
    """Start (or restart, or end) the endpoint's chain of ticks after it was saved. Returns the generation."""
    generation = redis().incr(_key(endpoint.pk, 'generation'))
    if endpoint.enabled and _period(endpoint):
        _queue().enqueue(tick, endpoint.pk, generation, job_timeout=600)
    return generation


def _period(endpoint):
    """Seconds between the endpoint's ticks; None: neither continuous mode nor notifications are on."""
    periods = [endpoint.continuous_interval, NOTIFICATION_TICK if endpoint.follow_notifications else None]
    return min((period for period in periods if period), default=None)


def _live(endpoint_pk, generation):
    raw = redis().get(_key(endpoint_pk, 'generation'))
    return raw is not None and int(raw) == generation


def tick(endpoint_pk, generation):
    """One poll of one endpoint, and a targeted sync of what changed. Returns the run started, if any."""
    from ..models import ProxmoxEndpoint

    endpoint = ProxmoxEndpoint.objects.filter(pk=endpoint_pk).first()
    period = _period(endpoint) if endpoint is not None else None
    if endpoint is None or not endpoint.enabled or not period or not _live(endpoint_pk, generation):
        return None  # the chain ends: the endpoint is gone, off, or re-armed (a newer chain runs)
    _queue().enqueue_in(timedelta(seconds=period), tick, endpoint_pk, generation, job_timeout=600)
    state = poll_state(endpoint_pk)
    if endpoint.continuous_interval and (period == endpoint.continuous_interval or _due(endpoint, state)):
        _poll(endpoint, state)
    if endpoint.follow_notifications:
        _notified(endpoint, state)
    run = _sync(endpoint, state)
    _save(endpoint_pk, state)
    return run


def _due(endpoint, state):
    """Ticks come every NOTIFICATION_TICK: a poll is due once (nearly) its interval has passed."""
    return time.time() - state['polled_at'] >= endpoint.continuous_interval - 1


def _poll(endpoint, state):
    """Ask proxbox-api what changed; the guests it names join `pending` (the state moves on only on success)."""
    spec = endpoint_spec(endpoint)
    state['polled_at'] = time.time()
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
    # A task the guest scope does not cover (a backup: "task vzdump", "task vzdump ended") also queues
    # the families it changed, as its notification would.
    tasks = {reason.split()[1] for change in found['changes'] for reason in change.get('reasons', ()) if
             reason.startswith('task ')}  # fmt: skip
    families = {family for task in tasks for family in EVENT_FAMILIES.get(task, ())}
    state['pending_families'] = sorted(set(state['pending_families']) | families)


def _sync(endpoint, state):
    """Start a targeted sync of the pending guests (else a pending node, else the pending families of the
    cluster), unless one of this endpoint's syncs still runs."""
    from ..models import ProxboxPluginSettings, ProxmoxCluster, SyncRun

    if state['run'] is not None:
        previous = SyncRun.objects.filter(pk=state['run']).first()
        if previous is not None and not previous.is_finished:
            return None  # its guests are being synced; the pending ones wait for the next tick
        if previous is not None and previous.status in (SyncStatusChoices.FAILED, SyncStatusChoices.CANCELLED):
            scope = previous.scope or {}
            state['pending'] = sorted(set(state['pending']) | set(scope.get('vmids') or []))
            state['pending_nodes'] = sorted(
                set(state['pending_nodes']) | ({scope['node']} if scope.get('node') else set())
            )
            state['pending_families'] = sorted(set(state['pending_families']) | set(scope.get('families') or []))
        state['run'] = None
    cluster = ProxmoxCluster.objects.filter(endpoint=endpoint).first()
    if cluster is None:  # never synced: a Full Update comes first
        state['pending'], state['pending_nodes'], state['pending_families'] = [], [], []
        return None
    if state['pending_families']:  # only those switched on (Proxbox settings) are synced
        enabled = set(ProxboxPluginSettings.current().enabled_families())
        state['pending_families'] = [family for family in state['pending_families'] if family in enabled]
    if state['pending']:
        scope = {'cluster': cluster.name, 'vmids': state['pending']}
    elif state['pending_nodes']:
        scope = {'cluster': cluster.name, 'node': state['pending_nodes'][0]}
    elif state['pending_families']:
        scope = {'cluster': cluster.name, 'families': state['pending_families']}
    else:
        return None
    try:
        run = start_sync(
            None, [endpoint], trigger=SyncTriggerChoices.SCHEDULE, scope=scope, kind=SyncKindChoices.CONTINUOUS
        )
    except SyncRefused as exc:  # busy: a Full Update (or another sync) of the endpoint runs; try next tick
        logger.info('continuous mode of %s waits: %s', endpoint, exc)
        return None
    state['run'] = run.pk
    if 'vmids' in scope:
        state['pending'] = []
    elif 'node' in scope:
        state['pending_nodes'] = state['pending_nodes'][1:]
    else:
        state['pending_families'] = []
    return run


def _notified(endpoint, state):
    """The guests, or else the nodes, named by notifications from the endpoint's nodes join the pending ones
    (a notification naming its cluster, from the target's URL, only those of that cluster's endpoint)."""
    from ..models import ProxmoxCluster, ProxmoxNode

    inbox = state['inbox'] or {}
    try:
        page = ProxboxApi.from_settings().notifications(inbox.get('next', 0), inbox.get('instance'))
    except SyncProblem as problem:
        state['error'] = f'notifications: {problem}'
        logger.warning('notifications of %s: %s', endpoint, problem)
        return
    if page['lost'] and inbox:
        logger.warning('notifications of %s: some were dropped before they were read; the poll or the next Full '
                       'Update catches up', endpoint)  # fmt: skip
    state['inbox'] = {'instance': page['instance'], 'next': page['next']}
    if (state['error'] or '').startswith('notifications:'):
        state['error'] = None
    if not page['items']:
        return  # the usual tick: nothing new, no database query
    nodes = set(ProxmoxNode.objects.filter(cluster__endpoint=endpoint).values_list('name', flat=True))
    clusters = set(ProxmoxCluster.objects.filter(endpoint=endpoint).values_list('name', flat=True))
    mine = [
        item
        for item in page['items']
        if (item.get('hostname') or '').split('.')[0] in nodes and item.get('cluster') in (None, *clusters)
    ]
    vmids = {vmid for item in mine for vmid in item['vmids']}
    named = {item['hostname'].split('.')[0] for item in mine if not item['vmids'] and item['type'] in NODE_EVENTS}
    families = {family for item in mine for family in EVENT_FAMILIES.get(item['type'], ())}
    state['pending'] = sorted(set(state['pending']) | vmids)
    state['pending_nodes'] = sorted(set(state['pending_nodes']) | named)
    state['pending_families'] = sorted(set(state['pending_families']) | families)

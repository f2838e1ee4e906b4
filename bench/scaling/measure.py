"""Measure one fleet: the floor, then a first sync, a no-change re-sync and a 1 %-changed re-sync,
then one guest changed in each way of ``TARGETED_CHANGES`` and synced alone (a targeted sync), then
continuous mode: a no-change poll, and guests changed one at a time, found by a poll and synced.

Everything runs back to back against the given NetBox server(s), so the ratios compare figures
taken under the same load. The syncs run in child processes (``child``); the simulator serves the
fleet from a thread of this process, which is otherwise idle while a sync runs.
"""

import asyncio
import resource
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from proxbox_api.engine.plan import Plan
from proxbox_api.netbox import NetBoxClientOptions
from proxbox_api.polling import poll_endpoints
from proxbox_api.schemas import PollRequest
from proxmox_sim import Endpoint, SimServer

from .child import run_child
from .fleets import TARGETED_CHANGES, FleetSize, change_fraction, change_one_guest
from .floor import delete_created, measure_floor

__all__ = ['CHANGED_FRACTION', 'Knobs', 'Target', 'measure_fleet', 'print_now']

CHANGED_FRACTION = 0.01
_MIB = 1024 * 1024


@dataclass(frozen=True)
class Target:
    """A NetBox to write to, and the sync user's token (never printed)."""

    url: str
    token: str = field(repr=False)
    # CPU seconds the server (workers and database) has used so far; None when it cannot be told apart.
    cpu: Callable[[], float] | None = field(default=None, repr=False)
    # Peak RSS in bytes of one NetBox worker since the previous call; None when not measured.
    worker_rss: Callable[[], int] | None = field(default=None, repr=False)


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


@contextmanager
def _cpu(target: Target, into: dict[str, Any], own: str) -> Iterator[None]:
    """Record the CPU seconds NetBox (``netbox_cpu_seconds``) and this process (``own``) spend in the block."""
    netbox, mine = target.cpu() if target.cpu else None, _own_cpu()
    if target.worker_rss:
        target.worker_rss()  # the peak starts again here
    yield
    into[own] = round(_own_cpu() - mine, 2)
    into['netbox_cpu_seconds'] = round(target.cpu() - netbox, 2) if target.cpu and netbox is not None else None
    into['netbox_worker_peak_rss_mib'] = round(target.worker_rss() / _MIB, 1) if target.worker_rss else None


@dataclass(frozen=True)
class Knobs:
    """The sync's batching and concurrency; the floor uses the same."""

    batch_size: int = 100
    write_concurrency: int = 2
    read_concurrency: int = 8

    def sync_options(self, write_path: str = 'rest') -> dict[str, Any]:
        return {
            'batch_size': self.batch_size,
            'write_concurrency': self.write_concurrency,
            'read_concurrency': self.read_concurrency,
            'write_path': write_path,
        }

    def client_options(self) -> NetBoxClientOptions:
        return NetBoxClientOptions(batch_size=self.batch_size, write_concurrency=self.write_concurrency)


def print_now(line: str) -> None:
    print(line, flush=True)


def _endpoint_specs(endpoints: Sequence[Endpoint]) -> list[dict[str, Any]]:
    """The simulated endpoints as proxbox-api's EndpointSpecs."""
    return [
        {
            'name': ep.cluster,
            'host': ep.host,
            'port': ep.port,
            'token_id': ep.token_id,
            'token_secret': ep.token_secret,
            'ca_bundle': str(ep.cert_path),
        }  # fmt: skip
        for ep in endpoints
    ]


def _request(
    endpoints: Sequence[Endpoint], target: Target, knobs: Knobs, write_path: str = 'rest', **extra: Any
) -> dict[str, Any]:
    return {
        'netbox': {'url': target.url, 'token': target.token},
        'endpoints': _endpoint_specs(endpoints),
        'options': knobs.sync_options(write_path),
        **extra,
    }


def _figures(raw: dict[str, Any]) -> dict[str, Any]:
    """A sync child's summary, as the result file keeps it."""
    keep = (
        'seconds',
        'status',
        'writes',
        'planned_writes',
        'failures',
        'failure_samples',
        'errors',
        'warnings',
        'stages',
        'requests',
        'rss_mib_after_stage',
        'write_path',
        'writes_outside_scope',
        'outside_scope_samples',
        'references_created',
    )
    figures = {name: raw.get(name) for name in keep}
    figures['peak_rss_mib'] = round(raw['peak_rss_bytes'] / _MIB, 1)
    figures['baseline_rss_mib'] = round(raw['baseline_rss_bytes'] / _MIB, 1)
    figures['proxbox_cpu_seconds'] = raw['cpu_seconds']
    return figures


def _ratio(part: float, whole: float) -> float | None:
    return round(part / whole, 4) if whole else None


def _cpu_ratio(part: dict[str, Any], whole: dict[str, Any]) -> float | None:
    if part.get('netbox_cpu_seconds') is None or not whole.get('netbox_cpu_seconds'):
        return None
    return _ratio(part['netbox_cpu_seconds'], whole['netbox_cpu_seconds'])


class _Fleet:
    def __init__(self, knobs: Knobs, work: Path, log: Callable[[str], None], clean_up: bool) -> None:
        self.knobs, self.work, self.log, self.clean_up = knobs, work, log, clean_up
        self.runs = 0

    def sync(
        self, server: SimServer, target: Target, label: str, *, keep_plan: bool = False, write_path: str = 'rest',
        **extra: Any,
    ) -> dict[str, Any]:  # fmt: skip
        self.runs += 1
        plan_out = self.work / 'plan.json' if keep_plan else None
        request = _request(server.endpoints, target, self.knobs, write_path, run_id=f'bench-{self.runs}', **extra)
        job = {
            'request': request,
            'ca_files': sorted({str(ep.cert_path) for ep in server.endpoints}),
            'plan_out': str(plan_out) if plan_out else None,
        }
        cpu: dict[str, Any] = {}
        with _cpu(target, cpu, 'simulator_cpu_seconds'):
            raw = run_child(job, self.work / f'sync-{self.runs}.json', self.work / 'children.log')
        figures = {**_figures(raw), **cpu}
        requests = figures['requests']
        self.log(
            f'  {label:<16}{figures["seconds"]:9.1f} s {figures["writes"]:7d} writes   '
            f'requests: Proxmox {requests["proxmox"]["total"]}, NetBox {requests["netbox"]["total"]}   '
            f'peak RSS {figures["peak_rss_mib"]:.0f} MiB (NetBox worker {figures["netbox_worker_peak_rss_mib"]})   '
            f'{figures["status"]}'
        )
        return figures

    def floor(self, target: Target) -> dict[str, Any]:
        plan = Plan.model_validate_json((self.work / 'plan.json').read_text())
        cpu: dict[str, Any] = {}
        options = self.knobs.client_options()
        with _cpu(target, cpu, 'client_cpu_seconds'):
            floor, created = asyncio.run(measure_floor(plan, target.url, target.token, options))
        floor.update(cpu)
        if self.clean_up:
            asyncio.run(delete_created(target.url, target.token, options, created))
        self.log(f'  {"floor":<16}{floor["seconds"]:9.1f} s {floor["writes"]:7d} writes   '
                 f'requests: NetBox {floor["requests"]["netbox"]["total"]}')  # fmt: skip
        return floor


def _targeted(run: '_Fleet', server: SimServer, fleet: Any, target: Target, write_path: str) -> list[dict[str, Any]]:
    """One guest changed each way, then a targeted sync of that guest: seconds, requests and writes."""
    found = []
    for index, change in enumerate(TARGETED_CHANGES):
        cluster, vmid = change_one_guest(fleet, change, index)
        scope = {'cluster': cluster, 'vmid': vmid}
        figures = run.sync(
            server, target, f'guest {change}'[:16], write_path=write_path, scope=scope, include_plan=True
        )
        requests = figures['requests']
        found.append({
            'change': change,
            'vmid': vmid,
            'seconds': figures['seconds'],
            'requests': requests['proxmox']['total'] + requests['netbox']['total'],
            'proxmox_requests': requests['proxmox']['total'],
            'netbox_requests': requests['netbox']['total'],
            'writes': figures['writes'],
            'writes_outside_scope': figures['writes_outside_scope'],
            'outside_scope_samples': figures['outside_scope_samples'],
            'references_created': figures['references_created'],
            'status': figures['status'],
        })  # fmt: skip
    return found


_CONTINUOUS_CHANGES = ('renamed', 'migrated', 'disk resized', 'created', 'deleted')


def _poll(server: SimServer, state: dict[str, Any]) -> Any:
    request = PollRequest.model_validate({'endpoints': _endpoint_specs(server.endpoints), 'state': state})
    result = asyncio.run(poll_endpoints(request))
    for found in result.endpoints:
        if found.ok and found.state is not None:
            state[found.endpoint] = found.state.model_dump(mode='json')
    return result


def _continuous(
    run: '_Fleet', server: SimServer, fleet: Any, target: Target, write_path: str, changes: int, interval: float
) -> dict[str, Any]:
    """Continuous mode: a no-change poll's cost, then ``changes`` guests changed one at a time, each found by
    the next poll (every ``interval`` seconds) and synced alone; lag = change to synced."""
    state: dict[str, Any] = {}
    _poll(server, state)  # the baseline
    quiet = _poll(server, state)
    clusters = len(quiet.endpoints)
    polls = {'seconds': max(e.seconds for e in quiet.endpoints), 'requests': sum(e.requests for e in quiet.endpoints)}
    assert not any(e.changes for e in quiet.endpoints), 'a no-change poll found changes'
    lags, missed, anchor = [], 0, time.monotonic()
    for index in range(changes):
        cluster, vmid = change_one_guest(fleet, _CONTINUOUS_CHANGES[index % len(_CONTINUOUS_CHANGES)], 100 + index)
        changed_at = time.monotonic()
        time.sleep(interval - (changed_at - anchor) % interval)  # the next tick of a poll every `interval`
        found = _poll(server, state)
        vmids = sorted({c.vmid for e in found.endpoints if e.endpoint == cluster for c in e.changes})
        if vmid not in vmids:
            missed += 1
            continue
        detected = time.monotonic() - changed_at
        scope = {'cluster': cluster, 'vmids': vmids}
        figures = run.sync(server, target, f'continuous {index + 1}', write_path=write_path, scope=scope)
        lags.append(detected + figures['seconds'])
    ordered = sorted(lags)
    return {
        'interval_seconds': interval,
        'poll_seconds': round(polls['seconds'], 3),
        'poll_requests': round(polls['requests'] / clusters, 2),
        'changes': changes,
        'missed': missed,
        'lag_seconds_median': round(ordered[len(ordered) // 2], 3) if ordered else None,
        'lag_seconds_max': round(ordered[-1], 3) if ordered else None,
    }


def measure_fleet(
    size: FleetSize,
    floor_target: Target | None,
    sync_target: Target | None,
    knobs: Knobs,
    *,
    inside_target: Target | None = None,
    floor_clean_up: bool = False,
    log: Callable[[str], None] = print_now,
    continuous_changes: int = 20,
    poll_interval: float = 5.0,
) -> dict[str, Any]:
    """All figures of one fleet. ``floor_clean_up`` deletes the floor's objects (one NetBox for both);
    no ``floor_target``: the floor is not measured (at L it doubles the run) and its ratios are null.
    ``inside_target`` (a NetBox of its own): the first sync and a no-change re-sync again, written through
    the plugin's in-NetBox apply (the REST runs are forced to ``write_path='rest'``). No ``sync_target``
    (``--inside-only``): no REST sync at all; the re-syncs then run on the in-NetBox side, and
    ``first_sync`` is null."""
    if sync_target is None and inside_target is None:
        raise ValueError('measure_fleet needs a sync target, an in-NetBox target or both')
    fleet = size.make()
    log(f'{size.name}: {size.guests} guests, {size.clusters} cluster(s) x {size.nodes} nodes')
    with tempfile.TemporaryDirectory(prefix=f'proxbox-bench-{size.name}-') as work, SimServer(fleet) as server:
        run = _Fleet(knobs, Path(work), log, floor_clean_up)
        resync_target, resync_path = (sync_target, 'rest') if sync_target else (inside_target, 'inside')
        assert resync_target is not None
        dry = run.sync(server, resync_target, 'dry run', keep_plan=floor_target is not None, dry_run=True)
        floor = run.floor(floor_target) if floor_target else None
        first = run.sync(server, sync_target, 'first sync') if sync_target else None
        inside, inside_resync = None, None
        if inside_target is not None:
            inside = run.sync(server, inside_target, 'inside first', write_path='inside')
            inside_resync = run.sync(server, inside_target, 'inside re-sync', write_path='inside')
        resync = run.sync(server, resync_target, 're-sync', write_path=resync_path)
        changed = change_fraction(fleet, CHANGED_FRACTION)
        resync_changed = run.sync(server, resync_target, 're-sync 1 %', write_path=resync_path)
        path = 'inside' if inside_target else 'rest'
        targeted = _targeted(run, server, fleet, inside_target or resync_target, path)
        continuous = _continuous(
            run, server, fleet, inside_target or resync_target, path, continuous_changes, poll_interval
        )
    base = first or inside
    assert base is not None
    result = {
        'fleet': size.to_json(),
        'objects': dry.pop('planned_writes'),
        # The floor wrote what the first sync wrote (else their times are not comparable).
        'floor_matches_first': floor['writes'] == base['writes'] and floor['failed'] == base['failures'] == 0
        if floor
        else None,
        'dry_run': dry,
        'floor': floor,
        'first_sync': first,
        'inside_first_sync': inside,
        'inside_resync': inside_resync,
        'resync': resync,
        'resync_changed': {**resync_changed, 'changed': changed},
        'targeted': targeted,
        'continuous': continuous,
        'ratios': {
            'first_over_floor': _ratio(first['seconds'], floor['seconds']) if floor and first else None,
            'resync_over_first': _ratio(resync['seconds'], base['seconds']),
            'resync_changed_over_first': _ratio(resync_changed['seconds'], base['seconds']),
            'first_over_floor_netbox_cpu': _cpu_ratio(first, floor) if floor and first else None,
            'inside_over_floor': _ratio(inside['seconds'], floor['seconds']) if floor and inside else None,
            'inside_over_floor_netbox_cpu': _cpu_ratio(inside, floor) if floor and inside else None,
            'inside_over_first': _ratio(inside['seconds'], first['seconds']) if inside and first else None,
            'resync_over_first_netbox_cpu': _cpu_ratio(resync, base),
        },
    }
    ratios = result['ratios']
    log(f'  first/floor {ratios["first_over_floor"]}   inside/floor {ratios["inside_over_floor"]}   '
        f're-sync/first {ratios["resync_over_first"]}')  # fmt: skip
    return result

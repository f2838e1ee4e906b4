"""Scaling benchmark of the sync: fleets S (100 guests), M (1,000) and L (10,000) against a real NetBox.

    .venv/bin/python bench/bench_sync.py [--fleets S,M] [--workers 3] [--batch-size 100]
        [--write-concurrency 2] [--read-concurrency 8] [--no-chart]        (or: make bench FLEETS=S,M,L)

Per fleet: two fresh NetBox databases cloned from the migrated template (one for the floor, one for the
sync), each served by gunicorn on a free loopback port; the Proxmox simulator serves the fleet. It
prints and saves (``bench/results/sync-<time>.json`` and ``latest.json``) the floor (NetBox's own time
to bulk-write the first sync's objects from ready payloads), the first sync, a no-change re-sync and a
re-sync after 1 % of the guests changed, with writes, Proxmox and NetBox requests, peak RSS of the
sync process, the ratios and the goals' verdicts; then draws ``docs/images/bench-scaling.png``.
L takes over an hour on two cores, so the default is S,M. Every database is dropped at the end.
"""

import argparse
import os
import platform
import sys
import time
from contextlib import ExitStack
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.scaling.fleets import FLEETS  # noqa: E402
from bench.scaling.measure import Knobs, Target, measure_fleet  # noqa: E402
from bench.scaling.report import draw_chart, evaluate_goals, save_results  # noqa: E402
from bench.scaling.stack import BenchDatabases, NetBoxServer, ServerConfig  # noqa: E402

CHART = ROOT / 'docs' / 'images' / 'bench-scaling.png'


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--fleets', default='S,M', help='comma-separated: S, M, L (default S,M)')
    parser.add_argument('--no-floor', default='', help='comma-separated fleets whose floor is not measured (e.g. L)')
    parser.add_argument(
        '--inside-only', default='',
        help='comma-separated fleets synced only through the in-NetBox apply (no REST sync; e.g. L, where the '
        'REST first sync takes an hour)',
    )  # fmt: skip
    parser.add_argument('--workers', type=int, default=3, help='gunicorn workers serving NetBox')
    parser.add_argument('--batch-size', type=int, default=Knobs.batch_size)
    parser.add_argument('--write-concurrency', type=int, default=Knobs.write_concurrency)
    parser.add_argument('--read-concurrency', type=int, default=Knobs.read_concurrency)
    parser.add_argument('--results', type=Path, default=ROOT / 'bench' / 'results')
    parser.add_argument('--chart', type=Path, default=CHART)
    parser.add_argument('--no-chart', action='store_true')
    args = parser.parse_args()
    args.fleets = [name.strip().upper() for name in args.fleets.split(',') if name.strip()]
    args.no_floor = {name.strip().upper() for name in args.no_floor.split(',') if name.strip()}
    unknown = [name for name in [*args.fleets, *args.no_floor] if name not in FLEETS]
    if unknown:
        parser.error(f'unknown fleet(s) {", ".join(unknown)}; choose from {", ".join(FLEETS)}')
    return args


def _machine() -> dict[str, Any]:
    return {'cpus': os.cpu_count(), 'python': platform.python_version(), 'load_average': os.getloadavg()}


def _fleet(
    name: str, dbs: BenchDatabases, config: ServerConfig, knobs: Knobs, logs: Path, with_floor: bool, rest: bool
) -> dict[str, Any]:
    sides = [side for side, wanted in (('sync', rest), ('inside', True), ('floor', with_floor)) if wanted]
    databases = [dbs.clone(f'{name.lower()}_{side}') for side in sides]
    try:
        with ExitStack() as stack:
            servers = [stack.enter_context(NetBoxServer(db, config, logs)) for db in databases]
            for server in servers:
                server.start(dbs.token)
            load_before = os.getloadavg()
            targets = {
                side: Target(server.url, dbs.token, server.cpu_seconds, server.peak_worker_rss)
                for side, server in zip(sides, servers, strict=True)
            }
            result = measure_fleet(
                FLEETS[name], targets.get('floor'), targets.get('sync'), knobs, inside_target=targets['inside']
            )
            result['load_average'] = {'before': load_before, 'after': os.getloadavg()}
            return result
    finally:
        for database in databases:
            dbs.drop(database)


def _print_table(fleets: list[dict[str, Any]]) -> None:
    print(f'\n{"fleet":<6}{"guests":>7}{"writes":>8}{"floor s":>9}{"first s":>9}{"inside s":>9}{"re-sync s":>10}'
          f'{"1 % s":>8}{"first/floor":>12}{"inside/floor":>13}{"re-sync/first":>14}{"peak RSS MiB":>13}')  # fmt: skip
    for fleet in fleets:
        runs = ('first_sync', 'inside_first_sync', 'resync', 'resync_changed')
        peak = max(fleet[run]['peak_rss_mib'] for run in runs if fleet.get(run))
        ratios, floor, inside = fleet['ratios'], fleet['floor'], fleet.get('inside_first_sync')
        first = fleet['first_sync']
        print(f'{fleet["fleet"]["name"]:<6}{fleet["fleet"]["guests"]:>7}{(first or inside)["writes"]:>8}'
              f'{_number(floor and floor["seconds"], 9, ".1f")}{_number(first and first["seconds"], 9, ".1f")}'
              f'{_number(inside and inside["seconds"], 9, ".1f")}'
              f'{fleet["resync"]["seconds"]:>10.1f}{fleet["resync_changed"]["seconds"]:>8.1f}'
              f'{_number(ratios["first_over_floor"], 12, ".2f")}{_number(ratios.get("inside_over_floor"), 13, ".2f")}'
              f'{ratios["resync_over_first"]:>14.3f}'
              f'{peak:>13.0f}')  # fmt: skip


def _number(value: float | None, width: int, spec: str) -> str:
    return f'{"-" if value is None else format(value, spec):>{width}}'


def _print_goals(goals: dict[str, dict[str, Any]]) -> None:
    print('\nGoals')
    for verdict in goals.values():
        mark = {True: 'met', False: 'MISSED', None: 'not run'}[verdict['met']]
        print(f'  {verdict["goal"]:<52} {mark:<8} ({verdict["value"]})')


def main() -> None:
    args = _arguments()
    knobs = Knobs(args.batch_size, args.write_concurrency, args.read_concurrency)
    config = ServerConfig(workers=args.workers)
    stamp = datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')
    logs = ROOT / '.stack' / 'bench' / stamp
    logs.mkdir(parents=True, exist_ok=True)
    document: dict[str, Any] = {
        'started': stamp,
        'machine': _machine(),
        'netbox': {'version': version('netbox'), 'server': config.describe()},
        'knobs': knobs.sync_options(),
        'fleets': [],
    }
    print(f'NetBox {version("netbox")} on {config.describe()}; {knobs}; logs in {logs}')
    prefix = f'{os.environ.get("NETBOX_DB_NAME", "netbox")}_bench{os.getpid()}'
    with BenchDatabases(prefix) as dbs:
        started = time.monotonic()
        dbs.prepare_base()
        print(f'base database {dbs.base} ready in {time.monotonic() - started:.0f} s')
        for name in args.fleets:
            document['fleets'].append(
                _fleet(name, dbs, config, knobs, logs, name not in args.no_floor, name not in args.inside_only)
            )
            document['goals'] = evaluate_goals(document['fleets'])
            path = save_results(document, args.results, stamp)
    _print_table(document['fleets'])
    print(f'\nsaved {path} and latest.json')
    _print_goals(document['goals'])
    if not args.no_chart:
        subtitle = (
            f'NetBox {version("netbox")}, {config.describe()}, batch {knobs.batch_size}, '
            f'write concurrency {knobs.write_concurrency}; {os.cpu_count()} CPUs shared with the simulator'
        )
        print(f'chart: {draw_chart(document["fleets"], args.chart, subtitle)}')


if __name__ == '__main__':
    main()

"""Where NetBox's time goes in the in-NetBox apply: one fleet's first sync with NetBox's workers profiled.

    .venv/bin/python bench/profile_apply.py [--fleet S] [--workers 3] [--top 40] [--sort tottime]

A fresh NetBox database (cloned from the migrated template, as ``bench_sync.py`` does) is served by
gunicorn with ``bench.scaling.profiled_wsgi``: every apply request is run under cProfile in its worker.
The fleet is synced once through the apply (``write_path='inside'``); the workers' profiles are merged
and the top functions printed, with the merged stats kept in ``.stack/bench/<time>/apply.pstats`` for
``python -m pstats``. Profiling slows NetBox down several fold: read the shares, not the seconds.
"""

import argparse
import json
import pstats
import sys
import tempfile
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.scaling.fleets import FLEETS  # noqa: E402
from bench.scaling.measure import Knobs, Target, _Fleet, print_now  # noqa: E402
from bench.scaling.stack import BenchDatabases, NetBoxServer, ServerConfig  # noqa: E402
from proxmox_sim import SimServer  # noqa: E402


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--fleet', default='S', choices=sorted(FLEETS))
    parser.add_argument('--workers', type=int, default=3)
    parser.add_argument('--top', type=int, default=40)
    parser.add_argument('--sort', default='tottime', choices=('tottime', 'cumulative'))
    return parser.parse_args()


def main() -> None:
    args = _arguments()
    logs = ROOT / '.stack' / 'bench' / datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')
    logs.mkdir(parents=True, exist_ok=True)
    profiles = logs / 'profiles'
    profiles.mkdir()
    size = FLEETS[args.fleet]
    with BenchDatabases(f'proxbox_profile{__import__("os").getpid()}') as dbs:
        dbs.prepare_base()
        database = dbs.clone('inside')
        env = {'PROXBOX_PROFILE_DIR': str(profiles)}
        config = ServerConfig(workers=args.workers)
        try:
            with NetBoxServer(database, config, logs, app='bench.scaling.profiled_wsgi', env=env) as server:
                server.start(dbs.token)
                target = Target(server.url, dbs.token, server.cpu_seconds)
                with tempfile.TemporaryDirectory() as work, SimServer(size.make()) as sim:
                    run = _Fleet(Knobs(), Path(work), print_now, clean_up=False)
                    run.sync(sim, target, 'inside first', write_path='inside')
        finally:
            dbs.drop(database)
    files = sorted(str(path) for path in profiles.glob('*.pstats'))
    if not files:
        raise SystemExit('no apply request was profiled')
    stats = pstats.Stats(*files)
    stats.dump_stats(logs / 'apply.pstats')
    print(f'{len(files)} worker profile(s) merged into {logs / "apply.pstats"}')
    stats.sort_stats(args.sort).print_stats(args.top)
    queries: Counter[str] = Counter()
    for path in profiles.glob('*.queries.json'):
        queries.update(json.loads(path.read_text()))
    print(f'{sum(queries.values())} SQL queries in the apply requests, by where they were made:')
    for origin, count in queries.most_common(args.top):
        print(f'{count:8d}  {origin}')


if __name__ == '__main__':
    main()

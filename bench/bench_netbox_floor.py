"""Benchmark NetBox's bulk REST endpoints through ``NetBoxClient``: the floor a sync run cannot beat.

    .venv/bin/python bench/bench_netbox_floor.py --url http://127.0.0.1:8000 [--token-file .stack/admin-token]
        [--objects 1000] [--batch-sizes 50,100,200] [--concurrency 1,2,4]

Creates ``--objects`` sites (names prefixed ``bench-<pid>-``) per combination, reads them back with
``fields``, updates and deletes them, and prints objects/s per operation plus the requests sent. The token
comes from ``$NETBOX_TOKEN`` or ``--token-file``; it is never printed. Run it against a NetBox you own:
it writes (and then deletes) real objects, each with a changelog message naming the benchmark.
"""

import argparse
import asyncio
import os
import time
from collections.abc import Awaitable
from pathlib import Path
from typing import Any

from proxbox_api.netbox import NetBoxClient, NetBoxClientOptions, WriteResult

ROOT = Path(__file__).resolve().parents[1]
PATH = 'dcim/sites'


def _token(args: argparse.Namespace) -> str:
    return os.environ.get('NETBOX_TOKEN') or Path(args.token_file).read_text().strip()


async def _timed(label: str, count: int, work: Awaitable[list[Any]]) -> list[Any]:
    start = time.perf_counter()
    results = await work
    elapsed = time.perf_counter() - start
    failed = sum(1 for r in results if isinstance(r, WriteResult) and not r.ok)
    note = f', {failed} failed' if failed else ''
    print(f'    {label:<7} {count / elapsed:8.1f} obj/s  ({elapsed:6.2f} s{note})')
    return results


async def one_round(url: str, token: str, objects: int, batch: int, concurrency: int) -> None:
    options = NetBoxClientOptions(batch_size=batch, write_concurrency=concurrency, max_retries=1)
    prefix = f'bench-{os.getpid()}-{batch}-{concurrency}-'
    message = f'proxbox bench {prefix}'
    sites = [{'name': f'{prefix}{i}', 'slug': f'{prefix}{i}'} for i in range(objects)]
    print(f'  batch_size={batch} write_concurrency={concurrency}')
    async with NetBoxClient(url, token, options=options) as client:
        await _timed('create', objects, client.bulk_create(PATH, sites, changelog_message=message))
        rows = await _timed('read', objects, client.list(PATH, {'name__isw': prefix}, fields=['id', 'name']))
        changes = [{'id': row['id'], 'description': 'bench'} for row in rows]
        await _timed('update', objects, client.bulk_update(PATH, changes, changelog_message=message))
        ids = [row['id'] for row in rows]
        await _timed('delete', objects, client.bulk_delete(PATH, ids, changelog_message=message))
        print(f'    requests {client.stats}')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--url', default=os.environ.get('NETBOX_URL', 'http://127.0.0.1:8000'))
    parser.add_argument('--token-file', default=str(ROOT / '.stack' / 'admin-token'))
    parser.add_argument('--objects', type=int, default=1000)
    parser.add_argument('--batch-sizes', default='50,100,200')
    parser.add_argument('--concurrency', default='1,2,4')
    args = parser.parse_args()
    token = _token(args)
    print(f'NetBox {args.url}: {args.objects} sites per round')
    for batch in (int(b) for b in args.batch_sizes.split(',')):
        for concurrency in (int(c) for c in args.concurrency.split(',')):
            asyncio.run(one_round(args.url, token, args.objects, batch, concurrency))


if __name__ == '__main__':
    main()

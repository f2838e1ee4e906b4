"""Benchmark the Proxmox VE simulator: small-GET throughput and ``/cluster/resources`` at 10,000 guests.

    .venv/bin/python bench/bench_sim.py [--guests 10000] [--requests 3000] [--clients 8]

The server runs as a subprocess (``python -m proxmox_sim``) so that it does not share the GIL with the
clients; ``--in-process`` runs it in a thread instead (the way the test fixtures do). Clients are
keep-alive connections in threads; the figures include TLS and the client's own overhead, so they are a
floor for the server, not a ceiling.
"""

from __future__ import annotations

import argparse
import http.client
import json
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests
import urllib3

from proxmox_sim import Endpoint, Fleet, FleetSpec, SimServer

ROOT = Path(__file__).resolve().parents[1]


def _session(endpoint: Endpoint) -> requests.Session:
    session = requests.Session()
    session.verify = False
    session.trust_env = False
    session.headers['Authorization'] = f'PVEAPIToken={endpoint.token_id}={endpoint.token_secret}'
    return session


def small_gets(endpoint: Endpoint, total: int, clients: int) -> float:
    """Requests per second for ``GET /version`` over ``clients`` keep-alive connections (``http.client``:
    ``requests`` costs the client more CPU per call than the server spends, and would measure itself)."""
    per_client = total // clients
    context = ssl._create_unverified_context()  # the simulator's certificate is self-signed
    headers = {'Authorization': f'PVEAPIToken={endpoint.token_id}={endpoint.token_secret}'}

    def worker() -> None:
        connection = http.client.HTTPSConnection(endpoint.host, endpoint.port, context=context)
        for _ in range(per_client):
            connection.request('GET', '/api2/json/version', headers=headers)
            response = connection.getresponse()
            response.read()
            assert response.status == 200
        connection.close()

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return per_client * clients / (time.perf_counter() - started)


def resources_times(endpoint: Endpoint, repeats: int) -> list[float]:
    session = _session(endpoint)
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        response = session.get(endpoint.url + '/cluster/resources', timeout=60)
        response.raise_for_status()
        response.json()
        times.append(time.perf_counter() - started)
    return times


@contextmanager
def subprocess_endpoint(guests: int, nodes: int) -> Iterator[Endpoint]:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / 'endpoints.json'
        command = [sys.executable, '-m', 'proxmox_sim', '--guests', str(guests), '--nodes', str(nodes),
                   '--write-endpoints', str(path), '--quiet']  # fmt: skip
        process = subprocess.Popen(command, cwd=ROOT)
        try:
            while not path.exists():
                if process.poll() is not None:
                    raise SystemExit('the simulator did not start')
                time.sleep(0.05)
            data = json.loads(path.read_text())['endpoints'][0]
            data['nodes'] = tuple(data['nodes'])
            yield Endpoint(**data)
        finally:
            process.terminate()
            process.wait(timeout=10)


@contextmanager
def thread_endpoint(guests: int, nodes: int) -> Iterator[Endpoint]:
    with SimServer(Fleet(FleetSpec(seed=1, clusters=1, nodes=nodes, guests=guests))) as server:
        yield server.endpoints[0]


def measure(endpoint: Endpoint, args: argparse.Namespace) -> None:
    small_gets(endpoint, 200, 2)  # warm up: TLS handshakes, caches
    rps = small_gets(endpoint, args.requests, args.clients)
    print(f'GET /version: {rps:,.0f} requests/s ({args.clients} keep-alive clients, {args.requests} requests)')
    times = resources_times(endpoint, 5)
    print(f'GET /cluster/resources at {args.guests} guests: first {times[0] * 1000:.0f} ms (render + gzip), '
          f'cached median {statistics.median(times[1:]) * 1000:.0f} ms (transfer + client JSON parse)')  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--guests', type=int, default=10_000)
    parser.add_argument('--nodes', type=int, default=8)
    parser.add_argument('--requests', type=int, default=3000)
    parser.add_argument('--clients', type=int, default=4)
    parser.add_argument('--in-process', action='store_true', help='serve from a thread of this process')
    args = parser.parse_args()
    warnings.simplefilter('ignore', urllib3.exceptions.InsecureRequestWarning)

    started = time.perf_counter()
    fleet = Fleet(FleetSpec(seed=1, clusters=1, nodes=args.nodes, guests=args.guests))
    print(f'generate {args.guests} guests: {time.perf_counter() - started:.2f} s')
    started = time.perf_counter()
    fleet.to_dict()
    print(f'ground-truth dump of {args.guests} guests: {time.perf_counter() - started:.2f} s')
    runner = thread_endpoint if args.in_process else subprocess_endpoint
    with runner(args.guests, args.nodes) as endpoint:
        print(f'server: {"thread of this process" if args.in_process else "subprocess"}')
        measure(endpoint, args)


if __name__ == '__main__':
    main()

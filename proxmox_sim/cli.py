"""Command line: generate a fleet, serve it, print (and optionally write) the endpoints, run until stopped.

``main(argv)`` is what ``python -m proxmox_sim`` runs and what ``pxb sim`` can call.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .errors import SimError
from .faults import parse_fault
from .fleet import Fleet
from .server.runner import Endpoint, SimServer
from .spec import DEFAULT_EPOCH, FleetSpec

__all__ = ['build_parser', 'endpoints_document', 'main']


def _epoch(text: str) -> int:
    """``now`` (the current time, whole seconds) or seconds since 1970."""
    return int(time.time()) if text == 'now' else int(text)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog='proxmox_sim', description='Serve a simulated Proxmox VE fleet over HTTPS.')
    fleet = parser.add_argument_group('fleet')
    fleet.add_argument('--clusters', type=int, default=1, help='number of clusters (default 1)')
    fleet.add_argument('--nodes', type=int, default=3, help='nodes per cluster (default 3)')
    fleet.add_argument('--standalone', type=int, default=0, help='standalone nodes, each its own endpoint')
    fleet.add_argument('--guests', type=int, default=30, help='guests in the whole fleet (default 30)')
    fleet.add_argument('--lxc-share', type=float, default=0.3, help='fraction of guests that are containers')
    fleet.add_argument('--seed', type=int, default=1, help='generation and fault seed (default 1)')
    fleet.add_argument('--pve-version', default='8.3', help='emulated release: 7.4, 8.0-8.4, 9.0, 9.1[.N]')
    fleet.add_argument('--password', default='proxbox', help='root@pam password for ticket auth')
    fleet.add_argument(
        '--first-index', type=int, default=0, help='position of the first endpoint (default 0: alpha, 10.1.0.0/16)'
    )
    fleet.add_argument(
        '--epoch', type=_epoch, default=DEFAULT_EPOCH, help="logical clock start, epoch seconds or 'now' (2026-01-01)"
    )
    server = parser.add_argument_group('server')
    server.add_argument('--host', default='127.0.0.1', help='listen address (default 127.0.0.1)')
    server.add_argument('--port', type=int, default=0, help='first port; one per endpoint (default 0: any free)')
    server.add_argument('--cert', help='PEM certificate (default: self-signed, generated)')
    server.add_argument('--key', help='PEM private key for --cert')
    server.add_argument('--auth-delay', type=float, default=0.0, help='delay 401 replies like Proxmox (3 s)')
    server.add_argument(
        '--fault',
        action='append',
        default=[],
        metavar='KIND:PATTERN[,k=v...]',
        help='inject a fault, e.g. latency:/nodes/*,ms=200 (repeatable)',
    )
    server.add_argument('--write-endpoints', metavar='FILE', help='write the endpoints as JSON to FILE')
    server.add_argument('--quiet', action='store_true', help='do not print the endpoints')
    return parser


def endpoints_document(server: SimServer) -> dict[str, Any]:
    """The ``--write-endpoints`` JSON: the fleet spec, the process id and one entry per endpoint."""
    return {
        'pid': os.getpid(),
        'spec': server.fleet.spec.to_dict(),
        'endpoints': [endpoint.to_dict() for endpoint in server.endpoints],
    }


def _describe(endpoint: Endpoint) -> str:
    kind = 'standalone node' if endpoint.standalone else 'cluster'
    return (
        f'{kind} {endpoint.cluster} (PVE {endpoint.version}, nodes {", ".join(endpoint.nodes)})\n'
        f'  url:      {endpoint.url}\n'
        f'  token:    PVEAPIToken={endpoint.token_id}={endpoint.token_secret}\n'
        f'  password: {endpoint.username} / {endpoint.password}\n'
        f'  control:  {endpoint.url.removesuffix("/api2/json")}/_sim/fleet\n'
    )


def _write_atomically(path: Path, document: dict[str, Any]) -> None:
    temporary = path.with_name(path.name + '.tmp')
    temporary.write_text(json.dumps(document, indent=2) + '\n')
    temporary.replace(path)


def _fleet(args: argparse.Namespace) -> Fleet:
    spec = FleetSpec(
        seed=args.seed,
        clusters=args.clusters,
        nodes=args.nodes,
        standalone=args.standalone,
        guests=args.guests,
        pve_version=args.pve_version,
        lxc_share=args.lxc_share,
        password=args.password,
        first_index=args.first_index,
        epoch=args.epoch,
    )
    fleet = Fleet(spec)
    fleet.set_faults([parse_fault(text) for text in args.fault])
    return fleet


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        fleet = _fleet(args)
    except (SimError, ValueError) as error:
        print(f'proxmox_sim: {error}', file=sys.stderr)  # noqa: T201
        return 2
    server = SimServer(fleet, host=args.host, port=args.port, cert=args.cert, key=args.key, auth_delay=args.auth_delay)
    server.start()
    if args.write_endpoints:
        _write_atomically(Path(args.write_endpoints), endpoints_document(server))
    if not args.quiet:
        print(''.join(_describe(endpoint) for endpoint in server.endpoints), flush=True)  # noqa: T201
    stopped = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stopped.set())
    while not stopped.wait(0.5):
        pass
    server.stop()
    return 0

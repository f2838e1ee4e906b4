"""Proxmox VE API simulator: a deterministic fleet of clusters served over HTTPS like the real API.

    from proxmox_sim import Fleet, FleetSpec, SimServer

    fleet = Fleet(FleetSpec(seed=1, clusters=2, nodes=4, guests=500, pve_version='8.3'))
    with SimServer(fleet) as server:
        endpoint = server.endpoints[0]          # url, token_id/token_secret, username/password, cert_path
        fleet.migrate_guest(100, 'alpha-pve2', cluster='alpha')

Command line: ``python -m proxmox_sim --clusters 2 --nodes 4 --guests 500`` (see :mod:`proxmox_sim.cli`).
"""

from __future__ import annotations

from .errors import ApiError, SimError
from .faults import FaultRule, parse_fault
from .fleet import Fleet, SimClock
from .server.runner import Endpoint, SimServer
from .spec import FleetSpec
from .version import PveVersion

__all__ = [
    'ApiError',
    'Endpoint',
    'FaultRule',
    'Fleet',
    'FleetSpec',
    'PveVersion',
    'SimClock',
    'SimError',
    'SimServer',
    'parse_fault',
]

"""Fixtures for the simulator tests: small fleets served in-process on free ports, and clients for them."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import Any

import pytest
import urllib3
from proxmoxer import ProxmoxAPI

from proxmox_sim import Endpoint, Fleet, FleetSpec, SimServer

from .helpers import Raw


def pytest_configure(config: pytest.Config) -> None:
    # The simulator's certificate is self-signed and tests connect with verify_ssl=False, as users do.
    config.addinivalue_line('filterwarnings', 'ignore::urllib3.exceptions.InsecureRequestWarning')
    warnings.simplefilter('ignore', urllib3.exceptions.InsecureRequestWarning)


def make_fleet(**overrides: Any) -> Fleet:
    spec = {'seed': 7, 'clusters': 1, 'nodes': 3, 'guests': 40, 'pve_version': '8.3', **overrides}
    return Fleet(FleetSpec(**spec))


@pytest.fixture
def fleet() -> Fleet:
    return make_fleet()


@pytest.fixture
def server(fleet: Fleet) -> Iterator[SimServer]:
    with SimServer(fleet) as running:
        yield running


@pytest.fixture
def endpoint(server: SimServer) -> Endpoint:
    return server.endpoints[0]


@pytest.fixture
def api(endpoint: Endpoint) -> ProxmoxAPI:
    """proxmoxer with API token auth."""
    return ProxmoxAPI(**endpoint.proxmoxer_kwargs('token'))


@pytest.fixture
def ticket_api(endpoint: Endpoint) -> ProxmoxAPI:
    """proxmoxer with user/password (ticket) auth."""
    return ProxmoxAPI(**endpoint.proxmoxer_kwargs('password'))


@pytest.fixture
def raw(endpoint: Endpoint) -> Raw:
    return Raw(endpoint)

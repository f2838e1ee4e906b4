"""Fixtures for Full Update tests run inside pytest (live_server NetBox, uvicorn proxbox-api, simulator)."""

from collections.abc import Iterator
from typing import Any

import pytest

from proxmox_sim import Fleet, FleetSpec, SimServer

from .harness import configure_endpoints, serve_proxbox_api, sync_user_token


@pytest.fixture
def sim() -> Iterator[Any]:
    fleet = Fleet(FleetSpec(seed=5, clusters=1, nodes=2, guests=8, pve_version='8.3'))
    with SimServer(fleet) as server:
        server.fleet = fleet
        yield server


@pytest.fixture(scope='session')
def proxbox_api_url() -> Iterator[str]:
    with serve_proxbox_api() as url:
        yield url


@pytest.fixture
def configured(sim: Any, live_server: Any, proxbox_api_url: str) -> list[Any]:
    """Everything set up for a sync; returns the Proxmox endpoints."""
    return configure_endpoints(sim, live_server.url, proxbox_api_url, sync_user_token())

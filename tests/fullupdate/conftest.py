"""Fixtures for Full Update tests run inside pytest: proxbox-api served by uvicorn in a thread, a simulator."""

from collections.abc import Iterator
from typing import Any

import pytest

from netbox_proxbox.sync.streams import redis
from proxmox_sim import Fleet, FleetSpec, SimServer

from .harness import serve_proxbox_api


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


@pytest.fixture(autouse=True)
def _clear_run_keys(request: pytest.FixtureRequest) -> Iterator[None]:
    """Runs made by in-process tests leave no Redis keys behind."""
    yield
    if 'django_db_setup' in request.fixturenames:
        from django.db import connection

        conn = redis()
        keys = list(conn.scan_iter(match=f'proxbox:{connection.settings_dict["NAME"]}:*', count=1000))
        if keys:
            conn.delete(*keys)

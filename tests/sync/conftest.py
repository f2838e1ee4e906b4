"""Fixtures for sync integration tests: a real NetBox (pytest-django ``live_server``), an in-process
Proxmox simulator, and a helper that runs one sync through the service function."""

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from users.models import Token

from proxbox_api.schemas import SyncRequest, SyncResult
from proxbox_api.service import run_sync
from proxmox_sim import Fleet, FleetSpec, SimServer


@pytest.fixture
def fleet() -> Iterator[Fleet]:
    world = Fleet(FleetSpec(seed=3, clusters=1, nodes=2, guests=12, pve_version='8.3'))
    with SimServer(world) as server:
        world.server = server  # type: ignore[attr-defined]
        yield world


@pytest.fixture
def netbox_token(transactional_db: Any) -> str:
    user = get_user_model().objects.create_user(username='proxbox-sync', password='x', is_superuser=True)
    token = Token.objects.create(user=user)
    return (token.get_auth_header_prefix() + token.token).removeprefix('Bearer ')


class Syncer:
    def __init__(self, fleet: Fleet, url: str, token: str) -> None:
        self.fleet, self.url, self.token = fleet, url, token
        self.events: list[tuple[str, dict[str, Any]]] = []

    def request(self, **overrides: Any) -> SyncRequest:
        endpoints = [
            {
                'name': ep.cluster,
                'host': ep.host,
                'port': ep.port,
                'token_id': ep.token_id,
                'token_secret': ep.token_secret,
                'ca_bundle': str(ep.cert_path),
            }
            for ep in self.fleet.server.endpoints  # type: ignore[attr-defined]
        ]
        data = {'netbox': {'url': self.url, 'token': self.token}, 'endpoints': endpoints, 'include_plan': True}
        data.update(overrides)
        return SyncRequest.model_validate(data)

    def __call__(self, **overrides: Any) -> SyncResult:
        async def emit(event: str, data: dict[str, Any]) -> None:
            self.events.append((event, data))

        return asyncio.run(run_sync(self.request(**overrides), emit))


@pytest.fixture
def sync(fleet: Fleet, live_server: Any, netbox_token: str) -> Syncer:
    return Syncer(fleet, live_server.url, netbox_token)

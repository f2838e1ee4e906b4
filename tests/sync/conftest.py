"""Fixtures for sync integration tests: a real NetBox (pytest-django ``live_server``), an in-process
Proxmox simulator, and a helper that runs one sync through the service function."""

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from users.models import Token

from netbox_proxbox.bootstrap import ensure_sync_objects
from netbox_proxbox.models import ProxmoxEndpoint
from proxbox_api.schemas import SyncRequest, SyncResult
from proxbox_api.service import run_sync
from proxmox_sim import Fleet, FleetSpec, SimServer

# The simulator's logical clock starts here (2026-01-01T00:00Z): its backups, snapshots and tasks
# are dated around it, so data-protection tests pin "now" just after it.
SIM_EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


def serve(spec: FleetSpec) -> Iterator[Fleet]:
    world = Fleet(spec)
    with SimServer(world) as server:
        world.server = server  # type: ignore[attr-defined]
        yield world


@pytest.fixture
def fleet() -> Iterator[Fleet]:
    yield from serve(FleetSpec(seed=3, clusters=1, nodes=2, guests=12, pve_version='8.3'))


@pytest.fixture
def netbox_token(transactional_db: Any) -> str:
    ensure_sync_objects()  # the test database may predate the plugin's latest custom-field coverage
    user = get_user_model().objects.create_user(username='proxbox-sync', password='x', is_superuser=True)
    token = Token.objects.create(user=user)
    return (token.get_auth_header_prefix() + token.token).removeprefix('Bearer ')


class Syncer:
    """Runs a sync of every endpoint of the fleet (or of ``only``) at ``now`` (a settable clock)."""

    def __init__(
        self, fleet: Fleet, url: str, token: str, endpoint_ids: dict[str, int] | None = None, write_path: str = 'auto'
    ) -> None:
        self.fleet, self.url, self.token, self.write_path = fleet, url, token, write_path
        self.endpoint_ids = endpoint_ids or {}
        self.now = datetime.now(UTC)
        self.events: list[tuple[str, dict[str, Any]]] = []

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)

    def request(self, only: tuple[str, ...] | None = None, **overrides: Any) -> SyncRequest:
        endpoints = [
            {
                'name': ep.cluster,
                'id': self.endpoint_ids.get(ep.cluster),
                'host': ep.host,
                'port': ep.port,
                'token_id': ep.token_id,
                'token_secret': ep.token_secret,
                'ca_bundle': str(ep.cert_path),
            }
            for ep in self.fleet.server.endpoints  # type: ignore[attr-defined]
            if only is None or ep.cluster in only
        ]
        data = {'netbox': {'url': self.url, 'token': self.token}, 'endpoints': endpoints, 'include_plan': True}
        data.update(overrides)
        # auto: the plugin's in-NetBox apply (the live NetBox has it); rest: NetBox's REST bulk endpoints.
        data['options'] = {'write_path': self.write_path, **data.get('options', {})}
        return SyncRequest.model_validate(data)

    def __call__(self, only: tuple[str, ...] | None = None, **overrides: Any) -> SyncResult:
        self.events = []

        async def emit(event: str, data: dict[str, Any]) -> None:
            self.events.append((event, data))

        return asyncio.run(run_sync(self.request(only, **overrides), emit, clock=lambda: self.now))


@pytest.fixture
def sync(fleet: Fleet, live_server: Any, netbox_token: str) -> Syncer:
    return Syncer(fleet, live_server.url, netbox_token)


@pytest.fixture(params=['inside', 'rest'])
def sync_both(request: Any, fleet: Fleet, live_server: Any, netbox_token: str) -> Syncer:
    """A ``sync`` through each write path in turn: the in-NetBox apply, and NetBox's REST API (the fallback)."""
    return Syncer(fleet, live_server.url, netbox_token, write_path=request.param)


def plugin_endpoints(fleet: Fleet) -> dict[str, int]:
    """One ProxmoxEndpoint per cluster, as the plugin holds them (storages, jobs and tasks hang off it)."""
    return {
        ep.cluster: ProxmoxEndpoint.objects.create(
            name=ep.cluster, host=ep.host, port=ep.port, token_name='proxbox', token_secret='x', username='root@pam'
        ).pk
        for ep in fleet.server.endpoints  # type: ignore[attr-defined]
    }

"""
Fixtures of the fault suite: a small simulated fleet synced into the real NetBox (pytest-django's
live_server) by the service function, a hook on every Proxmox request (to change the world mid-run),
and the session's ledger of faults, runs and damage.

Every fault case follows one pattern (`FaultCase.cycle`): a fault-free sync gives the expected
state; the fault is injected and a sync runs (its status and messages checked by the test); nothing
Proxbox owns may have been lost, duplicated or deleted; the fault is removed and a clean sync must
converge to exactly the expected state (same objects, same pks), after which a sync writes nothing.
The fault runs use the most dangerous prune setting (delete, no grace period), so anything a fault
makes look gone from Proxmox would be deleted at once and caught.
"""

import json
import ssl
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest

from proxbox_api.schemas import SyncResult
from proxmox_sim import Fleet, FleetSpec
from tests.sync.conftest import SIM_EPOCH, Syncer, netbox_token, plugin_endpoints, serve  # noqa: F401

from .inventory import Inventory, Ledger, compare, inventory, values

DANGEROUS = {'prune_policy': 'delete', 'prune_grace_days': 0}


@pytest.fixture(scope='session')
def ledger() -> Iterator[Ledger]:
    book = Ledger()
    yield book
    path = book.write()
    print(f'\nfault suite summary: {path}')  # noqa: T201


@pytest.fixture
def fleet() -> Iterator[Fleet]:
    # Two nodes, a dozen guests of both kinds (guest agents, disks, NICs, snapshots, backups, jobs).
    yield from serve(FleetSpec(seed=7, clusters=1, nodes=2, guests=8, pve_version='8.3'))


class HookTransport(httpx.AsyncBaseTransport):
    """The real transport, with `before(request)` called first for every Proxmox request (not NetBox's)."""

    def __init__(self, fleet: Fleet) -> None:
        endpoint = fleet.server.endpoints[0]  # type: ignore[attr-defined]
        self.port = endpoint.port
        self.inner = httpx.AsyncHTTPTransport(verify=ssl.create_default_context(cafile=str(endpoint.cert_path)))
        self.before: Callable[[httpx.Request], None] | None = None
        self.proxmox_requests = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.port == self.port:
            self.proxmox_requests += 1
            if self.before is not None:
                self.before(request)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


class FaultSyncer(Syncer):
    """A Syncer whose runs go through a `HookTransport`, with short Proxmox timeouts and no backoff wait."""

    def __init__(self, fleet: Fleet, url: str, token: str, endpoint_ids: dict[str, int], ledger: Ledger) -> None:
        super().__init__(fleet, url, token, endpoint_ids)
        self.ledger = ledger
        self.now = SIM_EPOCH + timedelta(hours=1)
        self.endpoint_overrides: dict[str, Any] = {'timeout': 3}
        self.hook: HookTransport | None = None
        self.before: Callable[[httpx.Request], None] | None = None  # called before each Proxmox request
        self.options: dict[str, Any] = {}  # sync options of every run

    def request(self, only: tuple[str, ...] | None = None, **overrides: Any) -> Any:
        request = super().request(only, **overrides)
        endpoints = [ep.model_copy(update=self.endpoint_overrides) for ep in request.endpoints]
        return request.model_copy(update={'endpoints': endpoints})

    def __call__(self, only: tuple[str, ...] | None = None, **overrides: Any) -> SyncResult:
        import asyncio

        from proxbox_api.service import run_sync

        self.events = []
        self.ledger.runs += 1
        options = {'retries': 2, **DANGEROUS, **self.options, **overrides.pop('options', {})}
        request = self.request(only, options=options, **overrides)

        async def emit(event: str, data: dict[str, Any]) -> None:
            self.events.append((event, data))

        async def go() -> SyncResult:
            self.hook = HookTransport(self.fleet)
            self.hook.before = self.before
            try:
                return await run_sync(request, emit, transport=self.hook, clock=lambda: self.now)
            finally:
                await self.hook.aclose()

        result = asyncio.run(go())
        print('RUN', result.status, result.duration, result.stages, result.writes)  # noqa: T201
        return result


class FaultCase:
    """One fault: the expected state, the faulty run, the damage check, the convergence."""

    def __init__(self, sync: FaultSyncer, ledger: Ledger, name: str) -> None:
        self.sync, self.ledger, self.name = sync, ledger, name
        self.expected: Inventory = {}
        self.expected_values: dict[str, Any] = {}
        self.creates: dict[str, set[str]] = {}
        # A targeted run's scope for the runs under fault (continuous mode's: guests by VMID); None: full runs.
        self.scope: Callable[[], dict[str, Any]] | None = None

    def baseline(self) -> SyncResult:
        result = self.sync()
        assert result.status == 'completed', result.errors
        assert result.failures == []
        self.expected = inventory()
        self.expected_values = values()
        assert sum(len(ids) for ids in self.expected.values()) > 50  # a fleet worth protecting
        return result

    def under_fault(self, count: int = 1, *, creates: bool = False, **overrides: Any) -> SyncResult:
        """Run with the fault in place; nothing may be lost, duplicated or deleted. `creates`: Proxmox
        gained objects, and the run's plan (from fault-free Proxmox reads) says which (`expect_creates`)."""
        self.ledger.fault(self.name, count)
        if self.scope is not None:
            overrides.setdefault('scope', self.scope())
        result = self.sync(**overrides)
        if creates:
            self.expect_creates(result)
        self.check('under fault')
        told = result.model_dump_json() + json.dumps(self.sync.events, default=str)
        endpoint = self.sync.fleet.server.endpoints[0]  # type: ignore[attr-defined]
        for secret in (self.sync.token, endpoint.token_secret, endpoint.password):
            # Messages built from a fault never carry a secret (the simulator's password is the word
            # 'proxbox', which every run rightly names: only secrets that cannot occur by chance count).
            assert len(secret) < 12 or secret not in told
        return result

    def expect_creates(self, result: SyncResult) -> None:
        """Proxmox changed: the objects a clean sync creates, from the plan of the run under a NetBox fault
        (planned from complete reads, before any write could fail); `converge` checks they exist once."""
        for op in result.plan.operations:
            if op.action == 'create' and op.kind in self.expected:
                self.creates.setdefault(op.kind, set()).add(op.key)
        assert self.creates, 'the fault met a run with nothing to create'

    def converge(self) -> SyncResult:
        """Run without the fault: exactly the expected objects (same pks; what `expect_creates` announced
        exactly once), with the fault-free values when Proxmox did not change."""
        result = self.sync()
        assert result.status == 'completed', result.errors
        assert result.failures == []
        damage = self.check('after the fault')
        assert not damage
        now = inventory()
        if self.creates:
            for kind, keys in self.creates.items():
                assert set(now[kind]) - set(self.expected[kind]) == keys, kind
            self.expected, self.creates = now, {}
            self.expected_values = values()
        assert now == self.expected, _diff(self.expected, now)
        assert values() == self.expected_values, _value_diff(self.expected_values, values())
        return result

    def settled(self) -> None:
        """The last check of a test: one more clean run finds nothing to change."""
        again = self.sync()
        assert again.status == 'completed' and not again.plan.has_changes, _changes(again)

    def check(self, when: str) -> Any:
        damage = compare(self.expected, inventory(), self.creates)
        self.ledger.record(f'{self.name} ({when})', damage)
        assert not damage, damage
        return damage


def _diff(expected: Inventory, now: Inventory) -> str:
    lines = []
    for kind in sorted(set(expected) | set(now)):
        a, b = expected.get(kind, {}), now.get(kind, {})
        if a != b:
            lines.append(f'{kind}: missing {sorted(set(a) - set(b))[:5]} extra {sorted(set(b) - set(a))[:5]}')
    return '\n'.join(lines)


def _value_diff(expected: dict[str, Any], now: dict[str, Any]) -> str:
    lines = []
    for kind, rows in expected.items():
        for pk, row in rows.items():
            other = now.get(kind, {}).get(pk)
            if other != row:
                changed = {k: (v, (other or {}).get(k)) for k, v in row.items() if (other or {}).get(k) != v}
                lines.append(f'{kind} #{pk}: {changed}')
    return '\n'.join(lines[:20])


def _changes(result: SyncResult) -> str:
    ops = (
        [op for op in result.plan.operations if op.action in ('create', 'update', 'mark', 'delete')]
        if result.plan
        else []
    )
    return '\n'.join(f'{op.action} {op.kind} {op.key} {op.changes or op.reason}' for op in ops[:20])


@pytest.fixture
def sync(fleet: Fleet, live_server: Any, netbox_token: str, ledger: Ledger) -> FaultSyncer:  # noqa: F811
    return FaultSyncer(fleet, live_server.url, netbox_token, plugin_endpoints(fleet), ledger)


@pytest.fixture
def case(sync: FaultSyncer, ledger: Ledger, request: pytest.FixtureRequest) -> FaultCase:
    return FaultCase(sync, ledger, request.node.name)

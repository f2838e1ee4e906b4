"""``run_sync``: one sync run, stage by stage (read Proxmox → read NetBox → plan → apply), with events.

Everything here is orchestration; the reading, planning and writing live in ``proxmox``,
``engine`` and ``netbox``. A failed endpoint is reported and left out (so nothing of it is
pruned); a NetBox that cannot be read fails the run before anything is written.

Stages: ``proxmox`` (inventory and data-protection reads of every endpoint), ``netbox``, ``plan``,
``apply`` (the inventory), then one stage per data-protection family switched on (``storage``,
``snapshots``, ``backups``, ``backup_routines``, ``replications``, ``tasks``), each with its own
progress and counts, also in a dry run. The clock is injectable (orphan times, grace periods and
the task window all derive from it).

A targeted sync (``SyncRequest.scope``) reads, plans and writes one cluster, node or guest: Proxmox
is read no further than the scope (a node scope's guests are those Proxmox or NetBox puts on the node),
NetBox only for the records the scope covers or refers to, and nothing outside it is written or pruned.
"""

import asyncio
import hashlib
import json
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from contextlib import AsyncExitStack
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

import httpx

from .engine import Applier, Target, desired_state, guests_on_nodes, plan, read_current
from .engine.kinds import INVENTORY_KINDS, kinds_of_family
from .engine.mapping import ALL_FAMILIES, PROTECTION_FAMILIES, MappingContext, cluster_name
from .engine.netbox_state import NetBoxNotPrepared
from .engine.plan import WRITE_ACTIONS, Plan
from .engine.state import DesiredState, PlanOptions
from .events import Emit
from .netbox import NetBoxClient, NetBoxClientOptions, NetBoxError
from .proxmox import (
    ClientOptions,
    DataProtectionSnapshot,
    ProtectionOptions,
    ProxmoxClient,
    ProxmoxError,
    ProxmoxSnapshot,
    ReadOptions,
    ReadScope,
    read_cluster,
    read_data_protection,
)
from .schemas import FAMILIES, SCOPED_FAMILIES, EndpointSpec, SyncRequest, SyncResult

__all__ = ['StalePlanError', 'plan_digest', 'prepared_endpoint', 'run_sync']


class StalePlanError(Exception):
    """The plan to apply differs from the previewed one: the world changed in between."""


def plan_digest(value: Plan) -> str:
    """A fingerprint of what the plan does. The first-miss time a ``mark`` writes is left out: it is
    the time of the run, so a preview and its apply a minute later mark the same objects alike.

    It is the SHA-256 of the operations as one JSON list (``json.dumps(ops, sort_keys=True)``), fed to
    the hash one operation at a time: the whole text of a 100,000-write plan would cost ~300 MiB.
    """
    digest = hashlib.sha256(b'[')
    for index, op in enumerate(value.operations):
        data = op.model_dump(mode='json', exclude={'display', 'reason'})
        if data['action'] == 'mark':
            data['attrs'].get('custom_fields', {}).pop('proxbox_orphaned_since', None)
        digest.update((', ' if index else '').encode() + json.dumps(data, sort_keys=True).encode())
    digest.update(b']')
    return digest.hexdigest()[:16]


Clock = Callable[[], datetime]
# Every identity synced from a cluster derives from its name, which only /cluster/status tells: guessing
# it (a node's name) would sync the whole cluster a second time under another identity.
_NAMELESS = "the cluster's name could not be read, so nothing of it is synced: "
Read = tuple[ProxmoxSnapshot, EndpointSpec, DataProtectionSnapshot | None]
# The data-protection families, in stage (and dependency) order.
PROTECTION_STAGES = tuple(family for family in FAMILIES if family in PROTECTION_FAMILIES)


def _utc_now() -> datetime:
    return datetime.now(UTC)


class _Run:
    def __init__(
        self, request: SyncRequest, emit: Emit, transport: httpx.AsyncBaseTransport | None, clock: Clock
    ) -> None:
        self.request, self.emit, self.transport = request, emit, transport
        self.now = clock()
        self.families = frozenset(request.options.families) & ALL_FAMILIES
        self.scope = _engine_scope(request)
        if self.scope is not None and not self.scope.whole:
            self.families &= SCOPED_FAMILIES
        if request.scope is not None and request.scope.families:
            self.families &= frozenset(request.scope.families)  # a cluster scope of some families
        self.run_id = request.run_id or uuid.uuid4().hex[:12]
        self.errors: list[str] = []
        self.warnings: list[str] = []
        self.stages: dict[str, float] = {}
        self.counts: dict[str, dict[str, int]] = {}
        self.failures: list[dict[str, Any]] = []
        self.digest: str | None = None
        self.write_path: Literal['inside', 'rest'] | None = None
        self.started = time.monotonic()

    async def stage(self, name: str, total: int | None = None) -> float:
        await self.emit('stage_started', {'stage': name, 'total': total})
        return time.monotonic()

    async def finish_stage(self, name: str, began: float, **data: Any) -> None:
        self.stages[name] = round(time.monotonic() - began, 3)
        await self.emit('stage_finished', {'stage': name, 'duration': self.stages[name], **data})

    async def error(self, message: str, **data: Any) -> None:
        self.errors.append(message)
        await self.emit('error', {'message': message, **data})

    # -- Proxmox ------------------------------------------------------------------------------
    @property
    def task_since(self) -> int:
        return int((self.now - timedelta(days=self.request.options.task_history_days)).timestamp())

    def protection_options(self, spec: EndpointSpec) -> ProtectionOptions | None:
        """What to read besides the inventory: only what the families switched on can use."""
        on = self.families
        plugin = spec.id is not None  # storages, jobs and tasks hang off the plugin's cluster record
        options = ProtectionOptions(
            storage=plugin and 'storage' in on,
            backups=plugin and {'storage', 'backups'} <= on,
            snapshots='snapshots' in on,
            backup_jobs=plugin and 'backup_routines' in on,
            replication=plugin and 'replications' in on,
            tasks=plugin and {'nodes', 'tasks'} <= on,
            tasks_since=self.task_since,
        )
        wanted = (options.storage, options.backups, options.snapshots, options.backup_jobs, options.replication)
        return options if any(wanted) or options.tasks else None

    async def read_endpoint(self, spec: EndpointSpec, stack: AsyncExitStack) -> Read | None:
        opts = self.request.options
        endpoint = prepared_endpoint(spec, opts.proxmox_timeout, stack)
        options = ClientOptions(max_concurrency=opts.read_concurrency, max_retries=opts.retries)
        try:
            client = await stack.enter_async_context(ProxmoxClient(endpoint, options, transport=self.transport))
            snapshot = await read_cluster(client, self.read_options())
            if snapshot.out_of_scope:
                return snapshot, spec, None
            if not snapshot.is_complete('cluster/status'):
                raise ProxmoxError(
                    _NAMELESS + next(s.reason for s in snapshot.incomplete_scopes if s.scope == 'cluster/status')
                )
            protection = self.protection_options(spec)
            data = await read_data_protection(client, snapshot, protection) if protection else None
        except ProxmoxError as exc:
            await self.error(f'Proxmox endpoint {spec.name}: {exc}', endpoint=spec.name, kind=type(exc).__name__)
            return None
        return snapshot, spec, data

    def read_options(self) -> ReadOptions:
        scope = self.scope
        if scope is None:
            return ReadOptions()
        return ReadOptions(
            scope=ReadScope(cluster=scope.cluster, nodes=scope.nodes, guests=scope.guests, whole=scope.whole)
        )

    async def resolve_scope(self) -> bool:
        """A node scope's guests as NetBox places them (Proxmox's are added as it is read); False: NetBox failed."""
        if self.scope is None or not self.scope.nodes:
            return True
        try:
            async with self.netbox_client() as netbox:
                self.scope = self.scope.widened(await guests_on_nodes(netbox, self.scope))
        except NetBoxError as exc:
            await self.error(f'NetBox: {exc}', kind=type(exc).__name__)
            return False
        return True

    async def in_scope(self, read: list[Read]) -> list[Read]:
        """A targeted sync's reads: the scope's cluster alone, with the guests Proxmox puts on its nodes."""
        if self.scope is None:
            return read
        kept = [item for item in read if not item[0].out_of_scope]
        if not kept:
            names = ', '.join(spec.name for spec in self.request.endpoints)
            await self.error(
                f'cluster {self.scope.cluster} is not held by any endpoint read ({names})', kind='ScopeNotFound'
            )
        elif self.scope.nodes:
            self.scope = self.scope.widened(guest.vmid for guest in kept[0][0].guests)
        return kept

    async def read_proxmox(self) -> list[Read]:
        total = len(self.request.endpoints)
        began = await self.stage('proxmox', total)
        done = 0

        async def one(spec: EndpointSpec, stack: AsyncExitStack) -> Read | None:
            nonlocal done
            found = await self.read_endpoint(spec, stack)
            done += 1
            await self.emit('progress', {'stage': 'proxmox', 'endpoint': spec.name, 'done': done, 'total': total})
            return found

        async with AsyncExitStack() as stack:
            reads = await asyncio.gather(*(one(spec, stack) for spec in self.request.endpoints))
        read = await self._unique_clusters(await self.in_scope([item for item in reads if item is not None]))
        guests = sum(len(snap.guests) for snap, _, _ in read)
        await self.finish_stage('proxmox', began, endpoints=len(read), guests=guests, **_protection_found(read))
        return read

    async def _unique_clusters(self, read: list[Read]) -> list[Read]:
        seen: dict[str, str] = {}
        kept = []
        for item in read:
            snap, spec = item[0], item[1]
            name = cluster_name(snap)
            if name in seen:
                await self.error(f'Proxmox endpoint {spec.name}: cluster {name} is already synced from {seen[name]}')
                continue
            seen[name] = spec.name
            kept.append(item)
        return kept

    def contexts(self, read: Sequence[Read]) -> list[Any]:
        opts = self.request.options
        holders: Counter[str] = Counter()
        result: list[Any] = []
        for snap, spec, data in sorted(read, key=lambda item: cluster_name(item[0])):
            taken = frozenset(node.name for node in snap.nodes if holders[node.name])
            holders.update(node.name for node in snap.nodes)
            ctx = MappingContext(
                endpoint_id=spec.id,
                site_id=spec.site_id,
                families=self.families,
                templates=opts.templates,
                taken_device_names=taken,
                task_since=self.task_since,
            )
            protection = self.families & PROTECTION_FAMILIES
            result.append((snap, ctx, data or DataProtectionSnapshot()) if protection else (snap, ctx))
        return result

    # -- NetBox -------------------------------------------------------------------------------
    def netbox_client(self) -> NetBoxClient:
        opts = self.request.options
        target = self.request.netbox
        options = NetBoxClientOptions(
            batch_size=opts.batch_size, write_concurrency=opts.write_concurrency, max_retries=opts.retries
        )
        return NetBoxClient(
            target.url,
            target.token.get_secret_value(),
            verify=target.verify_tls,
            timeout=opts.netbox_timeout,
            options=options,
            transport=self.transport,
        )

    async def run(self, expected_digest: str | None) -> SyncResult:
        await self.emit(
            'run_started',
            {
                'run_id': self.run_id,
                'dry_run': self.request.dry_run,
                'endpoints': [spec.name for spec in self.request.endpoints],
                'scope': str(self.request.scope) if self.request.scope else None,
            },
        )
        read = await self.read_proxmox() if await self.resolve_scope() else []
        if not read:
            return await self.result('failed', None)
        desired = replace(desired_state(self.contexts(read)), scope=self.scope)
        # Proxmox's answers are not needed past here; freed, their memory (~20 KB a guest) holds the plan.
        del read
        for warning in desired.warnings:
            self.warnings.append(warning)
            await self.emit('warning', {'message': warning})
        async with self.netbox_client() as netbox:
            try:
                began = await self.stage('netbox')
                current = await read_current(netbox, desired)
                await self.finish_stage('netbox', began)
            except (NetBoxError, NetBoxNotPrepared) as exc:
                await self.error(f'NetBox: {exc}', kind=type(exc).__name__)
                return await self.result('failed', None)
            the_plan = await self.make_plan(desired, current)
            self.digest = plan_digest(the_plan)
            if expected_digest is not None and self.digest != expected_digest:
                raise StalePlanError('Proxmox or NetBox changed since the preview; preview again')
            if self.request.dry_run or not the_plan.has_changes:
                await self.protection_stages(desired, the_plan, None)
                return await self.result('partial' if self.errors else 'completed', the_plan)
            return await self.apply(netbox, desired, the_plan)

    async def make_plan(self, desired: DesiredState, current: Any) -> Plan:
        began = await self.stage('plan')
        opts = self.request.options
        options = PlanOptions(
            prune_policy=opts.prune_policy,
            grace_days=opts.prune_grace_days,
            ownership=opts.field_ownership,
            now=self.now,
        )
        result = plan(desired, current, options)
        for warning in result.warnings[len(desired.warnings) :]:
            self.warnings.append(warning)
            await self.emit('warning', {'message': warning})
        await self.finish_stage('plan', began, summary=result.summary, writes=result.write_count)
        return result

    async def choose_write_path(self, netbox: NetBoxClient) -> bool:
        """Write inside NetBox when asked or (auto) when the plugin advertises its apply; False: cannot write."""
        wanted = self.request.options.write_path
        netbox.inside = wanted != 'rest' and await netbox.inside_capability() is not None
        if wanted == 'inside' and not netbox.inside:
            await self.error(
                "NetBox: write_path is 'inside', but this NetBox has no Proxbox in-NetBox apply "
                "(GET /api/plugins/proxbox/apply/); upgrade the plugin or set write_path to 'auto' or 'rest'",
                kind='NetBoxNotPrepared',
            )
            return False
        self.write_path = 'inside' if netbox.inside else 'rest'
        return True

    async def apply(self, netbox: NetBoxClient, desired: DesiredState, the_plan: Plan) -> SyncResult:
        try:
            if not await self.choose_write_path(netbox):
                return await self.result('failed', the_plan)
        except NetBoxError as exc:
            await self.error(f'NetBox: {exc}', kind=type(exc).__name__)
            return await self.result('failed', the_plan)
        began = await self.stage('apply', _writes(the_plan, INVENTORY_KINDS))
        applier = Applier(netbox, f'Proxbox sync {self.run_id}', self._progress('apply'))
        outcome = await applier.run(the_plan, INVENTORY_KINDS)
        await self.finish_stage(
            'apply', began, counts=outcome.counts(), failed=len(outcome.failed), write_path=self.write_path
        )
        await self.protection_stages(desired, the_plan, applier)
        self.counts = outcome.counts()
        self.failures = [item.to_json() for item in outcome.failed]
        status = 'partial' if self.failures or self.errors else 'completed'
        return await self.result(status, the_plan)

    def _progress(self, stage: str) -> Any:
        async def progress(kind: str, done: int, total: int) -> None:
            await self.emit('progress', {'stage': stage, 'kind': kind, 'done': done, 'total': total})

        return progress

    async def protection_stages(self, desired: DesiredState, the_plan: Plan, applier: Applier | None) -> None:
        """One stage per data-protection family switched on: what Proxmox has, the plan, what was written."""
        for family in PROTECTION_STAGES:
            if family not in self.families:
                continue
            kinds = frozenset(kinds_of_family(family))
            began = await self.stage(family, _writes(the_plan, kinds))
            before = len(applier.result.outcomes) if applier else 0
            if applier is not None:
                applier.progress = self._progress(family)
                await applier.run(the_plan, kinds)
            counts = applier.result.totals(before) if applier else {}
            summary: Counter[str] = Counter()
            for kind in kinds:
                summary.update(the_plan.summary.get(kind, {}))
            found = sum(len(desired.objects.get(kind, {})) for kind in kinds)
            await self.finish_stage(family, began, found=found, summary=dict(summary), counts=counts)

    async def result(self, status: str, the_plan: Plan | None) -> SyncResult:
        result = SyncResult(
            run_id=self.run_id,
            dry_run=self.request.dry_run,
            status=status,  # type: ignore[arg-type]
            summary=the_plan.summary if the_plan else {},
            counts=self.counts,
            writes=sum(n for kind in self.counts.values() for name, n in kind.items() if name != 'failed'),
            failures=self.failures,
            errors=self.errors,
            warnings=self.warnings,
            stages=self.stages,
            duration=round(time.monotonic() - self.started, 3),
            plan=the_plan if (self.request.include_plan or self.request.dry_run) else None,
            plan_digest=self.digest if the_plan else None,
            write_path=self.write_path,
            scope=self.request.scope,
        )
        await self.emit('run_finished', result.model_dump(mode='json', exclude={'plan'}))
        return result


def _engine_scope(request: SyncRequest) -> Target | None:
    scope = request.scope
    if scope is None:
        return None
    if scope.guests:
        return Target(scope.cluster, guests=scope.guests)
    if scope.node is not None:
        return Target(scope.cluster, nodes=frozenset({scope.node}))
    return Target(scope.cluster, whole=True)


def prepared_endpoint(spec: EndpointSpec, timeout: float, stack: AsyncExitStack) -> EndpointSpec:
    """The endpoint as a client takes it: its own timeout (else ``timeout``), its PEM CA in a file of
    ``stack``'s lifetime."""
    endpoint = spec if 'timeout' in spec.model_fields_set else spec.model_copy(update={'timeout': timeout})
    if spec.ca_pem:
        ca_file = Path(stack.enter_context(tempfile.TemporaryDirectory())) / 'ca.pem'
        ca_file.write_text(spec.ca_pem)
        endpoint = endpoint.model_copy(update={'ca_bundle': ca_file})
    return endpoint


def _writes(the_plan: Plan, kinds: frozenset[str]) -> int:
    return sum(1 for op in the_plan.operations if op.kind in kinds and op.action in WRITE_ACTIONS)


def _protection_found(read: Sequence[Read]) -> dict[str, int]:
    """How many data-protection items Proxmox listed, for the ``proxmox`` stage's counts."""
    found: Counter[str] = Counter()
    for _, _, data in read:
        if data is not None:
            found.update(
                storages=len(data.storages),
                snapshots=len(data.snapshots),
                backups=len(data.backups),
                backup_jobs=len(data.backup_jobs),
                replication_jobs=len(data.replication_jobs),
                tasks=len(data.tasks),
            )
    return dict(found)


async def run_sync(
    request: SyncRequest,
    emit: Emit,
    *,
    expected_digest: str | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    clock: Clock = _utc_now,
) -> SyncResult:
    """Run one sync. ``expected_digest``: apply only if the plan is the previewed one (else StalePlanError).
    ``clock`` gives "now" (an aware datetime) for orphan marks, grace periods and the task window."""
    return await _Run(request, emit, transport, clock).run(expected_digest)

"""``run_sync``: one sync run, stage by stage (read Proxmox → read NetBox → plan → apply), with events.

Everything here is orchestration; the reading, planning and writing live in ``proxmox``,
``engine`` and ``netbox``. A failed endpoint is reported and left out (so nothing of it is
pruned); a NetBox that cannot be read fails the run before anything is written.
"""

import asyncio
import hashlib
import json
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Sequence
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import httpx

from .engine import apply, desired_state, plan, read_current
from .engine.mapping import ALL_FAMILIES, MappingContext, cluster_name
from .engine.netbox_state import NetBoxNotPrepared
from .engine.plan import Plan
from .engine.state import PlanOptions
from .events import Emit
from .netbox import NetBoxClient, NetBoxClientOptions, NetBoxError
from .proxmox import ClientOptions, ProxmoxClient, ProxmoxError, ProxmoxSnapshot, read_cluster
from .schemas import EndpointSpec, SyncRequest, SyncResult

__all__ = ['StalePlanError', 'plan_digest', 'run_sync']


class StalePlanError(Exception):
    """The plan to apply differs from the previewed one: the world changed in between."""


def plan_digest(value: Plan) -> str:
    ops = [op.model_dump(mode='json', exclude={'display', 'reason'}) for op in value.operations]
    return hashlib.sha256(json.dumps(ops, sort_keys=True).encode()).hexdigest()[:16]


class _Run:
    def __init__(self, request: SyncRequest, emit: Emit, transport: httpx.AsyncBaseTransport | None) -> None:
        self.request, self.emit, self.transport = request, emit, transport
        self.run_id = request.run_id or uuid.uuid4().hex[:12]
        self.errors: list[str] = []
        self.warnings: list[str] = []
        self.stages: dict[str, float] = {}
        self.counts: dict[str, dict[str, int]] = {}
        self.failures: list[dict[str, Any]] = []
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
    async def read_endpoint(self, spec: EndpointSpec, stack: AsyncExitStack) -> ProxmoxSnapshot | None:
        opts = self.request.options
        endpoint = spec
        if spec.ca_pem:
            ca_file = Path(stack.enter_context(tempfile.TemporaryDirectory())) / 'ca.pem'
            ca_file.write_text(spec.ca_pem)
            endpoint = spec.model_copy(update={'ca_bundle': ca_file})
        options = ClientOptions(max_concurrency=opts.read_concurrency, max_retries=opts.retries)
        try:
            client = await stack.enter_async_context(ProxmoxClient(endpoint, options, transport=self.transport))
            return await read_cluster(client)
        except ProxmoxError as exc:
            await self.error(f'Proxmox endpoint {spec.name}: {exc}', endpoint=spec.name, kind=type(exc).__name__)
            return None

    async def read_proxmox(self) -> list[tuple[ProxmoxSnapshot, EndpointSpec]]:
        began = await self.stage('proxmox', len(self.request.endpoints))
        async with AsyncExitStack() as stack:
            tasks = [self.read_endpoint(spec, stack) for spec in self.request.endpoints]
            snapshots = await asyncio.gather(*tasks)
        read = [(snap, spec) for snap, spec in zip(snapshots, self.request.endpoints, strict=True) if snap is not None]
        read = await self._unique_clusters(read)
        guests = sum(len(snap.guests) for snap, _ in read)
        await self.finish_stage('proxmox', began, endpoints=len(read), guests=guests)
        return read

    async def _unique_clusters(
        self, read: list[tuple[ProxmoxSnapshot, EndpointSpec]]
    ) -> list[tuple[ProxmoxSnapshot, EndpointSpec]]:
        seen: dict[str, str] = {}
        kept = []
        for snap, spec in read:
            name = cluster_name(snap)
            if name in seen:
                await self.error(f'Proxmox endpoint {spec.name}: cluster {name} is already synced from {seen[name]}')
                continue
            seen[name] = spec.name
            kept.append((snap, spec))
        return kept

    def contexts(self, read: Sequence[tuple[ProxmoxSnapshot, EndpointSpec]]) -> list[tuple[ProxmoxSnapshot, Any]]:
        opts = self.request.options
        families = frozenset(opts.families) & ALL_FAMILIES
        holders: Counter[str] = Counter()
        result = []
        for snap, spec in sorted(read, key=lambda item: cluster_name(item[0])):
            taken = frozenset(node.name for node in snap.nodes if holders[node.name])
            holders.update(node.name for node in snap.nodes)
            ctx = MappingContext(
                endpoint_id=spec.id,
                site_id=spec.site_id,
                families=families,
                templates=opts.templates,
                taken_device_names=taken,
            )
            result.append((snap, ctx))
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
            },
        )
        read = await self.read_proxmox()
        if not read:
            return await self.result('failed', None)
        desired = desired_state(self.contexts(read))
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
            if expected_digest is not None and plan_digest(the_plan) != expected_digest:
                raise StalePlanError('Proxmox or NetBox changed since the preview; preview again')
            if self.request.dry_run or not the_plan.has_changes:
                return await self.result('partial' if self.errors else 'completed', the_plan)
            return await self.apply(netbox, the_plan)

    async def make_plan(self, desired: Any, current: Any) -> Plan:
        began = await self.stage('plan')
        opts = self.request.options
        options = PlanOptions(
            prune_policy=opts.prune_policy, grace_days=opts.prune_grace_days, ownership=opts.field_ownership
        )
        result = plan(desired, current, options)
        await self.finish_stage('plan', began, summary=result.summary, writes=result.write_count)
        return result

    async def apply(self, netbox: NetBoxClient, the_plan: Plan) -> SyncResult:
        began = await self.stage('apply', the_plan.write_count)

        async def progress(kind: str, done: int, total: int) -> None:
            await self.emit('progress', {'stage': 'apply', 'kind': kind, 'done': done, 'total': total})

        message = f'Proxbox sync {self.run_id}'
        outcome = await apply(the_plan, netbox, changelog_message=message, progress=progress)
        self.counts = outcome.counts()
        self.failures = [item.to_json() for item in outcome.failed]
        await self.finish_stage('apply', began, counts=self.counts, failed=len(self.failures))
        status = 'partial' if self.failures or self.errors else 'completed'
        return await self.result(status, the_plan)

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
            plan_digest=plan_digest(the_plan) if the_plan else None,
        )
        await self.emit('run_finished', result.model_dump(mode='json', exclude={'plan'}))
        return result


async def run_sync(
    request: SyncRequest,
    emit: Emit,
    *,
    expected_digest: str | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> SyncResult:
    """Run one sync. ``expected_digest``: apply only if the plan is the previewed one (else StalePlanError)."""
    return await _Run(request, emit, transport).run(expected_digest)

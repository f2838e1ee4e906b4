"""One sync run in a child process, so that its peak memory is proxbox-api's alone.

    python -m bench.scaling.child RESULT_FILE < job.json

The job is ``{"request": <SyncRequest as plain JSON>, "ca_files": [...], "plan_out": path | null}``;
it arrives on stdin because it holds the NetBox token and the Proxmox token secrets (never on a
command line, never in the result). The child runs ``proxbox_api.service.run_sync`` in-process, the
way the HTTP service does, with one transport that counts every request to Proxmox and to NetBox,
and writes a JSON summary (time, writes, requests, peak RSS) to ``RESULT_FILE``.
"""

import asyncio
import json
import os
import resource
import ssl
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx

from proxbox_api.engine.plan import WRITE_ACTIONS
from proxbox_api.schemas import SyncRequest
from proxbox_api.service import run_sync

__all__ = ['CountingTransport', 'run_child']

ROOT = Path(__file__).resolve().parents[2]


class CountingTransport(httpx.AsyncBaseTransport):
    """Counts requests by side (``netbox`` for NetBox's host:port, else ``proxmox``) and method.

    Every client of the run shares it, so closing one client must not close it: the owner closes
    ``inner`` when the run is over.
    """

    def __init__(self, inner: httpx.AsyncBaseTransport, netbox_netloc: bytes) -> None:
        self.inner, self.netbox_netloc = inner, netbox_netloc
        self.counts: Counter[tuple[str, str]] = Counter()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        side = 'netbox' if request.url.netloc == self.netbox_netloc else 'proxmox'
        self.counts[(side, request.method)] += 1
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        return None

    def by_side(self) -> dict[str, dict[str, int]]:
        sides: dict[str, dict[str, int]] = {'proxmox': {}, 'netbox': {}}
        for (side, method), count in sorted(self.counts.items()):
            sides[side][method] = count
        for counts in sides.values():
            counts['total'] = sum(counts.values())
        return sides


def _rss_bytes() -> int:
    for line in Path('/proc/self/status').read_text().splitlines():
        if line.startswith('VmRSS:'):
            return int(line.split()[1]) * 1024
    return 0


def _verify(ca_files: Sequence[str]) -> ssl.SSLContext:
    context = ssl.create_default_context()
    for path in ca_files:
        context.load_verify_locations(cafile=path)
    return context


async def _sync(job: dict[str, Any]) -> dict[str, Any]:
    request = SyncRequest.model_validate(job['request'])
    inner = httpx.AsyncHTTPTransport(verify=_verify(job['ca_files']))
    counting = CountingTransport(inner, httpx.URL(request.netbox.url).netloc)
    events: Counter[str] = Counter()
    rss_after: dict[str, float] = {}

    async def emit(event: str, data: dict[str, Any]) -> None:
        events[event] += 1
        if event == 'stage_finished':
            rss_after[str(data.get('stage'))] = round(_rss_bytes() / 2**20, 1)

    baseline = _rss_bytes()
    started = time.perf_counter()
    try:
        result = await run_sync(request, emit, transport=counting)
    finally:
        await inner.aclose()
    seconds = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    if job.get('plan_out') and result.plan is not None:
        Path(job['plan_out']).write_text(result.plan.model_dump_json())
    outside: list[str] | None = None
    references: int | None = None
    if request.scope is not None and result.plan is not None:
        # A targeted sync changes, marks and deletes only what its scope covers; outside it, it may only
        # create what a scoped object refers to and NetBox lacked (a VLAN a new interface is on).
        covered = _covers(request.scope.cluster, request.scope.vmid, request.scope.node)
        ops = [op for op in result.plan.operations if op.action in WRITE_ACTIONS and op.key.startswith('pve:')]
        outside = [op.key for op in ops if op.action != 'create' and not covered(op.key)]
        references = sum(1 for op in ops if op.action == 'create' and not covered(op.key))
    return {
        'seconds': round(seconds, 3),
        'status': result.status,
        'writes_outside_scope': None if outside is None else len(outside),
        'outside_scope_samples': (outside or [])[:5],
        'references_created': references,
        'write_path': result.write_path,
        'writes': result.writes,
        'planned_writes': sum(n for kind in result.summary.values() for a, n in kind.items() if a in WRITE_ACTIONS),
        'summary': result.summary,
        'counts': result.counts,
        'failures': len(result.failures),
        'failure_samples': result.failures[:5],
        'errors': result.errors[:5],
        'warnings': len(result.warnings),
        'stages': result.stages,
        'events': dict(events),
        'requests': counting.by_side(),
        'rss_mib_after_stage': rss_after,
        'baseline_rss_bytes': baseline,
        'peak_rss_bytes': usage.ru_maxrss * 1024,
        'cpu_seconds': round(usage.ru_utime + usage.ru_stime, 2),
    }


def _covers(cluster: str, vmid: int | None, node: str | None) -> Any:
    """Whether a key is the scope's (a guest's, or a node's itself: its guests vary with the run)."""
    root = f'pve:{cluster}' + (f'/guest/{vmid}' if vmid is not None else f'/node/{node}' if node else '')
    return lambda key: key == root or key.startswith(root + '/')


def run_child(job: dict[str, Any], result_file: Path, log_file: Path, timeout: float = 6 * 3600) -> dict[str, Any]:
    """Run ``job`` in a fresh interpreter and return its summary (raises with the log's tail on failure)."""
    env = {**os.environ, 'PYTHONPATH': str(ROOT)}
    with log_file.open('ab') as log:
        done = subprocess.run(
            [sys.executable, '-m', 'bench.scaling.child', str(result_file)],
            input=json.dumps(job).encode(), stdout=log, stderr=subprocess.STDOUT, cwd=ROOT, env=env,
            timeout=timeout, check=False,
        )  # fmt: skip
    if done.returncode:
        tail = log_file.read_text(errors='replace')[-3000:]
        raise RuntimeError(f'sync child failed ({done.returncode}):\n{tail}')
    return json.loads(result_file.read_text())


def main(argv: Sequence[str]) -> None:
    job = json.loads(sys.stdin.read())
    summary = asyncio.run(_sync(job))
    Path(argv[0]).write_text(json.dumps(summary))


if __name__ == '__main__':
    main(sys.argv[1:])

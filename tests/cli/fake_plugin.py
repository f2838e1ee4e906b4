"""An in-memory Proxbox REST API (the contract pxb is built against), for ``httpx.MockTransport``.

Routes: ``sync/`` (202, 409 while a run is going, 403 without the run permission), ``sync-runs/``
(list, detail, ``cancel/``, ``events/`` as Server-Sent Events resumable with ``Last-Event-ID``),
``endpoints/proxmox/`` (list, create, ``test/``), ``status/`` and NetBox's ``/api/status/``.
Responses are shaped as NetBox renders them (choices as ``{"value", "label"}``, paginated lists).
"""

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx

V2_TOKEN = 'nbt_k3yk3yk3yk3y.' + 'S' * 40
ROOT = '/api/plugins/proxbox/'


def run_script(
    status: str = 'completed', *, failed: int = 0, dry_run: bool = False
) -> list[tuple[str, dict[str, Any]]]:
    """The events proxbox-api streams for one run over two VMs (one of them updated)."""
    counts = {
        'virtualization.virtualmachine': {'created': 1, 'updated': 1 - failed, 'unchanged': 3, 'failed': failed},
        'dcim.device': {'unchanged': 2},
    }
    finished = {'status': status, 'counts': counts, 'errors': [], 'warnings': ['node pve2 has no IP'], 'duration': 1.5}
    events: list[tuple[str, dict[str, Any]]] = [
        ('run_started', {'run_id': 'abc', 'dry_run': dry_run, 'endpoints': ['alpha']}),
        ('stage_started', {'stage': 'proxmox', 'total': 1}),
        ('stage_finished', {'stage': 'proxmox', 'duration': 0.4, 'endpoints': 1, 'guests': 5}),
        ('warning', {'message': 'node pve2 has no IP'}),
        ('stage_started', {'stage': 'netbox', 'total': None}),
        ('stage_finished', {'stage': 'netbox', 'duration': 0.2}),
        ('stage_started', {'stage': 'plan', 'total': None}),
        ('stage_finished', {'stage': 'plan', 'duration': 0.1, 'writes': 2}),
    ]
    if status == 'failed':
        return [*events[:2], ('error', {'message': 'Proxmox endpoint alpha: 401 authentication failure',
                                        'fix': 'Check the API token of endpoint alpha.'}),
                ('run_finished', {**finished, 'counts': {}})]  # fmt: skip
    if not dry_run:
        events += [
            ('stage_started', {'stage': 'apply', 'total': 2}),
            ('progress', {'stage': 'apply', 'kind': 'virtualization.virtualmachine', 'done': 2, 'total': 2}),
            ('stage_finished', {'stage': 'apply', 'duration': 0.8, 'failed': failed}),
        ]
    if failed:
        events.append(('error', {'message': 'vm web-2: name already taken'}))
    return [*events, ('run_finished', finished)]


PLAN = {
    'operations': [
        {'action': 'create', 'kind': 'virtualization.virtualmachine', 'key': 'alpha/qemu/101', 'display': 'web-1',
         'attrs': {'name': 'web-1', 'status': 'active', 'vcpus': 2, 'cluster': {'$ref': ['cluster', 'alpha']}}},
        {'action': 'update', 'kind': 'virtualization.virtualmachine', 'key': 'alpha/qemu/102', 'id': 7,
         'display': 'web-2', 'changes': {'vcpus': {'old': 2, 'new': 4}, 'memory': {'old': 2048, 'new': 4096}}},
        {'action': 'delete', 'kind': 'virtualization.virtualmachine', 'key': 'alpha/qemu/99', 'id': 5,
         'display': 'old-vm', 'reason': 'gone from Proxmox for 9 days (grace 7)'},
        {'action': 'conflict', 'kind': 'dcim.device', 'key': 'alpha/node/pve3', 'display': 'pve3',
         'reason': 'a device named pve3 was made by hand'},
    ],
    'summary': {'virtualization.virtualmachine': {'create': 1, 'update': 1, 'delete': 1, 'unchanged': 3},
                'dcim.device': {'conflict': 1, 'unchanged': 2}},
    'warnings': [],
}  # fmt: skip


def _choice(value: str) -> dict[str, str]:
    return {'value': value, 'label': value.capitalize()}


class DroppingStream(httpx.SyncByteStream):
    """Sends ``chunks`` and then fails as a dropped connection would."""

    def __init__(self, chunks: list[bytes]) -> None:
        self.chunks = chunks

    def __iter__(self) -> Iterator[bytes]:
        yield from self.chunks
        raise httpx.ReadError('connection reset by peer')


@dataclass
class FakePlugin:
    token: str = V2_TOKEN
    can_run: bool = True
    endpoints: dict[int, dict[str, Any]] = field(default_factory=dict)
    runs: dict[int, dict[str, Any]] = field(default_factory=dict)
    events: dict[int, list[tuple[str, dict[str, Any]]]] = field(default_factory=dict)
    # What started runs stream (default: a clean run, or preview, over two VMs).
    script: list[tuple[str, dict[str, Any]]] | None = None
    # Connections to the event stream to cut after this many events (one entry per connection).
    drops: list[int] = field(default_factory=list)
    # Connections to close cleanly after this many events, as NetBox does every few minutes.
    cuts: list[int] = field(default_factory=list)
    tests: dict[str, tuple[bool, str]] = field(default_factory=dict)
    status_report: dict[str, Any] = field(default_factory=dict)
    requests: list[httpx.Request] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.add_endpoint_row('alpha', '10.0.0.1')
        self.add_endpoint_row('bravo', 'pve.example.com', token_name='', verify_ssl=False)
        self.status_report = self.status_report or {
            'netbox': True,
            'worker': {'ok': True, 'detail': '1 worker listening'},
            'proxbox_api': {'ok': True, 'detail': 'http://127.0.0.1:8800/ (proxbox-api 0.1.0)'},
            'endpoints': [{'name': 'alpha', 'ok': True, 'detail': 'PVE 8.3, 2 nodes'}],
        }

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def seen(self, method: str, suffix: str) -> list[httpx.Request]:
        return [r for r in self.requests if r.method == method and r.url.path.endswith(suffix)]

    # -- data ---------------------------------------------------------------------------------
    def add_endpoint_row(self, name: str, host: str, **extra: Any) -> dict[str, Any]:
        pk = len(self.endpoints) + 1
        row = {'id': pk, 'url': f'http://nb{ROOT}endpoints/proxmox/{pk}/', 'display': name, 'name': name,
               'host': host, 'port': 8006, 'username': 'root@pam', 'token_name': 'proxbox', 'auth_method': 'token',
               'verify_ssl': True, 'timeout': 30, 'enabled': True, 'secrets_set': {'token_secret': True},
               'description': '', **extra}  # fmt: skip
        self.endpoints[pk] = row
        return row

    def add_run(self, status: str = 'running', **extra: Any) -> dict[str, Any]:
        pk = len(self.runs) + 1
        run = {'id': pk, 'url': f'http://nb{ROOT}sync-runs/{pk}/', 'display': f'Sync #{pk}', 'status': _choice(status),
               'trigger': _choice('api'), 'dry_run': False, 'endpoints': [], 'user': {'id': 1, 'username': 'admin'},
               'job': {'url': f'http://nb/api/core/jobs/{40 + pk}/', 'status': _choice('running')},  # brief: no id
               'applies_run': None, 'started': '2025-06-01T10:00:00Z', 'finished': None, 'duration': None,
               'counts': {}, 'stage_durations': {}, 'error_summary': '', 'plan': None, 'events': [],
               'created': '2025-06-01T10:00:00Z', **extra}  # fmt: skip
        self.runs[pk] = run
        return run

    def finish(self, pk: int) -> None:
        run = self.runs[pk]
        final = next(data for name, data in self.events[pk] if name == 'run_finished')
        errors = [data['message'] for name, data in self.events[pk] if name == 'error']
        stages = {d['stage']: d['duration'] for name, d in self.events[pk] if name == 'stage_finished'}
        run.update(status=_choice(final['status']), counts=final.get('counts', {}), finished='2025-06-01T10:00:02Z',
                   duration=1.5, error_summary='\n'.join(errors), stage_durations=stages)  # fmt: skip
        if run['dry_run'] and final['status'] != 'failed':
            run['plan'] = PLAN

    # -- HTTP ---------------------------------------------------------------------------------
    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        auth = request.headers.get('Authorization', '')
        expected = f'Bearer {self.token}' if self.token.startswith('nbt_') else f'Token {self.token}'
        if auth != expected:
            return httpx.Response(403, json={'detail': 'Invalid v2 token'})
        path = request.url.path
        if path == '/api/status/':
            return httpx.Response(200, json={'netbox-version': '4.7.3', 'plugins': {'netbox_proxbox': '0.1.0'}})
        if not path.startswith(ROOT):
            return httpx.Response(404, json={'detail': 'Not found.'})
        return self.route(request, path.removeprefix(ROOT))

    def route(self, request: httpx.Request, path: str) -> httpx.Response:
        body = json.loads(request.content) if request.content else {}
        method = request.method
        if path == 'status/':
            return httpx.Response(200, json=self.status_report)
        if path == 'sync/' and method == 'POST':
            return self.start(body)
        if path == 'endpoints/proxmox/':
            return self.create_endpoint(body) if method == 'POST' else self.list_endpoints(request)
        if match := re.fullmatch(r'endpoints/proxmox/(\d+)/test/', path):
            row = self.endpoints[int(match[1])]
            ok, detail = self.tests.get(row['name'], (True, f'PVE 8.3 at {row["host"]}: 2 nodes'))
            return httpx.Response(200, json={'ok': ok, 'detail': detail})
        if path == 'sync-runs/':
            return self.list_runs(request)
        if match := re.fullmatch(r'sync-runs/(\d+)/(events/|cancel/)?', path):
            return self.run_route(request, int(match[1]), match[2])
        return httpx.Response(404, json={'detail': 'Not found.'})

    def list_endpoints(self, request: httpx.Request) -> httpx.Response:
        name = request.url.params.get('name')
        rows = [r for r in self.endpoints.values() if name is None or r['name'] == name]
        return httpx.Response(200, json={'count': len(rows), 'next': None, 'previous': None, 'results': rows})

    def create_endpoint(self, body: dict[str, Any]) -> httpx.Response:
        errors = {}
        if any(r['name'] == body.get('name') for r in self.endpoints.values()):
            errors['name'] = ['Proxmox endpoint with this name already exists.']
        if '@' not in body.get('username', ''):
            errors['username'] = ['Use the form user@realm, e.g. root@pam']
        if errors:
            return httpx.Response(400, json=errors)
        public = {
            k: v for k, v in body.items() if k not in ('name', 'host', 'token_secret', 'password', 'ca_certificate')
        }
        return httpx.Response(201, json=self.add_endpoint_row(body['name'], body['host'], **public))

    def start(self, body: dict[str, Any]) -> httpx.Response:
        if not self.can_run:
            return httpx.Response(403, json={'detail': 'You do not have permission to perform this action.'})
        running = [r for r in self.runs.values() if r['status']['value'] in ('pending', 'running')]
        if running:
            return httpx.Response(409, json={'detail': 'A sync is already running.', 'run': running[0]['url']})
        unknown = [pk for pk in body.get('endpoints', []) if pk not in self.endpoints]
        if unknown:
            return httpx.Response(400, json={'endpoints': [f'Invalid pk "{unknown[0]}" - object does not exist.']})
        briefs = [{'id': pk, 'name': self.endpoints[pk]['name']} for pk in body.get('endpoints', [])]
        dry_run = bool(body.get('dry_run'))
        run = self.add_run('pending', dry_run=dry_run, endpoints=briefs, applies_run=body.get('apply_run'))
        self.events[run['id']] = list(self.script or run_script(dry_run=dry_run))
        job = {'id': 40 + run['id'], 'url': run['job']['url'], 'status': 'pending'}
        return httpx.Response(202, json={'run': run, 'job': job})

    def list_runs(self, request: httpx.Request) -> httpx.Response:
        status = request.url.params.get('status')
        limit = int(request.url.params.get('limit', 50))
        rows = [r for r in reversed(self.runs.values()) if status is None or r['status']['value'] == status]
        return httpx.Response(200, json={'count': len(rows), 'next': None, 'previous': None, 'results': rows[:limit]})

    def run_route(self, request: httpx.Request, pk: int, action: str | None) -> httpx.Response:
        if pk not in self.runs:
            return httpx.Response(404, json={'detail': 'No SyncRun matches the given query.'})
        run = self.runs[pk]
        if action == 'cancel/':
            if run['status']['value'] not in ('pending', 'running'):
                return httpx.Response(409, json={'detail': 'This run has already finished.'})
            run['status'] = _choice('cancelled')
            return httpx.Response(202, json={'detail': 'Cancellation requested.'})
        if action == 'events/':
            return self.stream(request, pk)
        return httpx.Response(200, json=run)

    def stream(self, request: httpx.Request, pk: int) -> httpx.Response:
        after = int(request.headers.get('Last-Event-ID') or 0)
        self.runs[pk]['status'] = _choice('running')
        pending = [(n, (name, data)) for n, (name, data) in enumerate(self.events.get(pk, []), 1) if n > after]
        chunks = [f'id: {n}\nevent: {name}\ndata: {json.dumps(data)}\n\n'.encode() for n, (name, data) in pending]
        headers = {'Content-Type': 'text/event-stream'}
        if self.drops:
            return httpx.Response(200, headers=headers, stream=DroppingStream(chunks[: self.drops.pop(0)]))
        if self.cuts:
            return httpx.Response(
                200, headers=headers, content=b'retry: 2000\n\n' + b''.join(chunks[: self.cuts.pop(0)])
            )
        if pending and pending[-1][1][0] == 'run_finished':
            self.finish(pk)
        return httpx.Response(200, headers=headers, content=b'retry: 2000\n\n: keep-alive\n\n' + b''.join(chunks))

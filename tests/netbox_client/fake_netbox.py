"""An in-memory NetBox list endpoint with 4.7's bulk semantics, for ``httpx.MockTransport``.

Bulk POST/PATCH/DELETE are atomic and report bad objects as ``{"index": i}`` (create) or ``{"id": n}``
(update, delete), as ``netbox/api/viewsets/mixins.py`` does. ``faults`` injects failures, one per
request, in order: an int status, ``(status, headers)``, or a named network fault.
"""

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

Fault = int | tuple[int, dict[str, str]] | str


@dataclass
class Seen:
    method: str
    path: str
    params: dict[str, str]
    body: Any
    authorization: str


@dataclass
class FakeNetBox:
    objects: dict[int, dict[str, Any]] = field(default_factory=dict)
    faults: list[Fault] = field(default_factory=list)
    max_page_size: int = 1000
    protected: set[int] = field(default_factory=set)
    forbidden_names: set[str] = field(default_factory=set)
    fault_when: Callable[['Seen'], bool] = lambda seen: True
    delay: float = 0.0
    requests: list[Seen] = field(default_factory=list)
    in_flight: int = 0
    max_in_flight: int = 0
    next_id: int = 1

    def seed(self, count: int) -> None:
        for _ in range(count):
            self._create({'name': f'site-{self.next_id}'})

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def writes(self, method: str) -> list[Seen]:
        return [r for r in self.requests if r.method == method]

    async def handle(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content) if request.content else None
        params = dict(request.url.params)
        seen = Seen(request.method, request.url.path, params, body, request.headers.get('Authorization', ''))
        self.requests.append(seen)
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            await asyncio.sleep(self.delay)
            fault = self.faults.pop(0) if self.faults and self.fault_when(seen) else None
            return self._faulted(request, fault, seen)
        finally:
            self.in_flight -= 1

    def _faulted(self, request: httpx.Request, fault: Fault | None, seen: Seen) -> httpx.Response:
        if isinstance(fault, int):
            return httpx.Response(fault, json={'detail': f'fault {fault}'})
        if isinstance(fault, tuple):
            return httpx.Response(fault[0], headers=fault[1], json={'detail': 'slow down'})
        if fault == 'connect':
            raise httpx.ConnectError('connection refused', request=request)
        if fault == 'lost':  # sent, never answered, not applied
            raise httpx.ReadTimeout('read timed out', request=request)
        response = self._route(seen)
        if fault == 'committed':  # applied, then the answer was lost
            raise httpx.ReadTimeout('read timed out', request=request)
        if fault == 'dropped':
            raise httpx.RemoteProtocolError('server disconnected', request=request)
        return response

    def _route(self, seen: Seen) -> httpx.Response:
        if seen.path == '/api/status/':
            return httpx.Response(200, json={'netbox-version': '4.7.3', 'plugins': {}})
        if seen.path == '/api/dcim/sites/1/' and seen.method == 'DELETE':
            return httpx.Response(404, json={'detail': 'No Site matches the given query.'})
        handler = {'GET': self._list, 'POST': self._bulk_create, 'PATCH': self._bulk_update,
                   'DELETE': self._bulk_delete}[seen.method]  # fmt: skip
        return handler(seen)

    def _list(self, seen: Seen) -> httpx.Response:
        limit = min(int(seen.params.get('limit', 50)), self.max_page_size)
        offset = int(seen.params.get('offset', 0))
        rows = [self.objects[k] for k in sorted(self.objects)][offset : offset + limit]
        if 'fields' in seen.params:
            wanted = seen.params['fields'].split(',')
            rows = [{k: v for k, v in row.items() if k in wanted} for row in rows]
        return httpx.Response(200, json={'count': len(self.objects), 'next': None, 'previous': None, 'results': rows})

    def _errors(self, item: dict[str, Any], names: set[str]) -> dict[str, list[str]] | None:
        name = item.get('name')
        if not name or name.startswith('bad'):
            return {'name': ['Enter a valid name.']}
        if name in names:
            return {'name': ['Site with this name already exists.']}
        return None

    def _bulk_create(self, seen: Seen) -> httpx.Response:
        if isinstance(seen.body, dict):
            return httpx.Response(201, json=self._create(seen.body))
        names = {o['name'] for o in self.objects.values()}
        errors, forbidden = [], False
        for i, item in enumerate(seen.body):
            if item.get('name') in self.forbidden_names:
                forbidden = True
                errors.append({'index': i, 'errors': {'__all__': ['You do not have permission.']}})
            elif err := self._errors(item, names):
                errors.append({'index': i, 'errors': err})
            names.add(item.get('name'))
        if errors:
            detail = f'{len(errors)} of {len(seen.body)} objects could not be created.'
            return httpx.Response(403 if forbidden else 400, json={'detail': detail, 'errors': errors})
        return httpx.Response(201, json=[self._create(item) for item in seen.body])

    def _create(self, item: dict[str, Any]) -> dict[str, Any]:
        obj = {'id': self.next_id, **{k: v for k, v in item.items() if k != 'changelog_message'}}
        self.objects[self.next_id] = obj
        self.next_id += 1
        return obj

    def _missing(self, seen: Seen) -> httpx.Response | None:
        missing = [i['id'] for i in seen.body if i['id'] not in self.objects]
        if not missing:
            return None
        errors = [{'id': m, 'errors': {'id': [f'Object with ID {m} does not exist']}} for m in missing]
        detail = f'{len(missing)} of {len(seen.body)} objects could not be found.'
        return httpx.Response(400, json={'detail': detail, 'errors': errors})

    def _bulk_update(self, seen: Seen) -> httpx.Response:
        if response := self._missing(seen):
            return response
        others = {o['name'] for k, o in self.objects.items() if k not in {i['id'] for i in seen.body}}
        errors = [{'id': i['id'], 'errors': e} for i in seen.body if 'name' in i and (e := self._errors(i, others))]
        if errors:
            return httpx.Response(400, json={'detail': 'could not be updated.', 'errors': errors})
        for item in seen.body:
            self.objects[item['id']].update({k: v for k, v in item.items() if k != 'changelog_message'})
        # NetBox answers in the model's ordering, not the request's: reverse it to prove mapping by id.
        return httpx.Response(200, json=[self.objects[i['id']] for i in reversed(seen.body)])

    def _bulk_delete(self, seen: Seen) -> httpx.Response:
        if response := self._missing(seen):
            return response
        conflicts = [i['id'] for i in seen.body if i['id'] in self.protected]
        if conflicts:
            errors = [
                {'id': c, 'errors': {'__all__': ['Unable to delete: 1 dependent object(s) prevent deletion.']}}
                for c in conflicts
            ]
            return httpx.Response(409, json={'detail': 'could not be deleted.', 'errors': errors})
        for item in seen.body:
            del self.objects[item['id']]
        return httpx.Response(204)

"""One endpoint (cluster): faults, authentication, routing, rendering, caching and error replies."""

from __future__ import annotations

import asyncio
import json
from typing import Any
from urllib.parse import parse_qsl, unquote

from ..errors import ApiError
from ..fleet import Fleet
from ..handlers import ROUTER
from .auth import Authenticator, Principal
from .control import CONTROL_PREFIX, handle_control
from .http import Abort, Request, Response, gzip_body
from .routing import Context, Payload

__all__ = ['EndpointApp', 'encode_json']

API_PREFIX = '/api2/json'
CACHE_LIMIT = 2048
ROOT_CAPS = {
    'vms': dict.fromkeys(('VM.Audit', 'VM.Config.Options', 'VM.Console', 'VM.PowerMgmt', 'VM.Snapshot'), 1),
    'storage': dict.fromkeys(('Datastore.Allocate', 'Datastore.AllocateSpace', 'Datastore.Audit'), 1),
    'access': dict.fromkeys(('Group.Allocate', 'User.Modify', 'Permissions.Modify'), 1),
    'nodes': dict.fromkeys(('Sys.Audit', 'Sys.Console', 'Sys.Modify', 'Sys.PowerMgmt'), 1),
    'dc': dict.fromkeys(('Sys.Audit', 'SDN.Audit', 'Sys.Modify'), 1),
    'sdn': dict.fromkeys(('SDN.Audit', 'SDN.Allocate'), 1),
    'mapping': dict.fromkeys(('Mapping.Audit', 'Mapping.Use'), 1),
}


def encode_json(value: Any) -> bytes:
    return json.dumps(value, separators=(',', ':'), ensure_ascii=False).encode()


def parse_lists(request: Request) -> dict[str, list[str]]:
    """Every value of each parameter (Proxmox's array parameters: repeated keys, or JSON arrays)."""
    pairs = parse_qsl(request.query, keep_blank_values=True)
    if request.body and request.headers.get('content-type', '').startswith('application/json'):
        body = json.loads(request.body)
        for key, value in body.items() if isinstance(body, dict) else ():
            pairs.extend((key, str(item)) for item in (value if isinstance(value, list) else [value]))
    elif request.body:
        pairs.extend(parse_qsl(request.body.decode(), keep_blank_values=True))
    lists: dict[str, list[str]] = {}
    for key, value in pairs:
        lists.setdefault(key, []).append(value)
    return lists


def parse_params(request: Request) -> dict[str, str]:
    params = dict(parse_qsl(request.query, keep_blank_values=True))
    if request.body:
        if request.headers.get('content-type', '').startswith('application/json'):
            body = json.loads(request.body)
            params.update({key: str(value) for key, value in body.items()} if isinstance(body, dict) else {})
        else:
            params.update(parse_qsl(request.body.decode(), keep_blank_values=True))
    return params


class EndpointApp:
    """Serves one cluster of a fleet at one listening port."""

    def __init__(self, fleet: Fleet, cluster: str, *, auth_delay: float = 0.0) -> None:
        self.fleet = fleet
        self.cluster = fleet.cluster(cluster)
        self.auth = Authenticator(self.cluster, fleet.clock)
        self.auth_delay = auth_delay
        self._cache: dict[tuple[Any, ...], Response] = {}
        self._cache_revision = -1

    async def __call__(self, request: Request) -> Response | Abort:
        if request.path.startswith(CONTROL_PREFIX):
            return self._control(request)
        path = request.path.removeprefix(API_PREFIX) if request.path.startswith(API_PREFIX + '/') else None
        if path is None:
            return self.error(ApiError(501, f"Method '{request.method} {request.path}' not implemented"))
        delay = 0.0
        for rule in self.fleet.faults.pick(self.cluster.name, request.method, path):
            if rule.kind == 'drop':
                return Abort(delay)
            if rule.kind == 'timeout':
                return Abort(delay + rule.seconds)
            if rule.kind == 'latency':
                delay += rule.ms / 1000
            if rule.kind == 'error':
                await asyncio.sleep(delay)
                return self.error(ApiError(rule.status, rule.message))
        if delay:
            await asyncio.sleep(delay)
        try:
            return self._api(request, path)
        except ApiError as error:
            if error.status == 401 and self.auth_delay:
                await asyncio.sleep(self.auth_delay)
            return self.error(error)

    def _principal(self, request: Request) -> Principal:
        header = request.headers.get('authorization', '')
        principal = self.auth.from_token(header) if header else None
        if principal is not None:
            return principal
        ticket = _cookie(request.headers.get('cookie', ''), 'PVEAuthCookie')
        if ticket is None and header.startswith('PVEAuthCookie='):
            ticket = header.removeprefix('PVEAuthCookie=')
        if ticket is None:
            raise ApiError(401, 'No ticket', body=False)
        return self.auth.from_ticket(ticket, request.method, request.headers.get('csrfpreventiontoken'))

    def _api(self, request: Request, path: str) -> Response:
        if path == '/access/ticket':
            return self._ticket(request)
        handler, args = ROUTER.match(request.method, path)  # Proxmox looks the method up before authenticating
        with self.fleet.lock:
            principal = self._principal(request)
            key = self._cache_key(request, path, principal)
            cached = self._cache.get(key) if key else None
            if cached is not None:
                return cached
            ctx = Context(
                self.cluster, principal, request.method, path, args, parse_params(request), parse_lists(request)
            )
            result = handler(ctx)
            response = self.ok(result, request.accepts_gzip)
            if key:
                self._cache[key] = response
            return response

    def _cache_key(self, request: Request, path: str, principal: Principal) -> tuple[Any, ...] | None:
        if request.method != 'GET' or request.body:
            return None
        if self._cache_revision != self.cluster.revision or len(self._cache) > CACHE_LIMIT:
            self._cache.clear()
            self._cache_revision = self.cluster.revision
        privileges = None if principal.privileges is None else tuple(sorted(principal.privileges))
        return (path, request.query, principal.userid, privileges, request.accepts_gzip)

    def _ticket(self, request: Request) -> Response:
        if request.method == 'GET':
            return self.ok(None, False)
        if request.method != 'POST':
            raise ApiError(501, f"Method '{request.method} /access/ticket' not implemented")
        if 'PVEAPIToken' in request.headers.get('authorization', ''):
            message = "Permission check failed (URI '/access/ticket' not available with API token, need proper ticket.)"
            raise ApiError(403, message)
        params = parse_params(request)
        missing = [name for name in ('username', 'password') if name not in params]
        if missing:
            raise ApiError.param(dict.fromkeys(missing, 'property is missing and it is not optional'))
        with self.fleet.lock:
            userid = self.auth.login(params['username'], params['password'], params.get('realm'))
            ticket, csrf = self.auth.issue(userid)
            data: dict[str, Any] = {'username': userid, 'ticket': ticket, 'CSRFPreventionToken': csrf, 'cap': ROOT_CAPS}
            if not self.cluster.standalone:
                data['clustername'] = self.cluster.name
        return self.ok(data, False)

    def _control(self, request: Request) -> Response:
        try:
            with self.fleet.lock:
                principal = self._principal(request)
            status, data = handle_control(self.fleet, self.cluster.name, principal, request)
        except ApiError as error:
            if not error.body:
                return Response(error.status, error.message, close=True)
            return Response(error.status, error.message, encode_json({'data': None, 'error': error.message}))
        return Response(status, 'OK', encode_json({'data': data}), close=False)

    def ok(self, result: Any, accepts_gzip: bool) -> Response:
        envelope = {'data': result.data, **result.extra} if isinstance(result, Payload) else {'data': result}
        body = encode_json(envelope)
        if accepts_gzip and len(body) > 1024:
            return Response(200, 'OK', gzip_body(body), gzipped=True)
        return Response(200, 'OK', body)

    def error(self, error: ApiError) -> Response:
        if not error.body:
            return Response(error.status, error.message, close=True)
        envelope: dict[str, Any] = {'data': None}
        if error.errors:
            envelope['errors'] = error.errors
        if self.cluster.version.has_error_message:
            envelope['message'] = error.message.rstrip('\n') + '\n'
        return Response(error.status, error.message, encode_json(envelope), close=True)


def _cookie(header: str, name: str) -> str | None:
    for part in header.split(';'):
        key, sep, value = part.strip().partition('=')
        if sep and key == name:
            return unquote(value)
    return None

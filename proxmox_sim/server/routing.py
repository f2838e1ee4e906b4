"""Path-template routing and the per-request context handlers receive."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..errors import ApiError
from ..model import Cluster, Guest, Node
from .auth import Principal

__all__ = ['Context', 'Handler', 'Payload', 'Router']

_NODE_RE = re.compile(r'^[a-zA-Z0-9]([a-zA-Z0-9\-]*[a-zA-Z0-9])?$')


@dataclass(slots=True)
class Payload:
    """A result with top-level attributes beside ``data`` (``total``, ``changes``)."""

    data: Any
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Context:
    cluster: Cluster
    principal: Principal
    method: str
    path: str
    args: dict[str, str]
    params: dict[str, str]
    lists: dict[str, list[str]] = field(default_factory=dict)  # array parameters: every value

    def allowed(self, privilege: str) -> bool:
        return self.principal.allowed(privilege)

    def require(self, path: str, *privileges: str) -> None:
        """Raise the real 403 unless the caller holds one of ``privileges``."""
        if not any(self.principal.allowed(privilege) for privilege in privileges):
            raise ApiError(403, f'Permission check failed ({path}, {"|".join(privileges)})')

    def enum(self, name: str, choices: tuple[str, ...]) -> str | None:
        value = self.params.get(name)
        if value is not None and value not in choices:
            message = f"value '{value}' does not have a value in the enumeration '{', '.join(choices)}'"
            raise ApiError.param({name: message})
        return value

    def integer(self, name: str, value: str | None = None) -> int | None:
        value = self.params.get(name) if value is None else value
        if value is None:
            return None
        if not re.fullmatch(r'-?\d+', value):
            raise ApiError.param({name: f"type check ('integer') failed - got '{value}'"})
        return int(value)

    def node(self) -> Node:
        """The ``{node}`` of the path; unknown names fail like DNS, offline nodes like an unreachable proxy."""
        name = self.args['node']
        if not _NODE_RE.match(name):
            raise ApiError.param({'node': f"value does not match the regex pattern for format 'pve-node' ({name})"})
        node = self.cluster.nodes.get(name)
        if node is None:
            message = (
                f"hostname lookup '{name}' failed - failed to get address info for: {name}: Name or service not known"
            )
            raise ApiError(500, message)
        if not node.online:
            raise ApiError(595, 'No route to host')
        return node

    def guest(self, kind: str, privilege: str | None = 'VM.Audit') -> Guest:
        node = self.node()
        vmid = self.integer('vmid', self.args['vmid'])
        assert vmid is not None
        if vmid < 100:
            raise ApiError.param({'vmid': 'value must have a minimum value of 100'})
        if privilege is not None:
            self.require(f'/vms/{vmid}', privilege)
        guest = self.cluster.guests.get(vmid)
        if guest is None or guest.node != node.name or guest.kind != kind:
            folder = 'qemu-server' if kind == 'qemu' else 'lxc'
            raise ApiError(500, f"Configuration file 'nodes/{node.name}/{folder}/{vmid}.conf' does not exist")
        return guest


Handler = Callable[[Context], Any]


class Router:
    """Maps ``METHOD /path/{arg}`` templates to handlers; anything else is Proxmox's 501."""

    def __init__(self) -> None:
        self._routes: dict[int, list[tuple[str, tuple[str, ...], Handler]]] = {}

    def add(self, method: str, template: str, handler: Handler) -> None:
        parts = tuple(template.strip('/').split('/'))
        self._routes.setdefault(len(parts), []).append((method, parts, handler))

    def get(self, template: str) -> Callable[[Handler], Handler]:
        return self._decorator('GET', template)

    def post(self, template: str) -> Callable[[Handler], Handler]:
        return self._decorator('POST', template)

    def delete(self, template: str) -> Callable[[Handler], Handler]:
        return self._decorator('DELETE', template)

    def _decorator(self, method: str, template: str) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            self.add(method, template, handler)
            return handler

        return register

    def match(self, method: str, path: str) -> tuple[Handler, dict[str, str]]:
        segments = path.strip('/').split('/')
        for route_method, parts, handler in self._routes.get(len(segments), ()):
            if route_method != method:
                continue
            args = _bind(parts, segments)
            if args is not None:
                return handler, args
        raise ApiError(501, f"Method '{method} {path}' not implemented")


def _bind(parts: tuple[str, ...], segments: list[str]) -> dict[str, str] | None:
    args: dict[str, str] = {}
    for part, segment in zip(parts, segments, strict=True):
        if part.startswith('{'):
            if not segment:
                return None
            args[part[1:-1]] = segment
        elif part != segment:
            return None
    return args

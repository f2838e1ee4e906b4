"""The control API under ``/_sim`` (not part of Proxmox): change the world and inject faults over HTTP.

Every route mirrors a :class:`~proxmox_sim.fleet.Fleet` method and acts on the cluster served at the
port it is called on. JSON in (body or query), ``{"data": ...}`` out; errors carry their message in
the reason phrase and in ``{"error": ...}``. Callers need the endpoint's token (or a ticket) with full rights.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import asdict
from typing import Any
from urllib.parse import parse_qsl

from ..dump import dump_guest
from ..errors import ApiError, SimError
from ..faults import FaultRule
from ..fleet import Fleet
from .auth import Principal
from .http import Request

__all__ = ['CONTROL_PREFIX', 'handle_control']

CONTROL_PREFIX = '/_sim'

Body = dict[str, Any]
Action = Callable[[Fleet, str, Body, dict[str, str]], Any]
_ROUTES: list[tuple[str, re.Pattern[str], Action]] = []


def route(method: str, pattern: str) -> Callable[[Action], Action]:
    regex = re.compile('^' + re.sub(r'\{(\w+)\}', r'(?P<\1>[^/]+)', pattern) + '$')

    def register(action: Action) -> Action:
        _ROUTES.append((method, regex, action))
        return action

    return register


def _body(request: Request) -> Body:
    data: Body = dict(parse_qsl(request.query))
    if request.body:
        try:
            loaded = json.loads(request.body)
        except ValueError:
            raise ApiError(400, 'control API bodies must be JSON') from None
        if not isinstance(loaded, dict):
            raise ApiError(400, 'control API bodies must be JSON objects')
        data.update(loaded)
    return data


def handle_control(fleet: Fleet, cluster: str, principal: Principal, request: Request) -> tuple[int, Any]:
    if principal.privileges is not None:
        raise ApiError(403, 'Permission check failed (/_sim, Sys.Modify)')
    path = request.path.removeprefix(CONTROL_PREFIX) or '/'
    for method, regex, action in _ROUTES:
        match = regex.match(path)
        if match and method == request.method:
            try:
                return 200, action(fleet, cluster, _body(request), match.groupdict())
            except SimError as error:
                raise ApiError(error.status, str(error)) from None
            except (TypeError, ValueError, KeyError) as error:
                raise ApiError(400, f'bad control request: {error}') from None
    raise ApiError(404, f"no control route '{request.method} {request.path}'")


def _vmid(args: dict[str, str]) -> int:
    return int(args['vmid'])


@route('GET', '/fleet')
def get_fleet(fleet: Fleet, cluster: str, body: Body, args: dict[str, str]) -> Any:  # noqa: ARG001
    return fleet.to_dict(body.get('cluster'))


@route('POST', '/guests')
def add_guest(fleet: Fleet, cluster: str, body: Body, args: dict[str, str]) -> Any:  # noqa: ARG001
    kind = body.pop('type', 'qemu')
    vmid, node = body.pop('vmid', None), body.pop('node', None)
    return dump_guest(fleet.add_guest(kind, cluster=cluster, vmid=vmid, node=node, **body))


@route('DELETE', '/guests/{vmid}')
def remove_guest(fleet: Fleet, cluster: str, body: Body, args: dict[str, str]) -> Any:  # noqa: ARG001
    fleet.remove_guest(_vmid(args), cluster=cluster)


@route('POST', '/guests/{vmid}/rename')
def rename_guest(fleet: Fleet, cluster: str, body: Body, args: dict[str, str]) -> Any:
    fleet.rename_guest(_vmid(args), str(body['name']), cluster=cluster)
    return dump_guest(fleet.guest(_vmid(args), cluster))


@route('POST', '/guests/{vmid}/config')
def reconfigure_guest(fleet: Fleet, cluster: str, body: Body, args: dict[str, str]) -> Any:
    fleet.reconfigure_guest(_vmid(args), cluster=cluster, **body)
    return dump_guest(fleet.guest(_vmid(args), cluster))


@route('POST', '/guests/{vmid}/migrate')
def migrate_guest(fleet: Fleet, cluster: str, body: Body, args: dict[str, str]) -> Any:
    fleet.migrate_guest(_vmid(args), str(body['target']), cluster=cluster)
    return dump_guest(fleet.guest(_vmid(args), cluster))


@route('POST', '/guests/{vmid}/snapshots')
def add_snapshot(fleet: Fleet, cluster: str, body: Body, args: dict[str, str]) -> Any:
    description, vmstate = str(body.get('description', '')), bool(body.get('vmstate', False))
    snapshot = fleet.add_snapshot(
        _vmid(args), str(body['name']), description=description, vmstate=vmstate, cluster=cluster
    )
    return asdict(snapshot)


@route('DELETE', '/guests/{vmid}/snapshots/{name}')
def remove_snapshot(fleet: Fleet, cluster: str, body: Body, args: dict[str, str]) -> Any:  # noqa: ARG001
    fleet.remove_snapshot(_vmid(args), args['name'], cluster=cluster)


@route('POST', '/guests/{vmid}/backups')
def add_backup(fleet: Fleet, cluster: str, body: Body, args: dict[str, str]) -> Any:
    backup = fleet.add_backup(_vmid(args), storage=body.get('storage'), cluster=cluster)
    return {**asdict(backup), 'volid': backup.volid}


@route('DELETE', '/backups')
def remove_backup(fleet: Fleet, cluster: str, body: Body, args: dict[str, str]) -> Any:  # noqa: ARG001
    fleet.remove_backup(str(body['volid']), cluster=cluster)


@route('POST', '/replication/{id}/fail')
def fail_replication(fleet: Fleet, cluster: str, body: Body, args: dict[str, str]) -> Any:
    fleet.fail_replication(args['id'], str(body.get('error', 'command failed: no route to host')), cluster=cluster)


@route('GET', '/notifications')
def notification_deliveries(fleet: Fleet, cluster: str, body: Body, args: dict[str, str]) -> Any:  # noqa: ARG001
    """The webhook deliveries made so far (after waiting for those under way): target, type, url, status."""
    notifications = fleet.cluster(cluster).notifications
    notifications.wait(float(body.get('wait', 10)))
    return list(notifications.deliveries)


@route('POST', '/nodes/{node}/offline')
def node_offline(fleet: Fleet, cluster: str, body: Body, args: dict[str, str]) -> Any:  # noqa: ARG001
    fleet.node_offline(args['node'], cluster=cluster)


@route('POST', '/nodes/{node}/online')
def node_online(fleet: Fleet, cluster: str, body: Body, args: dict[str, str]) -> Any:  # noqa: ARG001
    fleet.node_online(args['node'], cluster=cluster)


@route('POST', '/version')
def set_version(fleet: Fleet, cluster: str, body: Body, args: dict[str, str]) -> Any:  # noqa: ARG001
    fleet.set_version(str(body['version']), cluster=None if body.get('all') else cluster)
    return fleet.cluster(cluster).version.full


@route('GET', '/faults')
def get_faults(fleet: Fleet, cluster: str, body: Body, args: dict[str, str]) -> Any:  # noqa: ARG001
    return fleet.faults.to_dict()


@route('POST', '/faults')
def set_faults(fleet: Fleet, cluster: str, body: Body, args: dict[str, str]) -> Any:  # noqa: ARG001
    rules = [FaultRule.from_dict(rule) for rule in body.get('rules', [])]
    seed = body.get('seed')
    fleet.set_faults(rules, seed=None if seed is None else int(seed))
    return fleet.faults.to_dict()


@route('POST', '/faults/add')
def add_fault(fleet: Fleet, cluster: str, body: Body, args: dict[str, str]) -> Any:  # noqa: ARG001
    fleet.add_fault(FaultRule.from_dict(body))
    return fleet.faults.to_dict()


@route('DELETE', '/faults')
def reset_faults(fleet: Fleet, cluster: str, body: Body, args: dict[str, str]) -> Any:  # noqa: ARG001
    fleet.reset_faults()
    return fleet.faults.to_dict()


@route('POST', '/tokens')
def add_token(fleet: Fleet, cluster: str, body: Body, args: dict[str, str]) -> Any:  # noqa: ARG001
    privileges = body.get('privileges')
    fleet.add_token(str(body['tokenid']), str(body['secret']), privileges=privileges, cluster=cluster)


@route('POST', '/clock')
def advance_clock(fleet: Fleet, cluster: str, body: Body, args: dict[str, str]) -> Any:  # noqa: ARG001
    fleet.advance_clock(float(body['advance']))
    return fleet.clock()

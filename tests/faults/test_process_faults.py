"""
Process faults with the live stack (real NetBox, RQ worker, proxbox-api, simulators; one stack per
session): two Full Updates requested at the same moment (exactly one runs, the other is refused with
the running run), proxbox-api killed mid-apply, the RQ worker killed mid-job (the run ends as
failed, the endpoint is not held, and the next run converges: every guest exactly once) and NetBox
killed mid-apply on the in-NetBox path (a batch rolled back whole; the next run converges).
"""

import threading
import time
from collections import Counter

import httpx
import pytest

from netbox_proxbox.sync.client import iter_sse
from tests.fullupdate.live import SMALL, run_of, start, wait_finished

from .inventory import Damage
from .proxy import FaultProxy

pytestmark = [pytest.mark.e2e]


def owned_vms(stack):
    """proxbox_id of every VM Proxbox owns in NetBox (a duplicate appears twice)."""
    response = stack.api('GET', '/api/virtualization/virtual-machines/', params={'limit': 1000, 'tag': 'proxbox'})
    assert response.status_code == 200, response.text
    return [vm['custom_fields']['proxbox_id'] for vm in response.json()['results']]


def assert_converged(stack, fleet, ledger, case):
    """The next run completes with every guest of Proxmox exactly once in NetBox."""
    run = wait_finished(stack, start(stack, endpoints=[fleet])['run']['id'])
    ledger.runs += 1
    assert run['status']['value'] == 'completed', run['error_summary']
    guests = stack.sim_guests(fleet)
    cluster = guests[0]['node']  # a standalone node's cluster is named after the node
    vms = Counter(key for key in owned_vms(stack) if key.startswith(f'pve:{cluster}/guest/'))
    wanted = {f'pve:{cluster}/guest/{guest["vmid"]}' for guest in guests}
    damage = Damage(
        lost=sorted(wanted - set(vms)), duplicated=sorted(key for key, n in vms.items() if n > 1), deleted=[]
    )
    ledger.record(case, damage)
    assert not damage, damage
    return run


def grow(stack, fleet, count):
    """Give the next run writes to make: `count` new guests in Proxmox."""
    for _ in range(count):
        stack.sim_control(fleet, 'POST', '/guests', json={'type': 'qemu'})


def until_stage(stack, run_id, stage):
    """Return as soon as the run's event stream says `stage` started (the events as they happen)."""
    path = f'/api/plugins/proxbox/sync-runs/{run_id}/events/'
    with stack.client(stack.info['tokens']['admin']) as client:
        headers = {'Accept': 'text/event-stream'}
        with client.stream('GET', path, headers=headers, timeout=httpx.Timeout(30, read=300)) as response:
            assert response.status_code == 200
            for event in iter_sse(response.iter_lines()):
                if event.event == 'stage_started' and event.data.get('stage') == stage:
                    return
                assert event.event != 'run_finished', f'the run ended before stage {stage}: {event.data}'
    raise AssertionError(f'no stage {stage}')


def test_two_full_updates_at_the_same_moment(live_stack, ledger):
    answers = []
    gate = threading.Barrier(2)

    def ask():
        gate.wait()
        answers.append(live_stack.api('POST', '/api/plugins/proxbox/sync/', json={'endpoints': [SMALL]}))

    threads = [threading.Thread(target=ask) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answer.status_code for answer in answers) == [202, 409], [a.text for a in answers]
    started = next(answer.json() for answer in answers if answer.status_code == 202)
    refused = next(answer.json() for answer in answers if answer.status_code == 409)
    assert refused['run_id'] == started['run']['id'] and 'already running' in refused['detail']
    assert wait_finished(live_stack, started['run']['id'])['status']['value'] == 'completed'
    ledger.fault('two_full_updates_at_once')
    ledger.runs += 1
    assert_converged(live_stack, SMALL, ledger, 'two_full_updates_at_once')


@pytest.fixture
def slow_netbox(live_stack):
    """proxbox-api reaches NetBox through a proxy that holds each write for a while: apply lasts long
    enough to be interrupted (the plugin's own requests and the test's go to NetBox directly)."""
    netbox = only(live_stack, '/api/plugins/proxbox/endpoints/netbox/')
    path = f'/api/plugins/proxbox/endpoints/netbox/{netbox["id"]}/'
    with FaultProxy(live_stack.url) as proxy:
        proxy.fault = lambda method, path, body: ('delay', 1.0) if method in ('POST', 'PATCH', 'DELETE') else None
        assert live_stack.api('PATCH', path, json={'base_url': proxy.url + '/'}).status_code == 200
        try:
            yield proxy
        finally:
            live_stack.api('PATCH', path, json={'base_url': netbox['base_url']})


def only(stack, path):
    response = stack.api('GET', path)
    assert response.status_code == 200, response.text
    (item,) = response.json()['results']
    return item


def test_proxbox_api_killed_mid_apply(live_stack, slow_netbox, ledger):
    grow(live_stack, SMALL, 15)
    run_id = start(live_stack, endpoints=[SMALL])['run']['id']
    until_stage(live_stack, run_id, 'apply')
    live_stack.kill('proxbox-api')
    slow_netbox.fault = lambda method, path, body: None
    try:
        run = wait_finished(live_stack, run_id, timeout=120)
    finally:
        live_stack.restart('proxbox-api')
    ledger.fault('proxbox_api_killed_mid_apply')
    ledger.runs += 1
    assert run['status']['value'] == 'failed', run
    assert 'event stream' in str(run['events']), run['events']
    assert_converged(live_stack, SMALL, ledger, 'proxbox_api_killed_mid_apply')


def test_worker_killed_mid_job(live_stack, slow_netbox, ledger):
    grow(live_stack, SMALL, 15)
    run_id = start(live_stack, endpoints=[SMALL])['run']['id']
    until_stage(live_stack, run_id, 'apply')
    live_stack.kill('rqworker')
    slow_netbox.fault = lambda method, path, body: None
    live_stack.restart('rqworker')
    # The endpoint is held while the dead job's heartbeat lasts (at most HEARTBEAT_TTL), then released.
    deadline = time.monotonic() + 90
    while True:
        response = live_stack.api('POST', '/api/plugins/proxbox/sync/', json={'endpoints': [SMALL]})
        if response.status_code == 202 or time.monotonic() > deadline:
            break
        assert response.status_code == 409 and response.json()['run_id'] == run_id, response.text
        time.sleep(2)
    assert response.status_code == 202, response.text
    dead = run_of(live_stack, run_id)
    assert dead['status']['value'] == 'failed' and 'worker' in str(dead), dead
    ledger.fault('worker_killed_mid_job')
    ledger.runs += 1
    # The orphaned run in proxbox-api stopped when its client went away: it writes nothing more.
    assert 'cancelled: the client went away' in live_stack.log('proxbox-api', 400)
    run = wait_finished(live_stack, response.json()['run']['id'])
    ledger.runs += 1
    assert run['status']['value'] == 'completed', run['error_summary']
    assert_converged(live_stack, SMALL, ledger, 'worker_killed_mid_job')


def test_netbox_killed_mid_apply(live_stack, slow_netbox, ledger):
    """NetBox's process is killed in the middle of the apply stage (in-NetBox apply, batches in flight):
    a batch it was applying is rolled back whole by PostgreSQL, the others fail or are retried once it
    is back; the run ends, and the next one converges (every guest exactly once)."""
    grow(live_stack, SMALL, 15)
    run_id = start(live_stack, endpoints=[SMALL])['run']['id']
    until_stage(live_stack, run_id, 'apply')
    time.sleep(1.5)  # a batch is in NetBox's hands (each write is held 1 s by the proxy)
    live_stack.kill('netbox')
    slow_netbox.fault = lambda method, path, body: None
    live_stack.restart('netbox')
    run = wait_finished(live_stack, run_id)
    ledger.fault('netbox_killed_mid_apply')
    ledger.runs += 1
    assert run['status']['value'] in ('completed', 'partial', 'failed'), run
    finished = next(e['data'] for e in reversed(run['events']) if e['event'] == 'run_finished')
    assert finished['write_path'] == 'inside'
    assert_converged(live_stack, SMALL, ledger, 'netbox_killed_mid_apply')

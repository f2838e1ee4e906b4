"""
Continuous mode's poll against the simulator: two Proxmox requests per endpoint; the first poll only
sets the baseline; a poll finds exactly the guests that were created, removed, renamed, migrated,
resized, re-tagged, started or stopped, or had a task (a snapshot) since the state it was given, and
nothing when nothing changed; an unreachable endpoint reports why and hands back the state it was
given, so no change is lost. The change detection itself is pure (``changed_guests``).
"""

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest

from proxbox_api.engine.poll import PollState, changed_guests
from proxbox_api.polling import poll_endpoints
from proxbox_api.proxmox.poll import PollSnapshot, TaskMark
from proxbox_api.schemas import PollRequest, PollResult
from proxmox_sim import Fleet, FleetSpec, SimServer


@pytest.fixture
def fleet() -> Iterator[Fleet]:
    world = Fleet(FleetSpec(seed=5, clusters=1, nodes=3, guests=20, pve_version='8.3'))
    with SimServer(world) as server:
        world.server = server  # type: ignore[attr-defined]
        yield world


def poll(fleet: Fleet, state: dict[str, Any] | None = None, port: int | None = None) -> PollResult:
    endpoints = [
        {
            'name': ep.cluster,
            'host': ep.host,
            'port': port or ep.port,
            'token_id': ep.token_id,
            'token_secret': ep.token_secret,
            'ca_bundle': str(ep.cert_path),
        }
        for ep in fleet.server.endpoints  # type: ignore[attr-defined]
    ]
    request = PollRequest.model_validate({'endpoints': endpoints, 'state': state or {}, 'proxmox_timeout': 5})
    return asyncio.run(poll_endpoints(request))


def changes(result: PollResult) -> dict[int, list[str]]:
    (endpoint,) = result.endpoints
    assert endpoint.ok, endpoint.error
    return {change.vmid: change.reasons for change in endpoint.changes}


def test_a_poll_finds_exactly_the_guests_that_changed(fleet: Fleet) -> None:
    first = poll(fleet)
    (baseline,) = first.endpoints
    assert baseline.ok and baseline.baseline and baseline.changes == [] and baseline.requests == 2
    cluster = fleet.to_dict()['clusters'][0]
    assert baseline.state is not None and set(baseline.state.guests) == {g['vmid'] for g in cluster['guests']}
    state = {baseline.endpoint: baseline.state.model_dump()}
    quiet = poll(fleet, state)
    assert changes(quiet) == {} and quiet.endpoints[0].requests == 2

    guests = [g for g in cluster['guests'] if g['type'] == 'qemu' and not g['template']]
    renamed, moved, resized, tagged, snapshotted, removed, nic = (g['vmid'] for g in guests[:7])
    other = next(n['name'] for n in cluster['nodes'] if n['name'] != guests[1]['node'])
    fleet.rename_guest(renamed, 'renamed')
    fleet.migrate_guest(moved, other)
    disk = next(d for d in guests[2]['disks'] if d['media'] != 'cdrom' and d['size_mib'] > 16)
    fleet.resize_disk(resized, disk['key'], disk['size_mib'] + 512)
    fleet.reconfigure_guest(tagged, tags=['poll-me'])
    fleet.add_snapshot(snapshotted, 'before-upgrade')
    fleet.remove_guest(removed)
    fleet.add_nic(nic)  # a config change with no task and no resources field: left to the full sync
    created = fleet.add_guest('lxc', name='fresh').vmid

    found = changes(poll(fleet, state))
    assert set(found) == {renamed, moved, resized, tagged, snapshotted, removed, created}
    assert found[renamed] == ['changed']
    assert found[moved] == ['changed', 'task qmigrate']
    assert found[resized] == ['changed', 'task resize']
    assert found[snapshotted] == ['task qmsnapshot']
    assert found[removed] == ['disappeared', 'task qmdestroy']
    assert found[created] == ['appeared', 'task vzcreate']


def test_an_unreachable_endpoint_keeps_the_state_it_was_given(fleet: Fleet) -> None:
    (baseline,) = poll(fleet).endpoints
    assert baseline.state is not None
    state = {baseline.endpoint: baseline.state.model_dump()}
    (failed,) = poll(fleet, state, port=9).endpoints  # nothing listens on port 9
    assert not failed.ok and 'connection failed' in (failed.error or '')
    assert failed.state == baseline.state


def test_tasks_are_counted_once_and_when_a_running_one_ends() -> None:
    running = TaskMark(upid='UPID:a', starttime=100, type='vzdump', vmid=101, running=True)
    seen, state = changed_guests(
        PollState(guests={101: 'x'}, task_cursor=90), PollSnapshot(guests={101: 'x'}, tasks=(running,))
    )
    assert [(c.vmid, c.reasons) for c in seen] == [(101, ['task vzdump'])]
    again, state = changed_guests(state, PollSnapshot(guests={101: 'x'}, tasks=(running,)))
    assert again == []
    ended = running.model_copy(update={'running': False})
    done, state = changed_guests(state, PollSnapshot(guests={101: 'x'}, tasks=(ended,)))
    assert [(c.vmid, c.reasons) for c in done] == [(101, ['task vzdump ended'])]
    assert changed_guests(state, PollSnapshot(guests={101: 'x'}, tasks=(ended,)))[0] == []
    # A task of the same second as the cursor, not seen before, still counts.
    same_second = TaskMark(upid='UPID:b', starttime=100, type='qmstart', vmid=102)
    late, _ = changed_guests(state, PollSnapshot(guests={101: 'x'}, tasks=(ended, same_second)))
    assert [(c.vmid, c.reasons) for c in late] == [(102, ['task qmstart'])]

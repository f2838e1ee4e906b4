"""
The scaling benchmark's harness (``bench/scaling``) cannot rot: on a tiny fleet against the real
NetBox (``live_server``) it measures the floor, a first sync, a no-change re-sync, a 1 %-changed
re-sync and a targeted sync of one guest changed each way, and the result has every figure with sane
values; the goals verdict and the result files
follow the documented shape. This pins the harness's code path, not NetBox's or the sync's speed.
"""

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from users.models import Token

from bench.scaling.fleets import FLEETS, TARGETED_CHANGES, change_fraction
from bench.scaling.measure import Knobs, Target, measure_fleet
from bench.scaling.report import GOALS, evaluate_goals, save_results
from bench.scaling.stack import CpuMeter

RUNS = ('dry_run', 'first_sync', 'resync', 'resync_changed')
# Continuous mode, briefly: two changes, a poll every half second.
QUICK_CONTINUOUS = {'continuous_changes': 2, 'poll_interval': 0.5}


@pytest.fixture
def netbox_token(transactional_db: Any) -> str:
    user = get_user_model().objects.create_user(username='proxbox-bench', password='x', is_superuser=True)
    token = Token.objects.create(user=user)
    return (token.get_auth_header_prefix() + token.token).removeprefix('Bearer ')


def assert_run_figures(run: dict[str, Any]) -> None:
    assert run['status'] == 'completed', run['errors']
    assert run['seconds'] > 0
    assert run['failures'] == 0
    assert run['requests']['proxmox']['GET'] == run['requests']['proxmox']['total'] > 0
    assert run['requests']['netbox']['GET'] > 0
    assert 0 < run['baseline_rss_mib'] < run['peak_rss_mib'] < 1024
    assert {'proxmox', 'netbox', 'plan'} <= set(run['stages'])
    assert set(run['rss_mib_after_stage']) == set(run['stages'])
    assert 0 < run['proxbox_cpu_seconds'] and 0 <= run['simulator_cpu_seconds']
    assert run['netbox_cpu_seconds'] is None  # live_server shares this process: its CPU cannot be told apart


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_harness_measures_a_tiny_fleet(live_server: Any, netbox_token: str) -> None:
    """One NetBox serves floor and sync here, so the floor deletes what it wrote before the sync."""
    target = Target(live_server.url, netbox_token)
    lines: list[str] = []
    result = measure_fleet(
        FLEETS['XS'], target, target, Knobs(batch_size=7), floor_clean_up=True, log=lines.append, **QUICK_CONTINUOUS
    )

    for name in RUNS:
        assert_run_figures(result[name])
    objects = result['objects']
    assert objects > FLEETS['XS'].guests * 3  # VMs, their interfaces, MACs, disks, IPs, and the shared objects
    assert result['dry_run']['writes'] == 0
    assert result['floor']['writes'] == objects and result['floor']['failed'] == 0
    assert result['floor']['seconds'] > 0 and result['floor']['client_cpu_seconds'] > 0
    assert result['floor']['requests']['netbox']['POST'] >= objects // 7  # batches of 7
    assert sum(entry['objects'] for entry in result['floor']['by_path'].values()) == objects
    first = result['first_sync']
    assert first['writes'] == first['planned_writes'] == objects
    assert result['floor_matches_first'] is True
    assert first['requests']['netbox']['POST'] >= 1 and 'apply' in first['stages']
    assert result['resync']['writes'] == 0 and 'PATCH' not in result['resync']['requests']['netbox']
    changed = result['resync_changed']
    assert changed['changed'] == {'guests': 1, 'renamed': 1, 'reconfigured': 0, 'migrated': 0}
    assert changed['writes'] == 1
    ratios = result['ratios']
    assert ratios['first_over_floor'] == round(first['seconds'] / result['floor']['seconds'], 4)
    assert 0 < ratios['resync_over_first'] and 0 < ratios['resync_changed_over_first']
    assert ratios['first_over_floor_netbox_cpu'] is None
    assert_targeted(result['targeted'])
    assert_continuous(result['continuous'])
    assert len(lines) == 15 and lines[0].startswith('XS: 5 guests')
    assert netbox_token not in json.dumps(result) and netbox_token not in '\n'.join(lines)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_harness_without_a_floor(live_server: Any, netbox_token: str) -> None:
    """``--no-floor``: the syncs are measured as usual; the floor and its ratios are null, not zero."""
    lines: list[str] = []
    target = Target(live_server.url, netbox_token)
    result = measure_fleet(FLEETS['XS'], None, target, Knobs(), log=lines.append, **QUICK_CONTINUOUS)

    assert result['floor'] is None and result['floor_matches_first'] is None
    assert result['ratios']['first_over_floor'] is None and result['ratios']['first_over_floor_netbox_cpu'] is None
    assert result['first_sync']['writes'] == result['objects'] > 0 and result['resync']['writes'] == 0
    assert 0 < result['ratios']['resync_over_first']
    assert len(lines) == 14 and not any(line.strip().startswith('floor') for line in lines)
    assert evaluate_goals([result | {'fleet': {'name': 'M'}}])['first_over_floor_at_M']['met'] is None


def assert_targeted(targeted: list[dict[str, Any]]) -> None:
    """One guest changed each way, then synced alone: exactly its own writes, a handful of requests."""
    assert [entry['change'] for entry in targeted] == list(TARGETED_CHANGES)
    writes = {entry['change']: entry['writes'] for entry in targeted}
    for entry in targeted:
        assert entry['status'] == 'completed' and entry['writes_outside_scope'] == 0, entry['outside_scope_samples']
        assert 0 < entry['requests'] == entry['proxmox_requests'] + entry['netbox_requests'] <= 60, entry
    assert writes['renamed'] == writes['migrated'] == writes['disk resized'] == writes['deleted'] == 1
    assert writes['NIC added'] >= 3  # the interface, its MAC, its address (and the primary MAC)
    assert writes['created'] >= 4  # the VM, an interface, a MAC, a disk...


def assert_continuous(continuous: dict[str, Any]) -> None:
    """A no-change poll is two requests per cluster; every change is found by the next poll and synced."""
    assert continuous['poll_requests'] == 2 and 0 < continuous['poll_seconds'] < 5
    assert continuous['changes'] == 2 and continuous['missed'] == 0
    assert 0 < continuous['lag_seconds_median'] <= continuous['lag_seconds_max']


def fleet_result(name: str, first: float, floor: float, resync: float, writes: int, peak: float) -> dict[str, Any]:
    run = {'seconds': resync, 'writes': writes, 'status': 'completed', 'peak_rss_mib': peak}
    return {
        'fleet': {'name': name, 'guests': FLEETS[name].guests},
        'floor': {'seconds': floor},
        'first_sync': {**run, 'seconds': first},
        'resync': run,
        'resync_changed': run,
        'ratios': {'first_over_floor': round(first / floor, 4), 'resync_over_first': round(resync / first, 4)},
    }


class TestGoals:
    """The goals are judged at M (ratios, writes) and L (memory); a fleet not run gives no verdict."""

    def test_met_and_missed(self) -> None:
        goals = evaluate_goals([fleet_result('M', 120, 100, 5, 0, 300), fleet_result('L', 1200, 1000, 60, 0, 1100)])
        assert set(goals) == set(GOALS)
        assert goals['first_over_floor_at_M'] == {'value': 1.2, 'met': True, 'goal': GOALS['first_over_floor_at_M']}
        assert goals['resync_writes_at_M']['met'] is True
        assert goals['resync_over_first_at_M']['met'] is True  # 5 / 120
        assert goals['L_under_1GiB'] == {'value': 1100, 'met': False, 'goal': GOALS['L_under_1GiB']}

    def test_missed_at_m_and_not_run(self) -> None:
        goals = evaluate_goals([fleet_result('M', 140, 100, 10, 3, 300)])
        assert goals['first_over_floor_at_M']['met'] is False
        assert goals['resync_writes_at_M'] == {'value': 3, 'met': False, 'goal': GOALS['resync_writes_at_M']}
        assert goals['resync_over_first_at_M']['met'] is False  # 10 / 140 > 5 %
        assert goals['L_under_1GiB']['met'] is None

    def test_results_are_saved_with_a_latest_copy(self, tmp_path: Path) -> None:
        document = {'fleets': [fleet_result('S', 12, 10, 1, 0, 80)]}
        path = save_results(document, tmp_path / 'results', '20260101T000000Z')
        assert path.name == 'sync-20260101T000000Z.json'
        assert (
            json.loads(path.read_text()) == json.loads((tmp_path / 'results' / 'latest.json').read_text()) == document
        )


def test_one_percent_change_touches_one_guest_in_a_hundred() -> None:
    """Rename, reconfigure and migrate in turn, spread over the fleet; at least one guest."""
    fleet = FLEETS['S'].make()
    before = {g['vmid']: g for g in fleet.to_dict()['clusters'][0]['guests']}
    assert change_fraction(fleet, 0.03) == {'guests': 3, 'renamed': 1, 'reconfigured': 1, 'migrated': 1}
    after = {g['vmid']: g for g in fleet.to_dict()['clusters'][0]['guests']}
    differ = [vmid for vmid in before if before[vmid] != after[vmid]]
    assert len(differ) == 3
    first, second, third = (after[vmid] for vmid in differ)
    assert first['name'] == before[differ[0]]['name'] + '-renamed'
    assert second['memory_mib'] == before[differ[1]]['memory_mib'] + 1024
    assert third['node'] != before[differ[2]]['node']
    assert change_fraction(FLEETS['XS'].make(), 0.01)['guests'] == 1


@pytest.mark.django_db
def test_cpu_meter_counts_the_server_processes_and_its_database_backends() -> None:
    """The meter adds up a server's worker processes (children of its master) and its database's backends."""
    from django.db import connection

    meter = CpuMeter(os.getpid(), connection.settings_dict['NAME'], interval=0.05)
    burn = 'import time\nt = time.process_time()\nwhile time.process_time() - t < 0.5: pass\ntime.sleep(0.5)'
    meter.start()
    worker = subprocess.Popen([sys.executable, '-c', burn])
    with connection.cursor() as cursor:  # this test's own backend: a query that costs PostgreSQL CPU
        backend = cursor.execute('SELECT pg_backend_pid()').fetchone()[0]
        meter.seconds()  # a fresh sample, so the backend's figure before the query is known
        before = meter.seen.get(backend, 0.0)
        cursor.execute('SELECT count(*) FROM generate_series(1, 3000000)')
    worker.wait()
    meter.stop()
    assert meter.seen[worker.pid] >= 0.45
    assert meter.seen[backend] - before > 0.05
    assert meter.seconds() >= sum((meter.seen[worker.pid], meter.seen[backend])) - 0.01

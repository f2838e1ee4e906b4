"""
The end-to-end stack check: the whole stack on 127.0.0.1 with free ports (NetBox runserver, an RQ
worker, proxbox-api, one simulator per emulated Proxmox VE release), configured through the
plugin's REST API as a user would, three Full Updates started the way the button and the REST API
start them, and NetBox's contents read with pynetbox and held against the simulator's ground truth:

1. first Full Update: every cluster, node, VM, container, interface, MAC, VLAN, IP, disk,
   storage, snapshot, backup, backup job, replication and task is there, nothing else is
   (every object by key), and a sample matches field by field;
2. the fleet changes (rename, migrate, remove, add a guest, a new snapshot and backup, a node
   offline); the second Full Update makes exactly those changes, and nothing in the offline
   node's scope is pruned or altered;
3. a third Full Update of the unchanged fleet writes nothing: NetBox's changelog gains no entry.

Everything is torn down (processes, the cloned database, Redis) even when a step fails.

    eval "$(scripts/stack.sh env)"    # after `make testdb`
    python tests/e2e/e2e_stack_check.py [--versions 7.4,8.3,9.0] [--guests 12]

Exit status 0 when every check held, 1 otherwise; tests/e2e/test_e2e_stack.py runs the same check.
"""

import argparse
import os
import signal
import ssl
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if __package__ in (None, ''):  # run as a script: make `tests` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import httpx  # noqa: E402
import pynetbox  # noqa: E402

from tests.e2e.compare import Tally, compare, diff, sample_guests  # noqa: E402
from tests.e2e.observed import latest_changes, observe, synced_changes  # noqa: E402
from tests.e2e.oracle import KINDS, expect  # noqa: E402
from tests.e2e.scenario import after_changes, change_fleet, check_changes  # noqa: E402
from tests.fullupdate.stack import API_KEY, CLAIM_KEY, LiveStack, alive  # noqa: E402

__all__ = ('DEFAULT_VERSIONS', 'Report', 'run_check')

DEFAULT_VERSIONS = ('7.4', '8.3', '9.0')
DEFAULT_GUESTS = 12
Say = Callable[[str], None]
State = dict[str, dict[str, dict[str, Any]]]


@dataclass
class Report:
    versions: tuple[str, ...]
    clusters: list[str] = field(default_factory=list)
    tally: Tally = field(default_factory=Tally)
    counts: dict[str, list[int]] = field(default_factory=dict)  # kind -> objects after each sync
    changes: dict[str, dict[str, int]] = field(default_factory=dict)  # kind -> added/removed/changed in sync 2
    writes: list[int] = field(default_factory=list)  # per Full Update
    warnings: list[list[str]] = field(default_factory=list)  # per Full Update
    changelog: list[int] = field(default_factory=list)  # changelog entries per Full Update, but its run record
    seconds: float = 0.0
    teardown: list[str] = field(default_factory=list)  # what was left behind

    @property
    def ok(self) -> bool:
        return not self.tally.problems and not self.teardown


def fleets(versions: tuple[str, ...], guests: int, epoch: int) -> dict[str, list[str]]:
    """One simulator per release, each a two-node cluster of its own name and subnets."""
    return {
        f'pve{version.replace(".", "")}': [
            '--clusters', '1', '--nodes', '2', '--guests', str(guests), '--seed', str(40 + index),
            '--pve-version', version, '--first-index', str(index), '--epoch', str(epoch),
        ]
        for index, version in enumerate(versions)
    }  # fmt: skip


def _created(stack: LiveStack, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = stack.api('POST', f'/api/plugins/proxbox/endpoints/{path}/', json=body)
    if response.status_code != 201:
        raise RuntimeError(f'POST endpoints/{path}/ answered {response.status_code}: {response.text}')
    return dict(response.json())


def configure(stack: LiveStack) -> list[str]:
    """The NetBox, proxbox-api and Proxmox endpoints, created through the plugin's REST API."""
    sync_token = stack.info['tokens']['sync']
    _created(stack, 'netbox', {'base_url': stack.url + '/', 'token': sync_token, 'verify_ssl': False})
    _created(stack, 'proxbox-api', {'base_url': stack.api_url, 'api_key': API_KEY, 'timeout': 15})
    names = []
    for sim in stack.sims.values():
        for ep in sim['endpoints']:
            username, token_name = ep['token_id'].split('!')
            body = {'name': ep['cluster'], 'host': ep['host'], 'port': ep['port'], 'username': username,
                    'token_name': token_name, 'token_secret': ep['token_secret'], 'sync_interval': None,
                    'ca_certificate': Path(ep['cert_path']).read_text()}  # fmt: skip
            names.append(_created(stack, 'proxmox', body)['name'])
    return names


def _button(stack: LiveStack) -> int:
    """Log in as admin and press Full Update (all enabled endpoints), like the page's form does."""
    with httpx.Client(base_url=stack.url, timeout=60) as browser:
        browser.get('/login/')
        login = {'username': 'admin', 'password': stack.info['users']['admin']['password']}
        browser.post('/login/', data={**login, 'csrfmiddlewaretoken': browser.cookies['csrftoken']})
        answer = browser.post(
            '/plugins/proxbox/sync/start/', data={'csrfmiddlewaretoken': browser.cookies['csrftoken']}
        )
    location = answer.headers.get('location', '')
    if answer.status_code != 302 or '/sync-runs/' not in location:
        raise RuntimeError(f'Full Update button answered {answer.status_code} {location}')
    return int(location.rstrip('/').rsplit('/', 1)[-1])


def _rest(stack: LiveStack) -> int:
    answer = stack.api('POST', '/api/plugins/proxbox/sync/', json={})
    if answer.status_code != 202:
        raise RuntimeError(f'POST /sync/ answered {answer.status_code}: {answer.text}')
    return int(answer.json()['run']['id'])


def full_update(stack: LiveStack, via: str, timeout: float = 900) -> dict[str, Any]:
    """Start a Full Update (`button` or `api`), wait for it, and return the run; it must complete."""
    run_id = _button(stack) if via == 'button' else _rest(stack)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = dict(stack.api('GET', f'/api/plugins/proxbox/sync-runs/{run_id}/').json())
        if run['status']['value'] not in ('pending', 'running'):
            if run['status']['value'] != 'completed':
                raise RuntimeError(f'run {run_id} {run["status"]["value"]}: {run["error_summary"]}')
            return run
        time.sleep(1)
    raise RuntimeError(f'run {run_id} did not finish in {timeout} s:\n{stack.log("rqworker")}')


def writes(run: dict[str, Any], report: Report) -> int:
    """The run's writes; its warnings go to the report."""
    report.warnings.append([item['data']['message'] for item in run['events'] if item['event'] == 'warning'])
    finished = [item['data'] for item in run['events'] if item['event'] == 'run_finished']
    return int(finished[-1]['writes'])


def ground_truth(stack: LiveStack, clusters: list[str]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The simulators' dump of every cluster, and each online node's network as its Proxmox API lists it."""
    world: dict[str, Any] = {'clusters': []}
    networks: dict[str, Any] = {}
    for name in clusters:
        (cluster,) = stack.sim_control(name, 'GET', '/fleet', params={'cluster': name})['clusters']
        world['clusters'].append(cluster)
        ep = stack.sim_endpoint(name)
        auth = {'Authorization': f'PVEAPIToken={ep["token_id"]}={ep["token_secret"]}'}
        with httpx.Client(verify=ssl.create_default_context(cafile=ep['cert_path']), headers=auth, timeout=30) as pve:
            networks[name] = {
                node['name']: pve.get(f'https://127.0.0.1:{ep["port"]}/api2/json/nodes/{node["name"]}/network')
                .raise_for_status()
                .json()['data']
                for node in cluster['nodes']
                if node['online']
            }
    return world, networks


def _count(report: Report, seen: dict[str, Any]) -> None:
    for kind in KINDS:
        report.counts.setdefault(kind, []).append(len(seen[kind]))


def _sync(stack: LiveStack, api: pynetbox.api, via: str, report: Report) -> None:
    """One Full Update; records its writes, warnings and changelog entries (besides its run record)."""
    logged = synced_changes(api)
    run = full_update(stack, via)
    report.changelog.append(synced_changes(api) - logged)
    report.writes.append(writes(run, report))
    if report.changelog[-1] != report.writes[-1]:  # each write is one change NetBox logs
        report.tally.problems.append(
            f'Full Update {len(report.writes)}: {report.writes[-1]} writes reported, '
            f"{report.changelog[-1]} entries in NetBox's changelog"
        )


def _first(stack: LiveStack, api: pynetbox.api, report: Report) -> State:
    _sync(stack, api, 'button', report)
    world, networks = ground_truth(stack, report.clusters)
    before = observe(api)
    compare(expect(world, networks), before, sample_guests(world), report.tally, 'first sync')
    _count(report, before)
    return before


def _second(stack: LiveStack, api: pynetbox.api, report: Report, before: State) -> None:
    pick = report.clusters[1] if len(report.clusters) > 2 else report.clusters[0]
    world, _ = ground_truth(stack, report.clusters)
    change = change_fleet(stack, world, pick, report.clusters[-1])
    _sync(stack, api, 'api', report)
    world, networks = ground_truth(stack, report.clusters)
    after = observe(api)
    expected = after_changes(expect(world, networks), before, change)
    compare(expected, after, sample_guests(world, change.sample_keys()), report.tally, 'second sync')
    delta = diff(before, after)
    check_changes(change, before, after, delta, report.tally)
    report.changes = {kind: {what: len(keys) for what, keys in parts.items()} for kind, parts in delta.items()}
    _count(report, after)


def _third(stack: LiveStack, api: pynetbox.api, report: Report) -> None:
    """Nothing changed: no write, and no changelog entry but the run's own record."""
    _sync(stack, api, 'button', report)
    if report.writes[-1] or report.changelog[-1]:
        entries = latest_changes(api, report.changelog[-1] + 1)
        report.tally.problems.append(f'third sync: {report.writes[-1]} writes, changelog entries {entries}')
    _count(report, observe(api))


def _scenario(stack: LiveStack, report: Report, say: Say) -> None:
    report.clusters = configure(stack)
    api = pynetbox.api(stack.url, token=stack.info['tokens']['admin'])
    say(f'stack up; endpoints {", ".join(report.clusters)} created through the REST API; first Full Update')
    before = _first(stack, api, report)
    say('changing the fleet; second Full Update')
    _second(stack, api, report, before)
    say('third Full Update of the unchanged fleet')
    _third(stack, api, report)


def left_behind(stack: LiveStack, redis_base: int | None) -> list[str]:
    """Process groups still alive, the database, the Redis claim and the simulators' certificates
    still there after the stack stopped."""
    left = []
    for name, process in stack.processes.items():
        try:
            os.killpg(process.pid, 0)
            left.append(f'process group of {name} ({process.pid})')
        except ProcessLookupError:
            pass
        except PermissionError:
            left.append(f'process group of {name} ({process.pid})')
    left += [f'process {pid} (left its group)' for pid, started in stack.strays.items() if alive(pid, started)]
    with stack._pg() as pg:
        if pg.execute('SELECT 1 FROM pg_database WHERE datname = %s', (stack.db_name,)).fetchone():
            left.append(f'database {stack.db_name}')
    if redis_base is not None and stack._redis(redis_base).exists(CLAIM_KEY):
        left.append(f'Redis claim on database {redis_base}')
    certs = {Path(ep['cert_path']).parent for sim in stack.sims.values() for ep in sim['endpoints']}
    left += [f'simulator certificates in {folder}' for folder in sorted(certs) if folder.exists()]
    return left


def run_check(versions: tuple[str, ...], guests: int, workdir: Path, say: Say = print) -> Report:
    report = Report(versions)
    started = time.monotonic()
    epoch = int(time.time()) + 1800  # the fleet's week of history lies inside the default 7-day task window
    stack = LiveStack(workdir, fleets(versions, guests, epoch), name='e2e', configure=False)
    claimed = None
    try:
        with stack:
            claimed = stack.redis_base
            _scenario(stack, report, say)
    except (RuntimeError, httpx.HTTPError, pynetbox.RequestError, KeyboardInterrupt) as error:
        report.tally.problems.append(f'stopped: {error}')
    finally:
        report.teardown = left_behind(stack, claimed)
        report.seconds = time.monotonic() - started
    return report


def summary(report: Report) -> str:
    lines = [f'e2e stack check: Proxmox VE {", ".join(report.versions)}; clusters {", ".join(report.clusters)}']
    lines.append(f'{"kind":<16}{"sync 1":>8}{"sync 2":>8}{"sync 3":>8}{"added":>7}{"removed":>8}{"changed":>8}')
    for kind, counts in report.counts.items():
        change = report.changes.get(kind, {})
        row = ''.join(f'{count:>8}' for count in counts)
        lines.append(f'{kind:<16}{row}{change.get("added", 0):>7}{change.get("removed", 0):>8}'
                     f'{change.get("changed", 0):>8}')  # fmt: skip
    lines.append(f'objects asserted {report.tally.objects}, field values compared {report.tally.fields}')
    lines.append(f'writes per Full Update {report.writes}; changelog entries {report.changelog} (+1 run record each)')
    for number, messages in enumerate(report.warnings, start=1):
        lines += [f'  warning (Full Update {number}): {message}' for message in messages[:10]]
    lines.append(f'left behind after teardown: {", ".join(report.teardown) or "nothing"}')
    lines.append(f'{len(report.tally.problems)} problems; {report.seconds:.0f} s')
    lines += [f'  - {problem}' for problem in report.tally.problems[:50]]
    lines.append('PASSED' if report.ok else 'FAILED')
    return '\n'.join(lines)


class Terminated(RuntimeError):
    """SIGTERM, raised where the check is: the stack is unwound and stopped as for any failure."""


def _terminated(*_: object) -> None:
    raise Terminated('terminated (SIGTERM)')


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split('\n\n')[0], formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument('--versions', default=','.join(DEFAULT_VERSIONS), help='emulated releases, at least two')
    parser.add_argument('--guests', type=int, default=DEFAULT_GUESTS, help='guests per cluster (default 12)')
    parser.add_argument('--workdir', type=Path, help='where the logs go (default: a temporary folder)')
    args = parser.parse_args(argv)
    versions = tuple(v.strip() for v in args.versions.split(',') if v.strip())
    if len(versions) < 2 or args.guests < 6:
        parser.error('give at least two versions and six guests')
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix='proxbox-e2e-'))
    # A terminated check (a CI timeout, kill) tears the stack down like any failure, and still reports.
    signal.signal(signal.SIGTERM, _terminated)
    report = run_check(versions, args.guests, workdir, say=lambda text: print(f'[e2e] {text}', flush=True))  # noqa: T201
    print(summary(report))  # noqa: T201
    print(f'logs: {workdir}')  # noqa: T201
    return 0 if report.ok else 1


if __name__ == '__main__':
    sys.exit(main())

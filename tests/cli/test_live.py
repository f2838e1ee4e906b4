"""pxb against the real stack: NetBox (runserver), an RQ worker, proxbox-api and the simulator, each
its own process. Every command's output and exit code, including a wrong token, NetBox down,
proxbox-api down, an endpoint with bad credentials and a sync already running.

The tests share one stack and run in file order: the last one takes NetBox down for good.
"""

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from proxbox_cli.app import Injected
from proxbox_cli.main import app
from proxmox_sim.faults import FaultRule

from .live_stack import BAD_ENDPOINT, LiveStack, start_stack

pytestmark = pytest.mark.e2e

PXB = Path(sys.executable).parent / 'pxb'


@pytest.fixture(scope='module')
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveStack]:
    database = os.environ.get('NETBOX_TEST_DB_NAME', 'test_netbox') + '_e2e'
    live = start_stack(tmp_path_factory.mktemp('stack'), database)
    try:
        yield live
    finally:
        live.stop()


def pxb(stack: LiveStack, *args: str, **environ: str) -> Result:
    """``pxb ARGS`` in this process, against the stack, as its admin unless ``environ`` says otherwise."""
    injected = Injected(environ=stack.pxb_env(**environ))
    return CliRunner().invoke(app, list(args), obj=injected, catch_exceptions=False)


def pxb_process(stack: LiveStack, *args: str) -> subprocess.CompletedProcess[str]:
    """The installed console script, with stdout a pipe (so: no colours, no bars)."""
    env = {**os.environ, **stack.pxb_env()}
    return subprocess.run([str(PXB), *args], env=env, capture_output=True, text=True, timeout=120)


def _words(line: str) -> list[str]:
    return line.split()


def _sync_ok(stack: LiveStack, result: Result | subprocess.CompletedProcess[str], code: int = 0) -> None:
    exit_code = result.exit_code if isinstance(result, Result) else result.returncode
    assert exit_code == code, f'{result.stdout}\n{result.stderr}\n{stack.diagnostics()}'


class TestHealthy:
    """A healthy stack: status, endpoints, plan → apply, runs."""

    def test_status_is_all_green(self, stack: LiveStack) -> None:
        result = pxb(stack, 'status')
        _sync_ok(stack, result)
        lines = {' '.join(_words(line)[:2]): _words(line) for line in result.stdout.splitlines()}
        assert lines['NetBox ok'][2] == stack.netbox_url + ':'
        assert 'RQ worker' in lines and lines['RQ worker'][2] == 'ok'
        assert lines['proxbox-api ok'] and lines['endpoint alpha'][2] == 'ok'

    def test_endpoints_list(self, stack: LiveStack) -> None:
        result = pxb(stack, 'endpoints', 'list')
        _sync_ok(stack, result)
        rows = {_words(line)[1]: _words(line) for line in result.stdout.splitlines() if _words(line)[:1][0:1] and
                _words(line)[0].isdigit()}  # fmt: skip
        assert rows['alpha'][3:5] == ['token', 'root@pam!proxbox'] and rows['alpha'][-2:] == ['yes', 'yes']
        assert rows[BAD_ENDPOINT][-1] == 'no'  # disabled
        assert stack.sim.endpoints[0].token_secret not in result.stdout

    def test_endpoints_test_says_what_is_wrong(self, stack: LiveStack) -> None:
        good = pxb(stack, 'endpoints', 'test', 'alpha')
        _sync_ok(stack, good)
        assert _words(good.stdout)[:2] == ['alpha', 'ok']
        bad = pxb(stack, 'endpoints', 'test', BAD_ENDPOINT)
        _sync_ok(stack, bad, 1)
        assert _words(bad.stdout)[:2] == [BAD_ENDPOINT, 'FAIL']
        assert re.search(r'401|authenticat|credential|token', bad.stdout, re.I), bad.stdout

    def test_endpoints_add_and_test(self, stack: LiveStack, tmp_path: Path) -> None:
        sim = stack.sim.endpoints[0]
        ca = tmp_path / 'ca.pem'
        ca.write_text(Path(sim.cert_path).read_text())
        result = pxb(stack, 'endpoints', 'add', 'extra', '--host', sim.host, '--port', str(sim.port), '-u',
                     sim.username, '--password', sim.password, '--ca-file', str(ca), '--disabled')  # fmt: skip
        _sync_ok(stack, result)
        assert result.stdout.startswith('Added Proxmox endpoint extra (#')
        try:
            tested = pxb(stack, 'endpoints', 'test', 'extra')
            _sync_ok(stack, tested)
            again = pxb(stack, 'endpoints', 'add', 'extra', '--host', sim.host, '-u', 'nobody', '--password', 'x')
            _sync_ok(stack, again, 2)
            assert '  name: ' in again.stderr and '  username: ' in again.stderr
        finally:
            endpoint_id = re.search(r'#(\d+)', result.stdout)[1]  # type: ignore[index]
            stack.api('DELETE', f'api/plugins/proxbox/endpoints/proxmox/{endpoint_id}/')

    def test_plan_then_apply_exactly_it(self, stack: LiveStack) -> None:
        plan = pxb(stack, 'plan', '--endpoint', 'alpha')
        _sync_ok(stack, plan)
        creates = [_words(line) for line in plan.stdout.splitlines() if _words(line)[:1] == ['create']]
        assert any(row[1] == 'virtualmachine' for row in creates), plan.stdout
        preview = re.search(r'pxb sync --apply (\d+)', plan.stderr)
        assert preview, plan.stderr
        applied = pxb(stack, 'sync', '--apply', preview[1])
        _sync_ok(stack, applied)
        totals = next(_words(line) for line in applied.stdout.splitlines() if _words(line)[:1] == ['total'])
        assert int(totals[1]) >= len(creates) > 0 and totals[-1] == '0'  # created, and nothing failed
        vms = stack.api('GET', 'api/virtualization/virtual-machines/?tag=proxbox&limit=1').json()
        assert vms['count'] == stack.fleet.spec.guests

    def test_sync_json_from_the_console_script(self, stack: LiveStack) -> None:
        done = pxb_process(stack, 'sync', '--json')
        _sync_ok(stack, done)
        lines = [json.loads(line) for line in done.stdout.splitlines()]
        names = [line['event'] for line in lines]
        assert names[0] == 'accepted' and names[-2:] == ['run_finished', 'summary']
        assert {'stage_started', 'stage_finished'} <= set(names)
        summary = lines[-1]['data']
        assert summary['status'] == 'completed' and summary['exit_code'] == 0 and summary['trigger'] == 'cli'
        assert all(not counts.get('created') and not counts.get('failed') for counts in summary['counts'].values())
        assert '\x1b[' not in done.stderr and '\x1b[' not in done.stdout

    def test_runs_list_show_watch(self, stack: LiveStack) -> None:
        listed = pxb(stack, 'runs', 'list', '--json')
        _sync_ok(stack, listed)
        runs = [json.loads(line) for line in listed.stdout.splitlines()]
        assert [run['status'] for run in runs[:3]] == ['completed', 'completed', 'completed']
        assert [run['dry_run'] for run in runs[:3]] == [False, False, True]
        latest = runs[0]['id']
        shown = pxb(stack, 'runs', 'show', str(latest))
        _sync_ok(stack, shown)
        assert f'Sync #{latest}' in shown.stdout and 'cli' in shown.stdout
        watched = pxb(stack, 'runs', 'watch', str(latest), '--json')  # a finished run: its events replayed
        _sync_ok(stack, watched)
        assert json.loads(watched.stdout.splitlines()[-1])['data']['status'] == 'completed'
        missing = pxb(stack, 'runs', 'show', '999999')
        _sync_ok(stack, missing, 2)


class TestRefusals:
    """A sync already running, a wrong token, a user without the run permission."""

    def test_a_sync_already_running_then_cancel(self, stack: LiveStack) -> None:
        stack.fleet.set_faults([FaultRule(kind='latency', path='*', ms=1500)])
        try:
            started = pxb(stack, 'sync', '--no-wait')
            _sync_ok(stack, started)
            run_id = started.stdout.strip()
            assert run_id.isdigit()
            second = pxb(stack, 'sync')
            _sync_ok(stack, second, 4)
            assert f'pxb runs watch {run_id}' in second.stderr
            cancelled = pxb(stack, 'runs', 'cancel', run_id)
            _sync_ok(stack, cancelled)
            watched = pxb(stack, 'runs', 'watch', run_id)
            _sync_ok(stack, watched, 1)
            assert f'Sync #{run_id} cancelled' in watched.stdout
        finally:
            stack.fleet.set_faults([])
        again = pxb(stack, 'runs', 'cancel', run_id)
        _sync_ok(stack, again, 1)
        assert f'sync run {run_id} cannot be cancelled' in again.stderr

    @pytest.mark.parametrize(('token', 'message'), [('nbt_nosuchkey0.' + 'x' * 40, 'Invalid v2 token'),
                                                    ('f' * 40, 'Invalid v1 token')])  # fmt: skip
    def test_a_wrong_token(self, stack: LiveStack, token: str, message: str) -> None:
        result = pxb(stack, 'sync', PROXBOX_NETBOX_TOKEN=token)
        _sync_ok(stack, result, 2)
        assert f'error: NetBox rejected the token: {message}' in result.stderr
        assert token not in result.stdout + result.stderr
        status = pxb(stack, 'status', PROXBOX_NETBOX_TOKEN=token)
        _sync_ok(stack, status, 2)

    def test_a_user_without_the_run_permission(self, stack: LiveStack) -> None:
        listed = pxb(stack, 'runs', 'list', PROXBOX_NETBOX_TOKEN=stack.viewer_token)
        _sync_ok(stack, listed)
        refused = pxb(stack, 'sync', PROXBOX_NETBOX_TOKEN=stack.viewer_token)
        _sync_ok(stack, refused, 2)
        assert 'permission denied' in refused.stderr and 'run_sync' in refused.stderr


class TestFailures:
    """An endpoint with bad credentials, proxbox-api down, NetBox down (last: it stays down)."""

    def test_an_endpoint_with_bad_credentials(self, stack: LiveStack) -> None:
        bad = stack.api('GET', f'api/plugins/proxbox/endpoints/proxmox/?name={BAD_ENDPOINT}').json()['results'][0]
        stack.api('PATCH', f'api/plugins/proxbox/endpoints/proxmox/{bad["id"]}/', json={'enabled': True})
        try:
            status = pxb(stack, 'status')
            _sync_ok(stack, status, 1)
            line = next(line for line in status.stdout.splitlines() if BAD_ENDPOINT in line)
            assert _words(line)[2] == 'FAIL'
            synced = pxb(stack, 'sync', '--endpoint', BAD_ENDPOINT)
            _sync_ok(stack, synced, 1)
            assert 'Sync #' in synced.stdout and 'failed' in synced.stdout
            assert re.search(rf'{BAD_ENDPOINT}.*(401|authenticat|credential)', synced.stderr, re.I), synced.stderr
        finally:
            stack.api('PATCH', f'api/plugins/proxbox/endpoints/proxmox/{bad["id"]}/', json={'enabled': False})

    def test_proxbox_api_down(self, stack: LiveStack) -> None:
        with stack.stopped('proxbox-api'):
            status = pxb(stack, 'status')
            _sync_ok(stack, status, 1)
            line = next(line for line in status.stdout.splitlines() if line.startswith('proxbox-api'))
            assert _words(line)[1] == 'FAIL' and stack.api_url.rstrip('/') in line
            synced = pxb(stack, 'sync')
            _sync_ok(stack, synced, 1)
            assert 'proxbox-api' in synced.stderr + synced.stdout

    def test_netbox_down(self, stack: LiveStack) -> None:
        stack.services['netbox'].stop()
        status = pxb(stack, 'status')
        _sync_ok(stack, status, 1)
        assert status.stdout.startswith(f'NetBox   FAIL  cannot reach NetBox at {stack.netbox_url}: ')
        synced = pxb(stack, 'sync', '--json')
        _sync_ok(stack, synced, 1)
        error = json.loads(synced.stdout)
        assert error['event'] == 'error' and error['data']['kind'] == 'ConnectionFailed'
        assert 'cannot reach NetBox' in synced.stderr

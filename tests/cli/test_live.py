"""pxb against the real stack (tests/fullupdate's session ``live_stack``: NetBox runserver, an RQ
worker, proxbox-api and simulators, each its own process): every command's output and exit code,
including a wrong token, NetBox down, proxbox-api down, an endpoint with bad credentials and a
sync already running. Every test leaves the shared stack as it found it.
"""

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from proxbox_cli.app import Injected
from proxbox_cli.main import app
from tests.fullupdate.live import SMALL
from tests.fullupdate.stack import LiveStack, free_port

pytestmark = pytest.mark.e2e

PXB = Path(sys.executable).parent / 'pxb'
SIM = 'standalone'  # the simulator behind the small endpoint


@pytest.fixture
def stack(live_stack: LiveStack, tmp_path: Path) -> LiveStack:
    (tmp_path / 'pxb.toml').write_text('')
    live_stack.pxb_config = tmp_path / 'pxb.toml'  # type: ignore[attr-defined]
    return live_stack


def environ(stack: LiveStack, **overrides: str) -> dict[str, str]:
    base = {
        'PROXBOX_NETBOX_URL': stack.url,
        'PROXBOX_NETBOX_TOKEN': stack.info['tokens']['admin'],
        'PROXBOX_CONFIG': str(stack.pxb_config),  # type: ignore[attr-defined]
    }
    return {**base, **overrides}


def pxb(stack: LiveStack, *args: str, **overrides: str) -> Result:
    """``pxb ARGS`` in this process, against the stack, as its admin unless ``overrides`` say otherwise."""
    injected = Injected(environ=environ(stack, **overrides))
    return CliRunner().invoke(app, list(args), obj=injected, catch_exceptions=False)


def pxb_process(stack: LiveStack, *args: str) -> subprocess.CompletedProcess[str]:
    """The installed console script, with stdout a pipe (so: no colours, no bars)."""
    env = {**os.environ, **environ(stack)}
    return subprocess.run([str(PXB), *args], env=env, capture_output=True, text=True, timeout=300)


def expect(stack: LiveStack, result: Result | subprocess.CompletedProcess[str], code: int = 0) -> None:
    exit_code = result.exit_code if isinstance(result, Result) else result.returncode
    logs = '\n'.join(f'--- {name}\n{stack.log(name, 15)}' for name in ('netbox', 'rqworker', 'proxbox-api'))
    assert exit_code == code, f'exit {exit_code}\n{result.stdout}\n{result.stderr}\n{logs}'


def words(line: str) -> list[str]:
    return line.split()


def table_rows(stdout: str) -> list[list[str]]:
    """Rows of a pxb table whose first cell is an id."""
    return [words(line) for line in stdout.splitlines() if words(line)[:1] and words(line)[0].isdigit()]


@contextlib.contextmanager
def extra_endpoint(stack: LiveStack, **fields: Any) -> Iterator[dict[str, Any]]:
    """A Proxmox endpoint on the small simulator, deleted afterwards."""
    sim = stack.sims[SIM]['endpoints'][0]
    user, token_name = sim['token_id'].split('!')
    body = {'host': '127.0.0.1', 'port': sim['port'], 'username': user, 'token_name': token_name,
            'token_secret': sim['token_secret'], 'verify_ssl': False, 'sync_interval': None, **fields}  # fmt: skip
    created = stack.api('POST', '/api/plugins/proxbox/endpoints/proxmox/', json=body)
    assert created.status_code == 201, created.text
    try:
        yield created.json()
    finally:
        stack.api('DELETE', f'/api/plugins/proxbox/endpoints/proxmox/{created.json()["id"]}/')


@contextlib.contextmanager
def netbox_stopped(stack: LiveStack) -> Iterator[None]:
    """NetBox's process really down for the block, then started again and awaited."""
    process = stack.processes['netbox']
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)
    try:
        yield
    finally:
        stack.restart('netbox')


class TestHealthy:
    """A healthy stack: status, endpoints, sync --json, plan → apply, runs (in this order)."""

    def test_status_is_all_green(self, stack: LiveStack) -> None:
        result = pxb(stack, 'status')
        expect(stack, result)
        lines = {' '.join(words(line)[:2]): words(line) for line in result.stdout.splitlines()}
        assert lines['NetBox ok'][2] == stack.url + '/:'
        assert lines['RQ worker'][2] == 'ok' and lines['proxbox-api ok']
        assert lines[f'endpoint {SMALL}'][2] == 'ok'

    def test_endpoints_list_never_shows_a_secret(self, stack: LiveStack) -> None:
        result = pxb(stack, 'endpoints', 'list')
        expect(stack, result)
        rows = {row[1]: row for row in table_rows(result.stdout)}
        assert rows[SMALL][3:5] == ['token', stack.sims['standalone']['endpoints'][0]['token_id']]
        assert stack.sims['standalone']['endpoints'][0]['token_secret'] not in result.stdout

    def test_endpoints_add_then_test(self, stack: LiveStack, tmp_path: Path) -> None:
        sim = stack.sims['standalone']['endpoints'][0]
        ca = tmp_path / 'ca.pem'
        ca.write_text(Path(sim['cert_path']).read_text())
        args = ('endpoints', 'add', 'pxb-extra', '--host', '127.0.0.1', '--port', str(sim['port']), '-u',
                sim['username'], '--ca-file', str(ca), '--disabled')  # fmt: skip
        result = pxb(stack, *args, '--password', sim['password'])
        expect(stack, result)
        endpoint_id = re.search(r'Added Proxmox endpoint pxb-extra \(#(\d+)\)', result.stdout)
        assert endpoint_id, result.stdout
        try:
            tested = pxb(stack, 'endpoints', 'test', 'pxb-extra')
            expect(stack, tested)
            assert words(tested.stdout)[:2] == ['pxb-extra', 'ok'] and 'Proxmox VE' in tested.stdout
            again = pxb(stack, *args, '--password', 'x')
            expect(stack, again, 2)
            assert '  name: ' in again.stderr
        finally:
            stack.api('DELETE', f'/api/plugins/proxbox/endpoints/proxmox/{endpoint_id[1]}/')

    def test_sync_json_from_the_console_script(self, stack: LiveStack) -> None:
        done = pxb_process(stack, 'sync', '--endpoint', SMALL, '--json')
        expect(stack, done)
        lines = [json.loads(line) for line in done.stdout.splitlines()]
        names = [line['event'] for line in lines]
        assert names[0] == 'accepted' and names[-2:] == ['run_finished', 'summary']
        assert {'run_started', 'stage_started', 'stage_finished'} <= set(names)
        summary = lines[-1]['data']
        assert summary['status'] == 'completed' and summary['exit_code'] == 0 and summary['trigger'] == 'cli'
        assert summary['counts'] and all(not counts.get('failed') for counts in summary['counts'].values())
        finished = next(line['data'] for line in lines if line['event'] == 'run_finished')
        assert finished['status'] == 'completed' and set(finished['counts']) <= set(summary['counts'])
        assert '\x1b[' not in done.stdout + done.stderr  # stdout is a pipe: no colours anywhere

    def test_plan_shows_the_change_then_apply_writes_exactly_it(self, stack: LiveStack) -> None:
        vmid = stack.sim_control(SMALL, 'GET', '/fleet')['clusters'][0]['guests'][0]['vmid']
        stack.sim_control(SMALL, 'POST', f'/guests/{vmid}/rename', json={'name': 'renamed-by-pxb'})
        plan = pxb(stack, 'plan', '--endpoint', SMALL)
        expect(stack, plan)
        assert re.search(r'name: \S+ → renamed-by-pxb', plan.stdout), plan.stdout
        assert any(words(line)[:2] == ['update', 'virtualmachine'] for line in plan.stdout.splitlines())
        preview = re.search(r'pxb sync --apply (\d+)', plan.stderr)
        assert preview, plan.stderr
        applied = pxb(stack, 'sync', '--apply', preview[1])
        expect(stack, applied)
        totals = next(words(line) for line in applied.stdout.splitlines() if words(line)[:1] == ['total'])
        assert int(totals[2]) >= 1 and totals[-1] == '0'  # updated, and nothing failed
        found = stack.api('GET', '/api/virtualization/virtual-machines/', params={'name': 'renamed-by-pxb'}).json()
        assert found['count'] == 1
        again = pxb(stack, 'sync', '--apply', preview[1])  # a preview is applied once
        expect(stack, again, 2)
        assert 'already been applied' in again.stderr

    def test_runs_list_show_watch(self, stack: LiveStack) -> None:
        listed = pxb(stack, 'runs', 'list', '--limit', '3', '--json')
        expect(stack, listed)
        runs = [json.loads(line) for line in listed.stdout.splitlines()]
        assert [(run['dry_run'], run['trigger'], run['status']) for run in runs] == [
            (False, 'cli', 'completed'), (True, 'cli', 'completed'), (False, 'cli', 'completed')]  # fmt: skip
        latest = runs[0]['id']
        shown = pxb(stack, 'runs', 'show', str(latest))
        expect(stack, shown)
        assert f'Sync #{latest}' in shown.stdout and SMALL in shown.stdout and 'admin' in shown.stdout
        watched = pxb(stack, 'runs', 'watch', str(latest), '--json')  # finished: its stored events replayed
        expect(stack, watched)
        assert json.loads(watched.stdout.splitlines()[-1])['data']['status'] == 'completed'
        expect(stack, pxb(stack, 'runs', 'show', '999999'), 2)


class TestRefusals:
    """A sync already running (then cancelled), a wrong token, a user without the run permission."""

    def test_a_sync_already_running_then_cancel(self, stack: LiveStack) -> None:
        stack.sim_control(SMALL, 'POST', '/faults/add', json={'kind': 'latency', 'path': '/nodes/*', 'ms': 1500})
        try:
            started = pxb(stack, 'sync', '--endpoint', SMALL, '--no-wait')
            expect(stack, started)
            run_id = started.stdout.strip()
            assert run_id.isdigit(), started.stdout
            busy = pxb(stack, 'sync', '--endpoint', SMALL)
            expect(stack, busy, 4)
            assert 'already running' in busy.stderr and f'pxb runs watch {run_id}' in busy.stderr
            cancelled = pxb(stack, 'runs', 'cancel', run_id)
            expect(stack, cancelled)
            watched = pxb(stack, 'runs', 'watch', run_id)
            expect(stack, watched, 1)
            assert f'Sync #{run_id} cancelled' in watched.stdout
        finally:
            stack.sim_control(SMALL, 'DELETE', '/faults')
        again = pxb(stack, 'runs', 'cancel', run_id)
        expect(stack, again, 1)
        assert f'sync run {run_id} cannot be cancelled' in again.stderr

    @pytest.mark.parametrize(('token', 'message'), [('nbt_nosuchkey0.' + 'x' * 40, 'Invalid v2 token'),
                                                    ('f' * 40, 'Invalid v1 token')])  # fmt: skip
    def test_a_wrong_token(self, stack: LiveStack, token: str, message: str) -> None:
        result = pxb(stack, 'sync', PROXBOX_NETBOX_TOKEN=token)
        expect(stack, result, 2)
        assert f'error: NetBox rejected the token: {message}' in result.stderr
        assert token not in result.stdout + result.stderr
        status = pxb(stack, 'status', PROXBOX_NETBOX_TOKEN=token)
        expect(stack, status, 2)
        assert words(status.stdout)[:2] == ['NetBox', 'FAIL']

    def test_a_user_without_the_run_permission(self, stack: LiveStack) -> None:
        viewer = stack.info['tokens']['viewer']
        expect(stack, pxb(stack, 'runs', 'list', PROXBOX_NETBOX_TOKEN=viewer))
        refused = pxb(stack, 'sync', PROXBOX_NETBOX_TOKEN=viewer)
        expect(stack, refused, 2)
        assert 'permission denied' in refused.stderr and 'run_sync' in refused.stderr


class TestFailures:
    """An endpoint with bad credentials, proxbox-api down, NetBox down: exit 1 and what is wrong."""

    def test_an_endpoint_with_bad_credentials(self, stack: LiveStack) -> None:
        with extra_endpoint(stack, name='pxb-wrong-secret', token_secret='not-the-secret'):
            tested = pxb(stack, 'endpoints', 'test', 'pxb-wrong-secret')
            expect(stack, tested, 1)
            assert words(tested.stdout)[:2] == ['pxb-wrong-secret', 'FAIL'] and 'credentials' in tested.stdout
            status = pxb(stack, 'status')
            expect(stack, status, 1)
            line = next(line for line in status.stdout.splitlines() if 'pxb-wrong-secret' in line)
            assert words(line)[2] == 'FAIL'
            synced = pxb(stack, 'sync', '--endpoint', 'pxb-wrong-secret')
            expect(stack, synced, 1)
            assert 'failed' in synced.stdout and 'credentials' in synced.stderr
            assert 'not-the-secret' not in synced.stdout + synced.stderr + status.stdout

    def test_proxbox_api_down(self, stack: LiveStack) -> None:
        process = stack.processes['proxbox-api']
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        try:
            status = pxb(stack, 'status')
            expect(stack, status, 1)
            line = next(line for line in status.stdout.splitlines() if line.startswith('proxbox-api'))
            assert words(line)[1] == 'FAIL' and stack.api_url.rstrip('/') in line
            synced = pxb(stack, 'sync', '--endpoint', SMALL)
            expect(stack, synced, 1)
            assert 'proxbox-api' in synced.stderr
        finally:
            stack.restart('proxbox-api')  # the same command and environment (the notify key too)

    def test_netbox_down(self, stack: LiveStack) -> None:
        with netbox_stopped(stack):
            status = pxb(stack, 'status')
            expect(stack, status, 1)
            assert status.stdout.startswith(f'NetBox   FAIL  cannot reach NetBox at {stack.url}/: ')
            synced = pxb(stack, 'sync', '--json')
            expect(stack, synced, 1)
            error = json.loads(synced.stdout)
            assert error['event'] == 'error' and error['data']['kind'] == 'ConnectionFailed'
            assert 'cannot reach NetBox' in synced.stderr
        expect(stack, pxb(stack, 'status'))  # back, and all green again

    def test_nothing_listens_at_the_url(self, stack: LiveStack) -> None:
        result = pxb(stack, 'runs', 'list', PROXBOX_NETBOX_URL=f'http://127.0.0.1:{free_port()}')
        expect(stack, result, 1)
        assert 'Connection refused' in result.stderr

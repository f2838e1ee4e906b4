"""``pxb sync`` and ``pxb plan`` against the plugin's REST contract: what they send, print and exit with."""

import json

from .fake_plugin import V2_TOKEN, FakePlugin, run_script


def _lines(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


class TestSync:
    """A sync starts through POST sync/, follows the event stream, and ends with the run's counts."""

    def test_success_prints_counts_on_stdout_and_progress_on_stderr(self, pxb, plugin: FakePlugin) -> None:
        result = pxb('sync')
        assert result.exit_code == 0, result.stderr
        assert json.loads(plugin.seen('POST', '/sync/')[0].content) == {'dry_run': False, 'trigger': 'cli'}
        assert 'Sync #1 completed in 1.5 s' in result.stdout
        row = next(line for line in result.stdout.splitlines() if line.split() and line.split()[0] == 'virtualmachine')
        assert row.split()[1:] == ['1', '1', '0', '3', '0', '0']
        assert 'Sync #1 started (job 41)' in result.stderr
        assert 'apply: finished in 0.8 s' in result.stderr and 'warning: node pve2 has no IP' in result.stderr
        assert 'started' not in result.stdout  # progress never mixes with results

    def test_endpoint_names_are_resolved_to_ids(self, pxb, plugin: FakePlugin) -> None:
        result = pxb('sync', '--endpoint', 'bravo', '-e', 'alpha', '-e', 'bravo')
        assert result.exit_code == 0, result.stderr
        assert json.loads(plugin.seen('POST', '/sync/')[0].content) == {
            'dry_run': False,
            'trigger': 'cli',
            'endpoints': [2, 1],
        }

    def test_unknown_endpoint_is_a_usage_error_naming_the_known_ones(self, pxb, plugin: FakePlugin) -> None:
        result = pxb('sync', '--endpoint', 'charlie')
        assert result.exit_code == 2
        assert "no Proxmox endpoint named 'charlie' (known: alpha, bravo)" in result.stderr
        assert not plugin.seen('POST', '/sync/')

    def test_object_errors_exit_3(self, pxb, plugin: FakePlugin) -> None:
        plugin.script = run_script('partial', failed=1)
        result = pxb('sync')
        assert result.exit_code == 3
        assert 'Sync #1 partial' in result.stdout and 'error: vm web-2: name already taken' in result.stderr

    def test_failed_sync_exits_1_with_the_reason(self, pxb, plugin: FakePlugin) -> None:
        plugin.script = run_script('failed')
        result = pxb('sync')
        assert result.exit_code == 1
        assert 'error: Proxmox endpoint alpha: 401 authentication failure\n  fix: Check the API token' in result.stderr
        assert 'Sync #1 failed' in result.stdout

    def test_a_running_sync_refuses_with_exit_4(self, pxb, plugin: FakePlugin) -> None:
        plugin.add_run('running')
        result = pxb('sync')
        assert result.exit_code == 4
        assert 'error: A sync is already running.' in result.stderr
        assert 'pxb runs watch 1' in result.stderr

    def test_no_wait_prints_only_the_run_id_on_stdout(self, pxb, plugin: FakePlugin) -> None:
        result = pxb('sync', '--no-wait')
        assert result.exit_code == 0
        assert result.stdout == '1\n'
        assert not plugin.seen('GET', '/events/')

    def test_apply_sends_the_preview_id(self, pxb, plugin: FakePlugin) -> None:
        result = pxb('sync', '--apply', '7')
        assert result.exit_code == 0, result.stderr
        assert json.loads(plugin.seen('POST', '/sync/')[0].content) == {
            'dry_run': False,
            'trigger': 'cli',
            'apply_run': 7,
        }

    def test_a_targeted_sync_sends_its_scope(self, pxb, plugin: FakePlugin) -> None:
        for args, scope in (
            (('--guest', 'pve-a/100'), {'cluster': 'pve-a', 'vmid': 100}),
            (('--node', 'pve-a/pve1'), {'cluster': 'pve-a', 'node': 'pve1'}),
            (('--cluster', 'pve-a'), {'cluster': 'pve-a'}),
            (('--cluster', 'pve-a', '--family', 'storage', '--family', 'backups'),
             {'cluster': 'pve-a', 'families': ['storage', 'backups']}),
        ):  # fmt: skip
            plugin.runs.clear()
            result = pxb('sync', *args)
            assert result.exit_code == 0, result.stderr
            assert json.loads(plugin.seen('POST', '/sync/')[-1].content)['scope'] == scope
        assert pxb('plan', '--guest', 'pve-a/7').exit_code == 0
        assert json.loads(plugin.seen('POST', '/sync/')[-1].content)['scope'] == {'cluster': 'pve-a', 'vmid': 7}

    def test_a_bad_or_double_scope_is_a_usage_error(self, pxb, plugin: FakePlugin) -> None:
        for args, message in (
            (('--guest', 'pve-a/web'), 'numeric VMID'),
            (('--guest', '100'), 'CLUSTER/VMID'),
            (('--node', 'pve-a'), 'CLUSTER/NODE'),
            (('--guest', 'pve-a/100', '--cluster', 'pve-a'), 'give one'),
            (('--guest', 'pve-a/100', '--family', 'backups'), '--family narrows a --cluster'),
            (
                (
                    '--family',
                    'backups',
                ),
                '--family narrows a --cluster',
            ),
            (('--apply', '7', '--guest', 'pve-a/100'), '--apply'),
        ):
            result = pxb('sync', *args)
            assert result.exit_code == 2 and message in result.stderr, (args, result.stderr)
        assert not plugin.requests

    def test_apply_with_dry_run_is_a_usage_error(self, pxb, plugin: FakePlugin) -> None:
        result = pxb('sync', '--apply', '7', '--dry-run')
        assert result.exit_code == 2 and '--apply' in result.stderr
        assert not plugin.requests

    def test_without_permission_exit_2(self, pxb, plugin: FakePlugin) -> None:
        plugin.can_run = False
        result = pxb('sync')
        assert result.exit_code == 2
        assert 'permission denied: You do not have permission' in result.stderr

    def test_the_token_appears_nowhere(self, pxb, plugin: FakePlugin) -> None:
        plugin.script = run_script('failed')
        result = pxb('sync', '--json')
        secret = V2_TOKEN.split('.')[1]
        assert secret not in result.stdout and secret not in result.stderr

    def test_ctrl_c_stops_following_and_leaves_the_sync_running(self, pxb, plugin: FakePlugin) -> None:
        def interrupt(request, pk):
            raise KeyboardInterrupt

        plugin.stream = interrupt  # type: ignore[method-assign]
        result = pxb('sync')
        assert result.exit_code == 130
        assert 'stopped following sync run 1; it goes on in NetBox (pxb runs cancel 1)' in result.stderr
        assert not plugin.seen('POST', '/cancel/')


class TestSyncJson:
    """``--json`` prints one JSON object per line on stdout: accepted, every event, then summary."""

    def test_events_and_summary_as_json_lines(self, pxb) -> None:
        result = pxb('sync', '--json')
        assert result.exit_code == 0
        lines = _lines(result.stdout)
        run = {'id': 1, 'url': 'http://nb/api/plugins/proxbox/sync-runs/1/', 'dry_run': False}
        job = {'id': 41, 'url': 'http://nb/api/core/jobs/41/', 'status': 'pending'}
        assert lines[0] == {'event': 'accepted', 'data': {'run': run, 'job': job}}
        names = [line['event'] for line in lines]
        assert names[1] == 'run_started' and names[-2:] == ['run_finished', 'summary']
        progress = next(line for line in lines if line['event'] == 'progress')
        assert progress['data'] == {'id': 10, 'stage': 'apply', 'kind': 'virtualization.virtualmachine',
                                    'done': 2, 'total': 2}  # fmt: skip
        summary = lines[-1]['data']
        assert summary['status'] == 'completed' and summary['exit_code'] == 0
        assert summary['counts']['dcim.device'] == {'unchanged': 2}
        assert result.stderr == ''

    def test_errors_are_a_json_line_too(self, pxb, plugin: FakePlugin) -> None:
        plugin.add_run('running')
        result = pxb('sync', '--json')
        assert result.exit_code == 4
        assert _lines(result.stdout) == [{'event': 'error', 'data': {'message': 'A sync is already running.',
                                          'kind': 'SyncAlreadyRunning', 'exit_code': 4, 'run': 1}}]  # fmt: skip

    def test_no_wait_json_is_the_accepted_line(self, pxb) -> None:
        result = pxb('sync', '--no-wait', '--json')
        assert [line['event'] for line in _lines(result.stdout)] == ['accepted']


class TestSyncOnATerminal:
    """On a terminal, each stage gets a progress bar on stderr; stdout keeps the summary."""

    def test_progress_bars_per_stage(self, pxb) -> None:
        result = pxb('sync', interactive=True)
        assert result.exit_code == 0
        for stage in ('proxmox', 'netbox', 'plan', 'apply'):
            assert f'{stage} ✓' in result.stderr
        assert '\x1b[' in result.stderr  # coloured
        assert 'Sync #1' in result.stdout


class TestPlan:
    """``pxb plan`` runs a preview and prints its stored plan as a diff table."""

    def test_diff_table(self, pxb, plugin: FakePlugin) -> None:
        result = pxb('plan', '--endpoint', 'alpha')
        assert result.exit_code == 0, result.stderr
        assert json.loads(plugin.seen('POST', '/sync/')[0].content) == {
            'dry_run': True,
            'trigger': 'cli',
            'endpoints': [1],
        }
        out = result.stdout
        assert 'Preview #1 completed' in out
        assert 'vcpus: 2 → 4' in out and 'memory: 2048 → 4096' in out
        assert 'name=web-1, status=active, vcpus=2, cluster=alpha' in out
        assert 'gone from Proxmox for 9 days (grace 7)' in out
        assert 'a device named pve3 was made by hand' in out
        actions = [line.split()[0] for line in out.splitlines() if line.split() and line.split()[0] in
                   ('create', 'update', 'delete', 'conflict')]  # fmt: skip
        assert actions == ['create', 'update', 'delete', 'conflict']
        assert 'pxb sync --apply 1' in result.stderr

    def test_a_failed_preview_says_there_is_no_plan(self, pxb, plugin: FakePlugin) -> None:
        plugin.script = run_script('failed')
        result = pxb('plan')
        assert result.exit_code == 1
        assert 'Preview #1 failed' in result.stdout and 'No plan was made.' in result.stdout
        assert 'No changes' not in result.stdout and 'pxb sync --apply' not in result.stderr

    def test_plan_json_ends_with_the_plan(self, pxb) -> None:
        lines = _lines(pxb('plan', '--json').stdout)
        assert [line['event'] for line in lines[-2:]] == ['summary', 'plan']
        assert len(lines[-1]['data']['operations']) == 4

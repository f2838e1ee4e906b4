"""``pxb runs``, ``endpoints``, ``status``, ``config``, ``sim`` and ``--help``: output and exit codes."""

import json

from .fake_plugin import V2_TOKEN, FakePlugin


class TestHelp:
    """``pxb --help`` documents the configuration precedence and every exit code."""

    def test_exit_codes_are_documented(self, pxb) -> None:
        result = pxb('--help')
        assert result.exit_code == 0
        lines = [line.split(maxsplit=1) for line in result.stdout.splitlines()]
        assert ['0', 'success'] in lines
        for code, start in (('1', 'the sync failed'), ('2', 'usage or configuration'), ('3', 'the sync finished'),
                            ('4', 'refused: a sync is already running')):  # fmt: skip
            assert any(line[0] == code and line[1].startswith(start) for line in lines if len(line) == 2)
        assert 'PROXBOX_NETBOX_TOKEN' in result.stdout and 'config.toml' in result.stdout

    def test_unknown_option_is_exit_2(self, pxb) -> None:
        assert pxb('sync', '--frobnicate').exit_code == 2


class TestRuns:
    """runs list / show / watch / cancel."""

    def test_list(self, pxb, plugin: FakePlugin) -> None:
        plugin.add_run('completed', counts={'virtualization.virtualmachine': {'created': 3, 'failed': 1}}, duration=2.0)
        plugin.add_run('running', dry_run=True)
        result = pxb('runs', 'list')
        assert result.exit_code == 0
        rows = [line.split() for line in result.stdout.splitlines() if line.split() and line.split()[0].isdigit()]
        assert [row[:3] for row in rows] == [['2', 'preview', 'running'], ['1', 'sync', 'completed']]
        assert rows[1][-4:] == ['2.0', 's', '3', '1']
        params = plugin.seen('GET', '/sync-runs/')[0].url.params
        assert params['limit'] == '20' and params['ordering'] == '-created'
        assert params['omit'] == 'plan,events'  # NetBox's way to leave the bulky fields out of a list

    def test_list_filters_and_json(self, pxb, plugin: FakePlugin) -> None:
        plugin.add_run('failed')
        plugin.add_run('completed')
        result = pxb('runs', 'list', '--status', 'failed', '--json')
        assert [json.loads(line)['id'] for line in result.stdout.splitlines()] == [1]
        assert json.loads(result.stdout)['status'] == 'failed'

    def test_list_refuses_an_unknown_status(self, pxb) -> None:
        result = pxb('runs', 'list', '--status', 'done')
        assert result.exit_code == 2 and 'one of pending, running' in result.stderr

    def test_show(self, pxb, plugin: FakePlugin) -> None:
        plugin.add_run('partial', error_summary='vm web-2: name already taken', stage_durations={'apply': 0.8},
                       counts={'dcim.device': {'updated': 2}}, endpoints=[{'id': 1, 'name': 'alpha'}])  # fmt: skip
        result = pxb('runs', 'show', '1')
        assert result.exit_code == 0
        out = result.stdout
        for text in ('Sync #1', 'partial', 'alpha', 'admin', 'apply 0.8 s', 'vm web-2: name already taken'):
            assert text in out
        assert ['device', '0', '2', '0', '0', '0', '0'] in [line.split() for line in out.splitlines()]

    def test_show_json(self, pxb, plugin: FakePlugin) -> None:
        plugin.add_run('completed')
        data = json.loads(pxb('runs', 'show', '1', '--json').stdout)
        assert data['id'] == 1 and data['status'] == 'completed' and data['trigger'] == 'api'

    def test_show_unknown_is_exit_2(self, pxb) -> None:
        result = pxb('runs', 'show', '5')
        assert result.exit_code == 2 and 'No SyncRun matches the given query.' in result.stderr

    def test_watch_follows_a_running_sync(self, pxb, plugin: FakePlugin) -> None:
        started = json.loads(FakePlugin.start(plugin, {}).content)
        result = pxb('runs', 'watch', str(started['run']['id']), '--json')
        assert result.exit_code == 0
        assert json.loads(result.stdout.splitlines()[-1])['data']['status'] == 'completed'

    def test_cancel(self, pxb, plugin: FakePlugin) -> None:
        plugin.add_run('running')
        result = pxb('runs', 'cancel', '1')
        assert result.exit_code == 0 and 'Cancellation of sync run 1 requested.' in result.stdout
        assert plugin.runs[1]['status']['value'] == 'cancelled'

    def test_cancel_a_finished_run_is_exit_1(self, pxb, plugin: FakePlugin) -> None:
        plugin.add_run('completed')
        result = pxb('runs', 'cancel', '1')
        assert result.exit_code == 1
        assert 'sync run 1 cannot be cancelled: This run has already finished.' in result.stderr


class TestEndpoints:
    """endpoints list / add / test."""

    def test_list(self, pxb) -> None:
        result = pxb('endpoints', 'list')
        assert result.exit_code == 0
        lines = [line.split() for line in result.stdout.splitlines()]
        assert ['1', 'alpha', '10.0.0.1:8006', 'token', 'root@pam!proxbox', 'yes', 'yes'] in lines
        assert ['2', 'bravo', 'pve.example.com:8006', 'password', 'root@pam', 'no', 'yes'] in lines

    def test_add_with_a_token_from_the_environment(self, pxb, plugin: FakePlugin) -> None:
        args = ('endpoints', 'add', 'charlie', '--host', 'pve-c', '-u', 'sync@pve', '--token-name', 'pxb')
        result = pxb(*args, '--no-verify-tls', '--timeout', '10')
        assert result.exit_code == 2 and 'no terminal to ask on' in result.stderr  # and no secret anywhere
        assert not plugin.seen('POST', '/endpoints/proxmox/')
        result = pxb(*args, env={'PROXBOX_ENDPOINT_TOKEN_SECRET': 'sekrit-value'})
        assert result.exit_code == 0, result.stderr
        assert 'Added Proxmox endpoint charlie (#3) at pve-c:8006.' in result.stdout
        assert 'pxb endpoints test charlie' in result.stderr
        body = json.loads(plugin.seen('POST', '/endpoints/proxmox/')[-1].content)
        assert body['token_name'] == 'pxb' and body['token_secret'] == 'sekrit-value' and body['password'] == ''
        assert body['verify_ssl'] is True and 'timeout' not in body
        assert 'sekrit-value' not in result.stdout + result.stderr

    def test_add_asks_for_the_secret_on_a_terminal(self, pxb, plugin: FakePlugin, monkeypatch) -> None:
        monkeypatch.setattr('proxbox_cli.commands.endpoints._stdin_is_terminal', lambda: True)
        result = pxb('endpoints', 'add', 'd', '--host', 'h', '-u', 'root@pam', '--no-verify-tls', '--timeout', '10',
                     input='pass-word\n')  # fmt: skip
        assert result.exit_code == 0, result.stderr
        body = json.loads(plugin.seen('POST', '/endpoints/proxmox/')[-1].content)
        assert body['password'] == 'pass-word' and body['token_secret'] == ''
        assert body['verify_ssl'] is False and body['timeout'] == 10
        assert 'pass-word' not in result.stdout

    def test_add_refused_lists_the_field_errors(self, pxb, plugin: FakePlugin) -> None:
        result = pxb('endpoints', 'add', 'alpha', '--host', 'h', '-u', 'root', '--password', 'pw')
        assert result.exit_code == 2
        assert '  name: Proxmox endpoint with this name already exists.' in result.stderr
        assert '  username: Use the form user@realm, e.g. root@pam' in result.stderr

    def test_add_reads_the_ca_file(self, pxb, plugin: FakePlugin, tmp_path) -> None:
        ca = tmp_path / 'ca.pem'
        ca.write_text('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n')
        result = pxb('endpoints', 'add', 'c', '--host', 'h', '-u', 'root@pam', '--password', 'pw', '--ca-file', str(ca))
        assert result.exit_code == 0, result.stderr
        assert (
            'BEGIN CERTIFICATE' in json.loads(plugin.seen('POST', '/endpoints/proxmox/')[-1].content)['ca_certificate']
        )
        ca.write_text('not a certificate')
        result = pxb('endpoints', 'add', 'd', '--host', 'h', '-u', 'root@pam', '--password', 'pw', '--ca-file', str(ca))
        assert result.exit_code == 2 and 'holds no PEM certificate' in result.stderr

    def test_test_ok_and_failing(self, pxb, plugin: FakePlugin) -> None:
        result = pxb('endpoints', 'test', 'alpha')
        assert result.exit_code == 0 and result.stdout.split()[:2] == ['alpha', 'ok']
        plugin.tests['bravo'] = (False, 'authentication failed: 401 permission denied - invalid PVE ticket')
        result = pxb('endpoints', 'test', 'bravo')
        assert result.exit_code == 1
        assert 'bravo FAIL  authentication failed: 401 permission denied - invalid PVE ticket' in result.stdout
        assert plugin.seen('POST', '/endpoints/proxmox/2/test/')

    def test_test_json_and_unknown_name(self, pxb) -> None:
        assert json.loads(pxb('endpoints', 'test', 'alpha', '--json').stdout)['ok'] is True
        result = pxb('endpoints', 'test', 'zulu')
        assert result.exit_code == 2 and "no Proxmox endpoint named 'zulu'" in result.stderr


class TestStatus:
    """One line per component; exit 0 when all are ok, 1 when any is not, 2 for a rejected token."""

    def test_all_ok(self, pxb) -> None:
        result = pxb('status')
        assert result.exit_code == 0
        assert [line.split()[:2] for line in result.stdout.splitlines()] == [
            ['NetBox', 'ok'], ['RQ', 'worker'], ['proxbox-api', 'ok'], ['endpoint', 'alpha']]  # fmt: skip
        assert 'http://nb/: NetBox 4.7.3' in result.stdout

    def test_a_failing_component(self, pxb, plugin: FakePlugin) -> None:
        plugin.status_report['worker'] = {'ok': False, 'detail': 'no RQ worker is listening on queue default'}
        result = pxb('status')
        assert result.exit_code == 1
        worker = result.stdout.splitlines()[1]
        assert ' '.join(worker.split()) == 'RQ worker FAIL no RQ worker is listening on queue default'

    def test_json(self, pxb) -> None:
        lines = [json.loads(line) for line in pxb('status', '--json').stdout.splitlines()]
        assert lines[2] == {
            'component': 'proxbox-api',
            'ok': True,
            'detail': 'http://127.0.0.1:8800/ (proxbox-api 0.1.0)',
        }

    def test_wrong_token(self, pxb) -> None:
        result = pxb('status', environ={'PROXBOX_NETBOX_TOKEN': 'nbt_other.' + 'Q' * 40})
        assert result.exit_code == 2
        assert result.stdout.startswith('NetBox   FAIL  NetBox rejected the token: Invalid v2 token')

    def test_plugin_missing(self, pxb, plugin: FakePlugin) -> None:
        plugin.route = lambda request, path: __import__('httpx').Response(404, json={'detail': 'Not found.'})  # type: ignore[method-assign]
        result = pxb('status')
        assert result.exit_code == 1 and 'has no Proxbox status API' in result.stdout


class TestConfig:
    """``pxb config`` shows where settings come from, never the token."""

    def test_show(self, pxb, config_file) -> None:
        config_file.write_text('timeout = 12\n')
        result = pxb('config', 'show', '--help')
        assert result.exit_code == 0
        result = pxb('--verify-tls', 'config', 'show')
        assert result.exit_code == 0
        rows = {line.split()[0]: line.split()[1:] for line in result.stdout.splitlines()[3:] if line.strip()}
        assert rows['netbox_token'] == ['set', '(v2', 'token)', 'PROXBOX_NETBOX_TOKEN']
        assert rows['timeout'] == ['12', 's', str(config_file)]
        assert rows['verify_tls'] == ['true', 'command', 'line']
        assert V2_TOKEN.split('.')[1] not in result.stdout

    def test_path(self, pxb, config_file) -> None:
        assert pxb('config', 'path').stdout == f'{config_file}\n'

    def test_missing_settings_are_exit_2(self, pxb) -> None:
        result = pxb('runs', 'list', environ={'PROXBOX_NETBOX_URL': ''})
        assert result.exit_code == 2
        assert 'error: netbox_url is not set: pass --netbox-url, set PROXBOX_NETBOX_URL' in result.stderr


class TestSim:
    """``pxb sim`` is the simulator's own command line."""

    def test_passes_its_arguments(self, pxb) -> None:
        result = pxb('sim', '--help')
        assert result.exit_code == 0 and '--write-endpoints' in result.stdout

    def test_its_errors_keep_their_exit_code(self, pxb) -> None:
        result = pxb('sim', '--pve-version', '6.0', '--quiet')
        assert result.exit_code == 2 and 'proxmox_sim:' in result.stderr

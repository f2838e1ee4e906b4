"""Command-line contract: ``python -m proxmox_sim`` serves the fleet and writes the endpoints file."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from proxmoxer import ProxmoxAPI

from proxmox_sim.cli import build_parser, main

ROOT = Path(__file__).resolve().parents[2]


def _wait_for(path: Path, process: subprocess.Popen[str], timeout: float = 20) -> dict[str, object]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists():
            return json.loads(path.read_text())
        if process.poll() is not None:
            raise AssertionError(f'simulator exited: {process.communicate()}')
        time.sleep(0.05)
    raise AssertionError('no endpoints file')


def test_subprocess_serves_the_fleet(tmp_path: Path) -> None:
    endpoints_file = tmp_path / 'endpoints.json'
    command = [sys.executable, '-m', 'proxmox_sim', '--clusters', '2', '--nodes', '2', '--standalone', '1',
               '--guests', '50', '--seed', '1', '--pve-version', '9.1', '--port', '0',
               '--write-endpoints', str(endpoints_file), '--fault', 'latency:/nodes/*,ms=1']  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        document = _wait_for(endpoints_file, process)
        endpoints = document['endpoints']
        assert isinstance(endpoints, list) and [e['cluster'] for e in endpoints] == ['alpha', 'bravo', 'solo-charlie']
        assert document['pid'] == process.pid and document['spec']['guests'] == 50  # type: ignore[index]
        total = 0
        for endpoint in endpoints:
            assert endpoint['url'] == f'https://127.0.0.1:{endpoint["port"]}/api2/json'
            assert endpoint['token_id'] == 'root@pam!proxbox' and Path(endpoint['cert_path']).exists()
            api = ProxmoxAPI('127.0.0.1', port=endpoint['port'], user='root@pam', token_name='proxbox',
                             token_value=endpoint['token_secret'], verify_ssl=False)  # fmt: skip
            assert api.version.get()['version'] == '9.1.0'
            total += len(api.cluster.resources.get(type='vm'))
            ticket = ProxmoxAPI('127.0.0.1', port=endpoint['port'], user=endpoint['username'],
                                password=endpoint['password'], verify_ssl=endpoint['cert_path'])  # fmt: skip
            assert [n['node'] for n in ticket.nodes.get()] == endpoint['nodes']
        assert total == 50
    finally:
        process.send_signal(signal.SIGTERM)
        stdout, _ = process.communicate(timeout=10)
    assert process.returncode == 0
    assert 'PVEAPIToken=root@pam!proxbox=' in stdout


def test_main_rejects_bad_sizes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(['--clusters', '0']) == 2
    assert 'at least one cluster' in capsys.readouterr().err
    assert main(['--fault', 'explode:/x']) == 2


def test_parser_defaults() -> None:
    args = build_parser().parse_args([])
    assert (args.clusters, args.nodes, args.guests, args.port, args.pve_version) == (1, 3, 30, 0, '8.3')
    assert (args.first_index, args.epoch) == (0, 1767225600)


def test_parser_first_index_and_epoch_now() -> None:
    before = int(time.time())
    args = build_parser().parse_args(['--first-index', '2', '--epoch', 'now'])
    assert args.first_index == 2 and before <= args.epoch <= int(time.time())
    assert build_parser().parse_args(['--epoch', '1800000000']).epoch == 1800000000

"""
The distribution as users get it: `uv build` makes an sdist and, from it, a wheel; `twine check`
passes on both; the wheel holds every module, template, static file, migration and `py.typed`
marker of the four packages; installed into a fresh NetBox 4.7.3 virtualenv (as users install
the plugin: no extras), it changes no package NetBox pins, and neither do the `api` and `cli`
extras; the installed `proxbox-api` console script runs.

Uses uv's cache, so after the first run it takes well under a minute; `-m "not packaging"` skips it.
"""

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.packaging

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ('netbox_proxbox', 'proxbox_api', 'proxbox_cli', 'proxmox_sim')
NETBOX = 'netbox==4.7.3'
# As scripts/stack.sh: NetBox pins psycopg[c]; the binary wheel of the same release needs no compiler.
PSYCOPG_OVERRIDE = 'psycopg[binary,pool]==3.3.6'


def uv() -> str:
    found = shutil.which('uv', path=f'{Path(sys.executable).parent}{os.pathsep}{os.environ.get("PATH", "")}')
    if found is None:
        pytest.fail('uv is not installed (scripts/stack.sh installs it into .venv)')
    return found


def run(*args: str | Path, **kwargs) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=600, **kwargs)
    assert result.returncode == 0, f'{args}: {result.stdout[-2000:]}{result.stderr[-2000:]}'
    return result


def freeze(python: Path) -> dict[str, str]:
    lines = run(uv(), 'pip', 'freeze', '--python', python).stdout.splitlines()
    return dict(line.split('==', 1) for line in lines if '==' in line)


@pytest.fixture(scope='module')
def dist(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp('dist')
    run(uv(), 'build', '--quiet', '--python', sys.executable, '--out-dir', out, ROOT)
    return out


@pytest.fixture(scope='module')
def wheel(dist) -> Path:
    (found,) = dist.glob('netbox_proxbox-*-py3-none-any.whl')
    return found


@pytest.fixture(scope='module')
def netbox_venv(tmp_path_factory) -> Path:
    """A fresh venv with NetBox 4.7.3 alone, as NetBox's own installation makes it."""
    root = tmp_path_factory.mktemp('venv')
    (root / 'overrides.txt').write_text(PSYCOPG_OVERRIDE + '\n')
    run(uv(), 'venv', '--quiet', '--python', sys.executable, root / 'venv')
    python = root / 'venv' / 'bin' / 'python'
    run(uv(), 'pip', 'install', '--quiet', '--python', python, '--override', root / 'overrides.txt', NETBOX)
    return python


def test_twine_check_passes(dist):
    files = sorted([*dist.glob('*.whl'), *dist.glob('*.tar.gz')])
    assert len(files) == 2
    run(sys.executable, '-m', 'twine', 'check', '--strict', *files)


def expected_files() -> set[str]:
    """Every file of the packages that belongs in the wheel: modules, templates, static files,
    py.typed markers and data (not caches or files outside a package)."""
    found = set()
    for package in PACKAGES:
        for path in (ROOT / package).rglob('*'):
            relative = path.relative_to(ROOT)
            if path.is_dir() or '__pycache__' in relative.parts or path.suffix == '.pyc':
                continue
            in_package = (path.parent / '__init__.py').exists()
            is_data = path.suffix != '.py' and (
                path.name == 'py.typed' or relative.parts[1] in ('templates', 'static', 'data')
            )
            if (path.suffix == '.py' and in_package) or is_data:
                found.add(relative.as_posix())
    return found


def test_wheel_holds_every_module_template_and_marker(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = expected_files()
    assert any(name.startswith('netbox_proxbox/templates/') for name in expected)
    assert {'proxbox_api/py.typed', 'proxmox_sim/py.typed'} <= expected
    assert any(name.startswith('netbox_proxbox/migrations/0001') for name in expected)
    missing = sorted(expected - names)
    assert not missing, f'missing from the wheel: {missing}'
    assert not [n for n in names if n.startswith(('tests/', 'docs/', 'bench/', 'scripts/'))]


def test_wheel_metadata(wheel):
    with zipfile.ZipFile(wheel) as archive:
        info = next(n for n in archive.namelist() if n.endswith('.dist-info/entry_points.txt'))
        entry_points = archive.read(info).decode()
        metadata = archive.read(info.replace('entry_points.txt', 'METADATA')).decode()
    assert 'proxbox-api = proxbox_api.__main__:main' in entry_points
    assert 'Provides-Extra: api' in metadata and 'Provides-Extra: cli' in metadata
    # The plugin runs inside NetBox's venv: its only unconditional dependencies are httpx (it calls
    # proxbox-api) and websockets (it bridges proxbox-api's log); neither is a package NetBox pins.
    required = [line for line in metadata.splitlines() if line.startswith('Requires-Dist:') and 'extra ==' not in line]
    assert [line.split()[1].split('>')[0] for line in required] == ['httpx', 'websockets']


def test_installing_into_netbox_changes_no_netbox_package(netbox_venv, wheel):
    before = freeze(netbox_venv)
    assert before['netbox'] == '4.7.3'
    run(uv(), 'pip', 'install', '--quiet', '--python', netbox_venv, wheel)
    plain = freeze(netbox_venv)
    changed = {name: (version, plain.get(name)) for name, version in before.items() if plain.get(name) != version}
    assert not changed, f'installing the plugin changed NetBox packages: {changed}'
    run(uv(), 'pip', 'install', '--quiet', '--python', netbox_venv, f'{wheel}[api,cli]')
    extras = freeze(netbox_venv)
    changed = {name: (version, extras.get(name)) for name, version in before.items() if extras.get(name) != version}
    assert not changed, f'the api and cli extras changed NetBox packages: {changed}'
    where = 'import netbox_proxbox, os; print(os.path.dirname(netbox_proxbox.__file__))'
    site = Path(run(netbox_venv, '-c', where).stdout.strip())
    assert (site / 'templates' / 'netbox_proxbox' / 'syncrun.html').is_file()


def test_installed_console_scripts_run(netbox_venv, wheel, tmp_path):
    run(uv(), 'pip', 'install', '--quiet', '--python', netbox_venv, f'{wheel}[api,cli]')
    bin_dir = netbox_venv.parent
    env = {'PATH': os.environ['PATH'], 'HOME': str(tmp_path)}
    result = subprocess.run([bin_dir / 'proxbox-api'], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 2
    assert 'PROXBOX_API_API_KEY must be set' in result.stderr
    if not (ROOT / 'proxbox_cli' / 'main.py').exists():
        pytest.skip('proxbox_cli/main.py (the pxb entry point) is not in this checkout yet')
    run(bin_dir / 'pxb', '--help', env=env)

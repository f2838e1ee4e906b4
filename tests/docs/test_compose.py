"""
docker-compose.yml for users (Docker cannot run here, so it is checked statically): it parses; it
has NetBox, its worker, PostgreSQL, Redis and proxbox-api, and the simulator only under the demo
profile; every environment variable it gives proxbox-api is one proxbox_api/settings.py reads,
and every secret comes from .env with a message when missing and is listed in docker/env.example;
commands are console scripts or modules that exist; ports agree with the code's defaults; every
file the Dockerfiles and the compose file refer to exists.
"""

import re
import tomllib
from pathlib import Path

import pytest
import yaml

from netbox_proxbox import ProxboxConfig
from proxbox_api.settings import ServiceSettings

from .helpers import ROOT

pytestmark = pytest.mark.docs

COMPOSE = ROOT / 'docker-compose.yml'


@pytest.fixture(scope='module')
def compose():
    return yaml.safe_load(COMPOSE.read_text())


@pytest.fixture(scope='module')
def services(compose):
    return compose['services']


def env(service):
    value = service.get('environment', {})
    return value if isinstance(value, dict) else dict(item.split('=', 1) for item in value)


def dockerfile(service):
    return ROOT / service['build']['context'] / service['build']['dockerfile']


def test_the_stack(services):
    assert {'netbox', 'netbox-worker', 'postgres', 'redis', 'proxbox-api', 'proxmox-sim'} == set(services)
    assert services['proxmox-sim']['profiles'] == ['demo']
    assert all('profiles' not in s for name, s in services.items() if name != 'proxmox-sim')


def test_netbox_is_the_official_47_image_with_the_plugin(services):
    text = dockerfile(services['netbox']).read_text()
    image = re.search(r'^ARG NETBOX_IMAGE=(\S+)$', text, re.MULTILINE).group(1)
    assert image.startswith('netboxcommunity/netbox:v4.7')
    assert '/opt/netbox/venv/bin/python /opt/proxbox' in text, 'the plugin goes into NetBox venv, without extras'
    assert services['netbox-worker']['build'] == services['netbox']['build']
    assert 'rqworker' in services['netbox-worker']['command']


def test_plugin_configuration_is_valid():
    namespace = {}
    exec((ROOT / 'docker/netbox/plugins.py').read_text(), namespace)
    assert namespace['PLUGINS'] == ['netbox_proxbox']
    assert set(namespace['PLUGINS_CONFIG']['netbox_proxbox']) <= set(ProxboxConfig.default_settings)


def test_proxbox_api_environment_is_what_the_service_reads(services):
    known = {f'PROXBOX_API_{name.upper()}' for name in ServiceSettings.model_fields}
    given = set(env(services['proxbox-api']))
    assert given <= known, given - known
    assert 'PROXBOX_API_API_KEY' in given and 'PROXBOX_API_DEVELOPMENT' not in given
    assert env(services['proxbox-api'])['PROXBOX_API_HOST'] == '0.0.0.0'


def test_ports_agree_with_the_code(services):
    default_port = ServiceSettings.model_fields['port'].default
    assert env(services['proxbox-api'])['PROXBOX_API_PORT'] == str(default_port)
    assert str(default_port) in services['proxbox-api']['expose']
    assert 'ENV PROXBOX_API_HOST=0.0.0.0 PROXBOX_API_PORT=8800' in dockerfile(services['proxbox-api']).read_text()
    url = env(services['netbox'])['PROXBOX_SERVICE_URL']
    assert url == f'http://proxbox-api:{default_port}/'
    assert services['netbox']['ports'] == ['${NETBOX_PORT:-8000}:8080']
    command = services['proxmox-sim']['command']
    assert command[command.index('--port') + 1] in services['proxmox-sim']['expose']


def test_commands_exist(services):
    scripts = tomllib.loads((ROOT / 'pyproject.toml').read_text())['project']['scripts']
    assert services['proxbox-api']['command'] == ['proxbox-api'] and 'proxbox-api' in scripts
    assert 'CMD ["proxbox-api"]' in dockerfile(services['proxbox-api']).read_text()
    sim = services['proxmox-sim']['command']
    assert sim[:3] == ['python', '-m', 'proxmox_sim'] and (ROOT / 'proxmox_sim/__main__.py').exists()
    from proxmox_sim.cli import build_parser

    build_parser().parse_args(sim[3:])  # every option exists


def test_secrets_come_from_env_file_with_a_message(services):
    text = COMPOSE.read_text()
    used = set(re.findall(r'\$\{(\w+)', text))
    listed = set(re.findall(r'^(\w+)=', (ROOT / 'docker/env.example').read_text(), re.MULTILINE))
    assert used <= listed, used - listed
    for name in ('POSTGRES_PASSWORD', 'NETBOX_SECRET_KEY', 'NETBOX_API_TOKEN_PEPPER', 'PROXBOX_SERVICE_KEY'):
        assert re.search(rf'\$\{{{name}:\?', text), f'{name} must be required (${{{name}:?...}})'
    secrets = [name for name in listed if re.search('PASSWORD|KEY|PEPPER', name)]
    assert all(re.search(rf'^{name}=$', (ROOT / 'docker/env.example').read_text(), re.MULTILINE) for name in secrets)


def test_referenced_files_exist(services):
    for service in services.values():
        if 'build' in service:
            assert dockerfile(service).is_file()
    for path in {dockerfile(s) for s in services.values() if 'build' in s}:
        for line in path.read_text().splitlines():
            if line.startswith('COPY '):
                for source in line.split()[1:-1]:
                    assert (ROOT / source).exists(), f'{path.name}: COPY {source} does not exist'


def test_every_package_of_the_distribution_is_copied(services):
    packages = tomllib.loads((ROOT / 'pyproject.toml').read_text())['tool']['setuptools']['packages']['find']['include']
    for path in {dockerfile(s) for s in services.values() if 'build' in s}:
        text = path.read_text()
        for package in packages:
            assert re.search(rf'^COPY {package.rstrip("*")} ', text, re.MULTILINE), f'{path}: {package}'


def test_dockerignore_keeps_secrets_and_venvs_out():
    ignored = (ROOT / '.dockerignore').read_text().split()
    assert {'.env', '.venv', '.stack', '.git'} <= set(ignored)


def test_named_volumes_are_declared(compose, services):
    named = {v.split(':')[0] for s in services.values() for v in s.get('volumes', []) if not v.startswith(('.', '/'))}
    assert named <= set(compose['volumes'])


def test_user_guide_names_every_service(services):
    text = Path(ROOT / 'docs/user-guide/docker.md').read_text()
    assert all(f'`{name}`' in text for name in services)

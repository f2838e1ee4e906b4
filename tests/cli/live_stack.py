"""A real Proxbox stack in separate processes, for end-to-end tests of anything that drives it.

NetBox (``netbox runserver``) and an RQ worker on a database of their own, cloned per session from a
migrated template (``<test db>_e2e``); proxbox-api (``proxbox-api``, uvicorn); and a Proxmox
simulator in this process. Everything binds free loopback ports; the worker and NetBox use Redis
databases of their own (``NETBOX_REDIS_DB_BASE``), so other checkouts' workers never see our jobs.

Seeded: a superuser with a v2 token (the sync user, also behind the NetBox endpoint), a user who may
only view Proxbox objects (v1 token), the proxbox-api endpoint, one Proxmox endpoint per simulated
cluster (token auth, verified TLS with the simulator's CA), and a disabled endpoint whose token
secret is wrong. ``stack.stopped(name)`` takes a service down for a test and brings it back.
"""

import contextlib
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from proxbox_cli.settings import NetBoxToken
from proxmox_sim import Fleet, FleetSpec, SimServer

__all__ = ['LiveStack', 'start_stack']

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PG_SUPERUSER = os.environ.get('PG_SUPERUSER', 'postgres')
BAD_ENDPOINT = 'wrong-secret'

# Run once per template (that is, once per schema): the users and their v1 tokens. The rest is
# made through the REST API per session, so a session pays no extra Django start-up for it.
SEED_USERS = r"""
import json, sys
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from users.models import ObjectPermission, Token
from netbox_proxbox.models import ProxmoxEndpoint, SyncRun

conf = json.loads(sys.stdin.read())
User = get_user_model()
admin = User.objects.create_user('pxb-admin', is_superuser=True)
Token.objects.create(user=admin, version=1, token=conf['admin'], description='pxb e2e admin')
viewer = User.objects.create_user('pxb-viewer')
permission = ObjectPermission.objects.create(name='view proxbox', actions=['view'])
permission.object_types.set([ContentType.objects.get_for_model(m) for m in (ProxmoxEndpoint, SyncRun)])
permission.users.add(viewer)
Token.objects.create(user=viewer, version=1, token=conf['viewer'], description='pxb e2e viewer')
print('SEEDED')
"""
# Test-only credentials of a throw-away database served on loopback only.
ADMIN_V1 = 'e2e0admin0token0000000000000000000000001'
VIEWER_V1 = 'e2e0viewer0token000000000000000000000002'


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return int(sock.getsockname()[1])


def _psql(sql: str, database: str = 'postgres') -> str:
    host, port = os.environ.get('NETBOX_DB_HOST', '127.0.0.1'), os.environ.get('NETBOX_DB_PORT', '5432')
    command = ['psql', '-X', '-q', '-tA', '-v', 'ON_ERROR_STOP=1', '-h', host, '-p', port, '-U', PG_SUPERUSER]
    done = subprocess.run([*command, '-d', database, '-c', sql], check=True, capture_output=True, text=True)
    return done.stdout.strip()


def _has_users(database: str) -> bool:
    return _psql("SELECT count(*) FROM users_user WHERE username = 'pxb-admin'", database) == '1'


def _seed_users(database: str) -> None:
    env = {**os.environ, 'NETBOX_DB_NAME': database}
    done = subprocess.run(
        [str(BIN / 'netbox'), 'shell', '--no-imports', '-c', SEED_USERS],
        input=json.dumps({'admin': ADMIN_V1, 'viewer': VIEWER_V1}), env=env, capture_output=True, text=True,
        cwd=ROOT, timeout=300,
    )  # fmt: skip
    if done.returncode != 0 or 'SEEDED' not in done.stdout:
        raise RuntimeError(f'seeding {database} failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}')


def fresh_database(name: str) -> None:
    """``name`` as a copy of ``<name>_tmpl``, NetBox plus our migrations (built by scripts/stack.sh)."""
    template = f'{name}_tmpl'
    env = {**os.environ, 'NETBOX_TEST_DB_NAME': template}
    subprocess.run([str(ROOT / 'scripts' / 'stack.sh'), 'testdb'], check=True, env=env, capture_output=True)
    if not _has_users(template):
        _seed_users(template)
    _psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    owner = os.environ.get('NETBOX_DB_USER', 'netbox')
    for attempt in range(10):  # the template is briefly busy if stack.sh just migrated it
        try:
            _psql(f'CREATE DATABASE "{name}" TEMPLATE "{template}" OWNER "{owner}"')
            return
        except subprocess.CalledProcessError:
            if attempt == 9:
                raise
            time.sleep(0.5)


@dataclass
class Service:
    name: str
    command: list[str]
    env: dict[str, str]
    log: Path
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log.open('ab') as log:
            self.process = subprocess.Popen(
                self.command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self.process = None

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def tail(self, lines: int = 40) -> str:
        text = self.log.read_text(errors='replace') if self.log.exists() else ''
        return '\n'.join(text.splitlines()[-lines:])


@dataclass
class LiveStack:
    netbox_url: str
    api_url: str
    api_key: str
    admin_token: str
    viewer_token: str
    fleet: Fleet
    sim: SimServer
    config_file: Path
    services: dict[str, Service] = field(default_factory=dict)

    def pxb_env(self, **overrides: str) -> dict[str, str]:
        """What pxb's settings should see to talk to this stack as the admin."""
        env = {'PROXBOX_NETBOX_URL': self.netbox_url, 'PROXBOX_NETBOX_TOKEN': self.admin_token,
               'PROXBOX_CONFIG': str(self.config_file)}  # fmt: skip
        return {**env, **overrides}

    def api(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """A request to NetBox's REST API as the admin (for set-up and checks)."""
        headers = {'Authorization': NetBoxToken.parse(self.admin_token).header, 'Accept': 'application/json'}
        return httpx.request(method, self.netbox_url + path.lstrip('/'), headers=headers, timeout=30, **kwargs)

    def diagnostics(self) -> str:
        return '\n'.join(f'--- {name} ---\n{service.tail()}' for name, service in self.services.items())

    @contextlib.contextmanager
    def stopped(self, name: str) -> Iterator[None]:
        """Take one service down for the duration; it is started again (and awaited) after."""
        service = self.services[name]
        service.stop()
        try:
            yield
        finally:
            service.start()
            self.wait_ready(name)

    def wait_ready(self, name: str, timeout: float = 90) -> None:
        check = {'netbox': self._netbox_ready, 'worker': self._worker_ready, 'proxbox-api': self._api_ready}[name]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.services[name].alive():
                raise RuntimeError(f'{name} exited:\n{self.services[name].tail()}')
            with contextlib.suppress(httpx.HTTPError):
                if check():
                    return
            time.sleep(0.3)
        raise RuntimeError(f'{name} not ready after {timeout} s:\n{self.diagnostics()}')

    def _netbox_ready(self) -> bool:
        return self.api('GET', 'api/status/').status_code == 200

    def _worker_ready(self) -> bool:
        return bool(self.api('GET', 'api/status/').json().get('rq-workers-running'))

    def _api_ready(self) -> bool:
        return httpx.get(self.api_url + 'health', timeout=5).status_code == 200

    def stop(self) -> None:
        for service in self.services.values():
            service.stop()
        self.sim.stop()


def _redis_base(database: str) -> int:
    """Redis databases of our own (tasks, caching): an even base in 2..14 from the database name."""
    return 2 + 2 * (zlib.crc32(database.encode()) % 7)


def _flush_redis(base: int) -> None:
    import redis

    host, port = os.environ.get('NETBOX_REDIS_HOST', '127.0.0.1'), int(os.environ.get('NETBOX_REDIS_PORT', '6379'))
    for db in (base, base + 1):
        redis.Redis(host=host, port=port, db=db).flushdb()


def _endpoint_rows(sim: SimServer) -> list[dict[str, Any]]:
    rows = []
    for ep in sim.endpoints:
        user, _, token_name = ep.token_id.partition('!')
        rows.append({
            'name': ep.cluster, 'host': ep.host, 'port': ep.port, 'username': user, 'token_name': token_name,
            'token_secret': ep.token_secret, 'verify_ssl': True, 'ca_certificate': Path(ep.cert_path).read_text(),
            'timeout': 10,
        })  # fmt: skip
    bad = dict(rows[0], name=BAD_ENDPOINT, token_secret='00000000-0000-0000-0000-000000000000', enabled=False)
    return [*rows, bad]


def start_stack(workdir: Path, database: str, spec: FleetSpec | None = None) -> LiveStack:
    """Start everything (about 15-25 s on two idle cores); the caller must ``stop()`` it."""
    fresh_database(database)
    redis_base = _redis_base(database)
    _flush_redis(redis_base)
    fleet = Fleet(spec or FleetSpec(seed=5, clusters=1, nodes=2, guests=6, pve_version='8.3'))
    sim = SimServer(fleet)
    sim.start()
    nb_port, api_port = free_port(), free_port()
    stack = LiveStack(
        netbox_url=f'http://127.0.0.1:{nb_port}/',
        api_url=f'http://127.0.0.1:{api_port}/',
        api_key=secrets.token_urlsafe(24),
        admin_token=ADMIN_V1,
        viewer_token=VIEWER_V1,
        fleet=fleet,
        sim=sim,
        config_file=workdir / 'pxb.toml',
    )
    stack.config_file.write_text('')
    try:
        _start_services(stack, workdir, database, redis_base)
        _seed_objects(stack)
    except BaseException:
        stack.stop()
        raise
    return stack


def _start_services(stack: LiveStack, workdir: Path, database: str, redis_base: int) -> None:
    env = {**os.environ, 'NETBOX_DB_NAME': database, 'NETBOX_REDIS_DB_BASE': str(redis_base), 'PYTHONUNBUFFERED': '1'}
    api_env = {**env, 'PROXBOX_API_HOST': '127.0.0.1', 'PROXBOX_API_PORT': stack.api_url.rstrip('/').rpartition(':')[2],
               'PROXBOX_API_API_KEY': stack.api_key, 'PROXBOX_API_LOG_LEVEL': 'warning'}  # fmt: skip
    netbox = str(BIN / 'netbox')
    serve = [netbox, 'runserver', stack.netbox_url.removeprefix('http://').rstrip('/'), '--noreload', '--insecure',
             '--skip-checks']  # fmt: skip
    commands = {
        'proxbox-api': ([str(BIN / 'proxbox-api')], api_env),
        'netbox': (serve, env),
        'worker': ([netbox, 'rqworker', 'high', 'default', 'low'], env),
    }
    for name, (command, service_env) in commands.items():
        stack.services[name] = Service(name, command, service_env, workdir / f'{name}.log')
        stack.services[name].start()
    for name in commands:
        stack.wait_ready(name)


def _seed_objects(stack: LiveStack) -> None:
    """Through the REST API: a v2 token for the admin, the NetBox and proxbox-api endpoints, the Proxmox ones."""
    created = _post(stack, 'api/users/tokens/', {'user': {'username': 'pxb-admin'}, 'description': 'pxb e2e v2'})
    stack.admin_token = f'nbt_{created["key"]}.{created["token"]}'
    _post(stack, 'api/plugins/proxbox/endpoints/netbox/', {'base_url': stack.netbox_url, 'token': stack.admin_token,
                                                           'verify_ssl': False})  # fmt: skip
    _post(stack, 'api/plugins/proxbox/endpoints/proxbox-api/', {'base_url': stack.api_url, 'api_key': stack.api_key,
                                                                'verify_ssl': False})  # fmt: skip
    for row in _endpoint_rows(stack.sim):
        _post(stack, 'api/plugins/proxbox/endpoints/proxmox/', row)


def _post(stack: LiveStack, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = stack.api('POST', path, json=body)
    if response.status_code != 201:
        raise RuntimeError(f'seeding {path} failed: {response.status_code} {response.text[:500]}')
    return response.json()  # type: ignore[no-any-return]

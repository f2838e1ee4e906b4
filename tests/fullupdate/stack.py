"""
A live Proxbox stack of real processes on free loopback ports, for process-level tests:
`netbox runserver` and `netbox rqworker` against a database cloned for the purpose, `proxbox-api`,
and one `python -m proxmox_sim` per fleet. The worker and NetBox get Redis databases of their own
(claimed, so other test sessions on this machine never run our jobs), and everything is torn down
(processes killed by process group, database dropped, Redis emptied) even when a test fails.

    with LiveStack(workdir, fleets={'alpha': ['--guests', '100']}) as stack:
        stack.api('POST', '/api/plugins/proxbox/sync/', json={...})
"""

import json
import os
import signal
import socket
import ssl
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import psycopg
import redis

__all__ = ('API_KEY', 'LiveStack', 'alive', 'descendants', 'free_port')

API_KEY = 'live-stack-proxbox-api-key-0123456789'
# The key the simulators' webhook notification targets send to proxbox-api's POST /v1/notify.
NOTIFY_KEY = 'live-stack-notify-key-0123456789'
BOOTSTRAP = Path(__file__).with_name('stack_bootstrap.py')
TEMPLATE_DB = 'proxbox_tmpl_nb473'
# Redis database pairs (tasks, caching) a stack may claim; 0/1 are NetBox's defaults.
REDIS_BASES = (2, 4, 6, 8, 10)
CLAIM_KEY = 'proxbox:live-stack-claim'


def _proc_stat(pid: int) -> tuple[int, int] | None:
    """(parent pid, start time) of a live process, from Linux's /proc; None when it is gone (or a zombie)."""
    try:
        fields = Path(f'/proc/{pid}/stat').read_text().rsplit(')', 1)[1].split()
    except (OSError, IndexError):
        return None
    return None if fields[0] in ('Z', 'X') else (int(fields[1]), int(fields[19]))


def descendants(roots: list[int]) -> dict[int, int]:
    """Every live descendant of `roots` with its start time (empty where there is no /proc). RQ's
    work horse, for one, runs in a process group of its own, out of reach of the worker's group."""
    children: dict[int, list[tuple[int, int]]] = {}
    for entry in Path('/proc').glob('[0-9]*'):
        stat = _proc_stat(int(entry.name))
        if stat is not None:
            children.setdefault(stat[0], []).append((int(entry.name), stat[1]))
    found: dict[int, int] = {}
    todo = list(roots)
    while todo:
        for child, started in children.get(todo.pop(), []):
            if child not in found:
                found[child] = started
                todo.append(child)
    return found


def alive(pid: int, started: int) -> bool:
    """The process `pid` that started at `started` is still there (not a recycled pid)."""
    stat = _proc_stat(pid)
    return stat is not None and stat[1] == started


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return int(sock.getsockname()[1])


class LiveStack:
    def __init__(
        self,
        workdir: Path,
        fleets: dict[str, list[str]],
        name: str = 'stack',
        skip: tuple[str, ...] = (),
        configure: bool = True,
    ) -> None:
        self.workdir = workdir
        self.fleets = fleets
        self.skip = skip  # simulated endpoints left out of Proxbox
        # False: only users and tokens; the caller creates the endpoints (through the REST API, say).
        self.configure = configure
        self.db_name = f'{os.environ.get("NETBOX_TEST_DB_NAME", "test_netbox")}_{name}'
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        self.logs: list[Any] = []
        self.commands: dict[str, tuple[list[str], dict[str, str]]] = {}
        self.redis_base: int | None = None
        self.port = free_port()
        self.api_port = free_port()
        self.url = f'http://127.0.0.1:{self.port}'
        self.api_url = f'http://127.0.0.1:{self.api_port}/'
        self.info: dict[str, Any] = {}
        self.sims: dict[str, dict[str, Any]] = {}
        self.strays: dict[int, int] = {}  # descendants that left their group (pid -> start time)

    # -- lifecycle ------------------------------------------------------------------------------
    def __enter__(self) -> 'LiveStack':
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        self._claim_redis()
        for fleet, args in self.fleets.items():
            self._spawn(f'sim-{fleet}', [sys.executable, '-m', 'proxmox_sim', '--quiet', *args,
                                         '--write-endpoints', str(self.workdir / f'sim-{fleet}.json')])  # fmt: skip
        self._spawn('proxbox-api', ['proxbox-api'], PROXBOX_API_API_KEY=API_KEY, PROXBOX_API_NOTIFY_KEY=NOTIFY_KEY,
                    PROXBOX_API_PORT=str(self.api_port))  # fmt: skip
        self._clone_database()
        self._spawn('netbox', ['netbox', 'runserver', f'127.0.0.1:{self.port}', '--insecure', '--noreload'])
        self._spawn('rqworker', ['netbox', 'rqworker', 'high', 'default', 'low'])
        for fleet in self.fleets:
            self._wait(f'sim-{fleet}', lambda f=fleet: (self.workdir / f'sim-{f}.json').exists())
            self.sims[fleet] = json.loads((self.workdir / f'sim-{fleet}.json').read_text())
        self._bootstrap()
        self._wait('proxbox-api', lambda: httpx.get(self.api_url + 'health', timeout=2).status_code == 200)
        self._wait('netbox', lambda: httpx.get(self.url + '/login/', timeout=30).status_code == 200, timeout=300)
        self._wait('rqworker', self._worker_ready, timeout=300)

    def stop(self) -> None:
        self.strays = descendants([process.pid for process in self.processes.values() if process.poll() is None])
        for name, process in self.processes.items():
            if process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGTERM)
                except ProcessLookupError:
                    continue
        deadline = time.monotonic() + 5  # then killed: nothing here needs a graceful end
        for process in self.processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)
        for pid, started in self.strays.items():  # e.g. a work horse still running a sync
            if alive(pid, started):
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        for log in self.logs:
            log.close()
        self.logs.clear()
        self._drop_database()
        self._release_redis()

    def kill(self, name: str) -> None:
        """SIGKILL one process and all its descendants, as a crash of the machine's container would
        (an RQ worker's work-horse runs in a session of its own: killing the group would spare it)."""
        process = self.processes[name]
        for pid in [*descendants([process.pid]), process.pid]:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        process.wait(timeout=10)

    def restart(self, name: str) -> None:
        """Start a killed (or stopped) process again: same command, environment and log; wait until it serves."""
        argv, extra = self.commands[name]
        before = self._workers()  # a killed worker's registration outlives it
        if name == 'rqworker':
            # So do its scheduler locks (61 s), and a new worker that finds them taken tries again
            # only at its next maintenance, ten minutes on: scheduled jobs (a schedule's Full
            # Update) would wait that long. The killed worker is certainly gone: free them.
            tasks = self._redis(self.redis_base or 0)
            for key in tasks.keys('rq:scheduler-lock:*'):
                tasks.delete(key)
        self._spawn(name, argv, **extra)
        if name == 'proxbox-api':
            self._wait(name, lambda: httpx.get(self.api_url + 'health', timeout=2).status_code == 200)
        elif name == 'netbox':
            self._wait(name, lambda: httpx.get(self.url + '/login/', timeout=30).status_code == 200, timeout=300)
        elif name == 'rqworker':
            self._wait(name, lambda: bool(self._workers() - before), timeout=300)

    # -- pieces ---------------------------------------------------------------------------------
    def env(self, **extra: str) -> dict[str, str]:
        env = dict(os.environ, NETBOX_DB_NAME=self.db_name, PYTHONUNBUFFERED='1', **extra)
        if self.redis_base is not None:
            env['NETBOX_REDIS_DB_BASE'] = str(self.redis_base)
        return env

    def _spawn(self, name: str, argv: list[str], **extra: str) -> None:
        self.commands[name] = (argv, extra)
        log = open(self.workdir / f'{name}.log', 'ab')  # noqa: SIM115  (closed in stop())
        self.logs.append(log)
        self.processes[name] = subprocess.Popen(
            argv, stdout=log, stderr=subprocess.STDOUT, env=self.env(**extra), start_new_session=True
        )

    def log(self, name: str, lines: int = 40) -> str:
        path = self.workdir / f'{name}.log'
        return '\n'.join(path.read_text(errors='replace').splitlines()[-lines:]) if path.exists() else ''

    def _wait(self, name: str, ready: Any, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            process = self.processes.get(name)
            if process is not None and process.poll() is not None:
                raise RuntimeError(f'{name} exited with {process.returncode}:\n{self.log(name)}')
            try:
                if ready():
                    return
            except (httpx.HTTPError, OSError):
                pass
            time.sleep(0.5)
        raise RuntimeError(f'{name} did not become ready in {timeout} s:\n{self.log(name)}')

    def _pg(self) -> psycopg.Connection[Any]:
        return psycopg.connect(
            host=os.environ.get('NETBOX_DB_HOST', '127.0.0.1'),
            port=os.environ.get('NETBOX_DB_PORT', '5432'),
            user=os.environ.get('PG_SUPERUSER', 'postgres'),
            dbname='postgres',
            autocommit=True,
        )

    def _clone_database(self) -> None:
        """Copy the migrated, never-used base database `make testdb` keeps (users, permissions and
        content types intact, unlike the test database a flushing test case has emptied); without
        it, NetBox's template plus our migrations."""
        test_db = os.environ.get('NETBOX_TEST_DB_NAME', 'test_netbox')
        owner = os.environ.get('NETBOX_DB_USER', 'netbox')
        with self._pg() as pg:
            pg.execute(f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)')
            try:
                pg.execute(f'CREATE DATABASE "{self.db_name}" TEMPLATE "{test_db}_base" OWNER "{owner}"')
                return
            except psycopg.errors.InvalidCatalogName:  # no base: a bare `pytest` without `make testdb`
                pg.execute(f'CREATE DATABASE "{self.db_name}" TEMPLATE "{TEMPLATE_DB}" OWNER "{owner}"')
        subprocess.run(['netbox', 'migrate', '--no-input', '-v', '0'], env=self.env(), check=True)

    def _drop_database(self) -> None:
        try:
            with self._pg() as pg:
                pg.execute(f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)')
        except psycopg.Error:
            pass

    def _redis(self, db: int) -> 'redis.Redis[bytes]':
        return redis.Redis(
            host=os.environ.get('NETBOX_REDIS_HOST', '127.0.0.1'),
            port=int(os.environ.get('NETBOX_REDIS_PORT', 6379)),
            db=db,
        )

    def _claim_redis(self) -> None:
        owner = f'{os.getpid()}:{self.db_name}'
        for base in REDIS_BASES:
            tasks, cache = self._redis(base), self._redis(base + 1)
            if not tasks.set(CLAIM_KEY, owner, nx=True, ex=3 * 3600):
                continue
            if tasks.dbsize() == 1 and cache.dbsize() == 0:
                self.redis_base = base
                return
            tasks.delete(CLAIM_KEY)
        raise RuntimeError(f'no free Redis database pair among {REDIS_BASES} for the live stack')

    def _release_redis(self) -> None:
        if self.redis_base is not None:
            self._redis(self.redis_base + 1).flushdb()
            self._redis(self.redis_base).flushdb()  # also drops the claim
            self.redis_base = None

    def _workers(self) -> set[bytes]:
        return set(self._redis(self.redis_base or 0).keys('rq:worker:*'))

    def _worker_ready(self) -> bool:
        return any(key.startswith(b'rq:worker:') for key in self._workers())

    def _bootstrap(self) -> None:
        config = {
            'netbox_url': self.url + '/',
            'api_url': self.api_url,
            'api_key': API_KEY,
            'sims': {fleet: str(self.workdir / f'sim-{fleet}.json') for fleet in self.fleets},
            'skip': list(self.skip),
            'configure': self.configure,
        }
        (self.workdir / 'bootstrap.json').write_text(json.dumps(config))
        out = subprocess.run(
            ['netbox', 'shell', '--no-imports', '-c', BOOTSTRAP.read_text()],
            env=self.env(PROXBOX_STACK_CONFIG=str(self.workdir / 'bootstrap.json')),
            capture_output=True,
            check=True,
        )
        self.info = json.loads(out.stdout.decode().strip().splitlines()[-1])

    # -- use ------------------------------------------------------------------------------------
    def client(self, token: str | None = None, **kwargs: Any) -> httpx.Client:
        headers = {'Accept': 'application/json'}
        if token is not None:
            headers['Authorization'] = f'Bearer {token}'
        return httpx.Client(base_url=self.url, headers=headers, timeout=kwargs.pop('timeout', 60), **kwargs)

    def api(self, method: str, path: str, token: str | None = None, **kwargs: Any) -> httpx.Response:
        with self.client(token or self.info['tokens']['admin']) as client:
            return client.request(method, path, **kwargs)

    def sim_endpoint(self, name: str) -> dict[str, Any]:
        """A simulated endpoint by its cluster (or standalone node) name."""
        return next(ep for sim in self.sims.values() for ep in sim['endpoints'] if ep['cluster'] == name)

    def sim_guests(self, name: str) -> list[dict[str, Any]]:
        """The simulator's ground truth: the guests of one cluster."""
        world = self.sim_control(name, 'GET', '/fleet')
        return next(cluster['guests'] for cluster in world['clusters'] if cluster['name'] == name)

    def sim_control(self, name: str, method: str, path: str, **kwargs: Any) -> Any:
        """Call the simulator's control API (/_sim) on the port of one cluster (its changes go there)."""
        return self._sim_call(name, method, f'/_sim{path}', **kwargs)

    def pve(self, name: str, method: str, path: str, **kwargs: Any) -> Any:
        """Call the simulated Proxmox VE API (/api2/json) of one cluster, with its token."""
        return self._sim_call(name, method, f'/api2/json{path}', **kwargs)

    def _sim_call(self, name: str, method: str, path: str, **kwargs: Any) -> Any:
        endpoint = self.sim_endpoint(name)
        headers = {'Authorization': f'PVEAPIToken={endpoint["token_id"]}={endpoint["token_secret"]}'}
        trust = ssl.create_default_context(cafile=endpoint['cert_path'])
        with httpx.Client(verify=trust, headers=headers, timeout=30) as client:
            response = client.request(method, f'https://127.0.0.1:{endpoint["port"]}{path}', **kwargs)
            response.raise_for_status()
            return response.json()['data']

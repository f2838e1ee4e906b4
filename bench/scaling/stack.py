"""A throw-away NetBox for one benchmark: databases cloned from the migrated template, served by gunicorn.

``BenchDatabases`` makes one base database per invocation (NetBox's template plus the plugin's
migrations and a superuser token for the sync), then clones it once per fleet and side (floor, sync),
which takes about a second; every database it made is dropped at the end, even after a failure.
``NetBoxServer`` serves one database with gunicorn on a free loopback port.
"""

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import httpx
import psycopg
from psycopg import sql

__all__ = ['BenchDatabases', 'CpuMeter', 'NetBoxServer', 'ServerConfig', 'free_port', 'template_name']

ROOT = Path(__file__).resolve().parents[2]
_BIN = Path(sys.executable).parent

# Run by `netbox shell` on the base database: apply the plugin's migrations (the template holds
# NetBox's own), then make the sync user and print its v2 token on the last line.
_PREPARE = """
from django.core.management import call_command
from users.models import Token, User
call_command('migrate', interactive=False, verbosity=0)
user = User.objects.create_superuser(username='proxbox-bench', email='bench@example.invalid', password=None)
token = Token(user=user, description='Proxbox benchmark')
token.save()
print(f'nbt_{token.key}.{token.token}')
"""


def template_name() -> str:
    """``proxbox_tmpl_nb473`` for NetBox 4.7.3: the template ``scripts/stack.sh`` builds and keeps."""
    return 'proxbox_tmpl_nb' + version('netbox').replace('.', '')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return int(sock.getsockname()[1])


def _admin_dsn() -> str:
    host = os.environ.get('NETBOX_DB_HOST', '127.0.0.1')
    port = os.environ.get('NETBOX_DB_PORT', '5432')
    user = os.environ.get('PG_SUPERUSER', 'postgres')
    return f'host={host} port={port} user={user} dbname=postgres'


def _netbox_env(database: str) -> dict[str, str]:
    return {**os.environ, 'NETBOX_DB_NAME': database, 'PATH': f'{_BIN}:{os.environ.get("PATH", "")}'}


@dataclass
class BenchDatabases:
    """The databases of one benchmark run, all named ``<prefix>_<tag>`` and dropped on exit."""

    prefix: str
    made: list[str] = field(default_factory=list)
    token: str = ''

    @property
    def base(self) -> str:
        return f'{self.prefix}_base'

    def _execute(self, statement: sql.Composed) -> None:
        with psycopg.connect(_admin_dsn(), autocommit=True) as conn:
            conn.execute(statement)

    def _create(self, name: str, template: str) -> str:
        owner = os.environ.get('NETBOX_DB_USER', 'netbox')
        self._execute(
            sql.SQL('CREATE DATABASE {} TEMPLATE {} OWNER {}').format(
                sql.Identifier(name), sql.Identifier(template), sql.Identifier(owner)
            )
        )
        self.made.append(name)
        return name

    def prepare_base(self) -> None:
        """Clone NetBox's template, migrate the plugin into it and make the sync user's token."""
        self._create(self.base, template_name())
        out = subprocess.run(
            [str(_BIN / 'netbox'), 'shell', '--no-imports', '-c', _PREPARE],
            env=_netbox_env(self.base), capture_output=True, text=True, check=False, timeout=1800,
        )  # fmt: skip
        lines = out.stdout.strip().splitlines()
        if out.returncode or not lines or not lines[-1].startswith('nbt_'):
            raise RuntimeError(f'preparing {self.base} failed:\n{out.stderr[-3000:]}')
        self.token = lines[-1]

    def clone(self, tag: str) -> str:
        """A fresh copy of the base database (no session may be connected to the base meanwhile)."""
        return self._create(f'{self.prefix}_{tag}', self.base)

    def drop(self, name: str) -> None:
        self._execute(sql.SQL('DROP DATABASE IF EXISTS {} WITH (FORCE)').format(sql.Identifier(name)))
        with contextlib.suppress(ValueError):
            self.made.remove(name)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        for name in reversed(list(self.made)):
            self.drop(name)


_TICK = os.sysconf('SC_CLK_TCK')
_PAGE = os.sysconf('SC_PAGE_SIZE')


def _stat(pid: int) -> tuple[int, float] | None:
    """(parent pid, CPU seconds) of a process, from /proc; None once it is gone."""
    try:
        fields = Path(f'/proc/{pid}/stat').read_text().rsplit(')', 1)[1].split()
    except (OSError, IndexError):
        return None
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / _TICK


def _rss_bytes(pid: int) -> int:
    """Resident set size of a process, from /proc; 0 once it is gone."""
    try:
        return int(Path(f'/proc/{pid}/statm').read_text().split()[1]) * _PAGE
    except (OSError, IndexError, ValueError):
        return 0


class CpuMeter:
    """CPU seconds a NetBox server spends: its gunicorn workers and the PostgreSQL backends of its database.

    A thread samples every half second and keeps each process's highest figure, so a backend that
    closes (Django's CONN_MAX_AGE) loses at most half a second. Other processes on the machine are
    not counted, which is the point: this figure does not grow when the machine is busy. It also keeps
    the highest resident set size of any one worker since the last ``peak_worker_rss()``.
    """

    def __init__(self, master: int, database: str, interval: float = 0.5) -> None:
        self.master, self.database, self.interval = master, database, interval
        self.seen: dict[int, float] = {}
        self.worker_rss = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f'cpu-{database}', daemon=True)

    def _backends(self, conn: psycopg.Connection[Any]) -> list[int]:
        rows = conn.execute('SELECT pid FROM pg_stat_activity WHERE datname = %s', (self.database,)).fetchall()
        return [int(row[0]) for row in rows]

    def _workers(self) -> list[int]:
        found = []
        for entry in Path('/proc').iterdir():
            if entry.name.isdigit() and (stat := _stat(int(entry.name))) is not None and stat[0] == self.master:
                found.append(int(entry.name))
        return found

    def sample(self, conn: psycopg.Connection[Any]) -> None:
        workers = self._workers()
        rss = max((_rss_bytes(pid) for pid in workers), default=0)
        with self._lock:
            self.worker_rss = max(self.worker_rss, rss)
        for pid in (*workers, *self._backends(conn)):
            if (stat := _stat(pid)) is not None:
                with self._lock:
                    self.seen[pid] = max(self.seen.get(pid, 0.0), stat[1])

    def _run(self) -> None:
        with psycopg.connect(_admin_dsn(), autocommit=True) as conn:
            while not self._stop.wait(self.interval):
                self.sample(conn)
            self.sample(conn)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def seconds(self) -> float:
        """CPU seconds so far (call twice and subtract to measure a phase)."""
        with psycopg.connect(_admin_dsn(), autocommit=True) as conn:
            self.sample(conn)
        with self._lock:
            return round(sum(self.seen.values()), 2)

    def peak_worker_rss(self) -> int:
        """The highest RSS in bytes of one worker since the last call (then starts again from now)."""
        with psycopg.connect(_admin_dsn(), autocommit=True) as conn:
            self.sample(conn)
        with self._lock:
            peak, self.worker_rss = self.worker_rss, max((_rss_bytes(pid) for pid in self._workers()), default=0)
            return peak


@dataclass(frozen=True)
class ServerConfig:
    """How NetBox is served: gunicorn's synchronous workers, one request each at a time."""

    workers: int = 3
    timeout: int = 900

    def describe(self) -> str:
        return f'gunicorn {version("gunicorn")}, {self.workers} sync workers, --preload, DEBUG off'


class NetBoxServer:
    """gunicorn serving ``netbox.wsgi`` for one database on 127.0.0.1; ``with`` starts and stops it."""

    def __init__(
        self, database: str, config: ServerConfig, log_dir: Path, *, app: str = 'netbox.wsgi',
        env: dict[str, str] | None = None,
    ) -> None:  # fmt: skip
        self.database, self.config, self.app, self.extra_env = database, config, app, env or {}
        self.port = free_port()
        self.url = f'http://127.0.0.1:{self.port}'
        self.log_path = log_dir / f'gunicorn-{database}.log'
        self._process: subprocess.Popen[bytes] | None = None
        self.cpu: CpuMeter | None = None

    def start(self, token: str, wait: float = 300) -> None:
        command = [
            str(_BIN / 'gunicorn'), self.app, '--bind', f'127.0.0.1:{self.port}', '--pythonpath', str(ROOT),
            '--workers', str(self.config.workers), '--timeout', str(self.config.timeout),
            '--preload', '--no-control-socket',
        ]  # fmt: skip
        env = {**_netbox_env(self.database), 'NETBOX_DEBUG': '0', **self.extra_env}
        with self.log_path.open('wb') as log:
            self._process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT,
                                             start_new_session=True)  # fmt: skip
        self._wait_ready(token, wait)

    def _wait_ready(self, token: str, wait: float) -> None:
        deadline = time.monotonic() + wait
        headers = {'Authorization': f'Bearer {token}'}
        while time.monotonic() < deadline:
            assert self._process is not None
            if self._process.poll() is not None:
                raise RuntimeError(f'gunicorn exited ({self._process.returncode}); see {self.log_path}')
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f'{self.url}/api/status/', headers=headers, timeout=30).status_code == 200:
                    self.warm_up(token)
                    self.cpu = CpuMeter(self._process.pid, self.database)
                    self.cpu.start()
                    return
            time.sleep(0.5)
        raise RuntimeError(f'NetBox on {self.url} did not answer within {wait:.0f} s; see {self.log_path}')

    def warm_up(self, token: str) -> None:
        """Touch the list endpoints from every worker, so first-request imports are not timed."""
        headers = {'Authorization': f'Bearer {token}'}
        paths = ('virtualization/virtual-machines', 'virtualization/interfaces', 'ipam/ip-addresses',
                 'dcim/mac-addresses', 'virtualization/virtual-disks', 'dcim/devices')  # fmt: skip

        def touch(_: int) -> None:
            with httpx.Client(headers=headers, timeout=120) as client:
                for path in paths:
                    client.get(f'{self.url}/api/{path}/', params={'limit': 1})

        with ThreadPoolExecutor(self.config.workers) as pool:
            list(pool.map(touch, range(self.config.workers * 2)))

    def peak_worker_rss(self) -> int:
        """The highest RSS (bytes) of one gunicorn worker since the previous call."""
        if self.cpu is None:
            raise RuntimeError('the server is not running')
        return self.cpu.peak_worker_rss()

    def cpu_seconds(self) -> float:
        """CPU seconds the workers and the database backends have used since the server came up."""
        if self.cpu is None:
            raise RuntimeError('the server is not running')
        return self.cpu.seconds()

    def stop(self) -> None:
        if self.cpu is not None:
            self.cpu.stop()
        if self._process is None or self._process.poll() is not None:
            return
        self._process.terminate()
        try:
            self._process.wait(30)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait(30)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

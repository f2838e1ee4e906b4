"""Run a fleet: one HTTPS listener per cluster on an asyncio loop in a background thread."""

from __future__ import annotations

import asyncio
import tempfile
import threading
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path
from typing import Any

from ..fleet import Fleet
from .app import EndpointApp
from .http import serve_connection
from .tls import fingerprint, self_signed, server_context

__all__ = ['Endpoint', 'SimServer']


@dataclass(frozen=True, slots=True)
class Endpoint:
    """How to reach one simulated cluster (or standalone node)."""

    cluster: str
    standalone: bool
    host: str
    port: int
    url: str
    token_id: str
    token_secret: str
    username: str
    password: str
    cert_path: str
    fingerprint: str
    version: str
    nodes: tuple[str, ...]

    @property
    def token_name(self) -> str:
        return self.token_id.split('!', 1)[1]

    def proxmoxer_kwargs(self, auth: str = 'token') -> dict[str, Any]:
        """Keyword arguments for ``proxmoxer.ProxmoxAPI`` (``auth`` is 'token' or 'password')."""
        base: dict[str, Any] = {'host': self.host, 'port': self.port, 'user': self.username, 'verify_ssl': False}
        if auth == 'token':
            return {**base, 'token_name': self.token_name, 'token_value': self.token_secret}
        return {**base, 'password': self.password}

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data['nodes'] = list(self.nodes)
        return data


class SimServer:
    """Serve a :class:`Fleet` over HTTPS. ``port=0`` picks free ports; ``port=N`` uses N, N+1, ... per cluster."""

    def __init__(
        self,
        fleet: Fleet,
        *,
        host: str = '127.0.0.1',
        port: int = 0,
        cert: str | Path | None = None,
        key: str | Path | None = None,
        auth_delay: float = 0.0,
    ) -> None:
        self.fleet = fleet
        self.host = host
        self.port = port
        self.auth_delay = auth_delay
        self._tempdir: tempfile.TemporaryDirectory[str] | None = None
        if cert is None:
            self._tempdir = tempfile.TemporaryDirectory(prefix='proxmox-sim-')
            cert, key = self_signed(Path(self._tempdir.name), host)
        self.cert_path, self.key_path = Path(cert), Path(key or cert)
        self.endpoints: list[Endpoint] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._servers: list[asyncio.Server] = []
        self._connections: dict[asyncio.Task[None], asyncio.StreamWriter] = {}

    def __enter__(self) -> SimServer:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def start(self) -> list[Endpoint]:
        """Start listening in a background thread; returns one endpoint per cluster."""
        if self._thread is not None:
            return self.endpoints
        ready = threading.Event()
        failure: list[BaseException] = []
        self._thread = threading.Thread(target=self._run, args=(ready, failure), name='proxmox-sim', daemon=True)
        self._thread.start()
        ready.wait()
        if failure:
            self._thread.join()
            self._thread = None
            raise failure[0]
        return self.endpoints

    def _run(self, ready: threading.Event, failure: list[BaseException]) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            loop.run_until_complete(self._listen())
        except BaseException as error:  # report bind errors etc. to the starting thread
            failure.append(error)
            ready.set()
            loop.close()
            return
        ready.set()
        loop.run_forever()
        loop.run_until_complete(self._shutdown())
        loop.close()

    async def _listen(self) -> None:
        context = server_context(self.cert_path, self.key_path)
        fp = fingerprint(self.cert_path)
        for position, cluster in enumerate(self.fleet.clusters.values()):
            app = EndpointApp(self.fleet, cluster.name, auth_delay=self.auth_delay)
            port = self.port + position if self.port else 0
            server = await asyncio.start_server(partial(self._track, app), self.host, port, ssl=context)
            self._servers.append(server)
            bound = server.sockets[0].getsockname()[1]
            self.endpoints.append(self._endpoint(cluster.name, bound, fp))

    def _endpoint(self, name: str, port: int, fp: str) -> Endpoint:
        cluster = self.fleet.cluster(name)
        token = next(iter(cluster.tokens.values()))
        username, password = next(iter(cluster.users.items()))
        host = f'[{self.host}]' if ':' in self.host else self.host
        return Endpoint(
            cluster=name,
            standalone=cluster.standalone,
            host=self.host,
            port=port,
            url=f'https://{host}:{port}/api2/json',
            token_id=token.tokenid,
            token_secret=token.secret,
            username=username,
            password=password,
            cert_path=str(self.cert_path),
            fingerprint=fp,
            version=cluster.version.full,
            nodes=tuple(cluster.nodes),
        )

    async def _track(self, app: EndpointApp, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._connections[task] = writer
        try:
            await serve_connection(app, reader, writer)
        except asyncio.CancelledError:
            pass  # shutting down: the task must end normally or asyncio logs the cancellation
        finally:
            self._connections.pop(task, None)

    async def _shutdown(self) -> None:
        for server in self._servers:
            server.close()
        for task, writer in list(self._connections.items()):
            writer.transport.abort()  # no TLS close_notify handshake: it would wait for idle keep-alive clients
            task.cancel()
        await asyncio.gather(*self._connections, return_exceptions=True)
        for server in self._servers:
            await asyncio.wait_for(server.wait_closed(), timeout=2)

    def stop(self) -> None:
        """Stop listening, close every connection and remove the generated certificate."""
        if self._thread is None or self._loop is None:
            return
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._thread = None
        self._servers.clear()
        self.endpoints = []
        if self._tempdir is not None:
            self._tempdir.cleanup()
            self._tempdir = None

"""The service's recent log lines, kept in memory (bounded) and followed live over a WebSocket.

``LogBuffer`` is a logging handler holding the last ``log_buffer_lines`` lines, each numbered
(``seq``), and fanning new ones out to subscribers. ``GET /v1/logs/ws?after=N`` (WebSocket, the
``X-API-Key`` header required) sends every kept line after ``N``, then each new one, as JSON
``{seq, time, level, logger, message}``. The NetBox plugin bridges it to its log page.

Every line it keeps or prints is scrubbed of the service's key and of the secrets of the requests
being served (``hiding``), tracebacks included: a log line never holds a secret.
"""

import asyncio
import hmac
import logging
import threading
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, WebSocket, WebSocketDisconnect, status

from ..events import Redactor
from ..settings import ServiceSettings

__all__ = ['LOGGERS', 'LogBuffer', 'SecretFilter', 'router']

# Loggers whose lines are kept: the service's own, and uvicorn's (start-up, errors, requests).
LOGGERS = ('proxbox_api', 'uvicorn', 'uvicorn.access')

router = APIRouter()
Line = dict[str, Any]


class SecretFilter(logging.Filter):
    """Rewrites a record's message and traceback with the secrets in use replaced by ``********``."""

    def __init__(self, always: Iterable[str] = ()) -> None:
        super().__init__()
        self._always = [value for value in always if value]
        self._in_use: Counter[str] = Counter()
        self._lock = threading.Lock()

    @contextmanager
    def hiding(self, secrets: Iterable[str]) -> Iterator[None]:
        """Scrub these secrets too while the block runs (e.g. a sync request's tokens and passwords)."""
        values = [value for value in secrets if value]
        with self._lock:
            self._in_use.update(values)
        try:
            yield
        finally:
            with self._lock:
                self._in_use.subtract(values)
                self._in_use = +self._in_use  # drop the ones no request uses any more

    def filter(self, record: logging.LogRecord) -> bool:
        with self._lock:
            redact = Redactor([*self._always, *self._in_use])
        try:
            message = record.getMessage()
        except Exception:  # a bad format string must not break logging
            message = str(record.msg)
        record.msg, record.args = redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


class LogBuffer(logging.Handler):
    def __init__(self, capacity: int, secrets: SecretFilter | None = None) -> None:
        super().__init__(level=logging.DEBUG)
        self.setFormatter(logging.Formatter('%(message)s'))
        self.secrets = secrets or SecretFilter()
        self.addFilter(self.secrets)
        self.capacity = capacity
        self.lines: deque[Line] = deque(maxlen=capacity)
        self.seq = 0
        self._lock = threading.Lock()
        self._subscribers: set[tuple[asyncio.AbstractEventLoop, asyncio.Queue[Line]]] = set()
        self._console: logging.Handler | None = None

    def emit(self, record: logging.LogRecord) -> None:
        # The scrubbing filter ran first on purpose: it rewrites the record itself, so every other
        # handler of these loggers gets it clean too, the lines dropped here included.
        if record.levelno < logging.INFO and not record.name.startswith('proxbox_api'):
            # uvicorn's debug lines trace every WebSocket frame: kept, each sent line would log another.
            return
        try:
            message = self.format(record)
        except Exception:  # a bad format string must not break logging
            message = str(record.msg)
        created = datetime.fromtimestamp(record.created, UTC).isoformat(timespec='milliseconds')
        with self._lock:
            self.seq += 1
            line = {'seq': self.seq, 'time': created, 'level': record.levelname, 'logger': record.name}
            line['message'] = message
            self.lines.append(line)
            subscribers = list(self._subscribers)
        for loop, queue in subscribers:
            with suppress(RuntimeError):  # that loop has closed
                loop.call_soon_threadsafe(_offer, queue, line)

    def since(self, after: int) -> list[Line]:
        with self._lock:
            return [line for line in self.lines if line['seq'] > after]

    @contextmanager
    def subscribe(self) -> Iterator[asyncio.Queue[Line]]:
        """New lines for the calling event loop; a reader that falls behind loses the overflow."""
        entry = (asyncio.get_running_loop(), asyncio.Queue[Line](maxsize=self.capacity))
        with self._lock:
            self._subscribers.add(entry)
        try:
            yield entry[1]
        finally:
            with self._lock:
                self._subscribers.discard(entry)

    def attach(self, level: str) -> None:
        for name in LOGGERS:
            logging.getLogger(name).addHandler(self)
        own = logging.getLogger('proxbox_api')
        if own.level == logging.NOTSET:
            own.setLevel(level.upper())
        if not own.handlers[:-1] and not logging.getLogger().handlers:
            # Nothing else prints the service's own lines (uvicorn configures only its loggers).
            self._console = logging.StreamHandler()
            self._console.addFilter(self.secrets)
            self._console.setFormatter(logging.Formatter('%(levelname)s:     %(name)s: %(message)s'))
            own.addHandler(self._console)

    def detach(self) -> None:
        for name in LOGGERS:
            logging.getLogger(name).removeHandler(self)
        if self._console is not None:
            logging.getLogger('proxbox_api').removeHandler(self._console)
            self._console = None


def _offer(queue: asyncio.Queue[Line], line: Line) -> None:
    with suppress(asyncio.QueueFull):
        queue.put_nowait(line)


def _key_ok(websocket: WebSocket, settings: ServiceSettings) -> bool:
    key = websocket.headers.get('x-api-key') or ''
    return hmac.compare_digest(key.encode(), settings.api_key.get_secret_value().encode())


async def _pump(websocket: WebSocket, buffer: LogBuffer, after: int) -> None:
    with buffer.subscribe() as queue:
        last = after
        for line in buffer.since(after):
            await websocket.send_json(line)
            last = line['seq']
        while True:
            line = await queue.get()
            if line['seq'] > last:
                await websocket.send_json(line)
                last = line['seq']


@router.websocket('/v1/logs/ws')
async def logs_ws(websocket: WebSocket, after: int = 0) -> None:
    if not _key_ok(websocket, websocket.app.state.settings):
        await websocket.close(code=status.WS_1008_POLICY_VIOLATION, reason='missing or wrong X-API-Key')
        return
    await websocket.accept()
    pump = asyncio.create_task(_pump(websocket, websocket.app.state.logs, max(after, 0)))
    closed = asyncio.create_task(websocket.receive())  # completes when the client goes away
    try:
        await asyncio.wait({pump, closed}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in (pump, closed):
            task.cancel()
        with suppress(asyncio.CancelledError, WebSocketDisconnect, RuntimeError):
            await pump

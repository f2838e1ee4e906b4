"""A small HTTP/1.1 server on asyncio streams: keep-alive, gzip, and free-form reason phrases.

Proxmox puts its error text in the HTTP reason phrase and clients such as proxmoxer read it from
there, which ASGI servers cannot do; hence this hand-rolled layer (it is also fast: no framework).
"""

from __future__ import annotations

import asyncio
import gzip
import ssl
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from email.utils import formatdate
from urllib.parse import unquote

__all__ = ['Abort', 'Request', 'Response', 'serve_connection']

JSON_TYPE = 'application/json;charset=UTF-8'
GZIP_MIN = 1024


@dataclass(slots=True)
class Request:
    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes = b''

    @property
    def accepts_gzip(self) -> bool:
        return 'gzip' in self.headers.get('accept-encoding', '')


@dataclass(slots=True)
class Response:
    status: int
    reason: str
    body: bytes = b''
    gzipped: bool = False
    close: bool = False
    content_type: str = JSON_TYPE
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class Abort:
    """Close the connection without an answer, after ``delay`` seconds (a dropped or timed-out request)."""

    delay: float = 0.0


Handler = Callable[[Request], Awaitable[Response | Abort]]


def gzip_body(body: bytes) -> bytes:
    return gzip.compress(body, compresslevel=5, mtime=0)


class _DateCache:
    """``Date`` is formatted once per second, not per response."""

    second = -1
    text = ''

    @classmethod
    def now(cls) -> str:
        second = int(time.time())
        if second != cls.second:
            cls.second, cls.text = second, formatdate(second, usegmt=True)
        return cls.text


def _reason(text: str) -> str:
    line = text.split('\n', 1)[0].strip() or 'Error'
    return line.encode('latin-1', 'replace').decode('latin-1')


def encode_response(response: Response, keep_alive: bool) -> bytes:
    date = _DateCache.now()
    lines = [
        f'HTTP/1.1 {response.status} {_reason(response.reason)}',
        'Server: pve-api-daemon/3.0',
        f'Date: {date}',
        f'Expires: {date}',
        'Cache-Control: max-age=0',
        'Pragma: no-cache',
        f'Content-Type: {response.content_type}',
        f'Content-Length: {len(response.body)}',
        f'Connection: {"Keep-Alive" if keep_alive else "close"}',
    ]
    if response.gzipped:
        lines.append('Content-Encoding: gzip')
    lines += [f'{name}: {value}' for name, value in response.headers.items()]
    return ('\r\n'.join(lines) + '\r\n\r\n').encode('latin-1') + response.body


def parse_head(head: bytes) -> Request:
    lines = head.decode('latin-1').split('\r\n')
    method, target, _version = lines[0].split(' ', 2)
    headers: dict[str, str] = {}
    for line in lines[1:]:
        if line:
            name, _, value = line.partition(':')
            headers[name.strip().lower()] = value.strip()
    path, _, query = target.partition('?')
    return Request(method=method.upper(), path=unquote(path), query=query, headers=headers)


async def serve_connection(handler: Handler, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Serve requests on one connection until the client closes it or a response closes it."""
    try:
        while True:
            try:
                head = await reader.readuntil(b'\r\n\r\n')
            except asyncio.IncompleteReadError:
                return
            request = parse_head(head)
            length = int(request.headers.get('content-length') or 0)
            if length:
                request.body = await reader.readexactly(length)
            outcome = await handler(request)
            if isinstance(outcome, Abort):
                if outcome.delay:
                    await asyncio.sleep(outcome.delay)
                writer.transport.abort()
                return
            keep_alive = not outcome.close and request.headers.get('connection', '').lower() != 'close'
            writer.write(encode_response(outcome, keep_alive))
            await writer.drain()
            if not keep_alive:
                return
    except (ConnectionError, asyncio.LimitOverrunError, asyncio.IncompleteReadError, ssl.SSLError, ValueError):
        return
    finally:
        writer.close()

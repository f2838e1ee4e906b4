"""
A fault-injecting HTTP proxy between proxbox-api and NetBox (a threaded stdlib server on a free
loopback port). Each request is offered to `proxy.fault(method, path, body)`, which returns None
(forward it) or one of:

- `('status', code)`: answer `code` without forwarding (a 502/503 from a load balancer);
- `('commit-then-hang', seconds)`: forward it (NetBox commits), then hold the answer for `seconds`
  and close the connection: the client times out on a write that was in fact done;
- `('rewrite', body)`: forward `body` instead (e.g. one object of a bulk write made invalid);
- `('call', function)`: call `function()` (in the proxy's thread), then forward;
- `('delay', seconds)`: wait, then forward (a slow NetBox).
"""

import http.client
import json
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

__all__ = ('FaultProxy',)

Fault = tuple[str, Any] | None


class FaultProxy:
    def __init__(self, target: str) -> None:
        parts = urlsplit(target)
        self.target = (parts.hostname or '127.0.0.1', parts.port or 80)
        self.fault: Callable[[str, str, Any], Fault] = lambda method, path, body: None
        self.seen: list[tuple[str, str, int]] = []  # method, path, status answered
        self.server = ThreadingHTTPServer(('127.0.0.1', 0), _handler(self))
        self.server.daemon_threads = True
        self.url = f'http://127.0.0.1:{self.server.server_address[1]}'
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> 'FaultProxy':
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def forward(self, method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, list[Any], bytes]:
        conn = http.client.HTTPConnection(*self.target, timeout=120)
        try:
            conn.request(method, path, body=body or None, headers=headers)
            response = conn.getresponse()
            return response.status, response.getheaders(), response.read()
        finally:
            conn.close()


def _handler(proxy: FaultProxy) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = 'HTTP/1.1'

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

        def relay(self) -> None:
            body = self.rfile.read(int(self.headers.get('Content-Length') or 0))
            try:
                parsed = json.loads(body) if body else None
            except ValueError:
                parsed = None
            path = self.path.split('?', 1)[0]
            fault = proxy.fault(self.command, path, parsed)
            if fault is not None and fault[0] == 'status':
                return self.answer(fault[1], [('Content-Type', 'application/json')], b'{"detail": "proxy fault"}')
            if fault is not None and fault[0] == 'rewrite':
                body = json.dumps(fault[1]).encode()
            if fault is not None and fault[0] == 'call':
                fault[1]()
            if fault is not None and fault[0] == 'delay':
                time.sleep(fault[1])
            headers = {k: v for k, v in self.headers.items() if k.lower() not in ('host', 'content-length')}
            headers['Content-Length'] = str(len(body))
            status, answer_headers, answer = proxy.forward(self.command, self.path, headers, body)
            if fault is not None and fault[0] == 'commit-then-hang':
                proxy.seen.append((self.command, path, 0))
                time.sleep(fault[1])
                self.close_connection = True
                return None
            return self.answer(status, answer_headers, answer)

        def answer(self, status: int, headers: list[Any], body: bytes) -> None:
            proxy.seen.append((self.command, self.path.split('?', 1)[0], status))
            self.send_response(status)
            for name, value in headers:
                if name.lower() not in ('content-length', 'transfer-encoding', 'connection', 'date', 'server'):
                    self.send_header(name, value)
            self.send_header('Content-Length', str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = relay  # noqa: N815

    return Handler

"""
In-process pieces for Full Update tests: proxbox-api served by uvicorn in a thread on a free
loopback port. (tests/fullupdate/stack.py starts real processes for the process-level tests.)
"""

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn

from proxbox_api.api import create_app
from proxbox_api.settings import ServiceSettings

__all__ = ('API_KEY', 'free_port', 'serve_proxbox_api')

API_KEY = 'fullupdate-test-key-0123456789'


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


@contextmanager
def serve_proxbox_api(api_key: str = API_KEY) -> Iterator[str]:
    """proxbox-api on a free loopback port, for the duration of the block; yields its URL."""
    port = free_port()
    settings = ServiceSettings(api_key=api_key, port=port, log_level='info')
    config = uvicorn.Config(create_app(settings), host='127.0.0.1', port=port, log_level='warning', lifespan='on')
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name='proxbox-api', daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError('proxbox-api did not start')
        time.sleep(0.05)
    try:
        yield f'http://127.0.0.1:{port}/'
    finally:
        server.should_exit = True
        thread.join(timeout=10)

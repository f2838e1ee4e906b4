"""
In-process pieces for Full Update tests: proxbox-api served by uvicorn in a thread, and the
plugin's endpoints configured against it, a NetBox (pytest-django's live_server) and a
Proxmox simulator. Jobs run with `immediate=True`; tests/fullupdate/stack.py starts real processes.
"""

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import uvicorn
from django.contrib.auth import get_user_model

from users.models import ObjectPermission, Token

from netbox_proxbox.models import FastAPIEndpoint, NetBoxEndpoint, ProxmoxEndpoint
from proxbox_api.api import create_app
from proxbox_api.settings import ServiceSettings

__all__ = ('API_KEY', 'configure_endpoints', 'free_port', 'serve_proxbox_api', 'sync_user_token')

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


def sync_user_token(username: str = 'proxbox-sync', superuser: bool = True) -> str:
    """A sync user and its v2 token (the header value after 'Bearer ')."""
    user = get_user_model().objects.create_user(username=username, password='x', is_superuser=superuser)
    if not superuser:
        permission = ObjectPermission.objects.create(name=f'{username} view only', actions=['view'])
        permission.users.add(user)
    token = Token.objects.create(user=user)
    return (token.get_auth_header_prefix() + token.token).removeprefix('Bearer ')


def configure_endpoints(server: Any, netbox_url: str, api_url: str, token: str, api_key: str = API_KEY) -> list[Any]:
    """NetBox and proxbox-api endpoints plus one Proxmox endpoint per simulated cluster (no schedule)."""
    NetBoxEndpoint.objects.create(url=netbox_url, token=token, verify_ssl=False)
    FastAPIEndpoint.objects.create(url=api_url, api_key=api_key, timeout=10)
    endpoints = []
    for ep in server.endpoints:
        user, name = ep.token_id.split('!')
        endpoints.append(
            ProxmoxEndpoint.objects.create(
                name=ep.cluster,
                host=ep.host,
                port=ep.port,
                username=user,
                token_name=name,
                token_secret=ep.token_secret,
                ca_certificate=Path(ep.cert_path).read_text(),
                sync_interval=None,
            )
        )
    return endpoints

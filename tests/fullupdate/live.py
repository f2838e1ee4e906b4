"""
The session's live stack (see stack.py), shared by tests/fullupdate and tests/browser, and the
helpers their tests use: follow a run's event stream, wait for a run, log in like a browser.

Fleets: `alpha`, a cluster of S = 100 guests (the browser test's first Full Update), and
`solo-alpha`, a standalone node with a handful of guests for everything else.
"""

import re
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from netbox_proxbox.sync.client import SseEvent, iter_sse

from .stack import LiveStack

__all__ = (
    'SMALL',
    'S_FLEET',
    'csrf',
    'follow',
    'live_stack',
    'login',
    'run_id_from',
    'run_of',
    'start',
    'wait_finished',
)

S_FLEET = 'alpha'
SMALL = 'solo-alpha'
FLEETS = {
    'cluster': ['--clusters', '1', '--nodes', '3', '--guests', '100', '--seed', '21'],
    'standalone': ['--clusters', '0', '--standalone', '1', '--guests', '5', '--seed', '22'],
}


@pytest.fixture(scope='session')
def live_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveStack]:
    """NetBox, an RQ worker, proxbox-api and two simulators, started once per test session."""
    with LiveStack(tmp_path_factory.mktemp('live-stack'), FLEETS) as stack:
        yield stack


def follow(stack: LiveStack, run_id: int, last_id: int = 0, limit: int | None = None, token: str | None = None,
           path: str | None = None, client: httpx.Client | None = None) -> list[SseEvent]:  # fmt: skip
    """Read the run's events after `last_id` until run_finished (or `limit` events)."""
    headers = {'Accept': 'text/event-stream'}
    if last_id:
        headers['Last-Event-ID'] = str(last_id)
    path = path or f'/api/plugins/proxbox/sync-runs/{run_id}/events/'
    events: list[SseEvent] = []
    owned = client is None
    client = client or stack.client(token or stack.info['tokens']['admin'])
    try:
        with client.stream('GET', path, headers=headers, timeout=httpx.Timeout(30, read=600)) as response:
            assert response.status_code == 200, response.read()
            assert response.headers['content-type'].startswith('text/event-stream')
            for event in iter_sse(response.iter_lines()):
                events.append(event)
                if event.event == 'run_finished' or (limit and len(events) >= limit):
                    break
    finally:
        if owned:
            client.close()
    return events


def start(stack: LiveStack, token: str | None = None, **body: Any) -> dict[str, Any]:
    response = stack.api('POST', '/api/plugins/proxbox/sync/', token, json=body)
    assert response.status_code == 202, response.text
    return response.json()


def run_of(stack: LiveStack, run_id: int) -> dict[str, Any]:
    response = stack.api('GET', f'/api/plugins/proxbox/sync-runs/{run_id}/')
    assert response.status_code == 200, response.text
    return response.json()


def wait_finished(stack: LiveStack, run_id: int, timeout: float = 600) -> dict[str, Any]:
    """Follow the run to its end, then return it as the API shows it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = run_of(stack, run_id)
        if run['status']['value'] not in ('pending', 'running'):
            return run
        follow(stack, run_id)
    raise AssertionError(f'run {run_id} did not finish in {timeout} s:\n{stack.log("rqworker")}')


def login(stack: LiveStack, user: str) -> httpx.Client:
    """A browser-like session (cookie + CSRF token) logged in as one of the stack's users."""
    client = httpx.Client(base_url=stack.url, timeout=60, follow_redirects=False)
    client.get('/login/')
    account = stack.info['users'][user]
    response = client.post(
        '/login/',
        data={'username': account['username'], 'password': account['password'], 'csrfmiddlewaretoken': csrf(client)},
    )
    assert response.status_code == 302, response.text
    return client


def csrf(client: httpx.Client) -> str:
    return client.cookies['csrftoken']


def run_id_from(location: str) -> int:
    match = re.search(r'/sync-runs/(\d+)/', location)
    assert match, location
    return int(match.group(1))

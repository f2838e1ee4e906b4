"""
Server-Sent Events the plugin serves: a run's events (for the run page, the REST API and pxb)
and proxbox-api's live log (bridged from its WebSocket, so browsers never see the service key).

Both are resumable: send `Last-Event-ID: n` (browsers' EventSource does so when it reconnects)
and the stream goes on after event n. A connection is closed after MAX_CONNECTION seconds (the
client reconnects and resumes), so a long run never pins a web worker for hours; a run's stream
ends for good after its `run_finished`.
"""

import json
import logging
import time

from django.http import StreamingHttpResponse

from ..choices import SyncStatusChoices
from ..constants import SECRET_PLACEHOLDER
from .runs import close_if_dead
from .streams import RunEvent, RunStream

__all__ = ('MAX_CONNECTION', 'last_event_id', 'log_event_stream', 'run_event_stream', 'sse_response')

MAX_CONNECTION = 300
POLL_MS = 5000
RETRY_MS = 2000


def last_event_id(request):
    """The resume point: the Last-Event-ID header, else a `last_event_id` query parameter, else 0."""
    value = request.headers.get('Last-Event-ID') or request.GET.get('last_event_id') or '0'
    return int(value) if value.isdigit() else 0


def sse_response(events):
    response = StreamingHttpResponse(events, content_type='text/event-stream')
    response['Cache-Control'] = 'no-cache, no-store'
    response['X-Accel-Buffering'] = 'no'
    return response


def _stored_after(run, last_id):
    return [RunEvent.from_json(item) for item in run.events or [] if int(item['id']) > last_id]


def run_event_stream(run, last_id=0, max_seconds=MAX_CONNECTION, clock=time.monotonic):
    """Yield the run's events after `last_id` as SSE text, live until `run_finished`."""
    yield f'retry: {RETRY_MS}\n\n'
    stream = RunStream(run.pk)
    deadline = clock() + max_seconds
    backlog = stream.after(last_id) if stream.exists() else _stored_after(run, last_id)
    while True:
        for event in backlog:
            yield event.to_sse()
            last_id = event.id
            if event.event == 'run_finished':
                return
        remaining = deadline - clock()
        if remaining <= 0:
            return
        backlog = stream.after(last_id, block_ms=int(min(POLL_MS, remaining * 1000)) or 1)
        if backlog:
            continue
        yield ': keep-alive\n\n'
        run.refresh_from_db(fields=('status', 'events', 'created', 'job'))
        if run.status in SyncStatusChoices.FINISHED and not stream.exists():
            backlog = _stored_after(run, last_id)  # finished and its Redis stream is gone
        else:
            close_if_dead(run)  # a dead run gets its closing events; the next read picks them up


class KeyHidingLogger(logging.LoggerAdapter):
    """The websockets client's logger, minus the service key (it logs the handshake's headers at DEBUG)."""

    def __init__(self, secret):
        super().__init__(logging.getLogger('websockets.client'), {})
        self.secret = secret

    def log(self, level, msg, *args, **kwargs):
        if self.isEnabledFor(level):
            hidden = tuple(self._hide(arg) for arg in args)
            self.logger.log(level, self._hide(msg), *hidden, **kwargs)

    def _hide(self, value):
        if self.secret and isinstance(value, str | bytes) and self.secret in str(value):
            return str(value).replace(self.secret, SECRET_PLACEHOLDER)
        return value


def log_event_stream(api, last_id=0, max_seconds=MAX_CONNECTION, connect=None, clock=time.monotonic):
    """
    Yield proxbox-api's log lines after line `last_id` as SSE `log` events, bridged from its
    WebSocket (authenticated with the service key, server-side). Trouble reaching it becomes one
    `problem` event with what to fix; the browser retries after RETRY_MS.
    """
    from websockets.exceptions import InvalidStatus, WebSocketException
    from websockets.sync.client import connect as ws_connect

    connect = connect or ws_connect
    yield f'retry: {RETRY_MS}\n\n'
    url = api.websocket_url(f'v1/logs/ws?after={last_id}')
    deadline = clock() + max_seconds
    try:
        headers = {'X-API-Key': api.api_key}
        quiet = KeyHidingLogger(api.api_key)
        with connect(url, additional_headers=headers, open_timeout=api.timeout, logger=quiet) as socket:
            while (remaining := deadline - clock()) > 0:
                try:
                    message = socket.recv(timeout=min(15, remaining))
                except TimeoutError:
                    yield ': keep-alive\n\n'
                    continue
                line = json.loads(message)
                yield f'id: {line["seq"]}\nevent: log\ndata: {json.dumps(line)}\n\n'
    except InvalidStatus as exc:
        problem = _log_problem(api, exc.response.status_code)
        yield f'event: problem\ndata: {json.dumps(problem)}\n\n'
    except (OSError, WebSocketException) as exc:
        problem = {
            'message': f'proxbox-api is unreachable at {api.url} ({type(exc).__name__}: {exc})',
            'fix': 'Start proxbox-api, or correct the URL of the proxbox-api endpoint.',
        }
        yield f'event: problem\ndata: {json.dumps(problem)}\n\n'


def _log_problem(api, status):
    if status in (401, 403):
        return {
            'message': 'proxbox-api rejected the API key',
            'fix': "Set the proxbox-api endpoint's API key to the service's PROXBOX_API_API_KEY.",
        }
    return {'message': f'proxbox-api answered {status} to {api.url}v1/logs/ws', 'fix': 'Is it an older proxbox-api?'}

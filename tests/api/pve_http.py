"""Helpers to build PVE-shaped HTTP responses for ``httpx.MockTransport`` handlers."""

import json
from typing import Any

import httpx


def ok(data: Any, **extra: Any) -> httpx.Response:
    """PVE success: ``{"data": ...}`` (plus ``total``/``changes`` where PVE adds them)."""
    return httpx.Response(200, json={'data': data, **extra})


def error(
    status: int, message: str, *, with_message: bool = True, errors: dict[str, str] | None = None
) -> httpx.Response:
    """PVE error: the text in the reason phrase; 8.4+ also repeats it in ``message``."""
    body: dict[str, Any] = {'data': None}
    if errors:
        body['errors'] = errors
    if with_message:
        body['message'] = message + '\n'
    return httpx.Response(
        status,
        content=json.dumps(body).encode(),
        headers={'Content-Type': 'application/json;charset=UTF-8'},
        extensions={'reason_phrase': message.encode()},
    )


def auth_error(reason: str = 'No ticket') -> httpx.Response:
    """401 from the auth layer: reason phrase only, empty body."""
    return httpx.Response(401, content=b'', extensions={'reason_phrase': reason.encode()})

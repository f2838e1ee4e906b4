"""Turning NetBox's HTTP answers and httpx's failures into the client's exceptions.

Pure functions: no I/O, no state. Every message passes through ``redact`` before it is raised.
"""

import email.utils
import time
from collections.abc import Callable
from typing import Any

import httpx

from .errors import (
    NetBoxAuthError,
    NetBoxError,
    NetBoxNotFound,
    NetBoxObjectError,
    NetBoxPermissionError,
    NetBoxRequestError,
    NetBoxTimeout,
    NetBoxUnavailable,
    NetBoxValidationError,
)

__all__ = ['error_for_response', 'error_for_transport', 'flatten_errors', 'json_body']

Redact = Callable[[str], str]
_ACTIONS = {'GET': 'view', 'POST': 'add', 'PUT': 'change', 'PATCH': 'change', 'DELETE': 'delete'}
# Failures after which the request is known not to have been sent: resending cannot apply it twice.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)


def json_body(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def flatten_errors(errors: Any, prefix: str = '') -> str:
    """``{"name": ["required"], "custom_fields": {"x": ["bad"]}}`` -> ``name: required; custom_fields.x: bad``."""
    if isinstance(errors, dict):
        parts = []
        for key, value in errors.items():
            label = '' if key in ('__all__', 'non_field_errors') else str(key)
            name = f'{prefix}.{label}' if prefix and label else prefix or label
            parts.append(flatten_errors(value, name))
        return '; '.join(p for p in parts if p)
    if isinstance(errors, list):
        text = ' '.join(flatten_errors(v) for v in errors)
        return f'{prefix}: {text}' if prefix else text
    return f'{prefix}: {errors}' if prefix else str(errors)


def _redacted(value: Any, redact: Redact) -> Any:
    """NetBox's error tree with every string redacted (a proxy or plugin may echo headers back)."""
    if isinstance(value, dict):
        return {str(k): _redacted(v, redact) for k, v in value.items()}
    if isinstance(value, list):
        return [_redacted(v, redact) for v in value]
    return redact(value) if isinstance(value, str) else value


def _object_errors(body: Any, redact: Redact) -> tuple[NetBoxObjectError, ...]:
    entries = body.get('errors') if isinstance(body, dict) else None
    if not isinstance(entries, list):
        return ()
    found = []
    for entry in entries:
        if not isinstance(entry, dict) or not ('index' in entry or 'id' in entry):
            continue
        index, oid, fields = entry.get('index'), entry.get('id'), entry.get('errors')
        fields = _redacted(fields if isinstance(fields, dict) else {'__all__': fields}, redact)
        found.append(
            NetBoxObjectError(
                index=index if isinstance(index, int) else None,
                id=oid if isinstance(oid, int) else None,
                message=redact(flatten_errors(fields)),
                fields=fields,
            )
        )
    return tuple(found)


def _detail(response: httpx.Response, body: Any) -> str:
    if isinstance(body, dict):
        if 'detail' in body:
            return str(body['detail'])
        return flatten_errors(body)
    if isinstance(body, list):
        return flatten_errors(body)
    return response.reason_phrase or ''


def retry_after(response: httpx.Response) -> float | None:
    """``Retry-After`` as seconds (delta-seconds or an HTTP date), ``None`` if absent or unreadable."""
    value = response.headers.get('Retry-After')
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def error_for_response(method: str, path: str, response: httpx.Response, redact: Redact) -> NetBoxError:
    """The exception for a non-2xx answer. Its message names the method, path, status and NetBox's text."""
    status = response.status_code
    body = json_body(response)
    detail = _detail(response, body)
    message = f'{method} {path}: HTTP {status} {detail}'.rstrip()
    if status == 401:
        return NetBoxAuthError(redact(message), status=status, path=path)
    if status == 403 and not _object_errors(body, redact):
        action = _ACTIONS.get(method, method.lower())
        message += f' (the sync user needs the "{action}" permission on {path.removeprefix("/api/")})'
        return NetBoxPermissionError(redact(message), status=status, path=path)
    if status == 404:
        return NetBoxNotFound(redact(message), status=status, path=path)
    if status in (400, 403, 409, 422):
        errors = _object_errors(body, redact)
        return NetBoxValidationError(redact(message), status=status, path=path, errors=errors)
    if status == 429 or status >= 500:
        # A 504 comes from a proxy that gave up waiting: NetBox may still have committed the write.
        return NetBoxUnavailable(
            redact(message), status=status, path=path, ambiguous=status == 504, retry_after=retry_after(response)
        )
    return NetBoxRequestError(redact(message), status=status, path=path)


def error_for_transport(method: str, path: str, exc: httpx.TransportError, redact: Redact) -> NetBoxUnavailable:
    """A timeout or connection failure; ``ambiguous`` unless the request certainly was not sent."""
    ambiguous = not isinstance(exc, _NOT_SENT)
    if isinstance(exc, httpx.TimeoutException):
        message = f'{method} {path}: timed out ({type(exc).__name__})'
        return NetBoxTimeout(redact(message), path=path, ambiguous=ambiguous)
    message = f'{method} {path}: connection failed: {type(exc).__name__}: {exc!s}'
    return NetBoxUnavailable(redact(message), path=path, ambiguous=ambiguous)

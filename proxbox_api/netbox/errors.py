"""The NetBox client's exception hierarchy (drawn in ``client``'s docstring).

Messages are built from the HTTP method, the API path, the status and NetBox's own error text,
then passed through the client's redactor, so they never carry the API token.
"""

from dataclasses import dataclass
from typing import Any

__all__ = [
    'NetBoxAuthError',
    'NetBoxError',
    'NetBoxNotFound',
    'NetBoxObjectError',
    'NetBoxPermissionError',
    'NetBoxProtocolError',
    'NetBoxRequestError',
    'NetBoxTimeout',
    'NetBoxUnavailable',
    'NetBoxValidationError',
]


class NetBoxError(Exception):
    """Base class. ``status`` is the HTTP status (``None`` when no response came back)."""

    retryable = False

    def __init__(self, message: str, *, status: int | None = None, path: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.path = path


class NetBoxRequestError(NetBoxError):
    """NetBox refused the request (4xx). Never retried."""


class NetBoxAuthError(NetBoxRequestError):
    """401: the token is unknown, expired, or not allowed from this address."""


class NetBoxPermissionError(NetBoxRequestError):
    """403: the sync user lacks a permission; the message names the action and the endpoint."""


class NetBoxNotFound(NetBoxRequestError):
    """404: no such endpoint or object."""


@dataclass(frozen=True, slots=True)
class NetBoxObjectError:
    """One entry of a bulk error: the object's position in the request or its ID, and NetBox's message."""

    index: int | None
    id: int | None
    message: str
    fields: dict[str, Any]


class NetBoxValidationError(NetBoxRequestError):
    """400 or 409 (the request or one of its objects is invalid, or conflicts with NetBox's data).

    ``errors`` holds NetBox 4.7's per-object bulk errors (``{"index": i, ...}`` or ``{"id": n, ...}``);
    it is empty when NetBox rejected the request as a whole.
    """

    def __init__(
        self, message: str, *, status: int | None = None, path: str | None = None,
        errors: tuple[NetBoxObjectError, ...] = (),
    ) -> None:  # fmt: skip
        super().__init__(message, status=status, path=path)
        self.errors = errors


class NetBoxUnavailable(NetBoxError):
    """5xx, 429 or a connection failure (retried; raised once the retries are used up).

    ``ambiguous`` is true when the request may have reached NetBox and been applied (a read timeout,
    a dropped connection after sending, a 504 from a proxy): a create must not simply be resent.
    ``retry_after`` is the server's ``Retry-After`` in seconds, if it sent one.
    """

    retryable = True

    def __init__(
        self, message: str, *, status: int | None = None, path: str | None = None,
        ambiguous: bool = False, retry_after: float | None = None,
    ) -> None:  # fmt: skip
        super().__init__(message, status=status, path=path)
        self.ambiguous = ambiguous
        self.retry_after = retry_after


class NetBoxTimeout(NetBoxUnavailable):
    """The request timed out (connecting: safe to resend; waiting for the answer: ambiguous)."""


class NetBoxProtocolError(NetBoxError):
    """The response is not the JSON NetBox's REST API returns."""

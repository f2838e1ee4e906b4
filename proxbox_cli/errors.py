"""What can go wrong in pxb, as one exception hierarchy.

::

    PxbError
    ├── ConfigError                 settings missing or invalid (flags, environment, config file)
    ├── Interrupted                 Ctrl-C while following a run (the run goes on)
    └── ClientError                 talking to NetBox's Proxbox API failed
        ├── ConnectionFailed        NetBox could not be reached (refused, DNS, TLS, timeout)
        ├── UnexpectedAnswer        NetBox answered something that is not the Proxbox API
        ├── StreamBroken            the run's event stream broke and could not be resumed
        └── ApiError                NetBox answered with an error status
            ├── AuthenticationFailed    the token was rejected
            ├── PermissionDenied        the token's user may not do this
            ├── NotFound                no such object (or the plugin is not installed)
            ├── InvalidRequest          400: the request was refused, with field errors
            └── Conflict                409
                └── SyncAlreadyRunning  a sync is running; carries its id

Messages never contain the NetBox token or a Proxmox secret.
"""

from typing import Any

__all__ = [
    'ApiError',
    'AuthenticationFailed',
    'ClientError',
    'ConfigError',
    'Conflict',
    'ConnectionFailed',
    'Interrupted',
    'InvalidRequest',
    'NotFound',
    'PermissionDenied',
    'PxbError',
    'StreamBroken',
    'SyncAlreadyRunning',
    'UnexpectedAnswer',
]


class PxbError(Exception):
    """Base of every error pxb reports to the user (as one line, without a traceback)."""


class ConfigError(PxbError):
    """The configuration is missing something or holds an invalid value."""


class ClientError(PxbError):
    """A request to NetBox's Proxbox API failed."""


class ConnectionFailed(ClientError):
    """No HTTP answer at all: connection refused, unknown host, TLS failure or time-out."""


class UnexpectedAnswer(ClientError):
    """An answer pxb cannot read (not JSON, missing fields): usually a wrong URL or an old plugin."""


class StreamBroken(ClientError):
    """The event stream of a run stopped and could not be resumed."""


class ApiError(ClientError):
    """NetBox answered with an error status; ``detail`` is its explanation."""

    def __init__(self, status: int, detail: str, body: Any = None) -> None:
        super().__init__(detail)
        self.status, self.detail, self.body = status, detail, body


class AuthenticationFailed(ApiError):
    """The token is unknown, malformed, expired or not allowed from this address."""


class PermissionDenied(ApiError):
    """The token is valid but its user lacks a permission."""


class NotFound(ApiError):
    """The object does not exist, or NetBox has no Proxbox plugin at this URL."""


class InvalidRequest(ApiError):
    """NetBox refused the request (400); ``fields`` maps each field to its errors."""

    def __init__(self, status: int, detail: str, body: Any = None, fields: dict[str, list[str]] | None = None) -> None:
        super().__init__(status, detail, body)
        self.fields = fields or {}


class Conflict(ApiError):
    """The object is not in a state that allows this (e.g. cancelling a finished run)."""


class SyncAlreadyRunning(Conflict):
    """A sync is already running: ``run_id`` (when NetBox said which) and ``run_url``."""

    def __init__(self, status: int, detail: str, body: Any = None, run_url: str | None = None) -> None:
        super().__init__(status, detail, body)
        self.run_url = run_url
        self.run_id = _id_from_url(run_url)


def _id_from_url(url: str | None) -> int | None:
    tail = (url or '').rstrip('/').rpartition('/')[2]
    return int(tail) if tail.isdigit() else None


class Interrupted(PxbError):
    """The user pressed Ctrl-C while pxb followed a run; the run itself goes on in NetBox."""

    def __init__(self, run_id: int) -> None:
        super().__init__(f'stopped following sync run {run_id}; it goes on in NetBox (pxb runs cancel {run_id})')
        self.run_id = run_id

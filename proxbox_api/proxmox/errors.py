"""The Proxmox client's exception hierarchy (drawn in ``client``'s docstring).

Messages are built from the HTTP method, the API path, the status and Proxmox's own error text,
then passed through the client's redactor, so they never carry a token secret, password or ticket.
"""

__all__ = [
    'NodeUnreachable',
    'ProxmoxAuthError',
    'ProxmoxConnectionError',
    'ProxmoxError',
    'ProxmoxGuestAgentError',
    'ProxmoxNotFound',
    'ProxmoxNotImplemented',
    'ProxmoxPermissionError',
    'ProxmoxProtocolError',
    'ProxmoxRequestError',
    'ProxmoxServerError',
    'ProxmoxTimeout',
    'ProxmoxUnavailable',
]


class ProxmoxError(Exception):
    """Base class. ``status`` is the HTTP status (``None`` when no response came back)."""

    retryable = False

    def __init__(self, message: str, *, status: int | None = None, path: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.path = path


class ProxmoxRequestError(ProxmoxError):
    """The server refused the request (4xx, or a deterministic 500). Never retried."""


class ProxmoxAuthError(ProxmoxRequestError):
    """401: bad or expired token, ticket or password."""


class ProxmoxPermissionError(ProxmoxRequestError):
    """403: the token or user lacks a privilege (``Permission check failed (/vms/100, VM.Audit)``)."""


class ProxmoxNotFound(ProxmoxRequestError):
    """404, or PVE's 500 ``... does not exist`` / ``hostname lookup ... failed``."""


class ProxmoxNotImplemented(ProxmoxNotFound):
    """501: the path or method does not exist in this PVE version (e.g. LXC ``/interfaces`` before 8.1)."""


class ProxmoxServerError(ProxmoxError):
    """5xx: retried with backoff, raised once the retries are used up."""

    retryable = True


class ProxmoxGuestAgentError(ProxmoxServerError):
    """500 from the QEMU guest agent (not configured, VM not running, agent not running). Not retried."""

    retryable = False


class ProxmoxUnavailable(ProxmoxError):
    """The API, or the node it proxies to, could not be reached."""

    retryable = True


class ProxmoxTimeout(ProxmoxUnavailable):
    """The request timed out (retried)."""


class ProxmoxConnectionError(ProxmoxUnavailable):
    """The connection failed (refused, reset, TLS error; retried)."""


class NodeUnreachable(ProxmoxUnavailable):
    """595-599: the API server could not reach the node it proxies to. Not retried: the node is down."""

    retryable = False


class ProxmoxProtocolError(ProxmoxError):
    """The response is not Proxmox's ``{"data": ...}`` JSON envelope."""

"""Exceptions: what the API answers with (:class:`ApiError`) and what the control API rejects (:class:`SimError`).

Exception
├── ApiError   a Proxmox error reply: status, message (sent as the reason phrase), per-parameter errors
└── SimError   a rejected change through the Python or control API (unknown guest, bad value, ...)
"""

from __future__ import annotations

__all__ = ['ApiError', 'SimError']


class ApiError(Exception):
    """An error as Proxmox returns it. ``body=False`` sends no body (authentication failures)."""

    def __init__(self, status: int, message: str, errors: dict[str, str] | None = None, *, body: bool = True) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.errors = errors
        self.body = body

    @classmethod
    def param(cls, errors: dict[str, str]) -> ApiError:
        return cls(400, 'Parameter verification failed.', errors)


class SimError(Exception):
    """A change the simulator refuses; ``status`` is the control API's HTTP status (400, 404 or 409)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status

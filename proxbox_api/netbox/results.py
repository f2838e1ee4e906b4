"""The outcome of one object in a bulk write."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

__all__ = ['Recover', 'WriteResult']

# Given the objects of a bulk create whose outcome is unknown, return for each the NetBox object
# that was in fact created (found by its Proxmox identity), or None if it was not.
Recover = Callable[[list[dict[str, Any]]], Awaitable[list[dict[str, Any] | None]]]


@dataclass(frozen=True, slots=True)
class WriteResult:
    """What happened to the object at ``index`` in the caller's list.

    ``ok`` with ``status`` 201/200/204 when NetBox wrote it, ``None`` when a ``recover`` callback found it
    already created, 404 when a delete found it already gone. ``error`` is NetBox's message (or the
    client's reason) when ``ok`` is false; it never contains the token.
    """

    index: int
    ok: bool
    id: int | None = None
    data: dict[str, Any] | None = None
    error: str | None = None
    status: int | None = None

"""Shared state of one read: the client, the options, what failed and what to warn about."""

from collections.abc import Awaitable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict

from .client import ProxmoxClient
from .errors import ProxmoxAuthError, ProxmoxError
from .models import IncompleteScope

__all__ = ['ReadContext', 'ReadOptions', 'ReadScope']


class ReadScope(BaseModel):
    """A targeted read of one cluster: only these nodes and guests are read in full, and the nodes the
    guests are on (a standalone node is always kept: the cluster is named after it). ``whole``: all of it.
    Another cluster is not read past its name."""

    model_config = ConfigDict(frozen=True, extra='forbid')

    cluster: str
    nodes: frozenset[str] = frozenset()
    guests: frozenset[int] = frozenset()
    whole: bool = False


class ReadOptions(BaseModel):
    """Which optional parts of the cluster to read."""

    model_config = ConfigDict(frozen=True, extra='forbid')

    guest_agent: bool = True
    node_details: bool = True
    ha: bool = True
    pools: bool = True
    scope: ReadScope | None = None


@dataclass
class ReadContext:
    client: ProxmoxClient
    options: ReadOptions
    release: tuple[int, int]
    incomplete: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def mark_incomplete(self, scope: str, reason: str) -> None:
        self.incomplete.setdefault(scope, reason)

    def scopes(self) -> tuple[IncompleteScope, ...]:
        return tuple(IncompleteScope(scope=s, reason=r) for s, r in sorted(self.incomplete.items()))

    async def optional(self, scope: str, call: Awaitable[Any], default: Any) -> Any:
        """Await ``call``; on a Proxmox error mark ``scope`` incomplete and return ``default``."""
        try:
            return await call
        except ProxmoxAuthError:  # the credentials stopped working: nothing read from here on is sound
            raise
        except ProxmoxError as exc:
            self.mark_incomplete(scope, str(exc))
            return default

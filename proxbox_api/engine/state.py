"""The two inputs of a plan: what Proxmox implies (desired) and what NetBox holds (current)."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from .records import Current, Desired
from .target import Target

__all__ = ['CurrentState', 'DesiredState', 'PlanOptions']


@dataclass(frozen=True, slots=True)
class DesiredState:
    # kind -> key -> object
    objects: Mapping[str, Mapping[str, Desired]]
    # Cluster keys read in this run: only their objects are considered for pruning.
    clusters: frozenset[str]
    # Key-space scopes that could not be fully read (``pve:c/node/pve3``, ``pve:c/guest/100/ip``).
    incomplete: Mapping[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    # The families synced in this run (None: all). A kind of another family is never pruned.
    families: frozenset[str] | None = None
    # kind -> extra filters when reading NetBox (the task window: only tasks NetBox could match).
    read_filters: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    # A targeted sync: only what the scope covers is written, marked or pruned (None: everything read).
    scope: Target | None = None

    def keys(self) -> set[str]:
        return {key for by_key in self.objects.values() for key in by_key}


@dataclass(frozen=True, slots=True)
class CurrentState:
    # kind -> key -> object Proxbox owns (or a shared/plugin object, by natural key)
    objects: Mapping[str, Mapping[str, Current]]
    # kind -> natural key -> an object people made (not Proxbox's)
    unowned: Mapping[str, Mapping[tuple[object, ...], Current]] = field(default_factory=dict)
    # kind -> why NetBox cannot hold it yet (e.g. the plugin's custom fields do not cover its model).
    unprepared: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class PlanOptions:
    prune_policy: str = 'mark'
    grace_days: int = 7
    # "app.model.field" -> proxmox | netbox | if-empty
    ownership: Mapping[str, str] = field(default_factory=dict)
    now: datetime = field(default_factory=lambda: datetime.now(UTC))

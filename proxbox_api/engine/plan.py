"""The plan: an immutable, JSON-serialisable list of what a sync will do, and why.

Actions:
- ``create`` / ``update`` / ``delete``: writes (an update lists each changed field, old → new);
- ``mark``: an object gone from Proxmox is tagged orphan (prune policy ``mark``, or ``delete``
  inside the grace period); ``keep``: gone from Proxmox but left alone, with the reason;
- ``conflict``: Proxmox has an object whose natural key is taken by one people made by hand;
- ``skip``: not planned because something it depends on is in conflict or could not be read.
Unchanged objects are only counted. ``guards`` names what was shielded from pruning as a whole.
"""

from collections import Counter
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ['WRITE_ACTIONS', 'Action', 'FieldChange', 'Operation', 'Plan', 'summarise']

Action = Literal['create', 'update', 'delete', 'mark', 'keep', 'conflict', 'skip']
WRITE_ACTIONS: frozenset[str] = frozenset({'create', 'update', 'delete', 'mark'})


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra='forbid')


class FieldChange(_Frozen):
    old: Any = None
    new: Any = None


class Operation(_Frozen):
    action: Action
    kind: str
    key: str
    id: int | None = None
    # create: the full payload; update/mark: the changed fields' new values. References to other
    # objects of the run are {"$ref": [kind, key]} until apply resolves them.
    attrs: dict[str, Any] = Field(default_factory=dict)
    changes: dict[str, FieldChange] = Field(default_factory=dict)
    reason: str | None = None
    display: str | None = None


class Plan(_Frozen):
    operations: tuple[Operation, ...] = ()
    # kind -> action -> count; includes "unchanged".
    summary: dict[str, dict[str, int]] = Field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    # What is shielded from pruning as a whole, and why: scopes that could not be read
    # (``pve:c/node/pve3``), clusters not read in this run, kinds whose family is not synced.
    guards: dict[str, str] = Field(default_factory=dict)

    @property
    def has_changes(self) -> bool:
        return any(op.action in WRITE_ACTIONS for op in self.operations)

    @property
    def write_count(self) -> int:
        return sum(1 for op in self.operations if op.action in WRITE_ACTIONS)


def summarise(operations: tuple[Operation, ...], unchanged: Counter[str]) -> dict[str, dict[str, int]]:
    summary: dict[str, dict[str, int]] = {}
    for op in operations:
        counts = summary.setdefault(op.kind, {})
        counts[op.action] = counts.get(op.action, 0) + 1
    for kind, count in unchanged.items():
        summary.setdefault(kind, {})['unchanged'] = count
    return dict(sorted(summary.items()))

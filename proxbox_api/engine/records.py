"""The engine's vocabulary: references between objects, and the two sides a plan compares.

A ``Desired`` object is what Proxmox says NetBox should hold; a ``Current`` object is what NetBox
holds. Both use the same attribute shapes: scalars, sorted lists, ``Ref`` (desired side, to an
object that may not exist yet) or a NetBox id (current side). ``key`` is the Proxmox identity
(the ``proxbox_id`` custom field, or a natural key for shared and plugin objects).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ['Current', 'Desired', 'Ref', 'Scope', 'is_ref']


@dataclass(frozen=True, slots=True, order=True)
class Ref:
    """A reference to another object of the run, by kind and key; resolved to an id at apply time.

    An ``optional`` reference (a backup's guest, a task's guest) becomes null when its target is
    neither in Proxmox's state nor in NetBox (or is about to be deleted or is in conflict), instead
    of holding its object back.
    """

    kind: str
    key: str
    optional: bool = field(default=False, compare=False)

    def to_json(self) -> dict[str, list[str]]:
        return {'$ref': [self.kind, self.key]}


def is_ref(value: object) -> bool:
    return isinstance(value, Ref)


@dataclass(frozen=True, slots=True)
class Scope:
    """
    Where an object lives in Proxmox, for pruning guards: the cluster it came from, and the
    read scopes (``node/pve1``, ``guest/qemu/100``, ``guest-ips/100``) whose completeness decides
    whether its absence means it is gone.
    """

    cluster: str
    reads: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Desired:
    kind: str
    key: str
    attrs: Mapping[str, Any]
    scope: Scope
    # The object this one belongs to (a VM for its interfaces, disks and IPs).
    parent: Ref | None = None


@dataclass(frozen=True, slots=True)
class Current:
    kind: str
    id: int
    key: str | None
    attrs: Mapping[str, Any]
    owned: bool
    pinned: bool = False
    natural: tuple[Any, ...] | None = None
    orphaned_since: str | None = None
    # For owned objects: their cluster key and read scopes as last synced (from the key and links).
    scope: Scope | None = None
    parent_key: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

"""The target of a targeted sync: one guest, one node or one cluster, as a part of the key space.

A scope is a cluster plus, for a node or a guest, the subtrees of the key space it keeps in step: a
node's ``pve:c/node/<name>`` (its device, interfaces and addresses) and each guest's
``pve:c/guest/<vmid>`` (its VM, interfaces, MACs, addresses, disks and snapshots). The planner
writes, marks and prunes only keys the scope covers; everything else the scope's objects refer to
(the cluster, its node devices, VLANs) is created if NetBox lacks it, and otherwise left exactly as
it is. A cluster scope covers the whole cluster: it is a sync of that cluster alone.

The scope also says what to read of NetBox: the records whose ``proxbox_id`` it covers (``needles``).
"""

from collections.abc import Iterable
from dataclasses import dataclass

from . import keys

__all__ = ['Target']


@dataclass(frozen=True, slots=True)
class Target:
    cluster: str
    # The nodes whose subtrees are in scope (a node scope: one).
    nodes: frozenset[str] = frozenset()
    # The guests whose subtrees are in scope (a guest scope: one; a node scope: the node's guests).
    guests: frozenset[int] = frozenset()
    # A cluster scope: the whole cluster is in scope.
    whole: bool = False

    @property
    def kind(self) -> str:
        if self.whole:
            return 'cluster'
        return 'node' if self.nodes else 'guest'

    @property
    def roots(self) -> tuple[str, ...]:
        """The keys whose subtrees are in scope."""
        if self.whole:
            return (keys.cluster_key(self.cluster),)
        nodes = (keys.node_key(self.cluster, name) for name in sorted(self.nodes))
        guests = (keys.guest_key(self.cluster, vmid) for vmid in sorted(self.guests))
        return (*nodes, *guests)

    def covers(self, key: str | None) -> bool:
        """Whether the object with this key is the scope's to write, mark or prune."""
        if not key:
            return False
        return any(key == root or key.startswith(root + '/') for root in self.roots)

    def widened(self, guests: Iterable[int]) -> 'Target':
        """The same scope with more guests (a node's guests, as Proxmox and NetBox each place them)."""
        return Target(self.cluster, self.nodes, self.guests | frozenset(guests), self.whole)

    def needles(self, holds_roots: bool, exact: Iterable[str] = ()) -> list[str]:
        """What to ask NetBox for, as ``proxbox_id`` substrings (its default, "loose" custom-field filter:
        any of them, case-insensitive): the scope's subtrees (with the roots themselves for the kind that
        holds them) and the ``exact`` keys besides. NetBox answers a superset (``.../guest/100`` also
        matches ``.../guest/1000``): keep only the rows ``wanted`` says."""
        found = [root if holds_roots else root + '/' for root in self.roots]
        found.extend(key for key in sorted(set(exact)) if not self.covers(key))
        return found

    def wanted(self, key: str | None, exact: frozenset[str] = frozenset()) -> bool:
        """A row of a ``needles`` read that the scope needs: one it covers, or one of the exact keys."""
        return self.covers(key) or key in exact

    def describe(self) -> str:
        if self.whole:
            return f'cluster {self.cluster}'
        if self.nodes:
            return f'node {self.cluster}/{", ".join(sorted(self.nodes))}'
        return f'guest {self.cluster}/{", ".join(str(vmid) for vmid in sorted(self.guests))}'

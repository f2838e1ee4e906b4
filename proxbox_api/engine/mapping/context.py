"""What the mapping needs besides the Proxmox snapshot: where things go in NetBox, and what to sync."""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..records import Desired, Ref, Scope

__all__ = ['ALL_FAMILIES', 'INVENTORY_FAMILIES', 'PROTECTION_FAMILIES', 'Collector', 'MappingContext', 'slugify']

INVENTORY_FAMILIES = frozenset(
    {'nodes', 'virtual_machines', 'containers', 'interfaces', 'ip_addresses', 'virtual_disks'}
)
PROTECTION_FAMILIES = frozenset({'storage', 'snapshots', 'backups', 'backup_routines', 'replications', 'tasks'})
ALL_FAMILIES = INVENTORY_FAMILIES | PROTECTION_FAMILIES


def slugify(text: str) -> str:
    return re.sub(r'[^a-z0-9_-]+', '-', text.lower()).strip('-') or 'x'


@dataclass(frozen=True, slots=True)
class MappingContext:
    # The plugin's ProxmoxEndpoint id (links the plugin's cluster record); None outside the plugin.
    endpoint_id: int | None = None
    # NetBox site id for clusters and nodes; None: a shared "Proxmox" site is used.
    site_id: int | None = None
    families: frozenset[str] = ALL_FAMILIES
    templates: str = 'tag'  # or 'skip'
    # Device names already taken by another cluster of this run (a node then gets "name.cluster").
    taken_device_names: frozenset[str] = frozenset()
    # Oldest task start (epoch seconds) to keep in the task history; None: every task read.
    task_since: int | None = None


@dataclass
class Collector:
    """Accumulates desired objects (kind -> key -> object), incomplete scopes and warnings."""

    objects: dict[str, dict[str, Desired]] = field(default_factory=dict)
    incomplete: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def add(self, kind: str, key: str, attrs: dict[str, Any], cluster: str, parent: Ref | None = None) -> Ref:
        self.objects.setdefault(kind, {})[key] = Desired(kind, key, attrs, Scope(cluster), parent)
        return Ref(kind.split('#')[0], key)

    def shared(self, kind: str, slug: str, attrs: dict[str, Any]) -> Ref:
        if slug not in self.objects.get(kind, {}):
            self.add(kind, slug, {**attrs, 'slug': slug}, '')
        return Ref(kind, slug)

    def protect(self, scope: str, reason: str) -> None:
        self.incomplete.setdefault(scope, reason)

    def tags(self, slugs: Iterable[tuple[str, str]]) -> list[str]:
        """Ensure the shared tags (slug, name) exist; return their slugs."""
        result = []
        for slug, name in slugs:
            self.shared('extras.tag', slug, {'name': name, 'color': '9e9e9e', 'description': 'Proxmox tag'})
            result.append(slug)
        return sorted(result)

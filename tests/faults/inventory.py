"""
What Proxbox owns in NetBox, by kind and identity, and the ledger of the fault suite.

`inventory()` maps each owned kind to {identity: [pk, ...]}: identity is the `proxbox_id` custom
field (or the natural key of the plugin's cluster and node records). Comparing two inventories
gives the three numbers the suite exists for: identities lost, identities held by more than one
object (duplicated), and objects deleted (a pk gone, even if its identity came back as a new one).

`Ledger` counts faults injected, runs, and those three numbers over the whole session, and writes
them as JSON (to $PROXBOX_FAULTS_SUMMARY, else <tmp>/proxbox-faults-summary.json) at the end.
"""

import json
import os
import tempfile
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

from dcim.models import Device, Interface, MACAddress
from extras.models import Tag
from ipam.models import VLAN, IPAddress, VLANGroup
from virtualization.models import Cluster, VirtualDisk, VirtualMachine, VMInterface

from netbox_proxbox.models import (
    BackupRoutine,
    ProxmoxCluster,
    ProxmoxNode,
    ProxmoxStorage,
    Replication,
    VMBackup,
    VMSnapshot,
    VMTaskHistory,
)

__all__ = ('Inventory', 'Ledger', 'compare', 'inventory', 'values')

Inventory = dict[str, dict[str, list[int]]]

_OWNED = (
    Cluster, Device, Interface, VirtualMachine, VMInterface, MACAddress, IPAddress, VirtualDisk, VLANGroup, VLAN,
    ProxmoxStorage, VMSnapshot, VMBackup, BackupRoutine, Replication, VMTaskHistory,
)  # fmt: skip


def inventory() -> Inventory:
    """Every object Proxbox owns, by kind and identity (each identity should hold exactly one pk)."""
    found: Inventory = {}
    for model in _OWNED:
        rows = model.objects.filter(custom_field_data__proxbox_id__isnull=False).values_list('pk', 'custom_field_data')
        found[model._meta.label_lower] = _group((data['proxbox_id'], pk) for pk, data in rows)
    clusters = ProxmoxCluster.objects.values_list('pk', 'name')
    found['netbox_proxbox.proxmoxcluster'] = _group((name, pk) for pk, name in clusters)
    nodes = ProxmoxNode.objects.values_list('pk', 'cluster__name', 'name')
    found['netbox_proxbox.proxmoxnode'] = _group((f'{cluster}/{name}', pk) for pk, cluster, name in nodes)
    found['extras.tag'] = _group((slug, pk) for pk, slug in Tag.objects.values_list('pk', 'slug'))
    return found


def values() -> dict[str, dict[int, dict[str, object]]]:
    """Every field of every object Proxbox owns (and its tags), by kind and pk, except change times."""
    found = {}
    for model in (*_OWNED, ProxmoxCluster, ProxmoxNode):
        rows = model.objects.all()
        if model not in (ProxmoxCluster, ProxmoxNode):
            rows = rows.filter(custom_field_data__proxbox_id__isnull=False)
        tags = defaultdict(set)
        if hasattr(model, 'tags'):
            for pk, slug in rows.values_list('pk', 'tags__slug'):
                tags[pk].add(slug)
        found[model._meta.label_lower] = {
            row['id']: {**_without(row, 'created', 'last_updated'), 'tags': sorted(tags[row['id']] - {None})}
            for row in rows.values()
        }
    return found


def _without(row, *names):
    return {key: value for key, value in row.items() if key not in names}


def _group(pairs):
    grouped = defaultdict(list)
    for identity, pk in pairs:
        grouped[identity].append(pk)
    return {identity: sorted(pks) for identity, pks in grouped.items()}


@dataclass
class Damage:
    lost: list[str] = field(default_factory=list)
    duplicated: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)

    def __bool__(self):
        return bool(self.lost or self.duplicated or self.deleted)


def compare(before: Inventory, after: Inventory, creates: dict[str, set[str]] | None = None) -> Damage:
    """What `after` lost, duplicated or deleted relative to `before` (an object's identity per kind).

    A duplicate is an identity held twice, or an identity that is neither in `before` nor announced in
    `creates`: Proxmox did not gain the object, so it is one Proxbox already had under another name."""
    damage = Damage()
    for kind, identities in after.items():
        known = set(before.get(kind, {})) | (creates or {}).get(kind, set())
        damage.duplicated += [f'{kind} {identity} (a new identity)' for identity in sorted(set(identities) - known)]
    for kind, identities in before.items():
        now = after.get(kind, {})
        for identity, pks in identities.items():
            if identity not in now:
                damage.lost.append(f'{kind} {identity}')
            damage.deleted += [f'{kind} {identity} #{pk}' for pk in pks if pk not in now.get(identity, [])]
    for kind, identities in after.items():
        damage.duplicated += [f'{kind} {identity} x{len(pks)}' for identity, pks in identities.items() if len(pks) > 1]
    return damage


@dataclass
class Ledger:
    faults: dict[str, int] = field(default_factory=dict)
    runs: int = 0
    lost: int = 0
    duplicated: int = 0
    wrongly_deleted: int = 0
    cases: list[dict[str, object]] = field(default_factory=list)

    def fault(self, name: str, count: int = 1) -> None:
        self.faults[name] = self.faults.get(name, 0) + count

    def record(self, case: str, damage: Damage) -> None:
        self.lost += len(damage.lost)
        self.duplicated += len(damage.duplicated)
        self.wrongly_deleted += len(damage.deleted)
        self.cases.append({'case': case, **asdict(damage)})

    def write(self) -> Path:
        path = Path(
            os.environ.get('PROXBOX_FAULTS_SUMMARY') or Path(tempfile.gettempdir()) / 'proxbox-faults-summary.json'
        )
        summary = {'faults_injected': sum(self.faults.values()), **asdict(self)}
        path.write_text(json.dumps(summary, indent=2))
        return path

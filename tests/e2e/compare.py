"""
Comparing what NetBox holds with what it must hold: every key of every kind (nothing missing,
nothing extra), and field by field for a sample (the first VM and the first container of each
cluster and every guest the scenario changed, with all their parts, and every object of the
other kinds); and the difference between two readings of NetBox.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .oracle import KINDS

__all__ = ('Tally', 'compare', 'diff', 'guest_key', 'sample_guests')

State = dict[str, dict[str, dict[str, Any]]]
_GUEST_KINDS = frozenset({'vm', 'vminterface', 'mac', 'ip', 'disk', 'snapshot'})


@dataclass
class Tally:
    objects: int = 0  # keys compared (every object of every kind)
    fields: int = 0  # field values compared
    problems: list[str] = field(default_factory=list)


def guest_key(cluster: str, vmid: int) -> str:
    return f'pve:{cluster}/guest/{vmid}'


def sample_guests(world: dict[str, Any], extra: Iterable[str] = ()) -> frozenset[str]:
    """The first QEMU VM and the first container of each cluster, and the given guest keys."""
    keys = set(extra)
    for cluster in world['clusters']:
        for kind in ('qemu', 'lxc'):
            vmids = sorted(guest['vmid'] for guest in cluster['guests'] if guest['type'] == kind)
            if vmids:
                keys.add(guest_key(cluster['name'], vmids[0]))
    return frozenset(keys)


def _sampled(kind: str, key: str, guests: frozenset[str]) -> bool:
    if kind not in _GUEST_KINDS or '/guest/' not in key:
        return True
    return any(key == guest or key.startswith(guest + '/') for guest in guests)


def compare(expected: State, seen: State, guests: frozenset[str], tally: Tally, label: str) -> None:
    for kind in KINDS:
        want, have = expected[kind], seen[kind]
        tally.objects += len(want)
        missing, extra = sorted(set(want) - set(have)), sorted(set(have) - set(want))
        if missing:
            tally.problems.append(f'{label}: {kind}: {len(missing)} missing in NetBox, e.g. {missing[:3]}')
        if extra:
            tally.problems.append(f'{label}: {kind}: {len(extra)} not in Proxmox, e.g. {extra[:3]}')
        for key in sorted(set(want) & set(have)):
            if _sampled(kind, key, guests):
                _fields(kind, key, want[key], have[key], tally, label)


def _fields(kind: str, key: str, want: dict[str, Any], have: dict[str, Any], tally: Tally, label: str) -> None:
    for name, value in want.items():
        tally.fields += 1
        if have.get(name) != value:
            tally.problems.append(f'{label}: {kind} {key}: {name} is {have.get(name)!r}, expected {value!r}')


def diff(before: State, after: State) -> dict[str, dict[str, set[str]]]:
    """Per kind: the keys added, removed and changed (any field) from one reading to the next."""
    out = {}
    for kind in KINDS:
        old, new = before[kind], after[kind]
        changed = {key for key in set(old) & set(new) if old[key] != new[key]}
        out[kind] = {'added': set(new) - set(old), 'removed': set(old) - set(new), 'changed': changed}
    return out

"""Comparing a desired object with the NetBox object it maps to, field by field.

Values are compared in one normal form: references resolved to ids (an unresolved reference
always differs: its target is about to be created), lists sorted, IP addresses and MACs in
canonical text. Tags and custom fields are merged rather than replaced, so tags and fields that
people add by hand survive every sync.
"""

import ipaddress
from collections.abc import Callable, Mapping
from typing import Any, Literal

from .records import Ref

__all__ = [
    'MANAGED_TAGS',
    'Ownership',
    'changed_fields',
    'is_managed_tag',
    'json_value',
    'merge_tags',
    'normal',
]

Ownership = Literal['proxmox', 'netbox', 'if-empty']

# Tags Proxbox sets and removes; any other tag on an object is left alone.
MANAGED_TAGS = frozenset({'proxbox', 'proxmox-template', 'proxbox-orphan'})
MANAGED_TAG_PREFIX = 'pve-'

_PENDING = object()
IdLookup = Callable[[Ref], int | None]


def is_managed_tag(slug: str) -> bool:
    return slug in MANAGED_TAGS or slug.startswith(MANAGED_TAG_PREFIX)


def merge_tags(current: list[str], desired: list[str]) -> list[str]:
    """People's tags stay; Proxbox's managed tags become exactly the desired ones."""
    kept = [slug for slug in current if not is_managed_tag(slug)]
    return sorted({*kept, *desired})


def _canonical(value: Any) -> Any:
    if isinstance(value, str) and '/' in value:
        try:
            return str(ipaddress.ip_interface(value))
        except ValueError:
            return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def normal(value: Any, resolve: IdLookup) -> Any:
    """The comparable form of a desired value (references become ids, or a pending marker)."""
    if isinstance(value, Ref):
        found = resolve(value)
        return _PENDING if found is None else found
    if isinstance(value, list | tuple):
        items = [normal(item, resolve) for item in value]
        return _PENDING if _PENDING in items else sorted(items, key=repr)
    return _canonical(value)


def json_value(value: Any, resolve: IdLookup | None = None) -> Any:
    """The plan's JSON form of a desired value: references to existing objects become their ids,
    references to objects the plan creates stay ``{"$ref": [kind, key]}``."""
    if isinstance(value, Ref):
        found = resolve(value) if resolve is not None else None
        return value.to_json() if found is None else found
    if isinstance(value, list | tuple):
        return [json_value(item, resolve) for item in value]
    if isinstance(value, Mapping):
        return {key: json_value(item, resolve) for key, item in value.items()}
    return value


def _no_refs(_: Ref) -> int | None:
    return None  # current values hold ids, never references


def _empty(value: Any) -> bool:
    return value in (None, '', [], {})


def _custom_fields(desired: Mapping[str, Any], current: Mapping[str, Any]) -> dict[str, Any] | None:
    changed = {name: value for name, value in desired.items() if _canonical(current.get(name)) != _canonical(value)}
    return changed or None


def changed_fields(
    desired: Mapping[str, Any],
    current: Mapping[str, Any],
    resolve: IdLookup,
    ownership: Callable[[str], Ownership],
) -> dict[str, tuple[Any, Any]]:
    """field -> (old, new JSON value) for every field Proxbox must write."""
    changes: dict[str, tuple[Any, Any]] = {}
    for name, want in desired.items():
        have = current.get(name)
        mode = ownership(name)
        if mode == 'netbox' or (mode == 'if-empty' and not _empty(have)):
            continue
        if name == 'tags':
            merged = merge_tags(list(have or []), list(want))
            if merged != sorted(have or []):
                changes[name] = (sorted(have or []), merged)
        elif name == 'custom_fields':
            delta = _custom_fields(want, have or {})
            if delta is not None:
                changes[name] = ({key: (have or {}).get(key) for key in delta}, delta)
        elif normal(want, resolve) != normal(have, _no_refs):
            changes[name] = (have, json_value(want, resolve))
    return changes

"""Defensive readers for raw API values (PVE sends 0/1 for booleans and sometimes numbers as strings)."""

import re
from collections.abc import Mapping
from typing import Any

__all__ = ['as_bool', 'as_dict', 'as_int', 'as_list', 'as_str']

_INT_RE = re.compile(r'-?[0-9]{1,18}', re.ASCII)


def as_str(value: object) -> str | None:
    if value is None or isinstance(value, dict | list):
        return None
    text = str(value)
    return text if text else None


def as_int(value: object) -> int | None:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and _INT_RE.fullmatch(value.strip()):
        return int(value.strip())
    return None


def as_bool(value: object) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ('1', 'on', 'yes', 'true')
    return bool(value)


def as_dict(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else {}


def as_list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []

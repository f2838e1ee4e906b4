"""Splitting Proxmox property strings and reading their options with per-option warnings.

A property string is ``[DEFAULT_VALUE,]key=value[,key=value...]``, as written by
``PVE::JSONSchema::print_property_string``. Values may be double-quoted (then they may hold commas).
"""

import math
import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation

__all__ = ['OptionReader', 'PropertyParseError', 'is_mac', 'parse_bool', 'parse_size', 'split_property_string']

_KEY_RE = re.compile(r'[A-Za-z0-9_][A-Za-z0-9_\-]*', re.ASCII)
_INT_RE = re.compile(r'[0-9]{1,12}', re.ASCII)
_SIZE_RE = re.compile(r'([0-9]{1,20}(?:\.[0-9]{1,12})?)([KMGTkmgt]?)', re.ASCII)
_MAC_RE = re.compile(r'[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5}', re.ASCII)
_SIZE_UNITS = {'': 1, 'K': 1024, 'M': 1024**2, 'G': 1024**3, 'T': 1024**4}
_TRUE = frozenset({'1', 'on', 'yes', 'true'})
_FALSE = frozenset({'0', 'off', 'no', 'false'})
_MAX_VLAN = 4094


class PropertyParseError(ValueError):
    """The one exception a parser raises: the string cannot be read as that kind of object at all."""


def _short(value: str) -> str:
    return repr(value if len(value) <= 60 else value[:57] + '...')


def _split_parts(data: str) -> Iterator[str]:
    """Split on commas that are not inside double quotes."""
    part: list[str] = []
    quoted = False
    for char in data:
        if char == '"':
            quoted = not quoted
        if char == ',' and not quoted:
            yield ''.join(part)
            part = []
        else:
            part.append(char)
    yield ''.join(part)


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1].replace('\\"', '"').replace('\\\\', '\\')
    return value


def split_property_string(data: str, default_key: str | None) -> tuple[dict[str, str], list[str]]:
    """Split ``data`` into ``{key: value}`` and warnings; a value without a key goes to ``default_key``.

    Raises ``PropertyParseError`` only for an empty string.
    """
    if not data.strip():
        raise PropertyParseError('empty property string')
    options: dict[str, str] = {}
    warnings: list[str] = []
    for raw in _split_parts(data):
        part = raw.strip()
        if not part:
            continue
        key, sep, value = part.partition('=')
        if not sep:
            key, value = default_key or '', part
            if not key:
                warnings.append(f'value without a key ignored: {_short(part)}')
                continue
        elif _KEY_RE.fullmatch(key) is None:
            warnings.append(f'malformed option ignored: {_short(part)}')
            continue
        if key in options:
            warnings.append(f'duplicate option {key!r}: keeping the first value')
            continue
        options[key] = _unquote(value)
    return options, warnings


def parse_bool(value: str) -> bool | None:
    """PVE booleans: ``1/0/on/off/yes/no/true/false`` (any case). ``None`` when it is none of them."""
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    return None


def parse_size(value: str) -> int | None:
    """``32G``/``631M``/``104858K``/``4T``/``1024`` (binary units) → bytes; ``None`` when not a size."""
    match = _SIZE_RE.fullmatch(value.strip())
    if match is None:
        return None
    try:
        number = Decimal(match.group(1))
    except InvalidOperation:  # pragma: no cover - the regex only lets decimals through
        return None
    return int(number * _SIZE_UNITS[match.group(2).upper()])


def _parse_vlan_list(value: str) -> tuple[int, ...] | None:
    """``10;20;30`` or ranges ``100-110;200`` → sorted VLAN ids; ``None`` when malformed."""
    vids: set[int] = set()
    for item in re.split(r'[;\s]+', value.strip()):
        if not item:
            continue
        low, _, high = item.partition('-')
        if _INT_RE.fullmatch(low) is None or (high and _INT_RE.fullmatch(high) is None):
            return None
        first, last = int(low), int(high or low)
        if not 1 <= first <= last <= _MAX_VLAN:
            return None
        vids.update(range(first, last + 1))
    return tuple(sorted(vids))


class OptionReader:
    """Reads typed options out of a split property string; a bad value becomes a warning, never an error."""

    def __init__(self, label: str, options: dict[str, str], warnings: list[str]) -> None:
        self.label = label
        self._options = dict(options)
        self.warnings = [f'{label}: {warning}' for warning in warnings]

    def has(self, key: str) -> bool:
        return key in self._options

    def keys(self) -> list[str]:
        return list(self._options)

    def warn(self, message: str) -> None:
        self.warnings.append(f'{self.label}: {message}')

    def _invalid(self, key: str, value: str, expected: str) -> None:
        self.warn(f'invalid {key}={_short(value)} (expected {expected})')

    def text(self, key: str) -> str | None:
        value = self._options.pop(key, None)
        return value if value else None

    def boolean(self, key: str, default: bool) -> bool:
        value = self._options.pop(key, None)
        if value is None:
            return default
        parsed = parse_bool(value)
        if parsed is None:
            self._invalid(key, value, 'a boolean')
            return default
        return parsed

    def integer(self, key: str, low: int, high: int) -> int | None:
        value = self._options.pop(key, None)
        if value is None:
            return None
        stripped = value.strip()
        if _INT_RE.fullmatch(stripped) is None or not low <= int(stripped) <= high:
            self._invalid(key, value, f'an integer {low}-{high}')
            return None
        return int(stripped)

    def number(self, key: str) -> float | None:
        value = self._options.pop(key, None)
        if value is None:
            return None
        try:
            number = float(value) if re.fullmatch(r'[0-9.]{1,20}', value.strip(), re.ASCII) else math.nan
        except ValueError:
            number = math.nan
        if not math.isfinite(number) or number < 0:
            self._invalid(key, value, 'a non-negative number')
            return None
        return number

    def size(self, key: str) -> int | None:
        value = self._options.pop(key, None)
        if value is None:
            return None
        parsed = parse_size(value)
        if parsed is None:
            self._invalid(key, value, 'a size like 32G')
        return parsed

    def mac(self, key: str) -> str | None:
        value = self._options.pop(key, None)
        if value is None or value == '':
            return None
        if _MAC_RE.fullmatch(value.strip()) is None:
            self._invalid(key, value, 'a MAC address')
            return None
        return value.strip().upper()

    def vlan_list(self, key: str) -> tuple[int, ...]:
        value = self._options.pop(key, None)
        if value is None:
            return ()
        parsed = _parse_vlan_list(value)
        if parsed is None:
            self._invalid(key, value, 'VLAN ids 1-4094 separated by ";"')
            return ()
        return parsed

    def choice(self, key: str, allowed: frozenset[str]) -> str | None:
        value = self._options.pop(key, None)
        if value is None:
            return None
        if value not in allowed:
            self.warn(f'unexpected {key}={_short(value)}')
        return value or None

    def rest(self) -> dict[str, str]:
        """The options nobody read, kept verbatim for later stages."""
        rest, self._options = self._options, {}
        return rest


def is_mac(value: str) -> bool:
    return _MAC_RE.fullmatch(value.strip()) is not None

"""IP options shared by QEMU ``ipconfigN`` and LXC ``netN``."""

import ipaddress

from ._props import OptionReader

__all__ = ['read_gateway', 'read_ip']


def read_ip(reader: OptionReader, key: str, version: int, keywords: frozenset[str]) -> tuple[str, str | None]:
    """Read ``ip``/``ip6``: a keyword (``dhcp``, ``auto``, ``manual``) or a CIDR → (mode, cidr)."""
    value = reader.text(key)
    if value is None:
        return 'none', None
    if value in keywords:
        return value, None
    try:
        iface = ipaddress.ip_interface(value.strip())
    except ValueError:
        iface = None
    if iface is None or iface.version != version or '/' not in value:
        expected = ', '.join(sorted(keywords))
        reader.warn(f'invalid {key}={value[:60]!r} (expected an IPv{version} CIDR or one of {expected})')
        return 'none', None
    return 'static', str(iface)


def read_gateway(reader: OptionReader, key: str, version: int) -> str | None:
    """Read ``gw``/``gw6``: a plain address of the given family."""
    value = reader.text(key)
    if value is None:
        return None
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        address = None
    if address is None or address.version != version:
        reader.warn(f'invalid {key}={value[:60]!r} (expected an IPv{version} address)')
        return None
    return str(address)

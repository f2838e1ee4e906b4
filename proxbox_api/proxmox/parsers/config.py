"""Whole-config parsers: pick disks and NICs out of a guest config by key, parse each, never raise.

Whatever a single option parser rejects becomes one warning on the guest; the other options are
still returned, so one unreadable ``net0`` never hides the guest's disks.
"""

import re
from collections.abc import Callable, Mapping

from pydantic import BaseModel, ConfigDict

from ._props import PropertyParseError
from .lxc import LXC_MOUNT_KEY_RE, LXC_NET_KEY_RE, parse_lxc_mount, parse_lxc_net
from .qemu import (
    QEMU_DISK_KEY_RE,
    QEMU_IPCONFIG_KEY_RE,
    QEMU_NET_KEY_RE,
    parse_agent,
    parse_ipconfig,
    parse_qemu_disk,
    parse_qemu_memory,
    parse_qemu_net,
)
from .types import AgentConfig, IpConfig, LxcMount, LxcNic, OsType, QemuDisk, QemuNic
from .values import parse_ostype, parse_tags

__all__ = ['LxcConfig', 'QemuConfig', 'parse_lxc_config', 'parse_qemu_config']

_DIGITS_RE = re.compile(r'[0-9]{1,9}', re.ASCII)
_QEMU_DEFAULT_MEMORY_MIB = 512


class QemuConfig(BaseModel):
    """What the sync needs from ``GET /nodes/{node}/qemu/{vmid}/config``."""

    model_config = ConfigDict(frozen=True)

    name: str | None = None
    description: str | None = None
    tags: tuple[str, ...] = ()
    ostype: OsType | None = None
    agent: AgentConfig = AgentConfig()
    cpus: int = 1
    memory_mib: int = _QEMU_DEFAULT_MEMORY_MIB
    disks: tuple[QemuDisk, ...] = ()
    nics: tuple[QemuNic, ...] = ()
    ipconfigs: tuple[IpConfig, ...] = ()
    warnings: tuple[str, ...] = ()


class LxcConfig(BaseModel):
    """What the sync needs from ``GET /nodes/{node}/lxc/{vmid}/config``."""

    model_config = ConfigDict(frozen=True)

    hostname: str | None = None
    description: str | None = None
    tags: tuple[str, ...] = ()
    ostype: OsType | None = None
    cpus: int | None = None
    memory_mib: int | None = None
    swap_mib: int | None = None
    mounts: tuple[LxcMount, ...] = ()
    nics: tuple[LxcNic, ...] = ()
    warnings: tuple[str, ...] = ()


def _text(value: object) -> str | None:
    if isinstance(value, bool):
        return '1' if value else '0'
    if isinstance(value, str | int | float):
        return str(value)
    return None


def _notes(value: object) -> str | None:
    """The guest's notes (``description``): LXC configs end them with a newline; blank means none."""
    text = _text(value)
    return text.strip() or None if text is not None else None


def _int(value: object) -> int | None:
    text = _text(value)
    digits = text.strip() if text is not None else None  # str.strip() takes more than int() ignores (\x1f)
    return int(digits) if digits is not None and _DIGITS_RE.fullmatch(digits) else None


def _collect[T](
    config: Mapping[str, object], pattern: re.Pattern[str], parse: Callable[[str, str], T], warnings: list[str]
) -> tuple[T, ...]:
    """Parse every option whose key matches ``pattern``, in key order; failures become warnings."""
    results: list[T] = []
    for key in sorted(k for k in config if pattern.fullmatch(k)):
        text = _text(config[key])
        try:
            if text is None:
                raise PropertyParseError('not a string')
            results.append(parse(key, text))
        except PropertyParseError as exc:
            warnings.append(f'{key}: cannot parse {str(text)[:80]!r}: {exc}')
    return tuple(results)


def _tags_and_ostype(config: Mapping[str, object], warnings: list[str]) -> tuple[tuple[str, ...], OsType | None]:
    tag_list = parse_tags(_text(config.get('tags')) or '')
    ostype_text = _text(config.get('ostype'))
    ostype = parse_ostype(ostype_text) if ostype_text else None
    warnings.extend(tag_list.warnings)
    warnings.extend(ostype.warnings if ostype else ())
    return tag_list.tags, ostype


def _agent(config: Mapping[str, object], warnings: list[str]) -> AgentConfig:
    text = _text(config.get('agent'))
    if not text:
        return AgentConfig()
    try:
        agent = parse_agent(text)
    except PropertyParseError as exc:  # pragma: no cover - only the empty string raises, handled above
        warnings.append(f'agent: cannot parse {text[:80]!r}: {exc}')
        return AgentConfig()
    warnings.extend(agent.warnings)
    return agent


def _qemu_cpus(config: Mapping[str, object]) -> int:
    vcpus = _int(config.get('vcpus'))
    if vcpus:
        return vcpus
    return (_int(config.get('sockets')) or 1) * (_int(config.get('cores')) or 1)


def parse_qemu_config(config: Mapping[str, object]) -> QemuConfig:
    """Parse a QEMU config dict; never raises. Option-level problems are listed in ``warnings``."""
    warnings: list[str] = []
    tags, ostype = _tags_and_ostype(config, warnings)
    disks = _collect(config, QEMU_DISK_KEY_RE, parse_qemu_disk, warnings)
    nics = _collect(config, QEMU_NET_KEY_RE, parse_qemu_net, warnings)
    ipconfigs = _collect(config, QEMU_IPCONFIG_KEY_RE, parse_ipconfig, warnings)
    warnings.extend(w for item in (*disks, *nics, *ipconfigs) for w in item.warnings)
    memory = parse_qemu_memory(config.get('memory'))
    return QemuConfig(
        name=_text(config.get('name')),
        description=_notes(config.get('description')),
        tags=tags,
        ostype=ostype,
        agent=_agent(config, warnings),
        cpus=_qemu_cpus(config),
        memory_mib=memory or _QEMU_DEFAULT_MEMORY_MIB,
        disks=disks,
        nics=nics,
        ipconfigs=ipconfigs,
        warnings=tuple(warnings),
    )


def parse_lxc_config(config: Mapping[str, object]) -> LxcConfig:
    """Parse an LXC config dict; never raises. Option-level problems are listed in ``warnings``."""
    warnings: list[str] = []
    tags, ostype = _tags_and_ostype(config, warnings)
    mounts = _collect(config, LXC_MOUNT_KEY_RE, parse_lxc_mount, warnings)
    nics = _collect(config, LXC_NET_KEY_RE, parse_lxc_net, warnings)
    warnings.extend(w for item in (*mounts, *nics) for w in item.warnings)
    return LxcConfig(
        hostname=_text(config.get('hostname')),
        description=_notes(config.get('description')),
        tags=tags,
        ostype=ostype,
        cpus=_int(config.get('cores')),
        memory_mib=_int(config.get('memory')),
        swap_mib=_int(config.get('swap')),
        mounts=mounts,
        nics=nics,
        warnings=tuple(warnings),
    )

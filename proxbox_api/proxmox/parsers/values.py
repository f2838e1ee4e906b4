"""Parsers for plain (non property-string) guest values: tags and ``ostype``."""

import re
from typing import Literal

from .types import OsType, TagList

__all__ = ['parse_ostype', 'parse_tags']

# PVE::JSONSchema pve-tag; case-insensitive because datacenter.cfg may keep tags case-sensitive.
_TAG_RE = re.compile(r'[a-z0-9_][a-z0-9_\-+.]*', re.ASCII | re.IGNORECASE)
# The server itself splits with PVE::Tools::split_list, i.e. on [,;\s]+.
_TAG_SPLIT_RE = re.compile(r'[;,\s]+')

_Family = Literal['linux', 'windows', 'solaris', 'other']
_OSTYPES: dict[str, tuple[_Family, str]] = {
    # QEMU
    'l24': ('linux', 'Linux 2.4 kernel'),
    'l26': ('linux', 'Linux 2.6 - 6.x kernel'),
    'wxp': ('windows', 'Windows XP'),
    'w2k': ('windows', 'Windows 2000'),
    'w2k3': ('windows', 'Windows 2003'),
    'w2k8': ('windows', 'Windows 2008'),
    'wvista': ('windows', 'Windows Vista'),
    'win7': ('windows', 'Windows 7'),
    'win8': ('windows', 'Windows 8/2012/2012r2'),
    'win10': ('windows', 'Windows 10/2016/2019'),
    'win11': ('windows', 'Windows 11/2022/2025'),
    'solaris': ('solaris', 'Solaris/OpenSolaris/OpenIndiana kernel'),
    'other': ('other', 'Other'),
    # LXC
    'debian': ('linux', 'Debian'),
    'devuan': ('linux', 'Devuan'),
    'ubuntu': ('linux', 'Ubuntu'),
    'centos': ('linux', 'CentOS / RHEL family'),
    'fedora': ('linux', 'Fedora'),
    'opensuse': ('linux', 'openSUSE'),
    'archlinux': ('linux', 'Arch Linux'),
    'alpine': ('linux', 'Alpine Linux'),
    'gentoo': ('linux', 'Gentoo'),
    'nixos': ('linux', 'NixOS'),
    'unmanaged': ('other', 'Unmanaged'),
}


def parse_tags(value: str) -> TagList:
    """Split a ``pve-tag-list`` on ``;``, ``,`` or whitespace; invalid tags are dropped with a warning."""
    tags: list[str] = []
    warnings: list[str] = []
    for tag in _TAG_SPLIT_RE.split(value):
        if not tag or tag in tags:
            continue
        if _TAG_RE.fullmatch(tag) is None:
            warnings.append(f'tags: invalid tag {tag[:60]!r} ignored')
            continue
        tags.append(tag)
    return TagList(tags=tuple(tags), warnings=tuple(warnings))


def parse_ostype(value: str) -> OsType:
    """Map an ``ostype`` code (QEMU ``l26``/``win11``, LXC ``debian``) to its family and label."""
    code = value.strip()
    known = _OSTYPES.get(code.lower())
    if known is None:
        return OsType(code=code, family='other', label=code, warnings=(f'ostype: unknown value {code[:60]!r}',))
    family, label = known
    return OsType(code=code.lower(), family=family, label=label)

"""Pure parsers for Proxmox VE property strings and guest configs.

Option parsers (``parse_qemu_net`` ...) raise only ``PropertyParseError``, and only when the string
cannot be that kind of object at all; a bad single option becomes an entry in the result's
``warnings``. The config parsers (``parse_qemu_config``, ``parse_lxc_config``) never raise.
"""

from ._props import PropertyParseError, parse_bool, parse_size, split_property_string
from .config import LxcConfig, QemuConfig, parse_lxc_config, parse_qemu_config
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
from .types import AgentConfig, IpConfig, LxcMount, LxcNic, OsType, QemuDisk, QemuNic, TagList
from .values import parse_ostype, parse_tags

__all__ = [
    'LXC_MOUNT_KEY_RE',
    'LXC_NET_KEY_RE',
    'QEMU_DISK_KEY_RE',
    'QEMU_IPCONFIG_KEY_RE',
    'QEMU_NET_KEY_RE',
    'AgentConfig',
    'IpConfig',
    'LxcConfig',
    'LxcMount',
    'LxcNic',
    'OsType',
    'PropertyParseError',
    'QemuConfig',
    'QemuDisk',
    'QemuNic',
    'TagList',
    'parse_agent',
    'parse_bool',
    'parse_ipconfig',
    'parse_lxc_config',
    'parse_lxc_mount',
    'parse_lxc_net',
    'parse_ostype',
    'parse_qemu_config',
    'parse_qemu_disk',
    'parse_qemu_memory',
    'parse_qemu_net',
    'parse_size',
    'parse_tags',
    'split_property_string',
]

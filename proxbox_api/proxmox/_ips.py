"""Guest IP addresses from the QEMU guest agent, LXC ``/interfaces`` or the static config.

Loopback and link-local addresses are dropped: they say nothing about the guest's place on the network.
"""

import ipaddress
from collections.abc import Iterable, Mapping
from typing import Any, Literal

from ._values import as_dict, as_int, as_list, as_str
from .models import GuestIp
from .parsers import IpConfig, LxcNic

__all__ = ['agent_ips', 'config_ips', 'lxc_interface_ips', 'lxc_static_ips']

Source = Literal['agent', 'lxc-interfaces', 'config']


def _usable(cidr: str) -> str | None:
    try:
        iface = ipaddress.ip_interface(cidr)
    except ValueError:
        return None
    ip = iface.ip
    if ip.is_loopback or ip.is_link_local or ip.is_unspecified:
        return None
    return str(iface)


def _reported(interfaces: Iterable[Any], source: Source) -> tuple[GuestIp, ...]:
    """Both QGA (``ipv4``/``ipv6``) and LXC (``inet``/``inet6``) use ``ip-addresses`` lists."""
    found: list[GuestIp] = []
    for iface in map(as_dict, interfaces):
        mac = as_str(iface.get('hardware-address')) or as_str(iface.get('hwaddr'))
        for entry in map(as_dict, as_list(iface.get('ip-addresses'))):
            address = _usable(f'{entry.get("ip-address")}/{as_int(entry.get("prefix"))}')
            if address is not None:
                found.append(
                    GuestIp(
                        address=address, interface=as_str(iface.get('name')), mac=mac and mac.upper(), source=source
                    )
                )
    return tuple(found)


def agent_ips(data: Any) -> tuple[GuestIp, ...]:
    """``agent/network-get-interfaces`` → ``{"result": [...]}``."""
    return _reported(as_list(as_dict(data).get('result')), 'agent')


def lxc_interface_ips(data: Any) -> tuple[GuestIp, ...]:
    """``/lxc/{vmid}/interfaces`` (8.1+) → a list, or ``null`` for a stopped container."""
    return _reported(as_list(data), 'lxc-interfaces')


def config_ips(ipconfigs: Iterable[IpConfig], nics: Mapping[int, str | None]) -> tuple[GuestIp, ...]:
    """Static cloud-init addresses; ``ipconfigN`` belongs to ``netN``."""
    found = []
    for cfg in ipconfigs:
        for cidr in (cfg.ip, cfg.ip6):
            address = _usable(cidr) if cidr else None
            if address is not None:
                found.append(
                    GuestIp(address=address, interface=f'net{cfg.index}', mac=nics.get(cfg.index), source='config')
                )
    return tuple(found)


def lxc_static_ips(nics: Iterable[LxcNic]) -> tuple[GuestIp, ...]:
    found = []
    for nic in nics:
        for cidr in (nic.ip, nic.ip6):
            address = _usable(cidr) if cidr else None
            if address is not None:
                found.append(GuestIp(address=address, interface=nic.name, mac=nic.mac, source='config'))
    return tuple(found)

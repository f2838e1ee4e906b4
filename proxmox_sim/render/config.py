"""Guest configurations as ``GET …/config`` returns them: property strings, 0/1 booleans, version-typed memory."""

from __future__ import annotations

import hashlib
from typing import Any

from ..model import Disk, Guest, Nic
from ..version import PveVersion

__all__ = ['config_digest', 'disk_string', 'lxc_config', 'qemu_config', 'size_string']


def size_string(size_mib: int) -> str:
    if size_mib and size_mib % (1024 * 1024) == 0:
        return f'{size_mib // (1024 * 1024)}T'
    if size_mib and size_mib % 1024 == 0:
        return f'{size_mib // 1024}G'
    return f'{size_mib}M'


def disk_string(disk: Disk) -> str:
    parts = [disk.volid]
    if disk.mountpoint:
        parts.append(f'mp={disk.mountpoint}')
    if disk.media:
        parts.append(f'media={disk.media}')
    parts += [f'{key}={value}' for key, value in disk.options]
    is_cloudinit = disk.volume.endswith('-cloudinit')
    if disk.size_mib and not is_cloudinit:
        parts.append(f'size={size_string(disk.size_mib)}')
    return ','.join(parts)


def _qemu_net(nic: Nic) -> str:
    parts = [f'{nic.model}={nic.mac}', f'bridge={nic.bridge}']
    if nic.firewall:
        parts.append('firewall=1')
    if nic.tag is not None:
        parts.append(f'tag={nic.tag}')
    if nic.trunks:
        parts.append('trunks=' + ';'.join(str(vlan) for vlan in nic.trunks))
    if nic.link_down:
        parts.append('link_down=1')
    return ','.join(parts)


def _lxc_net(nic: Nic) -> str:
    parts = [f'name=eth{nic.index}', f'bridge={nic.bridge}']
    if nic.firewall:
        parts.append('firewall=1')
    if nic.gw4 and not nic.ipv4_dhcp:
        parts.append(f'gw={nic.gw4}')
    parts.append(f'hwaddr={nic.mac}')
    parts.append('ip=dhcp' if nic.ipv4_dhcp or not nic.ipv4 else f'ip={nic.ipv4}')
    parts.append(f'ip6={nic.ipv6}' if nic.ipv6 and not nic.ipv4_dhcp else 'ip6=auto')
    if nic.link_down:
        parts.append('link_down=1')
    if nic.tag is not None:
        parts.append(f'tag={nic.tag}')
    parts.append('type=veth')
    return ','.join(parts)


def _ipconfig(nic: Nic) -> str:
    if nic.ipv4_dhcp or not nic.ipv4:
        return 'ip=dhcp'
    parts = [f'ip={nic.ipv4}']
    if nic.gw4:
        parts.append(f'gw={nic.gw4}')
    if nic.ipv6:
        parts.append(f'ip6={nic.ipv6}')
    return ','.join(parts)


def config_digest(config: dict[str, Any]) -> str:
    text = '\n'.join(f'{key}: {value}' for key, value in config.items())
    return hashlib.sha1(text.encode()).hexdigest()


def _common(guest: Guest, config: dict[str, Any]) -> None:
    if guest.description:
        config['description'] = guest.description + ('\n' if guest.kind == 'lxc' else '')
    if guest.tags:
        config['tags'] = ';'.join(guest.tags)
    if guest.onboot:
        config['onboot'] = 1
    if guest.template:
        config['template'] = 1
    if guest.snapshots:
        config['parent'] = guest.snapshots[-1].name
    if guest.lock:
        config['lock'] = guest.lock


def qemu_config(guest: Guest, version: PveVersion) -> dict[str, Any]:
    config: dict[str, Any] = {'name': guest.name}
    _common(guest, config)
    config.update({'ostype': guest.ostype, 'bios': guest.bios} if guest.bios != 'seabios' else {'ostype': guest.ostype})
    if guest.machine:
        config['machine'] = guest.machine
    config.update({'cores': guest.cores, 'sockets': guest.sockets, 'cpu': 'x86-64-v2-AES', 'numa': 0})
    config['memory'] = str(guest.memory_mib) if version.memory_is_string else guest.memory_mib
    if guest.balloon_mib is not None:
        config['balloon'] = guest.balloon_mib
    if guest.agent != 'none':
        config['agent'] = '1,fstrim_cloned_disks=1'
    boot = next((disk.key for disk in guest.disks if disk.media is None), None)
    config['boot'] = f'order={boot};net0' if boot else 'order=net0'
    config['scsihw'] = 'virtio-scsi-single'
    for disk in guest.disks:
        config[disk.key] = disk_string(disk)
    for nic in guest.nics:
        config[f'net{nic.index}'] = _qemu_net(nic)
    if guest.cloudinit:
        for nic in guest.nics:
            config[f'ipconfig{nic.index}'] = _ipconfig(nic)
        config['ciuser'] = 'debian'
    config['smbios1'] = f'uuid={guest.uuid}'
    config['vmgenid'] = guest.uuid[::-1].replace('-', 'a')[:8] + guest.uuid[8:]
    config['meta'] = f'creation-qemu=8.1.5,ctime={guest.ctime}'
    return {'digest': config_digest(config), **config}


def lxc_config(guest: Guest) -> dict[str, Any]:
    config: dict[str, Any] = {'hostname': guest.name}
    _common(guest, config)
    config.update({'arch': 'amd64', 'ostype': guest.ostype, 'unprivileged': 1, 'features': 'nesting=1'})
    config.update({'cores': guest.cores, 'memory': guest.memory_mib, 'swap': guest.swap_mib})
    for disk in guest.disks:
        config[disk.key] = disk_string(disk)
    for nic in guest.nics:
        config[f'net{nic.index}'] = _lxc_net(nic)
    return {'digest': config_digest(config), **config}

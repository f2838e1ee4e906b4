"""Generate QEMU VMs and LXC containers with NICs, disks, addresses and run-time statistics."""

from __future__ import annotations

import random
import uuid

from ..model import Cluster, Disk, Guest, GuestStats, Network, Nic
from .infra import host_address

__all__ = ['allocate_address', 'make_guest', 'new_mac']

ROLES = ('web', 'db', 'app', 'cache', 'dns', 'mail', 'ci', 'mon', 'vpn', 'lb', 'k8s', 'git', 'proxy', 'backup')
TAGS = ('prod', 'staging', 'dev', 'web', 'db', 'linux', 'windows', 'critical', 'k8s', 'monitoring', 'team-a', 'team-b')
VM_OSTYPES = (('l26', 0.8), ('win11', 0.1), ('win10', 0.05), ('other', 0.05))
CT_OSTYPES = ('debian', 'ubuntu', 'alpine', 'centos', 'archlinux')
NIC_MODELS = (('virtio', 0.75), ('e1000', 0.1), ('e1000e', 0.08), ('vmxnet3', 0.05), ('rtl8139', 0.02))
QEMU_LOCKS = ('backup', 'migrate', 'snapshot', 'clone', 'suspended')
LXC_LOCKS = ('backup', 'migrate', 'snapshot', 'mounted', 'disk')
DATA_BUSES = ('scsi', 'virtio', 'sata', 'ide')
MIB = 1024 * 1024


def _weighted(rng: random.Random, options: tuple[tuple[str, float], ...]) -> str:
    point = rng.random()
    for value, weight in options:
        point -= weight
        if point < 0:
            return value
    return options[-1][0]


def new_mac(rng: random.Random, cluster: Cluster) -> str:
    """A unique MAC from Proxmox's OUI BC:24:11."""
    while True:
        mac = 'BC:24:11:' + ':'.join(f'{rng.randrange(256):02X}' for _ in range(3))
        if mac not in cluster.macs:
            cluster.macs.add(mac)
            return mac


def allocate_address(network: Network) -> tuple[str, str]:
    """The next IPv4 and IPv6 address (with prefix length) of a guest network."""
    host = network.next_host
    network.next_host += 1
    length4 = network.ipv4_prefix.split('/')[1]
    return f'{host_address(network.ipv4_prefix, host)}/{length4}', f'{host_address(network.ipv6_prefix, host)}/64'


def make_guest(rng: random.Random, cluster: Cluster, vmid: int, node: str, kind: str, name: str) -> Guest:
    template = kind == 'qemu' and rng.random() < 0.03
    status = 'stopped' if template or rng.random() < 0.22 else 'running'
    guest = Guest(vmid=vmid, kind=kind, name=name, node=node, status=status, template=template)
    guest.cores = rng.choice((1, 1, 2, 2, 2, 4, 4, 8))
    guest.sockets = 2 if kind == 'qemu' and rng.random() < 0.1 else 1
    guest.memory_mib = rng.choice((512, 1024, 2048, 2048, 4096, 4096, 8192, 16384))
    guest.onboot = rng.random() < 0.6
    guest.uuid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
    guest.ctime = cluster.epoch - rng.randint(86400, 3 * 365 * 86400)
    if rng.random() < 0.02 and not template:
        guest.lock = rng.choice(QEMU_LOCKS if kind == 'qemu' else LXC_LOCKS)
    if rng.random() < 0.6:
        guest.tags = sorted(rng.sample(TAGS, rng.randint(1, 3)))
    if cluster.pools and rng.random() < 0.4:
        guest.pool = rng.choice(sorted(cluster.pools))
    if rng.random() < 0.3:
        guest.description = f'{name} managed by team {rng.choice("abc")}\nOwner: ops@example.com'
    if kind == 'qemu':
        _qemu_details(rng, cluster, guest)
    else:
        _lxc_details(rng, cluster, guest)
    _add_nics(rng, cluster, guest)
    _add_stats(rng, guest)
    return guest


def _qemu_details(rng: random.Random, cluster: Cluster, guest: Guest) -> None:
    guest.ostype = _weighted(rng, VM_OSTYPES)
    windows = guest.ostype.startswith('win')
    guest.bios = 'ovmf' if windows or rng.random() < 0.35 else 'seabios'
    guest.machine = 'pc-q35-8.1' if windows else rng.choice((None, 'q35'))
    guest.balloon_mib = guest.memory_mib // 2 if rng.random() < 0.3 else None
    guest.cloudinit = not windows and rng.random() < 0.3
    configured = rng.random() < 0.7
    guest.agent = 'none' if not configured else ('ok' if rng.random() < 0.85 else 'down')
    images = _image_storages(cluster)
    boot_bus = _weighted(rng, (('scsi', 0.6), ('virtio', 0.25), ('sata', 0.1), ('ide', 0.05)))
    used = dict.fromkeys(DATA_BUSES, 0)
    storage = rng.choice(images)
    _add_disk(guest, storage, boot_bus, used, rng.choice((8, 16, 32, 32, 64, 100)) * 1024, rng)
    for _ in range(rng.choice((0, 0, 0, 1, 1, 2))):
        _add_disk(
            guest, rng.choice(images), rng.choice(DATA_BUSES[:3]), used, rng.choice((10, 50, 100, 500)) * 1024, rng
        )
    _special_disks(rng, guest, storage, windows)


def _image_storages(cluster: Cluster) -> list[str]:
    return [s.storage for s in cluster.storages.values() if 'images' in s.content and not s.disabled]


def _disk_number(guest: Guest) -> int:
    return sum(1 for disk in guest.disks if disk.volume.startswith(f'vm-{guest.vmid}-disk-'))


def _add_disk(guest: Guest, storage: str, bus: str, used: dict[str, int], size_mib: int, rng: random.Random) -> None:
    limits = {'scsi': 30, 'virtio': 15, 'sata': 5, 'ide': 1}
    if used[bus] > limits[bus]:
        bus = 'scsi'
    key = f'{bus}{used[bus]}'
    used[bus] += 1
    options: tuple[tuple[str, str], ...] = ()
    if bus in ('scsi', 'virtio') and rng.random() < 0.5:
        options = (('iothread', '1'), ('discard', 'on'))
    elif rng.random() < 0.1:
        options = (('backup', '0'),)
    volume = f'vm-{guest.vmid}-disk-{_disk_number(guest)}'
    guest.disks.append(Disk(key=key, storage=storage, volume=volume, size_mib=size_mib, options=options))


def _special_disks(rng: random.Random, guest: Guest, storage: str, windows: bool) -> None:
    if guest.bios == 'ovmf':
        volume = f'vm-{guest.vmid}-disk-{_disk_number(guest)}'
        opts = (('efitype', '4m'), ('pre-enrolled-keys', '1'))
        guest.disks.append(Disk('efidisk0', storage, volume, 4, options=opts))
        if windows:
            volume = f'vm-{guest.vmid}-disk-{_disk_number(guest)}'
            guest.disks.append(Disk('tpmstate0', storage, volume, 4, options=(('version', 'v2.0'),)))
    if guest.cloudinit:
        guest.disks.append(Disk('ide2', storage, f'vm-{guest.vmid}-cloudinit', 4, media='cdrom'))
    elif rng.random() < 0.5:
        iso = rng.choice(('debian-12.7.0-amd64-netinst.iso', 'ubuntu-24.04.1-live-server-amd64.iso', 'virtio-win.iso'))
        guest.disks.append(Disk('ide2', 'local', f'iso/{iso}', 631, media='cdrom'))
    else:
        guest.disks.append(Disk('ide2', None, 'none', 0, media='cdrom'))


def _lxc_details(rng: random.Random, cluster: Cluster, guest: Guest) -> None:
    guest.ostype = rng.choice(CT_OSTYPES)
    guest.swap_mib = rng.choice((0, 512, 1024))
    images = _image_storages(cluster)
    number = 0
    guest.disks.append(
        Disk('rootfs', rng.choice(images), f'vm-{guest.vmid}-disk-{number}', rng.choice((4, 8, 16)) * 1024)
    )
    for index in range(rng.choice((0, 0, 0, 1, 2))):
        number += 1
        volume = f'vm-{guest.vmid}-disk-{number}'
        size = rng.choice((10, 50, 100)) * 1024
        guest.disks.append(Disk(f'mp{index}', rng.choice(images), volume, size, mountpoint=f'/srv/data{index}'))


def _add_nics(rng: random.Random, cluster: Cluster, guest: Guest) -> None:
    count = rng.choices((1, 2, 3, 4), weights=(60, 25, 10, 5))[0]
    for index in range(count):
        network = cluster.networks[0] if index == 0 else rng.choice(cluster.networks[1:])
        model = 'veth' if guest.kind == 'lxc' else _weighted(rng, NIC_MODELS)
        nic = Nic(index=index, model=model, mac=new_mac(rng, cluster), bridge=network.bridge)
        nic.firewall = rng.random() < 0.7
        if index > 0 and guest.kind == 'qemu' and rng.random() < 0.08:
            nic.trunks = tuple(sorted(rng.sample([n.vlan for n in cluster.networks[1:]], 3)))
        else:
            nic.tag = network.vlan or None
        nic.link_down = rng.random() < 0.02
        if rng.random() < 0.9:
            nic.ipv4, nic.ipv6 = allocate_address(network)
            nic.ipv4_dhcp = rng.random() < 0.2
            if index == 0:
                nic.gw4 = host_address(network.ipv4_prefix, 1)
        guest.nics.append(nic)


def _add_stats(rng: random.Random, guest: Guest) -> None:
    maxmem = guest.memory_mib * MIB
    if not guest.running:
        guest.stats = GuestStats()
        return
    guest.stats = GuestStats(
        cpu=round(rng.uniform(0.0, 0.5), 4),
        mem=int(maxmem * rng.uniform(0.1, 0.9)),
        disk=int(guest.maxdisk * rng.uniform(0.1, 0.7)) if guest.kind == 'lxc' else 0,
        netin=rng.randint(10**6, 10**11),
        netout=rng.randint(10**6, 10**11),
        diskread=rng.randint(10**6, 10**11),
        diskwrite=rng.randint(10**6, 10**11),
        uptime=rng.randint(600, 200 * 86400),
        pid=rng.randint(1000, 4_000_000),
    )

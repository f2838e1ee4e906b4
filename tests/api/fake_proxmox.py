"""A small dict-routed fake Proxmox VE API for ``httpx.MockTransport`` (shapes from the reference).

``FakeProxmox.routes`` maps an API path to its ``data`` (or an ``httpx.Response``, or a callable);
nodes in ``unreachable`` answer 595 for every ``/nodes/<name>/...`` path; unknown paths give 501,
like PVE.
"""

from collections.abc import Callable
from typing import Any

import httpx

from .pve_http import error, ok

Route = Any | httpx.Response | Callable[[httpx.Request], httpx.Response]

QEMU_100 = {
    'digest': '3f2a', 'name': 'web01', 'tags': 'prod;web', 'ostype': 'l26', 'cores': 2, 'sockets': 1,
    'memory': '4096', 'agent': '1,fstrim_cloned_disks=1', 'scsihw': 'virtio-scsi-single',
    'scsi0': 'local-lvm:vm-100-disk-0,iothread=1,discard=on,size=32G',
    'ide2': 'local:iso/debian-12.7.0-amd64-netinst.iso,media=cdrom,size=631M',
    'efidisk0': 'local-lvm:vm-100-disk-1,efitype=4m,pre-enrolled-keys=1,size=4M',
    'net0': 'virtio=BC:24:11:2E:4F:5A,bridge=vmbr0,firewall=1',
    'net1': 'e1000=BC:24:11:00:11:22,bridge=vmbr1,tag=20,link_down=1',
    'ipconfig0': 'ip=10.0.0.50/24,gw=10.0.0.1',
}  # fmt: skip
AGENT_100 = {
    'result': [
        {'name': 'lo', 'hardware-address': '00:00:00:00:00:00',
         'ip-addresses': [{'ip-address-type': 'ipv4', 'ip-address': '127.0.0.1', 'prefix': 8},
                          {'ip-address-type': 'ipv6', 'ip-address': '::1', 'prefix': 128}]},
        {'name': 'ens18', 'hardware-address': 'bc:24:11:2e:4f:5a',
         'ip-addresses': [{'ip-address-type': 'ipv4', 'ip-address': '10.0.0.50', 'prefix': 24},
                          {'ip-address-type': 'ipv6', 'ip-address': 'fe80::be24:11ff:fe2e:4f5a', 'prefix': 64},
                          {'ip-address-type': 'ipv6', 'ip-address': '2001:db8::50', 'prefix': 64}]},
        {'name': 'docker0'},
    ]
}  # fmt: skip
LXC_101 = {
    'digest': 'aa', 'hostname': 'dns01', 'description': 'Resolver\n', 'tags': 'infra', 'ostype': 'debian',
    'unprivileged': 1, 'cores': 1, 'memory': 512, 'swap': 512, 'rootfs': 'local-lvm:vm-101-disk-0,size=8G',
    'mp0': 'local-lvm:vm-101-disk-1,mp=/srv/data,backup=1,size=100G',
    'net0': 'name=eth0,bridge=vmbr0,firewall=1,gw=10.0.0.1,hwaddr=BC:24:11:AA:BB:CC,ip=10.0.0.53/24,ip6=auto,type=veth',
}  # fmt: skip
LXC_101_INTERFACES = [
    {'name': 'lo', 'hwaddr': '00:00:00:00:00:00', 'inet': '127.0.0.1/8',
     'ip-addresses': [{'ip-address-type': 'inet', 'ip-address': '127.0.0.1', 'prefix': 8}]},
    {'name': 'eth0', 'hwaddr': 'bc:24:11:aa:bb:cc', 'hardware-address': 'bc:24:11:aa:bb:cc',
     'ip-addresses': [{'ip-address-type': 'inet', 'ip-address': '10.0.0.53', 'prefix': 24},
                      {'ip-address-type': 'inet6', 'ip-address': 'fe80::be24:11ff:feaa:bbcc', 'prefix': 64},
                      {'ip-address-type': 'inet6', 'ip-address': '2001:db8::53', 'prefix': 64}]},
]  # fmt: skip


def _guest(kind: str, vmid: int, node: str, name: str, status: str, **extra: Any) -> dict[str, Any]:
    return {'id': f'{kind}/{vmid}', 'type': kind, 'vmid': vmid, 'node': node, 'name': name, 'status': status,
            'template': 0, 'maxcpu': 2, 'maxmem': 2147483648, **extra}  # fmt: skip


def _node(name: str, online: bool) -> dict[str, Any]:
    entry = {'id': f'node/{name}', 'type': 'node', 'node': name, 'status': 'online' if online else 'offline',
             'maxcpu': 16, 'maxmem': 68719476736}  # fmt: skip
    return entry | ({'uptime': 1209600, 'cpu': 0.03, 'mem': 1} if online else {})


def lab(release: str = '8.2') -> dict[str, Route]:
    """pve1, pve2 online, pve3 offline; guests 100 (agent ok), 101 (LXC), 102 (agent down), 103 (on pve3),
    104 (stopped LXC), 9000 (template)."""
    version = {'version': f'{release}.4' if release >= '8' else f'{release}-3', 'release': release, 'repoid': 'ab'}
    resources = [
        {'id': '/pool/prod', 'type': 'pool', 'pool': 'prod'},
        _guest('qemu', 100, 'pve1', 'web01', 'running', pool='prod', tags='prod;web', hastate='started'),
        _guest('lxc', 101, 'pve1', 'dns01', 'running', tags='infra', lock='backup'),
        _guest('qemu', 102, 'pve2', 'app01', 'running', pool='prod'),
        _guest('qemu', 103, 'pve3', 'db01', 'unknown'),
        _guest('lxc', 104, 'pve2', 'ct104', 'stopped'),
        _guest('qemu', 9000, 'pve2', 'tmpl-debian12', 'stopped', template=1),
        _node('pve1', True), _node('pve2', True), _node('pve3', False),
        {'id': 'storage/pve1/local', 'type': 'storage', 'storage': 'local', 'node': 'pve1', 'status': 'available'},
    ]  # fmt: skip
    status = [{'type': 'cluster', 'id': 'cluster', 'name': 'lab', 'nodes': 3, 'quorate': 1, 'version': 7}] + [
        {'type': 'node', 'id': f'node/{n}', 'name': n, 'ip': f'10.0.0.1{i}', 'online': int(n != 'pve3')}
        for i, n in enumerate(('pve1', 'pve2', 'pve3'), start=1)
    ]
    routes: dict[str, Route] = {
        '/version': version,
        '/cluster/resources': resources,
        '/cluster/status': status,
        '/cluster/ha/resources': [{'sid': 'vm:100', 'type': 'vm', 'state': 'started'},
                                  {'sid': 'vm:102', 'type': 'vm', 'state': 'stopped'}],
        '/pools': [{'poolid': 'prod', 'comment': 'Production'}, {'poolid': 'test'}],
        '/nodes/pve1/qemu/100/config': QEMU_100,
        '/nodes/pve1/qemu/100/agent/network-get-interfaces': AGENT_100,
        '/nodes/pve1/lxc/101/config': LXC_101,
        '/nodes/pve2/qemu/102/config': {'name': 'app01', 'agent': '1', 'memory': 2048, 'cores': 4,
                                        'net0': 'virtio=BC:24:11:00:00:02,bridge=vmbr0', 'ipconfig0': 'ip=10.0.0.52/24',
                                        'net1': 'bogus', 'tags': 'ok;b@d'},
        '/nodes/pve2/qemu/102/agent/network-get-interfaces': error(500, 'QEMU guest agent is not running'),
        '/nodes/pve2/lxc/104/config': {'hostname': 'ct104', 'memory': 256, 'rootfs': 'local-lvm:vm-104-disk-0,size=2G',
                                       'net0': 'name=eth0,bridge=vmbr0,ip=10.0.0.104/24'},
        '/nodes/pve2/qemu/9000/config': {'name': 'tmpl-debian12', 'template': 1, 'memory': '2048',
                                         'scsi0': 'local-lvm:base-9000-disk-0,size=3G'},
    }  # fmt: skip
    if release >= '8.1':
        routes['/nodes/pve1/lxc/101/interfaces'] = LXC_101_INTERFACES
    for name in ('pve1', 'pve2'):
        routes[f'/nodes/{name}/status'] = {
            'uptime': 1209600, 'cpuinfo': {'model': 'AMD EPYC 7302P 16-Core Processor', 'cpus': 32},
            'memory': {'total': 68719476736}, 'pveversion': f'pve-manager/{version["version"]}/faa83925c9641325',
        }  # fmt: skip
        routes[f'/nodes/{name}/network'] = [
            {'iface': 'eno1', 'type': 'eth', 'method': 'manual', 'active': 1, 'autostart': 1},
            {'iface': 'vmbr0', 'type': 'bridge', 'method': 'static', 'address': '10.0.0.11', 'netmask': '24',
             'cidr': '10.0.0.11/24', 'gateway': '10.0.0.1', 'bridge_ports': 'eno1', 'bridge_vlan_aware': 1,
             'active': 1, 'autostart': 1, 'comments': 'mgmt\n'},
            {'iface': 'bond0', 'type': 'bond', 'slaves': 'eno2 eno3', 'bond_mode': '802.3ad', 'active': 1},
            {'iface': 'vmbr0.20', 'type': 'vlan', 'cidr': '10.20.0.11/24', 'vlan-raw-device': 'vmbr0', 'vlan-id': 20},
        ]  # fmt: skip
    return routes


class FakeProxmox:
    """The MockTransport handler: records every path it is asked for."""

    def __init__(self, routes: dict[str, Route], unreachable: set[str] | None = None) -> None:
        self.routes = routes
        self.unreachable = set(unreachable or ()) | {'pve3'}
        self.calls: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path.removeprefix('/api2/json')
        self.calls.append(path)
        if any(path.startswith(f'/nodes/{node}/') for node in self.unreachable):
            return error(595, 'No route to host', with_message=False)
        route = self.routes.get(path)
        if route is None:
            return error(501, f"Method '{request.method} {path}' not implemented")
        if isinstance(route, httpx.Response):
            return route
        if callable(route):
            return route(request)
        return ok(route)

"""Contract: LXC ``netN``, ``rootfs`` and ``mpN`` parse into typed objects with per-option warnings."""

import pytest

from proxbox_api.proxmox.parsers import LXC_MOUNT_KEY_RE, PropertyParseError, parse_lxc_mount, parse_lxc_net

GIB = 1024**3


class TestLxcNet:
    """LXC ``netN``: name, bridge, hwaddr, ip (CIDR|dhcp|manual), ip6 (CIDR|auto|dhcp|manual), gw, tag ..."""

    def test_reference_net0(self) -> None:
        nic = parse_lxc_net(
            'net0',
            'name=eth0,bridge=vmbr0,firewall=1,gw=10.0.0.1,hwaddr=BC:24:11:AA:BB:CC,ip=10.0.0.53/24,ip6=auto,type=veth',
        )
        assert (nic.name, nic.bridge, nic.mac, nic.ip, nic.gw) == (
            'eth0',
            'vmbr0',
            'BC:24:11:AA:BB:CC',
            '10.0.0.53/24',
            '10.0.0.1',
        )
        assert (nic.ipv4_mode, nic.ipv6_mode, nic.firewall, nic.options) == ('static', 'auto', True, {'type': 'veth'})

    def test_reference_net1_dhcp_tag(self) -> None:
        nic = parse_lxc_net('net1', 'name=eth1,bridge=vmbr1,hwaddr=BC:24:11:AA:BB:CD,ip=dhcp,tag=30,type=veth')
        assert (nic.index, nic.ipv4_mode, nic.ip, nic.tag) == (1, 'dhcp', None, 30)

    def test_v6_static_trunks_mtu(self) -> None:
        nic = parse_lxc_net(
            'net2', 'name=eth2,bridge=vmbr0,ip6=2001:db8::5/64,gw6=2001:db8::1,trunks=10;20,mtu=1450,link_down=1'
        )
        assert (nic.ip6, nic.gw6, nic.trunks, nic.mtu, nic.link_down) == (
            '2001:db8::5/64',
            '2001:db8::1',
            (10, 20),
            1450,
            True,
        )

    def test_manual(self) -> None:
        nic = parse_lxc_net('net0', 'name=eth0,bridge=vmbr0,ip=manual,ip6=manual')
        assert (nic.ipv4_mode, nic.ipv6_mode) == ('manual', 'manual')

    def test_missing_name_is_a_warning(self) -> None:
        nic = parse_lxc_net('net0', 'bridge=vmbr0,ip=dhcp')
        assert nic.name is None and 'no interface name' in nic.warnings[0]

    def test_bad_ip_is_a_warning(self) -> None:
        nic = parse_lxc_net('net0', 'name=eth0,ip=10.0.0.5')
        assert nic.ip is None and nic.ipv4_mode == 'none' and nic.warnings

    @pytest.mark.parametrize(('key', 'value'), [('net0', ''), ('netx', 'name=eth0'), ('net32', 'name=eth0')])
    def test_raises(self, key: str, value: str) -> None:
        with pytest.raises(PropertyParseError):
            parse_lxc_net(key, value)


class TestLxcMount:
    """``rootfs`` and ``mpN``: volume / bind / device, mp, size, backup, ro."""

    def test_rootfs(self) -> None:
        mount = parse_lxc_mount('rootfs', 'local-lvm:vm-101-disk-0,size=8G')
        assert (mount.kind, mount.storage, mount.volume, mount.mountpoint, mount.size_bytes, mount.backup) == (
            'volume',
            'local-lvm',
            'vm-101-disk-0',
            '/',
            8 * GIB,
            True,
        )

    def test_mp_reference(self) -> None:
        mount = parse_lxc_mount('mp0', 'local-lvm:vm-101-disk-1,mp=/srv/data,backup=1,size=100G')
        assert (mount.mountpoint, mount.backup, mount.size_bytes, mount.ro) == ('/srv/data', True, 100 * GIB, False)

    def test_mp_backup_defaults_off(self) -> None:
        assert not parse_lxc_mount('mp1', 'tank:subvol-101-disk-2,mp=/data,size=0T').backup

    def test_bind_mount_ro(self) -> None:
        mount = parse_lxc_mount('mp2', '/mnt/pve/nfs-share,mp=/mnt/share,ro=1')
        assert (mount.kind, mount.storage, mount.volume, mount.ro) == ('bind', None, '/mnt/pve/nfs-share', True)

    def test_device_mount(self) -> None:
        assert parse_lxc_mount('mp3', '/dev/sdb1,mp=/mnt/disk').kind == 'device'

    def test_explicit_volume_key_and_options(self) -> None:
        mount = parse_lxc_mount('mp4', 'volume=local:101/vm-101-disk-3.raw,mp=/x,acl=1,mountoptions=noatime;nosuid')
        assert mount.storage == 'local' and mount.options == {'acl': '1', 'mountoptions': 'noatime;nosuid'}

    def test_missing_mp_is_a_warning(self) -> None:
        assert 'no mount point' in parse_lxc_mount('mp0', 'local-lvm:vm-101-disk-1,size=1G').warnings[0]

    @pytest.mark.parametrize(('key', 'value'), [('mp0', ''), ('mp0', 'mp=/x'), ('mp256', 'a:b'), ('rootfs0', 'a:b')])
    def test_raises(self, key: str, value: str) -> None:
        with pytest.raises(PropertyParseError):
            parse_lxc_mount(key, value)

    @pytest.mark.parametrize('key', ['rootfs', 'mp0', 'mp9', 'mp10', 'mp255'])
    def test_key_regex(self, key: str) -> None:
        assert LXC_MOUNT_KEY_RE.fullmatch(key)

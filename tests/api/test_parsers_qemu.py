"""Contract: QEMU property strings (netN, disks, ipconfigN, agent, memory) parse into typed objects.

A bad single option is a warning on the object; only a string that cannot be that kind of object
at all raises ``PropertyParseError``.
"""

import pytest

from proxbox_api.proxmox.parsers import (
    QEMU_DISK_KEY_RE,
    QEMU_NET_KEY_RE,
    PropertyParseError,
    parse_agent,
    parse_ipconfig,
    parse_qemu_disk,
    parse_qemu_memory,
    parse_qemu_net,
)

GIB = 1024**3


class TestQemuNet:
    """``netN``: MODEL=MAC first, then bridge/tag/trunks/firewall/link_down/mtu/rate/queues."""

    def test_reference_virtio(self) -> None:
        nic = parse_qemu_net('net0', 'virtio=BC:24:11:2E:4F:5A,bridge=vmbr0,firewall=1')
        assert (nic.index, nic.model, nic.mac, nic.bridge) == (0, 'virtio', 'BC:24:11:2E:4F:5A', 'vmbr0')
        assert nic.firewall and not nic.link_down and nic.tag is None and nic.warnings == ()

    def test_reference_e1000_tag_link_down(self) -> None:
        nic = parse_qemu_net('net1', 'e1000=BC:24:11:00:11:22,bridge=vmbr1,tag=20,link_down=1')
        assert (nic.model, nic.tag, nic.link_down) == ('e1000', 20, True)

    def test_all_options(self) -> None:
        nic = parse_qemu_net(
            'net3', 'vmxnet3=aa:bb:cc:dd:ee:ff,bridge=vmbr2,trunks=10;20;30,mtu=9000,rate=12.5,queues=4,firewall=0'
        )
        assert nic.mac == 'AA:BB:CC:DD:EE:FF'
        assert nic.trunks == (10, 20, 30)
        assert (nic.mtu, nic.rate, nic.queues, nic.firewall) == (9000, 12.5, 4, False)

    def test_trunk_ranges(self) -> None:
        assert parse_qemu_net('net0', 'virtio=BC:24:11:2E:4F:5A,trunks=100-102;5').trunks == (5, 100, 101, 102)

    def test_model_macaddr_form(self) -> None:
        nic = parse_qemu_net('net0', 'model=virtio,macaddr=BC:24:11:2E:4F:5A,bridge=vmbr0')
        assert (nic.model, nic.mac) == ('virtio', 'BC:24:11:2E:4F:5A')

    def test_unknown_model_with_mac_is_kept_with_warning(self) -> None:
        nic = parse_qemu_net('net0', 'virtio-net-future=BC:24:11:2E:4F:5A,bridge=vmbr0')
        assert nic.model == 'virtio-net-future' and 'unknown NIC model' in nic.warnings[0]

    @pytest.mark.parametrize(
        'bad', ['tag=0', 'tag=4095', 'tag=abc', 'mtu=x', 'queues=65', 'trunks=1;x', 'firewall=maybe']
    )
    def test_bad_option_is_a_warning(self, bad: str) -> None:
        nic = parse_qemu_net('net0', f'virtio=BC:24:11:2E:4F:5A,bridge=vmbr0,{bad}')
        assert nic.bridge == 'vmbr0'
        assert len(nic.warnings) == 1 and nic.warnings[0].startswith('net0: invalid')

    def test_bad_mac_is_a_warning(self) -> None:
        nic = parse_qemu_net('net0', 'virtio=not-a-mac,bridge=vmbr0')
        assert nic.model == 'virtio' and nic.mac is None and nic.warnings

    def test_unknown_options_are_kept(self) -> None:
        assert parse_qemu_net('net0', 'virtio=BC:24:11:2E:4F:5A,future=1').options == {'future': '1'}

    @pytest.mark.parametrize('value', ['', 'bridge=vmbr0', '   '])
    def test_no_model_raises(self, value: str) -> None:
        with pytest.raises(PropertyParseError):
            parse_qemu_net('net0', value)

    def test_key_regex(self) -> None:
        assert QEMU_NET_KEY_RE.fullmatch('net31') and not QEMU_NET_KEY_RE.fullmatch('net32')


class TestQemuDisk:
    """Disks: ``[STORAGE:]VOLUME`` or ``file=``, media, size units, special and passthrough disks."""

    def test_scsi(self) -> None:
        disk = parse_qemu_disk('scsi0', 'local-lvm:vm-100-disk-0,iothread=1,discard=on,size=32G')
        assert (disk.bus, disk.index, disk.kind, disk.storage, disk.volume) == (
            'scsi',
            0,
            'disk',
            'local-lvm',
            'vm-100-disk-0',
        )
        assert disk.size_bytes == 32 * GIB and disk.backup
        assert disk.options == {'iothread': '1', 'discard': 'on'}

    def test_backup_off(self) -> None:
        assert not parse_qemu_disk('scsi1', 'ceph-rbd:vm-100-disk-2,backup=0,size=100G').backup

    @pytest.mark.parametrize(
        ('size', 'expected'),
        [('10G', 10 * GIB), ('631M', 631 * 1024**2), ('104858K', 104858 * 1024), ('2T', 2 * 1024**4), ('4M', 4 << 20)],
    )
    def test_sizes(self, size: str, expected: int) -> None:
        assert parse_qemu_disk('virtio0', f'local-zfs:vm-100-disk-3,size={size}').size_bytes == expected

    def test_iso_cdrom(self) -> None:
        disk = parse_qemu_disk('ide2', 'local:iso/debian-12.7.0-amd64-netinst.iso,media=cdrom,size=631M')
        assert (disk.kind, disk.storage, disk.volume, disk.media) == (
            'cdrom',
            'local',
            'iso/debian-12.7.0-amd64-netinst.iso',
            'cdrom',
        )

    def test_empty_cdrom(self) -> None:
        disk = parse_qemu_disk('ide2', 'none,media=cdrom')
        assert disk.kind == 'cdrom' and disk.empty and disk.storage is None and disk.volume is None

    def test_host_cdrom(self) -> None:
        disk = parse_qemu_disk('ide2', 'cdrom,media=cdrom')
        assert disk.kind == 'cdrom' and disk.passthrough

    @pytest.mark.parametrize(
        'value', ['local-lvm:vm-100-cloudinit,media=cdrom', 'local:100/vm-100-cloudinit.qcow2,media=cdrom']
    )
    def test_cloudinit(self, value: str) -> None:
        assert parse_qemu_disk('ide0', value).kind == 'cloudinit'

    def test_efidisk_and_tpm(self) -> None:
        efi = parse_qemu_disk('efidisk0', 'local-lvm:vm-100-disk-1,efitype=4m,pre-enrolled-keys=1,size=4M')
        tpm = parse_qemu_disk('tpmstate0', 'local-lvm:vm-100-disk-5,size=4M,version=v2.0')
        assert (efi.kind, efi.options['efitype']) == ('efidisk', '4m')
        assert (tpm.kind, tpm.size_bytes) == ('tpmstate', 4 * 1024**2)

    def test_unused(self) -> None:
        assert parse_qemu_disk('unused0', 'local-lvm:vm-100-disk-9').kind == 'unused'

    def test_explicit_file_key(self) -> None:
        disk = parse_qemu_disk('sata0', 'file=local-lvm:vm-100-disk-4,size=8G')
        assert (disk.storage, disk.volume, disk.size_bytes) == ('local-lvm', 'vm-100-disk-4', 8 * GIB)

    def test_passthrough(self) -> None:
        disk = parse_qemu_disk('scsi2', '/dev/disk/by-id/ata-ST4000DM004-2CV104_ZFN0XXXX,backup=0,size=3907018584K')
        assert disk.passthrough and disk.storage is None and disk.volume.startswith('/dev/disk/by-id/')  # type: ignore[union-attr]
        assert disk.size_bytes == 3907018584 * 1024

    def test_dir_storage_qcow2(self) -> None:
        disk = parse_qemu_disk('scsi0', 'local:100/vm-100-disk-0.qcow2,format=qcow2,size=20G')
        assert (disk.storage, disk.volume, disk.format) == ('local', '100/vm-100-disk-0.qcow2', 'qcow2')

    def test_bad_size_is_a_warning(self) -> None:
        disk = parse_qemu_disk('scsi0', 'local-lvm:vm-100-disk-0,size=lots')
        assert disk.size_bytes is None and 'size' in disk.warnings[0]

    @pytest.mark.parametrize(
        ('key', 'value'), [('scsi0', ''), ('scsi0', 'size=32G'), ('scsi31', 'a:b'), ('net0', 'a:b')]
    )
    def test_not_a_disk_raises(self, key: str, value: str) -> None:
        with pytest.raises(PropertyParseError):
            parse_qemu_disk(key, value)

    @pytest.mark.parametrize(
        'key', ['scsi0', 'scsi30', 'virtio15', 'sata5', 'ide3', 'efidisk0', 'tpmstate0', 'unused12']
    )
    def test_disk_key_regex(self, key: str) -> None:
        assert QEMU_DISK_KEY_RE.fullmatch(key)

    @pytest.mark.parametrize('key', ['net0', 'ipconfig0', 'scsihw', 'bootdisk', 'vmstate'])
    def test_disk_key_regex_rejects(self, key: str) -> None:
        assert not QEMU_DISK_KEY_RE.fullmatch(key)


class TestIpConfig:
    """``ipconfigN``: ip=dhcp|CIDR, ip6=dhcp|auto|CIDR, gw, gw6."""

    def test_static(self) -> None:
        cfg = parse_ipconfig('ipconfig0', 'ip=10.0.0.50/24,gw=10.0.0.1')
        assert (cfg.ipv4_mode, cfg.ip, cfg.gw, cfg.ipv6_mode) == ('static', '10.0.0.50/24', '10.0.0.1', 'none')

    def test_dhcp_and_slaac(self) -> None:
        cfg = parse_ipconfig('ipconfig1', 'ip=dhcp,ip6=auto')
        assert (cfg.index, cfg.ipv4_mode, cfg.ip, cfg.ipv6_mode, cfg.ip6) == (1, 'dhcp', None, 'auto', None)

    def test_static_v6(self) -> None:
        cfg = parse_ipconfig('ipconfig0', 'ip6=2001:db8::10/64,gw6=2001:db8::1')
        assert (cfg.ipv6_mode, cfg.ip6, cfg.gw6) == ('static', '2001:db8::10/64', '2001:db8::1')

    @pytest.mark.parametrize('value', ['ip=10.0.0.50', 'ip=2001:db8::1/64', 'ip=999.1.1.1/24', 'gw=fe80::1', 'bogus=1'])
    def test_bad_values_are_warnings(self, value: str) -> None:
        assert parse_ipconfig('ipconfig0', value).warnings


class TestAgentAndMemory:
    """``agent`` forms and the QEMU ``memory`` int / string / ``current=`` forms."""

    @pytest.mark.parametrize(
        ('value', 'enabled', 'fstrim'),
        [('1', True, False), ('0', False, False), ('enabled=1,fstrim_cloned_disks=1', True, True),
         ('1,fstrim_cloned_disks=1', True, True), ('enabled=0', False, False)],
    )  # fmt: skip
    def test_agent(self, value: str, enabled: bool, fstrim: bool) -> None:
        agent = parse_agent(value)
        assert (agent.enabled, agent.fstrim_cloned_disks, agent.warnings) == (enabled, fstrim, ())

    def test_agent_type(self) -> None:
        assert parse_agent('1,type=isa').type == 'isa'

    @pytest.mark.parametrize(
        ('value', 'mib'),
        [(4096, 4096), ('4096', 4096), ('current=2048', 2048), (None, None), ('x', None), (True, None)],
    )
    def test_memory(self, value: object, mib: int | None) -> None:
        assert parse_qemu_memory(value) == mib

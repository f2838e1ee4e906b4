"""Contract: tags split on ``;``, ``,`` or whitespace; ostype codes map to families; sizes and booleans."""

import pytest

from proxbox_api.proxmox.parsers import (
    PropertyParseError,
    parse_bool,
    parse_lxc_config,
    parse_ostype,
    parse_qemu_config,
    parse_size,
    parse_tags,
    split_property_string,
)


class TestTags:
    """``pve-tag-list``: the server splits on ``[;,\\s]+``; invalid tags are dropped with a warning."""

    @pytest.mark.parametrize(
        'value', ['prod;web', 'prod,web', 'prod web', 'prod; web', ' prod ;; web ,', 'prod\tweb', 'prod;web;prod']
    )
    def test_separators(self, value: str) -> None:
        assert parse_tags(value).tags == ('prod', 'web')

    def test_empty(self) -> None:
        assert parse_tags('').tags == ()

    def test_allowed_characters_and_case(self) -> None:
        assert parse_tags('k8s-node;v1.2+x;_tmp;Prod').tags == ('k8s-node', 'v1.2+x', '_tmp', 'Prod')

    def test_invalid_tag_warns(self) -> None:
        result = parse_tags('ok;-bad;wh@t')
        assert result.tags == ('ok',) and len(result.warnings) == 2


class TestOstype:
    """QEMU and LXC ``ostype`` codes."""

    @pytest.mark.parametrize(
        ('code', 'family'), [('l26', 'linux'), ('win11', 'windows'), ('solaris', 'solaris'), ('debian', 'linux')]
    )
    def test_known(self, code: str, family: str) -> None:
        assert parse_ostype(code).family == family

    def test_unknown(self) -> None:
        ostype = parse_ostype('plan9')
        assert (ostype.family, ostype.code) == ('other', 'plan9') and ostype.warnings


class TestPrimitives:
    """Sizes (binary K/M/G/T), PVE booleans and the property-string splitter."""

    @pytest.mark.parametrize(
        ('value', 'expected'),
        [('1024', 1024), ('1K', 1024), ('1.5G', 1610612736), ('0T', 0), ('x', None), ('1P', None)],
    )
    def test_size(self, value: str, expected: int | None) -> None:
        assert parse_size(value) == expected

    @pytest.mark.parametrize(('value', 'expected'), [('1', True), ('on', True), ('No', False), ('maybe', None)])
    def test_bool(self, value: str, expected: bool | None) -> None:
        assert parse_bool(value) is expected

    def test_split_quoted_and_duplicates(self) -> None:
        options, warnings = split_property_string('vol,mp="/a,b",mp=/c,=x', 'volume')
        assert options == {'volume': 'vol', 'mp': '/a,b'}
        assert len(warnings) == 2

    def test_split_empty_raises(self) -> None:
        with pytest.raises(PropertyParseError):
            split_property_string(' ', 'file')


class TestWholeConfigs:
    """``parse_qemu_config``/``parse_lxc_config`` pick options by key and turn failures into warnings."""

    QEMU = {
        'name': 'web01', 'tags': 'prod;web', 'ostype': 'l26', 'cores': 2, 'sockets': 2, 'memory': '4096',
        'agent': '1,fstrim_cloned_disks=1', 'scsihw': 'virtio-scsi-single', 'boot': 'order=scsi0;ide2;net0',
        'scsi0': 'local-lvm:vm-100-disk-0,iothread=1,size=32G', 'ide2': 'none,media=cdrom',
        'efidisk0': 'local-lvm:vm-100-disk-1,efitype=4m,size=4M', 'unused0': 'local-lvm:vm-100-disk-9',
        'net0': 'virtio=BC:24:11:2E:4F:5A,bridge=vmbr0', 'net1': 'bridge=vmbr1', 'ipconfig0': 'ip=dhcp',
        'digest': '3f2a',
    }  # fmt: skip

    def test_qemu(self) -> None:
        cfg = parse_qemu_config(self.QEMU)
        assert (cfg.name, cfg.tags, cfg.cpus, cfg.memory_mib, cfg.agent.enabled) == (
            'web01',
            ('prod', 'web'),
            4,
            4096,
            True,
        )
        assert [d.key for d in cfg.disks] == ['efidisk0', 'ide2', 'scsi0', 'unused0']
        assert [n.key for n in cfg.nics] == ['net0']
        assert len(cfg.warnings) == 1 and cfg.warnings[0].startswith('net1: cannot parse')

    def test_qemu_defaults(self) -> None:
        cfg = parse_qemu_config({'vcpus': 3, 'memory': 1024})
        assert (cfg.cpus, cfg.memory_mib, cfg.agent.enabled) == (3, 1024, False)
        assert parse_qemu_config({}).memory_mib == 512

    def test_lxc(self) -> None:
        cfg = parse_lxc_config(
            {
                'hostname': 'dns01', 'tags': 'infra', 'ostype': 'debian', 'cores': 1, 'memory': 512, 'swap': 512,
                'rootfs': 'local-lvm:vm-101-disk-0,size=8G', 'mp0': 'local-lvm:vm-101-disk-1,mp=/srv/data,size=1G',
                'net0': 'name=eth0,bridge=vmbr0,ip=dhcp', 'net1': 12, 'features': 'nesting=1',
            }
        )  # fmt: skip
        assert (cfg.hostname, cfg.cpus, cfg.memory_mib, cfg.ostype.family) == ('dns01', 1, 512, 'linux')  # type: ignore[union-attr]
        assert [m.key for m in cfg.mounts] == ['mp0', 'rootfs']
        assert [n.key for n in cfg.nics] == ['net0']
        assert cfg.warnings and cfg.warnings[0].startswith('net1: cannot parse')

"""Contract: no property string crashes a parser (10,000 hypothesis cases in all).

Every parser either returns a JSON-serialisable object, whose ``warnings`` say what it could not
read, or raises the one documented ``PropertyParseError``; the config parsers never raise.
"""

from collections.abc import Callable

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from proxbox_api.proxmox.parsers import (
    PropertyParseError,
    parse_agent,
    parse_ipconfig,
    parse_lxc_config,
    parse_lxc_mount,
    parse_lxc_net,
    parse_qemu_config,
    parse_qemu_disk,
    parse_qemu_net,
    parse_tags,
)


def fuzz(examples: int) -> Callable[[Callable[..., None]], Callable[..., None]]:
    return settings(max_examples=examples, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


KEYS = [
    'virtio', 'e1000', 'model', 'macaddr', 'bridge', 'tag', 'trunks', 'firewall', 'link_down', 'mtu', 'rate',
    'queues', 'file', 'media', 'size', 'backup', 'replicate', 'shared', 'format', 'iothread', 'ip', 'ip6', 'gw',
    'gw6', 'name', 'hwaddr', 'type', 'volume', 'mp', 'ro', 'acl', 'enabled', 'fstrim_cloned_disks', 'current',
]  # fmt: skip
VALUES = st.one_of(
    st.sampled_from(
        ['1', '0', 'on', 'dhcp', 'auto', 'manual', 'none', 'cdrom', 'BC:24:11:2E:4F:5A', 'vmbr0', '10;20;30',
         '100-4094', '4095', '32G', '1.5T', '-1', '10.0.0.5/24', '10.0.0.1', '2001:db8::1/64', 'fe80::1',
         'local-lvm:vm-100-disk-0', 'local:iso/x.iso', '/dev/sdb', '/srv', 'vm-100-cloudinit', '"a,b"', '',
         '9' * 40, '٣٣', '1e400', 'nan', 'inf']
    ),
    st.text(max_size=20),
)  # fmt: skip
OPTION = st.one_of(
    st.tuples(st.sampled_from(KEYS), VALUES).map(lambda kv: f'{kv[0]}={kv[1]}'),
    VALUES,
    st.text(alphabet=',;=:"/ \\\t\n', max_size=6),
)
PROPERTY_STRINGS = st.one_of(st.text(max_size=80), st.lists(OPTION, max_size=8).map(','.join))
QEMU_DISK_KEYS = st.sampled_from(['scsi0', 'virtio15', 'sata5', 'ide2', 'efidisk0', 'tpmstate0', 'unused3', 'scsi99'])


def check(parse: Callable[[], BaseModel]) -> None:
    try:
        result = parse()
    except PropertyParseError as exc:
        assert str(exc)
        return
    result.model_dump_json()
    assert all(isinstance(w, str) and w for w in result.warnings)  # type: ignore[attr-defined]


@fuzz(1500)
@given(value=PROPERTY_STRINGS)
def test_qemu_net(value: str) -> None:
    check(lambda: parse_qemu_net('net0', value))


@fuzz(1500)
@given(key=QEMU_DISK_KEYS, value=PROPERTY_STRINGS)
def test_qemu_disk(key: str, value: str) -> None:
    check(lambda: parse_qemu_disk(key, value))


@fuzz(1000)
@given(value=PROPERTY_STRINGS)
def test_ipconfig(value: str) -> None:
    check(lambda: parse_ipconfig('ipconfig0', value))


@fuzz(1500)
@given(value=PROPERTY_STRINGS)
def test_lxc_net(value: str) -> None:
    check(lambda: parse_lxc_net('net1', value))


@fuzz(1500)
@given(key=st.sampled_from(['rootfs', 'mp0', 'mp255']), value=PROPERTY_STRINGS)
def test_lxc_mount(key: str, value: str) -> None:
    check(lambda: parse_lxc_mount(key, value))


@fuzz(1000)
@given(value=st.one_of(st.text(max_size=60), st.lists(VALUES, max_size=6).map(';'.join)))
def test_tags(value: str) -> None:
    result = parse_tags(value)
    assert all(tag and not any(c in tag for c in ';, \t\n') for tag in result.tags)


@fuzz(500)
@given(value=PROPERTY_STRINGS)
def test_agent(value: str) -> None:
    check(lambda: parse_agent(value))


CONFIG_VALUES = st.one_of(PROPERTY_STRINGS, st.integers(), st.booleans(), st.none(), st.floats(), st.just([1]))
CONFIG_KEYS = st.sampled_from(
    ['net0', 'net31', 'scsi0', 'ide2', 'efidisk0', 'ipconfig0', 'rootfs', 'mp0', 'tags', 'ostype', 'agent',
     'memory', 'cores', 'sockets', 'vcpus', 'name', 'hostname', 'swap']
)  # fmt: skip


@fuzz(1500)
@given(config=st.dictionaries(CONFIG_KEYS, CONFIG_VALUES, max_size=10))
@example(config={'memory': '0\x1f'})  # whitespace to str.strip(), not to int()
def test_whole_configs_never_raise(config: dict[str, object]) -> None:
    parse_qemu_config(config).model_dump_json()
    parse_lxc_config(config).model_dump_json()

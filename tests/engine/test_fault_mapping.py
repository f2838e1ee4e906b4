"""
What a read damaged by a fault maps to (pure): a node or guest that could not be read is protected
and said in a warning; a token that may not see every guest, node or storage (Proxmox then leaves
them out of its lists without an error) protects all of them; a guest agent that did not answer
leaves the VM's primary IPs alone (its addresses are protected, so the primary must not move).
"""

from proxbox_api.engine.mapping import MappingContext, desired_state
from proxbox_api.proxmox import Guest, GuestIp, IncompleteScope, Node, ProxmoxSnapshot
from proxbox_api.proxmox.parsers.types import QemuNic

PRIMARY = 'virtualization.virtualmachine#primary'
MAC = 'BC:24:11:2E:4F:5A'


def guest(ips_complete: bool = True) -> Guest:
    return Guest(
        vmid=100, type='qemu', name='web', node='n1', status='running', nics=(QemuNic(key='net0', index=0, mac=MAC),),
        ips=(GuestIp(address='10.0.0.50/24', mac=MAC, source='config'),), ips_complete=ips_complete,
    )  # fmt: skip


def state(*scopes: str, ips_complete: bool = True):
    snapshot = ProxmoxSnapshot(
        endpoint='c', version='8.3.0', release='8.3', cluster_name='c', nodes=(Node(name='n1', online=True),),
        guests=(guest(ips_complete),),
        incomplete_scopes=tuple(IncompleteScope(scope=s, reason='HTTP 595 No route to host') for s in scopes),
    )  # fmt: skip
    return desired_state([(snapshot, MappingContext(endpoint_id=None))])


def test_unreadable_node_and_guest_are_protected_and_warned_about():
    result = state('node/n1', 'guest/qemu/100')
    assert {'pve:c/node/n1', 'pve:c/guest/100'} <= set(result.incomplete)
    assert any('node n1 could not be read (HTTP 595' in warning for warning in result.warnings)
    assert any('qemu/100 could not be read' in warning for warning in result.warnings)


def test_what_the_token_may_not_see_is_protected_as_a_whole():
    result = state('guests', 'nodes', 'storage')
    assert {'pve:c/guest', 'pve:c/replication', 'pve:c/node', 'pve:c/storage'} <= set(result.incomplete)
    assert sum('may be incomplete' in warning for warning in result.warnings) == 3


def test_primary_ip_is_left_alone_when_the_agent_did_not_answer():
    assert state().objects[PRIMARY]['pve:c/guest/100'].attrs['primary_ip4'] is not None
    unanswered = state(ips_complete=False)
    assert 'pve:c/guest/100' not in unanswered.objects.get(PRIMARY, {})
    assert 'pve:c/guest/100/ip' in unanswered.incomplete


class _Lister:
    def __init__(self, rows):
        self.rows, self.asked = rows, []

    async def list(self, path, params=None, *, fields=None):
        self.asked.append((path, params))
        return self.rows


def test_ambiguous_creates_are_recovered_by_slug_or_proxmox_identity():
    """After a bulk create whose answer was lost: shared objects are found by slug, owned ones by proxbox_id."""
    import asyncio

    from proxbox_api.engine.apply import _recover
    from proxbox_api.engine.kinds import kind_spec

    tags = _Lister([{'id': 7, 'slug': 'pve-a'}])
    found = asyncio.run(_recover(tags, kind_spec('extras.tag'))([{'slug': 'pve-a'}, {'slug': 'pve-b'}]))
    assert [row and row['id'] for row in found] == [7, None]
    assert tags.asked == [('/api/extras/tags/', {'slug': ['pve-a', 'pve-b']})]
    vms = _Lister([{'id': 9, 'custom_fields': {'proxbox_id': 'pve:c/guest/1'}}])
    wanted = [{'custom_fields': {'proxbox_id': 'pve:c/guest/1'}}, {'name': 'no identity'}]
    found = asyncio.run(_recover(vms, kind_spec('virtualization.virtualmachine'))(wanted))
    assert [row and row['id'] for row in found] == [9, None]
    assert vms.asked[0][1] == {'cf_proxbox_id': ['pve:c/guest/1']}

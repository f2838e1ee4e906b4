"""
A targeted sync's scope (``Target``): which keys it covers, the ``proxbox_id`` pattern it reads NetBox
with (NetBox's loose custom-field filter, then ``wanted``: the same keys, plus the exact keys its
objects refer to), and the planner's contract under it:
only covered objects are written, marked or pruned; an object outside that a covered one refers to is
created when NetBox lacks it and otherwise left exactly as it is.
"""

from proxbox_api.engine.planner import plan
from proxbox_api.engine.records import Desired, Ref, Scope
from proxbox_api.engine.state import CurrentState, DesiredState, PlanOptions
from proxbox_api.engine.target import Target
from tests.engine.test_planner import CL, CL_D, CLUSTER, IFACE, NOW, VM, actions, current, desired, state

KEYS = [
    'pve:c',
    'pve:c/node/pve1',
    'pve:c/node/pve1/if/vmbr0',
    'pve:c/node/pve10',
    'pve:c/guest/10',
    'pve:c/guest/10/net0',
    'pve:c/guest/10/ip/10.0.0.1/24',
    'pve:c/guest/100',
    'pve:c/guest/1',
    'pve:c/vlan/10',
    'pve:cc/guest/10',
    'pve:c.x/guest/10',
]


def test_a_guest_target_covers_the_guest_and_its_parts_only() -> None:
    target = Target('c', guests=frozenset({10}))
    assert [key for key in KEYS if target.covers(key)] == [
        'pve:c/guest/10',
        'pve:c/guest/10/net0',
        'pve:c/guest/10/ip/10.0.0.1/24',
    ]
    assert not target.covers(None)
    assert target.kind == 'guest' and target.describe() == 'guest c/10'


def test_a_node_target_covers_the_node_and_the_guests_it_was_widened_with() -> None:
    target = Target('c', nodes=frozenset({'pve1'})).widened([100])
    covered = [key for key in KEYS if target.covers(key)]
    assert covered == ['pve:c/node/pve1', 'pve:c/node/pve1/if/vmbr0', 'pve:c/guest/100']
    assert target.kind == 'node'


def test_a_cluster_target_covers_its_cluster_alone() -> None:
    target = Target('c', whole=True)
    assert [key for key in KEYS if target.covers(key)] == KEYS[:10]


def test_the_read_needles_with_wanted_give_what_is_covered_and_the_exact_references() -> None:
    exact = frozenset({'pve:c', 'pve:c/vlan/10'})
    for target in (
        Target('c', guests=frozenset({10})),
        Target('c', nodes=frozenset({'pve1'})).widened([100, 1]),
        Target('c', whole=True),
        Target('c.x', guests=frozenset({10})),
    ):
        for holds_roots in (True, False):
            needles = target.needles(holds_roots, exact)
            # NetBox's loose custom-field filter: any needle, as a case-insensitive substring.
            answered = [key for key in KEYS if any(n.lower() in key.lower() for n in needles)]
            # Every key the read needs is answered (a kind without roots holds none of the root keys)...
            needed = {key for key in KEYS if target.wanted(key, exact) and (holds_roots or key not in target.roots)}
            assert needed <= set(answered), (target, holds_roots)
            # ...and nothing else is kept.
            assert {key for key in answered if target.wanted(key, exact)} - set(target.roots) == needed - set(
                target.roots
            )


def run(target, want, have):
    d = DesiredState(objects=state(*want), clusters=frozenset({'pve:c'}), scope=target)
    return plan(d, CurrentState(objects=state(*have)), PlanOptions(now=NOW, prune_policy='delete', grace_days=0))


def test_planner_writes_and_prunes_only_what_the_target_covers() -> None:
    target = Target('c', guests=frozenset({10}))
    vm10 = desired(VM, 'pve:c/guest/10', name='renamed', cluster=Ref(CLUSTER, 'pve:c'))
    vm11 = desired(VM, 'pve:c/guest/11', name='also-renamed', cluster=Ref(CLUSTER, 'pve:c'))
    cluster = Desired(CLUSTER, 'pve:c', {**CL_D.attrs, 'name': 'c-renamed'}, Scope('pve:c'))
    have = [
        CL,
        current(VM, 'pve:c/guest/10', 7, name='web', cluster=1),
        current(VM, 'pve:c/guest/11', 8, name='db', cluster=1),
        current(VM, 'pve:c/guest/12', 9, name='gone', cluster=1),
        current(IFACE, 'pve:c/guest/10/net1', 20, name='net1', virtual_machine=7),
    ]
    result = run(target, [cluster, vm10, vm11], have)
    assert actions(result) == {(VM, 'pve:c/guest/10'): 'update', (IFACE, 'pve:c/guest/10/net1'): 'delete'}
    assert result.summary[CLUSTER] == {'unchanged': 1}
    assert 'guest c/10' in result.guards['scope']


def test_what_a_covered_object_refers_to_is_created_when_netbox_lacks_it() -> None:
    target = Target('c', guests=frozenset({10}))
    vm10 = desired(VM, 'pve:c/guest/10', name='web', cluster=Ref(CLUSTER, 'pve:c'))
    result = run(target, [CL_D, vm10], [])
    assert actions(result) == {(CLUSTER, 'pve:c'): 'create', (VM, 'pve:c/guest/10'): 'create'}

"""
Proxmox faults, each injected into a real sync (simulator → service → real NetBox) with the most
dangerous prune setting, then removed: a node going offline mid-read (595), errors and timeouts of
guest agents, slow answers, dropped connections, a token revoked mid-run (401), a token that may
not see part of the tree (403s, and lists silently shorter), a ticket expiring mid-run. Contract:
the faulty run says what went wrong, nothing Proxbox owns is lost, duplicated or deleted, and the
next clean run converges to exactly the fault-free state. One fleet and one baseline per test:
each fault starts from the converged state the previous one proved.
"""

from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from proxmox_sim import FaultRule

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True)]

AGENT = '/nodes/*/qemu/*/agent/*'


def node_names(fleet: Any) -> list[str]:
    return sorted(node['name'] for node in fleet.to_dict()['clusters'][0]['nodes'])


def said(result: Any) -> str:
    """Everything the run told its caller: errors, warnings, and the plan's reasons for keeping."""
    kept = [op.reason for op in result.plan.operations if op.action == 'keep'] if result.plan else []
    return ' | '.join([*result.errors, *result.warnings, *kept])


def agents_running(fleet: Any) -> int:
    guests = fleet.to_dict()['clusters'][0]['guests']
    return sum(1 for g in guests if g['type'] == 'qemu' and g['agent'] != 'none' and g['status'] == 'running')


def once(path_suffix: str, action: Any) -> Any:
    """A request hook that runs `action` the first time a Proxmox path ending in `path_suffix` is asked for."""
    fired = []

    def hook(request: httpx.Request) -> None:
        if not fired and request.url.path.endswith(path_suffix):
            fired.append(True)
            action()

    return hook


def node_offline_mid_read(case: Any, sync: Any, fleet: Any) -> None:
    """Online in /cluster/resources, then 595 for everything on the node: its objects are kept as they are."""
    node = node_names(fleet)[1]
    sync.before = once('/cluster/status', lambda: fleet.node_offline(node))
    result = case.under_fault()
    sync.before = None
    assert result.status == 'completed', result.errors
    # A full run reads the node's paths (595 each); a targeted one finds the guests' node offline first.
    assert f'node/{node}' in said(result) and ('595' in said(result) or 'offline' in said(result))
    fleet.node_online(node)
    case.converge()


def agent_errors(case: Any, sync: Any, fleet: Any) -> None:
    """Every guest agent answers 500: a warning per guest, its addresses are kept."""
    fleet.add_fault(FaultRule('error', path=AGENT, status=500, message='QEMU guest agent is not running'))
    result = case.under_fault(agents_running(fleet))
    assert result.status == 'completed' and result.writes == 0, result.errors
    assert said(result).count('guest agent') >= agents_running(fleet) > 0
    fleet.reset_faults()
    case.converge()


def agent_timeouts(case: Any, sync: Any, fleet: Any) -> None:
    """Every guest agent hangs past the client's timeout: warned, not retried, addresses kept."""
    fleet.add_fault(FaultRule('timeout', path=AGENT, seconds=8))
    sync.endpoint_overrides['timeout'] = 1.5
    result = case.under_fault(agents_running(fleet))
    sync.endpoint_overrides['timeout'] = 3
    assert result.status == 'completed' and result.writes == 0, result.errors
    assert said(result).count('timed out') >= agents_running(fleet)
    fleet.reset_faults()
    case.converge()


def slow_answers(case: Any, sync: Any, fleet: Any) -> None:
    """Half the answers are slow: the run is slower and changes nothing."""
    fleet.add_fault(FaultRule('latency', path='*', ms=60, rate=0.5))
    result = case.under_fault()
    assert result.status == 'completed' and result.writes == 0, said(result)
    fleet.reset_faults()
    case.converge()


def dropped_connections(case: Any, sync: Any, fleet: Any) -> None:
    """A fifth of the connections to nodes drop without an answer: retried; whatever still fails is kept."""
    fleet.add_fault(FaultRule('drop', path='/nodes/*', rate=0.2))
    result = case.under_fault()
    assert result.status == 'completed', result.errors
    fleet.reset_faults()
    case.converge()


def token_revoked_mid_run(case: Any, sync: Any, fleet: Any) -> None:
    """The token is deleted in Proxmox while guests are being read: every later request gets 401."""
    endpoint = fleet.server.endpoints[0]

    def revoke() -> None:
        with fleet.lock:
            fleet.cluster().tokens.pop(endpoint.token_id)
            fleet.cluster().revision += 1

    sync.before = once('/config', revoke)
    result = case.under_fault()
    sync.before = None
    assert result.status == 'failed' and result.writes == 0, said(result)
    assert 'credentials' in said(result) or '401' in said(result)
    fleet.add_token(endpoint.token_id, endpoint.token_secret)
    case.converge()


def forbidden_subtree(case: Any, sync: Any, fleet: Any) -> None:
    """One node's guests answer 403 (no VM.Audit there): they are kept, and the run says why."""
    node = node_names(fleet)[0]
    message = 'Permission check failed (/vms, VM.Audit)'
    fleet.add_fault(FaultRule('error', path=f'/nodes/{node}/*', status=403, message=message))
    result = case.under_fault()
    assert result.status == 'completed', result.errors
    assert 'Permission check failed' in said(result)
    fleet.reset_faults()
    case.converge()


def silently_shorter_lists(case: Any, sync: Any, fleet: Any) -> None:
    """A token without VM.Audit and Datastore.Audit: Proxmox leaves every guest and storage out of its
    lists without an error. Nothing may be pruned, and the run says what it could not see."""
    endpoint = fleet.server.endpoints[0]
    fleet.add_token(endpoint.token_id, endpoint.token_secret, privileges=['Sys.Audit', 'Pool.Audit'])
    result = case.under_fault()
    assert result.status == 'completed', result.errors
    assert 'VM.Audit' in said(result) and 'Datastore.Audit' in said(result)
    fleet.add_token(endpoint.token_id, endpoint.token_secret)
    case.converge()


def cluster_name_unreadable(case: Any, sync: Any, fleet: Any) -> None:
    """/cluster/status fails (a token without Sys.Audit, or a 500): the cluster's name, and so every
    identity, is unknown. The endpoint is not synced at all (before the fix: synced again as a new cluster)."""
    endpoint = fleet.server.endpoints[0]
    fleet.add_token(endpoint.token_id, endpoint.token_secret, privileges=['VM.Audit', 'Datastore.Audit'])
    result = case.under_fault()
    assert result.status == 'failed' and result.writes == 0, said(result)
    assert "cluster's name could not be read" in said(result)
    fleet.add_token(endpoint.token_id, endpoint.token_secret)
    fleet.add_fault(FaultRule('error', path='/cluster/status', status=500, message='cluster filesystem not ready'))
    result = case.under_fault()
    assert result.status == 'failed' and result.writes == 0, said(result)
    fleet.reset_faults()
    case.converge()


def ticket_expires_mid_run(case: Any, sync: Any, fleet: Any) -> None:
    """Password login: Proxmox's clock passes the ticket's 2-hour life mid-read; the client logs in again."""
    endpoint = fleet.server.endpoints[0]
    sync.endpoint_overrides.update(token_id=None, token_secret=None, username=endpoint.username)
    sync.endpoint_overrides['password'] = SecretStr(endpoint.password)
    sync.before = once('/config', lambda: fleet.advance_clock(7300))
    result = case.under_fault()
    sync.before = None
    assert result.status == 'completed' and result.writes == 0, said(result)
    for name in ('token_id', 'token_secret', 'username', 'password'):
        sync.endpoint_overrides.pop(name)
    case.converge()


FAULTS = (
    node_offline_mid_read, agent_errors, agent_timeouts, slow_answers, dropped_connections, token_revoked_mid_run,
    forbidden_subtree, silently_shorter_lists, cluster_name_unreadable, ticket_expires_mid_run,
)  # fmt: skip


def test_proxmox_faults(case: Any, sync: Any, fleet: Any) -> None:
    """Each fault in turn, from the state the previous one converged to; then a run finds nothing to do."""
    case.baseline()
    for fault in FAULTS:
        case.name = fault.__name__
        fault(case, sync, fleet)
    case.settled()


def test_proxmox_faults_continuous(case: Any, sync: Any, fleet: Any) -> None:
    """The same faults meet the runs continuous mode starts: a targeted sync of the changed guests by
    VMID (here every guest of the cluster, and one Proxmox no longer has). Nothing is lost, duplicated
    or pruned, and the next full run converges to the fault-free state."""
    case.baseline()
    cluster = fleet.to_dict()['clusters'][0]
    vmids = sorted(guest['vmid'] for guest in cluster['guests'])
    case.scope = lambda: {'cluster': cluster['name'], 'vmids': [*vmids, max(vmids) + 1000]}
    for fault in FAULTS:
        case.name = f'{fault.__name__} (continuous)'
        fault(case, sync, fleet)
    case.scope = None
    case.settled()

"""
NetBox faults, injected by a proxy between proxbox-api and the real NetBox while a sync has
something to write (Proxmox gained a guest and renamed one): bursts of 502/503, a bulk create whose
answer never comes although NetBox committed it, a bulk create NetBox rejects for one object, and the
sync user losing its permissions mid-run. Contract: the run reports exactly what failed, nothing
Proxbox owns is lost, duplicated or deleted, and the next clean run converges to what a fault-free
run creates (as planned by the faulty run from complete reads), after which a run writes nothing.
The write faults run on both write paths: NetBox's REST endpoints and the plugin's in-NetBox apply.
"""

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from extras.models import Tag
from users.models import ObjectPermission, Token
from virtualization.models import VirtualMachine

from proxbox_api.engine.mapping import INVENTORY_FAMILIES

from .proxy import FaultProxy

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True)]

VMS = '/api/virtualization/virtual-machines/'
TAGS = '/api/extras/tags/'
WRITES = ('POST', 'PATCH', 'DELETE')


@pytest.fixture
def proxy(live_server: Any) -> Any:
    with FaultProxy(live_server.url) as running:
        yield running


def change(fleet: Any, count: int = 2) -> list[int]:
    """New guests (a bulk create of VMs and their parts) and a rename (an update) in Proxmox."""
    added = [
        fleet.add_guest('qemu', name=f'fault-{len(fleet.to_dict()["clusters"][0]["guests"])}') for _ in range(count)
    ]
    first = fleet.to_dict()['clusters'][0]['guests'][0]
    fleet.rename_guest(first['vmid'], first['name'] + '-x')
    return [guest.vmid for guest in added]


def budget(limit: int, matches: Any, fault: Any) -> Any:
    """A proxy rule that applies `fault` to the first `limit` requests `matches` accepts."""
    used = []

    def rule(method: str, path: str, body: Any) -> Any:
        if len(used) < limit and matches(method, path, body):
            used.append(path)
            return fault(body) if callable(fault) else fault
        return None

    rule.used = used  # type: ignore[attr-defined]
    return rule


def bursts(case: Any, sync: Any, fleet: Any, proxy: Any) -> None:
    """503 twice for writes and 502 twice for reads: within the retry budget, the run completes."""
    change(fleet)
    writes = budget(2, lambda m, p, b: m in WRITES, ('status', 503))
    reads = budget(2, lambda m, p, b: m == 'GET', ('status', 502))
    proxy.fault = lambda m, p, b: writes(m, p, b) or reads(m, p, b)
    result = case.under_fault(4, creates=True)
    proxy.fault = lambda m, p, b: None
    assert len(writes.used) == 2 and len(reads.used) == 2
    assert result.status == 'completed' and result.failures == [], result.failures
    case.converge()


def committed_then_timed_out(case: Any, sync: Any, fleet: Any, proxy: Any) -> None:
    """NetBox commits the bulk creates of a new tag and of VMs, the answers never arrive: the client finds
    what was created (by slug, by Proxmox identity) instead of failing or creating it twice."""
    vmids = change(fleet)
    fleet.reconfigure_guest(vmids[0], tags='fault-tag')
    tags = budget(1, lambda m, p, b: m == 'POST' and p == TAGS, ('commit-then-hang', 4))
    vms = budget(1, lambda m, p, b: m == 'POST' and p == VMS, ('commit-then-hang', 4))
    proxy.fault = lambda m, p, b: tags(m, p, b) or vms(m, p, b)
    result = case.under_fault(2, creates=True, options={'netbox_timeout': 2})
    proxy.fault = lambda m, p, b: None
    assert (tags.used, vms.used) == ([TAGS], [VMS])
    assert result.status == 'completed' and result.failures == [], result.failures
    for vmid in vmids:
        assert VirtualMachine.objects.filter(custom_field_data__proxmox_vmid=vmid).count() == 1
    assert Tag.objects.filter(slug='pve-fault-tag').count() == 1
    case.converge()


def one_object_rejected(case: Any, sync: Any, fleet: Any, proxy: Any) -> None:
    """NetBox rejects one VM of a bulk create: the other is written, one failure says why, its parts wait."""
    vmids = change(fleet)

    def spoil(body: Any) -> Any:
        return ('rewrite', [{**body[0], 'name': ''}, *body[1:]])

    proxy.fault = budget(1, lambda m, p, b: m == 'POST' and p == VMS and isinstance(b, list) and len(b) > 1, spoil)
    result = case.under_fault(creates=True)
    proxy.fault = lambda m, p, b: None
    assert result.status == 'partial'
    (own, *parts) = result.failures
    assert own['kind'] == 'virtualization.virtualmachine' and 'name' in own['error'], own
    assert all(own['key'] in part['error'] for part in parts), parts
    written = [vmid for vmid in vmids if VirtualMachine.objects.filter(custom_field_data__proxmox_vmid=vmid).exists()]
    assert len(written) == len(vmids) - 1
    case.converge()


def read_outage(case: Any, sync: Any, fleet: Any, proxy: Any) -> None:
    """NetBox cannot list its VMs (503 past every retry): the run fails before writing anything, rather
    than take what it could not read for missing and create it again."""
    vmids = change(fleet)
    proxy.fault = lambda m, p, b: ('status', 503) if m == 'GET' and p == VMS else None
    result = case.under_fault()
    proxy.fault = lambda m, p, b: None
    assert result.status == 'failed' and result.writes == 0, result.errors
    assert any('NetBox' in error and '503' in error for error in result.errors), result.errors
    assert not VirtualMachine.objects.filter(custom_field_data__proxmox_vmid__in=vmids).exists()
    case.expect_creates(case.sync(dry_run=True))
    case.converge()


def revoked_at(matches: Any, case: Any, fleet: Any, proxy: Any) -> tuple[Any, Any]:
    """A run on a Proxmox that changed, the sync user's permission revoked just before the first request
    `matches` accepts reaches NetBox. Returns the result and what gives the permission back."""
    change(fleet)
    permission = ObjectPermission.objects.get(name='sync')
    user = permission.users.get()

    def revoke() -> None:
        permission.users.remove(user)
        connection.close()  # the proxy thread's own connection

    proxy.fault = budget(1, matches, ('call', revoke))
    result = case.under_fault(creates=True)
    proxy.fault = lambda m, p, b: None
    return result, lambda: permission.users.add(user)


def permission_lost_mid_run(case: Any, sync: Any, fleet: Any, proxy: Any) -> None:
    """The sync user's permission is revoked before its first write reaches NetBox: the run fails what it
    could not write, naming the permission to grant, deletes nothing, and converges once it is back."""
    result, restore = revoked_at(lambda m, p, b: m in WRITES, case, fleet, proxy)
    assert result.status == 'partial' and result.failures
    assert all('permission' in failure['error'] or 'not written' in failure['error'] for failure in result.failures)
    assert any('needs the "add" permission' in failure['error'] for failure in result.failures), result.failures
    restore()
    case.converge()


def restricted_token() -> str:
    """A sync user with object permissions (not a superuser), as the docs tell people to make."""
    user = get_user_model().objects.create_user(username='restricted-sync', password='x')
    token = Token.objects.create(user=user)
    permission = ObjectPermission.objects.create(name='sync', actions=['view', 'add', 'change', 'delete'])
    permission.users.add(user)
    labels = ('dcim', 'ipam', 'virtualization', 'netbox_proxbox')
    types = ContentType.objects.filter(app_label__in=labels) | ContentType.objects.filter(
        app_label='extras', model__in=('tag', 'customfield')
    )
    permission.object_types.add(*types)
    return (token.get_auth_header_prefix() + token.token).removeprefix('Bearer ')


def test_netbox_faults(case: Any, sync: Any, fleet: Any, proxy: Any) -> None:
    """Each fault in turn on a Proxmox that changed, from the state the previous one converged to."""
    sync.token = restricted_token()
    # The faults are in writes: the inventory will do. They are injected on NetBox's REST endpoints, so the
    # sync writes through REST here (the in-NetBox apply is one request per batch to the plugin).
    sync.options = {'families': sorted(INVENTORY_FAMILIES), 'write_path': 'rest'}
    case.baseline()
    sync.url = proxy.url
    for fault in (bursts, committed_then_timed_out, one_object_rejected, read_outage, permission_lost_mid_run):
        case.name = fault.__name__
        fault(case, sync, fleet, proxy)
    case.settled()


APPLY = '/api/plugins/proxbox/apply/'


def applying(path: str | None = None) -> Any:
    """Matches the in-NetBox apply's requests (of one kind's endpoint, when `path` is given)."""
    return lambda m, p, b: m == 'POST' and p == APPLY and (path is None or (isinstance(b, dict) and b['path'] == path))


def apply_bursts(case: Any, sync: Any, fleet: Any, proxy: Any) -> None:
    """503 twice for the apply (NetBox applied nothing): retried within the budget, the run completes."""
    change(fleet)
    writes = budget(2, applying(), ('status', 503))
    proxy.fault = writes
    result = case.under_fault(2, creates=True)
    proxy.fault = lambda m, p, b: None
    assert len(writes.used) == 2
    assert (result.status, result.failures, result.write_path) == ('completed', [], 'inside'), result.failures
    case.converge()


def apply_committed_then_timed_out(case: Any, sync: Any, fleet: Any, proxy: Any) -> None:
    """NetBox applies (commits) a batch of new VMs, the answer never arrives: the client finds them by
    their Proxmox identity instead of failing or creating them twice."""
    vmids = change(fleet)
    vms = budget(1, applying(VMS), ('commit-then-hang', 4))
    proxy.fault = vms
    result = case.under_fault(1, creates=True, options={'netbox_timeout': 2})
    proxy.fault = lambda m, p, b: None
    assert vms.used == [APPLY]
    assert result.status == 'completed' and result.failures == [], result.failures
    for vmid in vmids:
        assert VirtualMachine.objects.filter(custom_field_data__proxmox_vmid=vmid).count() == 1
    case.converge()


def apply_permission_lost(case: Any, sync: Any, fleet: Any, proxy: Any) -> None:
    """The sync user loses its permissions before the first apply: nothing is written or deleted, the
    run says which permission is missing, and it converges once the permission is back."""
    result, restore = revoked_at(applying(), case, fleet, proxy)
    assert result.status in ('partial', 'failed') and result.failures, result.errors
    assert any('permission' in failure['error'] for failure in result.failures), result.failures
    restore()
    case.converge()


def test_netbox_faults_on_the_in_netbox_apply(case: Any, sync: Any, fleet: Any, proxy: Any) -> None:
    """The write faults again, on the plugin's apply endpoint (the default write path): a batch is
    all-or-nothing, a lost answer is recovered, and nothing Proxbox owns is lost or duplicated."""
    sync.token = restricted_token()
    sync.options = {'families': sorted(INVENTORY_FAMILIES), 'write_path': 'inside'}
    case.baseline()
    sync.url = proxy.url
    for fault in (apply_bursts, apply_committed_then_timed_out, apply_permission_lost):
        case.name = fault.__name__
        fault(case, sync, fleet, proxy)
    case.settled()

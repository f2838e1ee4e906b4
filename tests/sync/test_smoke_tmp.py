import time
from datetime import timedelta
import pytest
from proxmox_sim import FleetSpec
from .conftest import SIM_EPOCH, Syncer, plugin_endpoints, serve

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True)]

@pytest.fixture
def small():
    yield from serve(FleetSpec(seed=12, clusters=1, nodes=2, guests=6, pve_version='8.3'))

def test_smoke(small, live_server, netbox_token):
    s = Syncer(small, live_server.url, netbox_token, plugin_endpoints(small))
    s.now = SIM_EPOCH + timedelta(hours=1)
    t = time.monotonic()
    r = s(options={'task_history_days': 5})
    print('first', time.monotonic() - t, r.status, r.stages, r.writes, r.errors, r.warnings[:5])
    print(r.summary)
    print(r.failures[:5])
    for e, d in s.events:
        if e in ('stage_finished',):
            print(e, d)
    t = time.monotonic()
    r = s(options={'task_history_days': 5})
    print('second', time.monotonic() - t, r.stages, r.writes)
    print([ (op.kind, op.key, op.action, op.changes) for op in r.plan.operations][:10])

"""
ProxboxSyncJob against the real NetBox (live_server), proxbox-api and the simulator, run with
immediate=True: a Full Update records its run (status, counts, stage durations, events ending
in run_finished, the NetBox job), relays every event to the run's Redis stream, and fills NetBox.
"""

import pytest
from django.contrib.auth import get_user_model

from virtualization.models import VirtualMachine

from netbox_proxbox.models import SyncRun
from netbox_proxbox.sync.runs import start_sync
from netbox_proxbox.sync.streams import RunStream

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def admin():
    return get_user_model().objects.create_user(username='admin-user', password='x', is_superuser=True)


def test_full_update_records_run_and_fills_netbox(configured, sim):
    run = start_sync(admin(), immediate=True)
    run = SyncRun.objects.get(pk=run.pk)
    assert run.status == 'completed', run.error_summary
    guests = sim.fleet.to_dict()['clusters'][0]['guests']
    assert VirtualMachine.objects.count() == len(guests)
    assert run.counts['virtualization.virtualmachine']['created'] == len(guests)
    names = [event['event'] for event in run.events]
    assert names[0] == 'run_started' and names[-1] == 'run_finished'
    assert [e['id'] for e in run.events] == list(range(1, len(run.events) + 1))
    assert set(run.stage_durations) >= {'proxmox', 'netbox', 'plan', 'apply'}
    assert run.job is not None and run.job.status == 'completed'
    assert [e.to_json() for e in RunStream(run.pk).after(0)] == run.events

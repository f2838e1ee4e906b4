"""
One saved instance of every Proxbox model, for the permission matrix: each detail, edit, delete and
action route gets a real object to work on. The proxbox-api endpoint points at a closed loopback
port, so the routes that call it (test connection, service log) fail fast instead of reaching out.
"""

from datetime import UTC, datetime

from django.apps import apps

from netbox_proxbox.models import (
    BackupRoutine,
    FastAPIEndpoint,
    NetBoxEndpoint,
    ProxboxPluginSettings,
    Replication,
    SyncRun,
    VMBackup,
    VMSnapshot,
    VMTaskHistory,
)
from tests.plugin.factories import make_endpoint, make_node, make_proxmox_cluster, make_storage, make_virtual_machines

__all__ = ('CLOSED_URL', 'make_one_of_each', 'plugin_models')

# Nothing listens on the discard port of the loopback: connecting fails at once.
CLOSED_URL = 'http://127.0.0.1:9/'
T0 = datetime(2026, 1, 1, 2, 0, tzinfo=UTC)


def plugin_models():
    return list(apps.get_app_config('netbox_proxbox').get_models())


def make_one_of_each():
    """{model: instance} for every model of the plugin (the test fails if one is missing)."""
    endpoint = make_endpoint('pve-perm')
    cluster = make_proxmox_cluster('perm-cluster', endpoint=endpoint)
    node = make_node(cluster, 'perm-node')
    storage = make_storage(cluster, 'perm-store')
    (vm,) = make_virtual_machines('perm-vm')
    run = SyncRun.objects.create(trigger='api', user=None)
    run.endpoints.set([endpoint])
    made = [
        endpoint,
        cluster,
        node,
        storage,
        run,
        NetBoxEndpoint.objects.create(url=CLOSED_URL, token='nbt_perm.token'),
        FastAPIEndpoint.objects.create(url=CLOSED_URL, api_key='perm-api-key-0123456789'),
        ProxboxPluginSettings.objects.create(),
        BackupRoutine.objects.create(cluster=cluster, job_id='backup-perm', schedule='sat 02:00', storage=storage),
        Replication.objects.create(cluster=cluster, job_id='100-0', guest_id=100, source=node),
        VMBackup.objects.create(
            storage=storage, volume_id='perm-store:backup/vzdump-qemu-100.vma.zst', guest_id=100, guest_type='qemu'
        ),
        VMSnapshot.objects.create(virtual_machine=vm, name='perm-snap', snapshot_time=T0),
        VMTaskHistory.objects.create(
            node=node, upid='UPID:perm-node:00000001:00000002:65000000:vzdump:100:root@pam:', task_type='vzdump',
            user='root@pam', start_time=T0, status='ok',
        ),
    ]  # fmt: skip
    return {type(obj): obj for obj in made}

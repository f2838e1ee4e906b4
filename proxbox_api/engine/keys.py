"""Proxmox identities (the ``proxbox_id`` custom field) of the objects Proxbox writes.

``pve:<cluster>`` is a cluster (a standalone node's cluster is named after the node); below it
``/node/<name>``, ``/guest/<vmid>`` and their parts, ``/storage/<id>`` with its backups,
``/backup-job/<id>``, ``/replication/<id>`` and ``/task/<upid>``. Keys never contain the endpoint,
so renaming an endpoint in NetBox changes nothing, and a guest keeps its key across renames and
migrations. A key is also a read scope: an incomplete scope protects every key below it.
"""

__all__ = [
    'backup_job_key',
    'backup_jobs_scope',
    'backup_key',
    'cluster_key',
    'cluster_of',
    'disk_key',
    'guest_ips_scope',
    'guest_key',
    'guest_nic_key',
    'guest_ip_key',
    'mac_key',
    'node_if_key',
    'node_ip_key',
    'node_key',
    'parent_of',
    'replication_key',
    'replications_scope',
    'snapshot_key',
    'snapshots_scope',
    'storage_key',
    'storages_scope',
    'task_key',
    'vlan_group_key',
    'vlan_key',
]

PREFIX = 'pve:'


def cluster_key(cluster: str) -> str:
    return f'{PREFIX}{cluster}'


def cluster_of(key: str) -> str:
    """The cluster key a key belongs to (``pve:c/guest/1/net0`` → ``pve:c``)."""
    return key.split('/', 1)[0]


def node_key(cluster: str, node: str) -> str:
    return f'{cluster_key(cluster)}/node/{node}'


def node_if_key(cluster: str, node: str, interface: str) -> str:
    return f'{node_key(cluster, node)}/if/{interface}'


def node_ip_key(cluster: str, node: str, address: str) -> str:
    return f'{node_key(cluster, node)}/ip/{address}'


def guest_key(cluster: str, vmid: int) -> str:
    return f'{cluster_key(cluster)}/guest/{vmid}'


def guest_nic_key(cluster: str, vmid: int, index: int) -> str:
    return f'{guest_key(cluster, vmid)}/net{index}'


def mac_key(cluster: str, vmid: int, index: int) -> str:
    return f'{guest_nic_key(cluster, vmid, index)}/mac'


def guest_ips_scope(cluster: str, vmid: int) -> str:
    """The read scope of a guest's runtime addresses; incomplete when the agent could not be read."""
    return f'{guest_key(cluster, vmid)}/ip'


def guest_ip_key(cluster: str, vmid: int, address: str) -> str:
    return f'{guest_ips_scope(cluster, vmid)}/{address}'


def disk_key(cluster: str, vmid: int, disk: str) -> str:
    return f'{guest_key(cluster, vmid)}/disk/{disk}'


def vlan_group_key(cluster: str) -> str:
    return f'{cluster_key(cluster)}/vlans'


def vlan_key(cluster: str, vid: int) -> str:
    return f'{cluster_key(cluster)}/vlan/{vid}'


def storages_scope(cluster: str) -> str:
    return f'{cluster_key(cluster)}/storage'


def storage_key(cluster: str, storage: str) -> str:
    return f'{storages_scope(cluster)}/{storage}'


def backup_key(cluster: str, storage: str, volid: str) -> str:
    """A backup by its volume id (``pbs1:backup/vm/100/2024-...``), below the storage holding it."""
    return f'{storage_key(cluster, storage)}/backup/{volid}'


def snapshots_scope(cluster: str, vmid: int) -> str:
    return f'{guest_key(cluster, vmid)}/snapshot'


def snapshot_key(cluster: str, vmid: int, name: str) -> str:
    return f'{snapshots_scope(cluster, vmid)}/{name}'


def backup_jobs_scope(cluster: str) -> str:
    return f'{cluster_key(cluster)}/backup-job'


def backup_job_key(cluster: str, job_id: str) -> str:
    return f'{backup_jobs_scope(cluster)}/{job_id}'


def replications_scope(cluster: str) -> str:
    return f'{cluster_key(cluster)}/replication'


def replication_key(cluster: str, job_id: str) -> str:
    return f'{replications_scope(cluster)}/{job_id}'


def task_key(cluster: str, upid: str) -> str:
    return f'{cluster_key(cluster)}/task/{upid}'


# Checked in order: a backup's volume id may contain anything after ``/backup/``.
_CHILD_MARKERS = ('/backup/', '/snapshot/', '/ip/', '/disk/', '/if/')


def parent_of(key: str) -> str:
    """The key of the object this one belongs to (a guest for its NICs, disks, IPs and snapshots;
    a storage for its backups)."""
    for marker in _CHILD_MARKERS:
        if marker in key:
            return key.split(marker, 1)[0]
    if key.endswith('/mac'):
        return key.removesuffix('/mac')
    if '/node/' in key or '/vlan' in key:
        return cluster_of(key)
    return key.rsplit('/', 1)[0] if '/' in key else key

"""The ground-truth dump of a cluster (``GET /_sim/fleet``, ``Fleet.to_dict``)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from .model import Cluster, Guest

__all__ = ['dump_cluster', 'dump_guest']


def dump_guest(guest: Guest) -> dict[str, Any]:
    data = asdict(guest)
    data['type'] = data.pop('kind')
    data['maxdisk'] = guest.maxdisk
    for disk, source in zip(data['disks'], guest.disks, strict=True):
        disk['volid'] = source.volid
    return data


def dump_cluster(cluster: Cluster) -> dict[str, Any]:
    return {
        'name': cluster.name,
        'standalone': cluster.standalone,
        'version': cluster.version.full,
        'revision': cluster.revision,
        'nodes': [asdict(node) for node in cluster.nodes.values()],
        'guests': [dump_guest(guest) for guest in cluster.guests.values()],
        'storages': [asdict(storage) for storage in cluster.storages.values()],
        'networks': [asdict(network) for network in cluster.networks],
        'pools': [asdict(pool) for pool in cluster.pools.values()],
        'backups': [{**asdict(backup), 'volid': backup.volid} for backup in cluster.backups],
        'backup_jobs': [asdict(job) for job in cluster.backup_jobs],
        'replication': [{**asdict(job), 'id': job.id} for job in cluster.replication],
        'tasks': [{**asdict(task), 'upid': task.upid} for task in cluster.tasks],
    }

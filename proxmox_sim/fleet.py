"""The simulated fleet: every cluster's world, its clock, its faults, and the changes tests make between syncs.

All reads and writes go through :attr:`Fleet.lock`; every change bumps the cluster's ``revision``,
which invalidates the server's response cache for that cluster.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from . import changes, notify
from .dump import dump_cluster
from .errors import SimError
from .faults import FaultRule, FaultSet
from .generator import generate
from .model import Backup, Cluster, Guest, Nic, Snapshot, TokenDef
from .spec import FleetSpec
from .version import PveVersion

__all__ = ['Fleet', 'SimClock']


class SimClock:
    """Wall-clock time plus an offset that tests move forward (ticket lifetimes use it)."""

    def __init__(self, base: Callable[[], float] = time.time) -> None:
        self._base = base
        self.offset = 0.0

    def __call__(self) -> float:
        return self._base() + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += seconds


class Fleet:
    """A generated fleet of Proxmox endpoints (clusters and standalone nodes)."""

    def __init__(self, spec: FleetSpec | None = None, *, clock: Callable[[], float] | None = None) -> None:
        self.spec = spec or FleetSpec()
        self.clusters: dict[str, Cluster] = {cluster.name: cluster for cluster in generate(self.spec)}
        self.clock: Callable[[], float] = clock or SimClock()
        self.faults = FaultSet(seed=self.spec.seed)
        self.lock = threading.RLock()

    # -- lookups -----------------------------------------------------------------------------------

    def cluster(self, name: str | None = None) -> Cluster:
        """The named cluster; with no name, the only one (an error if there are several)."""
        if name is None:
            if len(self.clusters) != 1:
                raise SimError('this fleet has several clusters: name one')
            return next(iter(self.clusters.values()))
        try:
            return self.clusters[name]
        except KeyError:
            raise SimError(f"cluster '{name}' does not exist", 404) from None

    def guest(self, vmid: int, cluster: str | None = None) -> Guest:
        return changes.find_guest(self.cluster(cluster), vmid)

    @contextmanager
    def _change(self, cluster: str | None) -> Iterator[Cluster]:
        with self.lock:
            target = self.cluster(cluster)
            yield target
            target.revision += 1

    def _rng(self, cluster: Cluster) -> random.Random:
        return random.Random(f'{self.spec.seed}:{cluster.index}:change:{cluster.revision}')

    # -- guests ------------------------------------------------------------------------------------

    def add_guest(
        self,
        kind: str = 'qemu',
        *,
        cluster: str | None = None,
        vmid: int | None = None,
        node: str | None = None,
        **config: Any,
    ) -> Guest:
        """Create a running guest; ``config`` takes the keys of :meth:`reconfigure_guest`."""
        with self._change(cluster) as target:
            return changes.add_guest(target, self._rng(target), kind, vmid, node, dict(config))

    def remove_guest(self, vmid: int, *, cluster: str | None = None) -> None:
        with self._change(cluster) as target:
            changes.remove_guest(target, vmid)

    def rename_guest(self, vmid: int, name: str, *, cluster: str | None = None) -> None:
        self.reconfigure_guest(vmid, cluster=cluster, name=name)

    def reconfigure_guest(self, vmid: int, *, cluster: str | None = None, **changes_: Any) -> None:
        """Change name, cores, sockets, memory (MiB), tags, description, onboot, lock, status, pool, template, agent."""
        with self._change(cluster) as target:
            changes.reconfigure_guest(target, changes.find_guest(target, vmid), dict(changes_))

    def migrate_guest(self, vmid: int, target_node: str, *, cluster: str | None = None) -> None:
        with self._change(cluster) as target:
            changes.migrate_guest(target, vmid, target_node)

    def resize_disk(self, vmid: int, disk: str, size_mib: int, *, cluster: str | None = None) -> None:
        """Grow disk ``disk`` (``scsi0``, ``rootfs``...) of a guest to ``size_mib``."""
        with self._change(cluster) as target:
            changes.resize_disk(target, vmid, disk, size_mib)

    def add_nic(self, vmid: int, *, cluster: str | None = None) -> Nic:
        """Add a network device (with a new MAC and an address on the first network) to a guest."""
        with self._change(cluster) as target:
            return changes.add_nic(target, self._rng(target), vmid)

    # -- nodes, snapshots, backups -----------------------------------------------------------------

    def set_node_online(self, node: str, online: bool, *, cluster: str | None = None) -> None:
        with self._change(cluster) as target:
            changes.set_node_online(target, node, online)

    def node_offline(self, node: str, *, cluster: str | None = None) -> None:
        self.set_node_online(node, False, cluster=cluster)

    def node_online(self, node: str, *, cluster: str | None = None) -> None:
        self.set_node_online(node, True, cluster=cluster)

    def add_snapshot(
        self, vmid: int, name: str, *, description: str = '', vmstate: bool = False, cluster: str | None = None
    ) -> Snapshot:
        with self._change(cluster) as target:
            return changes.add_snapshot(target, vmid, name, description, vmstate)

    def remove_snapshot(self, vmid: int, name: str, *, cluster: str | None = None) -> None:
        with self._change(cluster) as target:
            changes.remove_snapshot(target, vmid, name)

    def add_backup(self, vmid: int, *, storage: str | None = None, cluster: str | None = None) -> Backup:
        """A backup of the guest (a ``vzdump`` task), and the notification Proxmox sends when it ends."""
        with self._change(cluster) as target:
            backup = changes.add_backup(target, self._rng(target), vmid, storage)
            guest = target.guests[vmid]
            row = (vmid, guest.name, guest.kind, backup.volid, backup.size)
            event = notify.backup_event(guest.node, [row], backup.ctime, None)
        target.notifications.emit(event)
        return backup

    def fail_replication(self, job_id: str, error: str, *, cluster: str | None = None) -> None:
        """A storage replication job fails (its ``fail_count`` and ``error``), and Proxmox notifies it."""
        with self._change(cluster) as target:
            job = changes.fail_replication(target, job_id, error)
            node = target.guests[job.guest].node
            event = notify.replication_event(node, job.id, job.target, error, changes.now(target))
        target.notifications.emit(event)

    def remove_backup(self, volid: str, *, cluster: str | None = None) -> None:
        with self._change(cluster) as target:
            changes.remove_backup(target, volid)

    # -- version, credentials, faults --------------------------------------------------------------

    def set_version(self, version: str, *, cluster: str | None = None) -> None:
        """Switch the emulated release of one cluster, or of every cluster when ``cluster`` is None."""
        try:
            parsed = PveVersion.parse(version)
        except ValueError as error:
            raise SimError(str(error)) from None
        with self.lock:
            targets = list(self.clusters.values()) if cluster is None else [self.cluster(cluster)]
            for target in targets:
                target.version = parsed
                target.revision += 1

    def add_token(
        self, tokenid: str, secret: str, *, privileges: list[str] | None = None, cluster: str | None = None
    ) -> None:
        """Add an API token; ``privileges`` (on every path) None means all, as root's unseparated token."""
        if '!' not in tokenid or '@' not in tokenid:
            raise SimError('token id must look like user@realm!name')
        with self._change(cluster) as target:
            privs = None if privileges is None else frozenset(privileges)
            target.tokens[tokenid] = TokenDef(tokenid=tokenid, secret=secret, privileges=privs)

    def set_faults(self, rules: list[FaultRule], *, seed: int | None = None) -> None:
        self.faults.replace(rules, seed)

    def add_fault(self, rule: FaultRule) -> None:
        self.faults.add(rule)

    def reset_faults(self) -> None:
        self.faults.replace([])

    def advance_clock(self, seconds: float) -> None:
        if not isinstance(self.clock, SimClock):
            raise SimError('the fleet was given its own clock; advance that one')
        self.clock.advance(seconds)

    # -- ground truth --------------------------------------------------------------------------------

    def to_dict(self, cluster: str | None = None) -> dict[str, Any]:
        """The whole world (or one cluster) as plain JSON-ready data: what tests compare the API against."""
        with self.lock:
            targets = list(self.clusters.values()) if cluster is None else [self.cluster(cluster)]
            return {'spec': self.spec.to_dict(), 'clusters': [dump_cluster(target) for target in targets]}

"""Frozen models for the data-protection read: storages, backups, guest snapshots, backup and
replication jobs, and tasks (shapes from the reference §4.11-4.17)."""

from pydantic import BaseModel, ConfigDict, Field

from .models import IncompleteScope

__all__ = [
    'Backup',
    'BackupJob',
    'DataProtectionSnapshot',
    'GuestSnapshot',
    'ProtectionOptions',
    'ReplicationJob',
    'Storage',
    'StorageStatus',
    'Task',
]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra='forbid')


class ProtectionOptions(_Frozen):
    """Which parts of the data-protection side to read (each is one sync family)."""

    storage: bool = True
    backups: bool = True
    snapshots: bool = True
    backup_jobs: bool = True
    replication: bool = True
    tasks: bool = True
    # Oldest task start to read (epoch seconds); None: only each node's newest page.
    tasks_since: int | None = None
    task_page: int = Field(default=500, ge=1, le=5000)


class Storage(_Frozen):
    """A storage.cfg entry (``GET /storage``). ``nodes`` empty means: all nodes. ``path`` is where it
    lives: the mount path, or the server and export/share/datastore/pool for network storages."""

    storage: str
    type: str
    content: tuple[str, ...] = ()
    shared: bool = False
    enabled: bool = True
    nodes: tuple[str, ...] = ()
    path: str | None = None


class StorageStatus(_Frozen):
    """A storage as one node sees it (``GET /nodes/{node}/storage``)."""

    node: str
    storage: str
    type: str
    active: bool = False
    enabled: bool = False
    shared: bool = False
    total: int | None = None
    used: int | None = None
    avail: int | None = None


class Backup(_Frozen):
    """A vzdump archive or PBS snapshot (``.../content?content=backup``)."""

    volid: str
    storage: str
    node: str
    vmid: int | None = None
    subtype: str | None = None
    format: str | None = None
    ctime: int | None = None
    size: int | None = None
    notes: str | None = None
    protected: bool = False
    verification: str | None = None
    encrypted: bool = False


class GuestSnapshot(_Frozen):
    """A guest snapshot (the pseudo-entry ``current`` is dropped)."""

    vmid: int
    type: str
    node: str
    name: str
    snaptime: int | None = None
    description: str | None = None
    parent: str | None = None
    vmstate: bool = False


class BackupJob(_Frozen):
    """A ``/cluster/backup`` job. It targets ``all`` (minus ``exclude``), ``vmids`` or a ``pool``."""

    id: str
    enabled: bool = True
    schedule: str | None = None
    storage: str | None = None
    mode: str | None = None
    all: bool = False
    vmids: tuple[int, ...] = ()
    exclude: tuple[int, ...] = ()
    pool: str | None = None
    node: str | None = None
    next_run: int | None = None
    comment: str | None = None
    compress: str | None = None
    # ``prune-backups`` retention, sorted: (``last``, 3), (``daily``, 7) ... from keep-last, keep-daily ...
    keep: tuple[tuple[str, int], ...] = ()


class ReplicationJob(_Frozen):
    """A ``/cluster/replication`` job with its last state from the source node."""

    id: str
    guest: int
    source: str | None = None
    target: str
    schedule: str = '*/15'
    enabled: bool = True
    rate: float | None = None
    comment: str | None = None
    last_sync: int | None = None
    last_try: int | None = None
    next_sync: int | None = None
    duration: float | None = None
    fail_count: int = 0
    error: str | None = None


class Task(_Frozen):
    """A task from ``/cluster/tasks`` or ``/nodes/{node}/tasks``; ``status`` is ``OK``, ``WARNINGS: N``,
    ``RUNNING`` or an error text."""

    upid: str
    node: str
    type: str
    id: str | None = None
    user: str | None = None
    starttime: int | None = None
    endtime: int | None = None
    status: str | None = None


class DataProtectionSnapshot(_Frozen):
    """Everything the data-protection stages need, with what could not be read."""

    storages: tuple[Storage, ...] = ()
    storage_status: tuple[StorageStatus, ...] = ()
    backups: tuple[Backup, ...] = ()
    snapshots: tuple[GuestSnapshot, ...] = ()
    backup_jobs: tuple[BackupJob, ...] = ()
    replication_jobs: tuple[ReplicationJob, ...] = ()
    tasks: tuple[Task, ...] = ()
    incomplete_scopes: tuple[IncompleteScope, ...] = ()

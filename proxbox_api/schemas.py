"""The sync request and result: what a caller (the plugin's job, pxb, a script) sends and gets back.

Requests are self-contained (NetBox URL and token, Proxmox endpoints, settings), so the service
keeps no state and several replicas can run side by side. Secrets are ``SecretStr``: never
echoed, never in a repr.
"""

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator, model_validator

from .engine.plan import Plan
from .engine.poll import GuestChange, PollState
from .proxmox import ProxmoxEndpoint

__all__ = [
    'FAMILIES',
    'SCOPED_FAMILIES',
    'EndpointPoll',
    'EndpointSpec',
    'NetBoxTarget',
    'PollRequest',
    'PollResult',
    'SyncOptions',
    'SyncRequest',
    'SyncResult',
    'SyncScope',
]

# Every family a sync can keep in step (ProxboxPluginSettings' switches), in stage order.
FAMILIES = (
    'nodes',
    'virtual_machines',
    'containers',
    'interfaces',
    'ip_addresses',
    'virtual_disks',
    'storage',
    'snapshots',
    'backups',
    'backup_routines',
    'replications',
    'tasks',
)

# What a targeted sync of a guest or a node keeps in step: the families keyed below a node or a guest.
# Storage, backups, jobs and tasks are the cluster's; a cluster scope (or a full sync) syncs them.
SCOPED_FAMILIES = frozenset(
    ('nodes', 'virtual_machines', 'containers', 'interfaces', 'ip_addresses', 'virtual_disks', 'snapshots')
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra='forbid')


class NetBoxTarget(_Strict):
    url: str = Field(description='Base URL of NetBox, e.g. https://netbox.example.com/')
    token: SecretStr = Field(description='API token of the dedicated sync user')
    verify_tls: bool = True


class EndpointSpec(ProxmoxEndpoint):
    """A Proxmox endpoint plus where its objects go in NetBox."""

    id: int | None = Field(default=None, description="The plugin's ProxmoxEndpoint id (links its records)")
    site_id: int | None = Field(default=None, description='NetBox site of its clusters and nodes')
    ca_pem: str | None = Field(default=None, description='PEM CA bundle to verify the endpoint with')


class SyncOptions(_Strict):
    """The knobs of ProxboxPluginSettings that the service honours."""

    read_concurrency: int = Field(default=8, ge=1, le=64)
    write_concurrency: int = Field(default=2, ge=1, le=16)
    batch_size: int = Field(default=100, ge=1, le=1000)
    proxmox_timeout: float = Field(default=30, gt=0, le=600)
    netbox_timeout: float = Field(default=120, gt=0, le=3600)
    retries: int = Field(default=3, ge=0, le=10)
    families: list[str] = Field(
        default_factory=lambda: list(FAMILIES),
        description='What to sync; a family left out is neither written nor pruned',
    )
    templates: Literal['skip', 'tag'] = 'tag'
    prune_policy: Literal['off', 'mark', 'delete'] = Field(
        default='mark',
        description='Objects gone from Proxmox: off (report only), mark (orphan tag, status, first-miss time) '
        'or delete once prune_grace_days have passed since the first miss',
    )
    prune_grace_days: int = Field(default=7, ge=0, le=3650)
    field_ownership: dict[str, Literal['proxmox', 'netbox', 'if-empty']] = Field(
        default_factory=dict,
        description='"app.model.field" -> proxmox (Proxmox wins, the default), netbox (set on create only) '
        'or if-empty (filled only while empty in NetBox)',
    )
    task_history_days: int = Field(default=7, ge=1, le=365, description='Tasks started this many days back')
    write_path: Literal['auto', 'inside', 'rest'] = Field(
        default='auto',
        description="How the plan is written: inside (the plugin's in-NetBox apply), rest (NetBox's REST bulk "
        'endpoints), or auto (inside when the plugin advertises it, else rest)',
    )

    @field_validator('field_ownership')
    @classmethod
    def _ownership_keys(cls, value: dict[str, str]) -> dict[str, str]:
        bad = sorted(key for key in value if key.count('.') != 2 or not all(key.split('.')))
        if bad:
            raise ValueError(f'field_ownership keys must look like app.model.field, not {", ".join(bad)}')
        return value


class SyncScope(_Strict):
    """A targeted sync: one cluster, or one node or one guest of it. Nothing outside is written or pruned."""

    cluster: str = Field(min_length=1, description='The Proxmox cluster (a standalone node: its name)')
    node: str | None = Field(default=None, min_length=1, description='A node: its device, interfaces and guests')
    vmid: int | None = Field(default=None, ge=1, description='A guest by VMID: its VM and all of its parts')
    vmids: list[int] | None = Field(
        default=None, min_length=1, max_length=1000, description='Several guests (what continuous mode found changed)'
    )
    families: list[str] | None = Field(
        default=None,
        min_length=1,
        description="A cluster scope's families alone (storage and backups after a backup's notification; "
        'none: those of the run). Only with a cluster scope',
    )

    @model_validator(mode='after')
    def _one_target(self) -> 'SyncScope':
        given = [name for name in ('node', 'vmid', 'vmids') if getattr(self, name) is not None]
        if len(given) > 1:
            raise ValueError(f'a scope is a cluster, a node or guests: give one of node, vmid, vmids, not both {given}')
        if self.vmids is not None and min(self.vmids) < 1:
            raise ValueError('vmids must be positive')
        if self.families is not None:
            if given:
                raise ValueError(f'families narrow a cluster scope only, not one of {given[0]}')
            unknown = sorted(set(self.families) - set(FAMILIES))
            if unknown:
                raise ValueError(f'unknown families {", ".join(unknown)}: choose among {", ".join(FAMILIES)}')
        return self

    @property
    def guests(self) -> frozenset[int]:
        return frozenset(self.vmids or ()) | (frozenset({self.vmid}) if self.vmid is not None else frozenset())

    def __str__(self) -> str:
        if self.guests:
            return f'guest {self.cluster}/{", ".join(str(vmid) for vmid in sorted(self.guests))}'
        if self.node is not None:
            return f'node {self.cluster}/{self.node}'
        return f'cluster {self.cluster}' + (f' ({", ".join(self.families)})' if self.families else '')


class SyncRequest(_Strict):
    netbox: NetBoxTarget
    endpoints: list[EndpointSpec] = Field(min_length=1)
    options: SyncOptions = Field(default_factory=SyncOptions)
    dry_run: bool = False
    run_id: str | None = Field(default=None, description='Names the run in NetBox change-log messages')
    include_plan: bool = Field(default=False, description='Return every planned operation, not just the summary')
    expected_plan_digest: str | None = Field(
        default=None, description='Apply only if the plan still matches this previewed digest (else 409)'
    )
    scope: SyncScope | None = Field(
        default=None, description='Sync only this cluster, node or guest (none: everything the endpoints hold)'
    )


class SyncResult(BaseModel):
    run_id: str
    dry_run: bool
    status: Literal['completed', 'partial', 'failed']
    summary: dict[str, dict[str, int]] = Field(default_factory=dict)
    counts: dict[str, dict[str, int]] = Field(default_factory=dict)
    writes: int = 0
    failures: list[dict[str, Any]] = Field(default_factory=list)
    errors: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    stages: dict[str, float] = Field(default_factory=dict)
    duration: float = 0.0
    plan: Plan | None = None
    plan_digest: str | None = Field(default=None, description='Fingerprint of the plan (preview → apply)')
    write_path: Literal['inside', 'rest'] | None = Field(default=None, description='How the plan was written')
    scope: SyncScope | None = Field(default=None, description='What a targeted sync covered (none: a full sync)')


class PollRequest(_Strict):
    """Continuous mode's cheap look at each endpoint, with the state the caller kept from the last one."""

    endpoints: list[EndpointSpec] = Field(min_length=1, max_length=100)
    state: dict[str, PollState] = Field(
        default_factory=dict, description='Endpoint name -> the state its previous poll returned (none: baseline)'
    )
    proxmox_timeout: float = Field(default=10, gt=0, le=600)


class EndpointPoll(BaseModel):
    endpoint: str
    ok: bool
    error: str | None = None
    baseline: bool = Field(default=False, description='No previous state: this poll only set the baseline')
    changes: list[GuestChange] = Field(default_factory=list, description='The guests to sync, with why')
    state: PollState | None = Field(default=None, description='Keep for the next poll (the previous one on error)')
    seconds: float = 0.0
    requests: int = 0


class PollResult(BaseModel):
    endpoints: list[EndpointPoll]

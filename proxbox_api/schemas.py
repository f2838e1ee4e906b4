"""The sync request and result: what a caller (the plugin's job, pxb, a script) sends and gets back.

Requests are self-contained (NetBox URL and token, Proxmox endpoints, settings), so the service
keeps no state and several replicas can run side by side. Secrets are ``SecretStr``: never
echoed, never in a repr.
"""

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

from .engine.plan import Plan
from .proxmox import ProxmoxEndpoint

__all__ = ['FAMILIES', 'EndpointSpec', 'NetBoxTarget', 'SyncOptions', 'SyncRequest', 'SyncResult']

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

"""What the Proxbox REST API answers, as typed, read-only models.

Unknown fields are ignored, so a newer plugin that adds fields keeps working. NetBox renders
choice fields as ``{"value": ..., "label": ...}``; :data:`Choice` accepts that or a bare value.
"""

import json
from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

__all__ = [
    'COUNT_COLUMNS',
    'Choice',
    'EndpointBrief',
    'EndpointTest',
    'FieldChange',
    'Job',
    'Operation',
    'Plan',
    'ProxmoxEndpoint',
    'RunEvent',
    'ServiceStatus',
    'StatusReport',
    'SyncRun',
    'SyncStarted',
]

# The per-kind counters of a run, in the order tables show them.
COUNT_COLUMNS = ('created', 'updated', 'deleted', 'unchanged', 'conflict', 'failed')


def _choice_value(value: Any) -> Any:
    return value.get('value') if isinstance(value, dict) else value


Choice = Annotated[str, BeforeValidator(_choice_value)]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra='ignore')


class EndpointBrief(_Model):
    id: int
    name: str = ''
    display: str = ''

    @property
    def label(self) -> str:
        return self.name or self.display or f'#{self.id}'


def _id_from_url(url: str | None) -> int | None:
    tail = (url or '').rstrip('/').rpartition('/')[2]
    return int(tail) if tail.isdigit() else None


class Job(_Model):
    """NetBox's background job; its brief form has a URL but no id, so the id is read from the URL."""

    id: int | None = None
    url: str | None = None
    status: Choice | None = None

    @model_validator(mode='after')
    def _id(self) -> 'Job':
        if self.id is None and (pk := _id_from_url(self.url)) is not None:
            object.__setattr__(self, 'id', pk)
        return self


class UserBrief(_Model):
    id: int | None = None
    username: str = ''


class FieldChange(_Model):
    old: Any = None
    new: Any = None


class Operation(_Model):
    action: str
    kind: str
    key: str
    id: int | None = None
    attrs: dict[str, Any] = Field(default_factory=dict)
    changes: dict[str, FieldChange] = Field(default_factory=dict)
    reason: str | None = None
    display: str | None = None

    @property
    def label(self) -> str:
        return self.display or self.key


class Plan(_Model):
    operations: tuple[Operation, ...] = ()
    summary: dict[str, dict[str, int]] = Field(default_factory=dict)
    warnings: tuple[str, ...] = ()


class SyncRun(_Model):
    id: int
    url: str | None = None
    status: Choice = 'pending'
    trigger: Choice = ''
    kind: Choice = 'full'
    scope: dict[str, Any] | None = None
    dry_run: bool = False
    endpoints: tuple[EndpointBrief, ...] = ()
    user: UserBrief | None = None
    job: Job | None = None
    applies_run: int | None = None
    started: datetime | None = None
    finished: datetime | None = None
    duration: float | None = None
    counts: dict[str, dict[str, int]] = Field(default_factory=dict)
    stage_durations: dict[str, float] = Field(default_factory=dict)
    error_summary: str = ''
    plan: Plan | None = None
    created: datetime | None = None

    @property
    def is_finished(self) -> bool:
        return self.status in ('completed', 'partial', 'failed', 'cancelled')

    def total(self, column: str) -> int:
        return sum(kind.get(column, 0) for kind in self.counts.values())


class SyncStarted(_Model):
    run: SyncRun
    job: Job | None = None


class ProxmoxEndpoint(_Model):
    id: int
    name: str
    host: str
    port: int = 8006
    username: str = ''
    token_name: str = ''
    auth_method: str = ''
    verify_ssl: bool = True
    timeout: int | None = None
    enabled: bool = True
    secrets_set: dict[str, bool] = Field(default_factory=dict)
    description: str = ''


class EndpointTest(_Model):
    ok: bool
    detail: str = ''


class ServiceStatus(_Model):
    name: str = ''
    ok: bool
    detail: str = ''


def _service(value: Any) -> Any:
    return {'ok': value} if isinstance(value, bool) else value


class StatusReport(_Model):
    netbox: Annotated[ServiceStatus, BeforeValidator(_service)] = ServiceStatus(ok=True)
    worker: Annotated[ServiceStatus, BeforeValidator(_service)]
    proxbox_api: Annotated[ServiceStatus, BeforeValidator(_service)]
    endpoints: tuple[ServiceStatus, ...] = ()


class RunEvent(_Model):
    """One event of a run's stream: ``name`` is the SSE event type, ``data`` its JSON payload."""

    id: int | None
    name: str
    data: dict[str, Any]

    @classmethod
    def from_sse(cls, event_id: str, name: str, data: str) -> 'RunEvent':
        try:
            payload = json.loads(data) if data else {}
        except json.JSONDecodeError:
            payload = {'message': data}
        if not isinstance(payload, dict):
            payload = {'value': payload}
        return cls(id=int(event_id) if event_id.isdigit() else None, name=name, data=payload)

    def to_json(self) -> dict[str, Any]:
        return {'id': self.id, 'event': self.name, 'data': self.data}

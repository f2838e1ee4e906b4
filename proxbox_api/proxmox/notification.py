"""Proxmox VE notification events, as a webhook notification target delivers them.

Proxmox VE (8.3 and later) has a ``webhook`` notification target: on each event a matcher routes to it,
it sends an HTTP request whose body is a Handlebars template over the event's ``title``, ``message``,
``severity``, ``timestamp`` and metadata ``fields`` (``type``, ``hostname``, ``job-id``). Proxbox
documents one body (``NOTIFICATION_BODY``) and parses it here into the guests the event names:

- ``replication`` (a storage replication job failed): the job id is ``<vmid>-<number>``;
- ``vzdump`` (a backup finished): the rendered message holds the guest table (``VMID  Name  Status ...``)
  and the log lines ``Starting Backup of VM <vmid>``; the fields name no guest;
- ``fencing`` (the HA manager fenced ``hostname``): no guest; its guests move to other nodes;
- anything else (``package-updates``, ``system-mail``, a target's test message): no guest.

An event that names no guest still names its node (``hostname``): the caller syncs that node.
"""

import re
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, Field

__all__ = ['NOTIFICATION_BODY', 'NotificationEvent', 'NotificationFormatError', 'parse_notification']

# The webhook body to configure in Proxmox (Datacenter -> Notifications -> Add -> Webhook), verbatim.
NOTIFICATION_BODY = (
    '{"severity": "{{ severity }}", "timestamp": {{ timestamp }}, "title": {{ json title }}, '
    '"message": {{ json message }}, "fields": {{ json fields }}}'
)
_REPLICATION_JOB = re.compile(r'^(\d+)-\d+$')
_TABLE_HEADER = re.compile(r'^\s*VMID\s+Name\s+Status\b', re.IGNORECASE)
_TABLE_ROW = re.compile(r'^\s*(\d+)\s+\S')
_BACKUP_LOG = re.compile(r'Starting Backup of VM (\d+)\b')
_SEVERITIES = frozenset({'info', 'notice', 'warning', 'error', 'unknown'})


class NotificationFormatError(ValueError):
    """The body is not a Proxmox notification in the documented shape (the message says what is wrong)."""


class NotificationEvent(BaseModel):
    """One notification, as proxbox-api keeps it: what happened, where, and which guests it names."""

    type: str = Field(description="The event's metadata field `type` (vzdump, replication, fencing, ...)")
    hostname: str | None = Field(default=None, description='The node the event comes from')
    job_id: str | None = Field(default=None, description='The backup or replication job, when the event has one')
    severity: str = 'unknown'
    title: str = ''
    timestamp: datetime | None = None
    vmids: list[int] = Field(default_factory=list, description='The guests the event names (none: the node)')
    cluster: str | None = Field(
        default=None,
        description="The cluster the target's URL names (`/v1/notify?cluster=NAME`): only its endpoint follows "
        'the event (none: any endpoint with a node of that hostname)',
    )


def _text(value: Any, name: str) -> str:
    if value is None:
        return ''
    if not isinstance(value, str | int | float):
        raise NotificationFormatError(f'{name} must be a string, not {type(value).__name__}')
    return str(value)


def _timestamp(value: Any) -> datetime | None:
    if value in (None, ''):
        return None
    try:
        return datetime.fromtimestamp(int(value), UTC)
    except (TypeError, ValueError, OverflowError):
        raise NotificationFormatError(f'timestamp must be seconds since the epoch, not {value!r}') from None


def _backup_guests(message: str) -> list[int]:
    """The guests of a vzdump notification: its guest table's rows, and its log's 'Starting Backup of VM'."""
    found: set[int] = {int(vmid) for vmid in _BACKUP_LOG.findall(message)}
    in_table = False
    for line in message.splitlines():
        if _TABLE_HEADER.match(line):
            in_table = True
        elif in_table and (row := _TABLE_ROW.match(line)):
            found.add(int(row.group(1)))
        elif in_table and not line.strip():
            in_table = False
    return sorted(found)


def _guests(kind: str, job_id: str | None, message: str) -> list[int]:
    if kind == 'replication' and job_id and (match := _REPLICATION_JOB.match(job_id)):
        return [int(match.group(1))]
    if kind == 'vzdump':
        return _backup_guests(message)
    return []


def parse_notification(body: Any) -> NotificationEvent:
    """The event in a webhook body (``NOTIFICATION_BODY``'s shape; ``fields`` may also sit at the top level)."""
    if not isinstance(body, dict):
        raise NotificationFormatError('the body must be a JSON object (use the documented webhook body)')
    fields = body.get('fields', body)
    if not isinstance(fields, dict):
        raise NotificationFormatError('fields must be an object (render it with {{ json fields }})')
    severity = _text(body.get('severity'), 'severity').lower() or 'unknown'
    message = _text(body.get('message'), 'message')
    kind = _text(fields.get('type'), 'fields.type') or 'unknown'
    job_id = _text(fields.get('job-id'), 'fields.job-id') or None
    return NotificationEvent(
        type=kind,
        hostname=_text(fields.get('hostname'), 'fields.hostname') or None,
        job_id=job_id,
        severity=severity if severity in _SEVERITIES else 'unknown',
        title=_text(body.get('title'), 'title')[:500],
        timestamp=_timestamp(body.get('timestamp')),
        vmids=_guests(kind, job_id, message),
    )

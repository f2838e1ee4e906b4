"""Proxmox VE's notification system, the part a webhook receiver sees: targets, matchers, events.

A ``webhook`` target (PVE 8.3+, ``/cluster/notifications/endpoints/webhook``) holds a URL, a method,
headers and a body, each a Handlebars template over the event (``title``, ``message``, ``severity``,
``timestamp``, ``fields.*``) and the target's ``secrets.*``; header and secret values and the body are
stored base64-encoded, as Proxmox stores them. A matcher (``/cluster/notifications/matchers``) routes
the events its rules match (``match-field`` ``exact:``/``regex:``, ``match-severity``, ``mode``
``all``/``any``, ``invert-match``) to its targets. Events come from the simulator's changes: a backup
(``vzdump``, with the guest table and log Proxmox renders) and a failed replication job
(``replication``). Each delivery runs on a thread of its own; ``deliveries`` keeps the outcome.
"""

from __future__ import annotations

import base64
import json
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from .errors import SimError

__all__ = [
    'Event',
    'Matcher',
    'Notifications',
    'WebhookTarget',
    'backup_event',
    'parse_property_string',
    'render',
    'replication_event',
]

_EXPR = re.compile(r'\{\{\s*(.*?)\s*\}\}')
_HELPERS = ('json', 'escape', 'url-encode')


@dataclass(slots=True)
class Event:
    severity: str
    title: str
    message: str
    timestamp: int
    fields: dict[str, str]


@dataclass(slots=True)
class WebhookTarget:
    name: str
    url: str
    method: str = 'post'
    headers: list[tuple[str, str]] = field(default_factory=list)  # (name, base64 value)
    body: str | None = None  # base64
    secrets: list[tuple[str, str]] = field(default_factory=list)  # (name, base64 value)
    comment: str | None = None
    disable: bool = False

    def to_api(self) -> dict[str, Any]:
        """As GET answers it: secrets by name only."""
        item: dict[str, Any] = {'name': self.name, 'url': self.url, 'method': self.method, 'origin': 'user-created'}
        if self.headers:
            item['header'] = [f'name={name},value={value}' for name, value in self.headers]
        if self.body is not None:
            item['body'] = self.body
        if self.secrets:
            item['secret'] = [f'name={name}' for name, _ in self.secrets]
        if self.comment:
            item['comment'] = self.comment
        if self.disable:
            item['disable'] = 1
        return item


@dataclass(slots=True)
class Matcher:
    name: str
    targets: list[str] = field(default_factory=list)
    match_field: list[str] = field(default_factory=list)
    match_severity: list[str] = field(default_factory=list)
    mode: str = 'all'
    invert: bool = False
    disable: bool = False

    def to_api(self) -> dict[str, Any]:
        item: dict[str, Any] = {'name': self.name, 'target': self.targets, 'mode': self.mode, 'origin': 'user-created'}
        if self.match_field:
            item['match-field'] = self.match_field
        if self.match_severity:
            item['match-severity'] = self.match_severity
        if self.invert:
            item['invert-match'] = 1
        if self.disable:
            item['disable'] = 1
        return item

    def matches(self, event: Event) -> bool:
        rules = [self._field(rule, event) for rule in self.match_field]
        rules += [event.severity in re.split(r'[,\s]+', rule) for rule in self.match_severity]
        matched = (all(rules) if self.mode == 'all' else any(rules)) if rules else True
        return matched != self.invert

    @staticmethod
    def _field(rule: str, event: Event) -> bool:
        kind, _, test = rule.partition(':')
        name, _, expected = test.partition('=')
        value = event.fields.get(name)
        if value is None:
            return False
        if kind == 'regex':
            return re.search(expected, value) is not None
        return value in expected.split(',')


def parse_property_string(text: str) -> dict[str, str]:
    """``name=X-API-Key,value=abc=`` -> {name, value} (a base64 value keeps its ``=`` padding)."""
    found: dict[str, str] = {}
    for part in re.split(r',(?=\w[\w-]*=)', text):
        key, sep, value = part.partition('=')
        if not sep:
            raise SimError(f"invalid property string '{text}'")
        found[key.strip()] = value
    return found


def _decode(value: str, what: str) -> str:
    try:
        return base64.b64decode(value, validate=True).decode()
    except (ValueError, UnicodeDecodeError):
        raise SimError(f'{what} must be base64-encoded') from None


def render(template: str, event: Event, secrets: dict[str, str]) -> str:
    """Proxmox's template language as webhooks use it: ``{{ name }}``, ``{{ fields.x }}``, ``{{ secrets.x }}``,
    and the helpers ``json``, ``escape`` and ``url-encode``; a missing value renders empty."""
    data: dict[str, Any] = {
        'title': event.title,
        'message': event.message,
        'severity': event.severity,
        'timestamp': event.timestamp,
        'fields': event.fields,
        'secrets': secrets,
    }

    def value(path: str) -> Any:
        current: Any = data
        for part in path.split('.'):
            current = current.get(part) if isinstance(current, dict) else None
        return current

    def substitute(match: re.Match[str]) -> str:
        words = match.group(1).split()
        helper, path = (words[0], words[1]) if len(words) == 2 and words[0] in _HELPERS else (None, words[0])
        found = value(path)
        if helper == 'json':
            return json.dumps(found)
        text = '' if found is None else str(found)
        if helper == 'escape':
            return json.dumps(text)[1:-1]
        if helper == 'url-encode':
            return urllib.parse.quote(text, safe='')
        return text

    return _EXPR.sub(substitute, template)


def backup_event(
    hostname: str, guests: list[tuple[int, str, str, str, int]], timestamp: int, job_id: str | None
) -> Event:
    """What vzdump sends when a backup ends: the guest table (vmid, name, kind, volid, bytes) and the log lines."""
    rows = ['VMID    Name                Status    Time    Size            Filename']
    logs = []
    for vmid, name, kind, volid, size in guests:
        rows.append(f'{vmid:<8}{name:<20}ok        4s      {size / 2**30:.2f} GiB{"":<6}{volid}')
        logs.append(f'{vmid}: {timestamp} INFO: Starting Backup of VM {vmid} ({kind})')
        logs.append(f'{vmid}: {timestamp} INFO: Finished Backup of VM {vmid} (00:00:04)')
    message = '\n'.join(['Details', '=======', *rows, '', f'Total running time: {4 * len(guests)}s', '',
                         'Logs', '====', *logs])  # fmt: skip
    fields = {'type': 'vzdump', 'hostname': hostname, **({'job-id': job_id} if job_id else {})}
    return Event('info', f'vzdump backup status ({hostname}): backup successful', message, timestamp, fields)


def replication_event(hostname: str, job_id: str, target: str, error: str, timestamp: int) -> Event:
    message = f"Replication job '{job_id}' with target '{target}' and schedule '*/15' failed!\n\n{error}"
    fields = {'type': 'replication', 'hostname': hostname, 'job-id': job_id}
    return Event('error', f"Replication Job: '{job_id}' failed", message, timestamp, fields)


class Notifications:
    """One cluster's notification configuration and the deliveries it made."""

    def __init__(self) -> None:
        self.targets: dict[str, WebhookTarget] = {}
        self.matchers: dict[str, Matcher] = {}
        self.deliveries: deque[dict[str, Any]] = deque(maxlen=200)
        self._threads: list[threading.Thread] = []

    def add_target(self, params: dict[str, str], lists: dict[str, list[str]]) -> None:
        name = params.get('name', '')
        if not re.fullmatch(r'[A-Za-z0-9][\w.-]*', name):
            raise SimError("parameter verification failed - 'name': invalid format", 400)
        if name in self.targets:
            raise SimError(f"target '{name}' already exists", 500)
        method = params.get('method', 'post')
        if method not in ('post', 'put', 'get'):
            raise SimError(f"parameter verification failed - 'method': value '{method}' is not post, put or get", 400)
        if 'url' not in params:
            raise SimError("parameter verification failed - 'url': property is missing and it is not optional", 400)
        headers = [parse_property_string(text) for text in lists.get('header', [])]
        secrets = [parse_property_string(text) for text in lists.get('secret', [])]
        for item in (*headers, *secrets):
            _decode(item.get('value', ''), f"the value of '{item.get('name')}'")
        body = params.get('body')
        if body is not None:
            _decode(body, 'body')
        self.targets[name] = WebhookTarget(
            name=name,
            url=params['url'],
            method=method,
            headers=[(item['name'], item.get('value', '')) for item in headers],
            body=body,
            secrets=[(item['name'], item.get('value', '')) for item in secrets],
            comment=params.get('comment'),
            disable=params.get('disable') in ('1', 'true'),
        )

    def add_matcher(self, params: dict[str, str], lists: dict[str, list[str]]) -> None:
        name = params.get('name', '')
        if not name or name in self.matchers:
            raise SimError(f"matcher '{name}' already exists" if name else "'name' is missing", 400)
        mode = params.get('mode', 'all')
        if mode not in ('all', 'any'):
            raise SimError(f"parameter verification failed - 'mode': value '{mode}' is not all or any", 400)
        self.matchers[name] = Matcher(
            name=name,
            targets=lists.get('target', []),
            match_field=lists.get('match-field', []),
            match_severity=lists.get('match-severity', []),
            mode=mode,
            invert=params.get('invert-match') in ('1', 'true'),
            disable=params.get('disable') in ('1', 'true'),
        )

    def remove(self, kind: str, name: str) -> None:
        table: dict[str, Any] = self.targets if kind == 'target' else self.matchers
        if table.pop(name, None) is None:
            raise SimError(f"{kind} '{name}' does not exist", 404)

    def test(self, name: str, timestamp: int) -> None:
        """What a target's Test button sends: a test message, no metadata fields, to that target alone."""
        if name not in self.targets:
            raise SimError(f"target '{name}' does not exist", 404)
        message = f"This is a test of the notification target '{name}'."
        self._send([name], Event('info', 'Test notification', message, timestamp, {}))

    def emit(self, event: Event) -> list[threading.Thread]:
        """Deliver the event to every webhook its matchers route it to (one thread each); returns them."""
        names = {name for m in self.matchers.values() if not m.disable and m.matches(event) for name in m.targets}
        return self._send(sorted(names), event)

    def _send(self, names: list[str], event: Event) -> list[threading.Thread]:
        threads = []
        for name in names:
            target = self.targets.get(name)
            if target is None or target.disable:
                continue
            thread = threading.Thread(target=self._deliver, args=(target, event), name=f'webhook-{name}', daemon=True)
            thread.start()
            threads.append(thread)
        self._threads = [t for t in self._threads if t.is_alive()] + threads
        return threads

    def wait(self, timeout: float = 10) -> None:
        for thread in list(self._threads):
            thread.join(timeout)

    def _deliver(self, target: WebhookTarget, event: Event) -> None:
        secrets = {name: _decode(value, name) for name, value in target.secrets}
        url = render(target.url, event, secrets)
        body = render(_decode(target.body, 'body'), event, secrets).encode() if target.body else None
        data = body if target.method != 'get' else None
        request = urllib.request.Request(url, data=data, method=target.method.upper())
        for name, value in target.headers:
            request.add_header(name, render(_decode(value, name), event, secrets))
        outcome: dict[str, Any] = {'target': target.name, 'type': event.fields.get('type'), 'url': url}
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (the admin's URL)
                outcome['status'] = response.status
        except urllib.error.HTTPError as error:
            outcome['status'], outcome['error'] = error.code, error.reason
        except (urllib.error.URLError, OSError) as error:
            outcome['status'], outcome['error'] = None, str(error)
        self.deliveries.append(outcome)

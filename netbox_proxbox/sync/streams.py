"""
A run's events, relayed through Redis: one Redis stream per run, whose entry ids are the event
numbers (`0-<n>`), so `Last-Event-ID: n` resumes exactly after event n. The stream expires
`event_stream_ttl` seconds after its last event; the SyncRun keeps a copy of every event, so a
run stays readable after that.

Keys live under `proxbox:<database>:run:<id>:`, so NetBox installations (or test databases)
sharing one Redis never read each other's runs.
"""

import json
from dataclasses import dataclass

import django_rq
from django.conf import settings
from django.db import connection

__all__ = ('RunEvent', 'RunKeys', 'RunStream', 'redis')

# Events kept from a stream's start; a run has a few per stage plus one per written batch.
MAX_EVENTS = 100_000


def redis():
    """NetBox's own Redis (the tasks database, where its RQ queues live)."""
    return django_rq.get_connection('default')


def event_stream_ttl():
    return settings.PLUGINS_CONFIG['netbox_proxbox']['event_stream_ttl']


@dataclass(frozen=True, slots=True)
class RunEvent:
    id: int
    event: str
    data: dict

    def to_json(self):
        return {'id': self.id, 'event': self.event, 'data': self.data}

    @classmethod
    def from_json(cls, item):
        return cls(int(item['id']), item['event'], item.get('data') or {})

    def to_sse(self):
        return f'id: {self.id}\nevent: {self.event}\ndata: {json.dumps(self.data, default=str)}\n\n'


class RunKeys:
    """The Redis keys of one run."""

    def __init__(self, run_id):
        self.prefix = f'proxbox:{connection.settings_dict["NAME"]}:run:{run_id}'

    @property
    def events(self):
        return f'{self.prefix}:events'

    @property
    def heartbeat(self):
        return f'{self.prefix}:heartbeat'

    @property
    def cancel(self):
        return f'{self.prefix}:cancel'


class RunStream:
    """Append to and read from one run's event stream."""

    def __init__(self, run_id, conn=None):
        self.keys = RunKeys(run_id)
        self.conn = conn or redis()

    def append(self, event):
        pipe = self.conn.pipeline()
        fields = {'event': event.event, 'data': json.dumps(event.data, default=str)}
        pipe.xadd(self.keys.events, fields, id=f'0-{event.id}')
        pipe.expire(self.keys.events, event_stream_ttl())
        pipe.execute()

    def exists(self):
        return bool(self.conn.exists(self.keys.events))

    def after(self, last_id, block_ms=None):
        """Events after number `last_id`; with `block_ms`, wait that long for the first one."""
        if block_ms is None:
            entries = self.conn.xrange(self.keys.events, min=f'(0-{last_id}', max='+', count=MAX_EVENTS)
        else:
            answer = self.conn.xread({self.keys.events: f'0-{last_id}'}, block=block_ms, count=1000)
            entries = answer[0][1] if answer else []
        return [self._decode(entry_id, fields) for entry_id, fields in entries]

    @staticmethod
    def _decode(entry_id, fields):
        entry_id = entry_id.decode() if isinstance(entry_id, bytes) else entry_id
        fields = {(k.decode() if isinstance(k, bytes) else k): v for k, v in fields.items()}
        data = fields['data']
        return RunEvent(
            int(entry_id.split('-')[1]),
            fields['event'].decode() if isinstance(fields['event'], bytes) else fields['event'],
            json.loads(data),
        )

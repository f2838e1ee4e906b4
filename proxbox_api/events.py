"""Progress events of a sync run, as streamed over Server-Sent Events.

Types: ``run_started``, ``stage_started``, ``progress`` (done/total), ``stage_finished`` (counts,
duration), ``warning``, ``error``, ``run_finished`` (the result). Every event has an increasing id.
Secrets of the request are scrubbed from every string before an event leaves the service.
"""

import json
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any

__all__ = ['Emit', 'Event', 'EventSink', 'Redactor']


@dataclass(frozen=True, slots=True)
class Event:
    id: int
    event: str
    data: dict[str, Any]

    def to_sse(self) -> str:
        return f'id: {self.id}\nevent: {self.event}\ndata: {json.dumps(self.data, default=str)}\n\n'

    def to_json(self) -> dict[str, Any]:
        return {'id': self.id, 'event': self.event, 'data': self.data}


Emit = Callable[[str, dict[str, Any]], Awaitable[None]]


class Redactor:
    """Replaces every known secret in any string, however deeply nested."""

    def __init__(self, secrets: Iterable[str]) -> None:
        self.secrets = sorted({s for s in secrets if s and len(s) >= 4}, key=len, reverse=True)

    def __call__(self, value: Any) -> Any:
        if isinstance(value, str):
            for secret in self.secrets:
                value = value.replace(secret, '********')
            return value
        if isinstance(value, dict):
            return {key: self(item) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return [self(item) for item in value]
        return value


class EventSink:
    """Numbers events, scrubs them, and hands them to a consumer (an SSE queue, a list, nothing)."""

    def __init__(self, redact: Redactor, consumer: Callable[[Event], Awaitable[None]] | None = None) -> None:
        self.redact, self.consumer = redact, consumer
        self.next_id = 1
        self.events: list[Event] = []

    async def __call__(self, event: str, data: dict[str, Any]) -> None:
        item = Event(self.next_id, event, self.redact(data))
        self.next_id += 1
        self.events.append(item)
        if self.consumer is not None:
            await self.consumer(item)

"""The notification inbox: Proxmox VE's webhook events, kept until the plugin fetches them.

``POST /v1/notify`` (Proxmox's webhook target, with the notify key) parses an event and keeps it here;
the plugin's continuous job reads ``GET /v1/notifications?after=N`` every few seconds and syncs the
guests (or the node) each event names. The inbox is memory of this process, bounded
(``notification_buffer``): ``instance`` changes when the service restarts and ``lost`` says events the
caller had not seen were dropped, so the caller knows to fall back on a poll or a Full Update.
"""

import threading
import uuid
from collections import deque
from datetime import UTC, datetime

from pydantic import BaseModel, Field

from .proxmox.notification import NotificationEvent

__all__ = ['Inbox', 'InboxPage', 'KeptNotification']


class KeptNotification(NotificationEvent):
    seq: int = Field(description='Its number in this inbox (1, 2, ...)')
    received: datetime


class InboxPage(BaseModel):
    instance: str = Field(description='Changes when proxbox-api restarts (the numbering starts again)')
    next: int = Field(description='Send as `after` next time')
    lost: bool = Field(description='Events after `after` were dropped (the inbox is bounded), or it restarted')
    items: list[KeptNotification]


class Inbox:
    def __init__(self, size: int) -> None:
        self.instance = uuid.uuid4().hex
        self._items: deque[KeptNotification] = deque(maxlen=size)
        self._seq = 0
        self._lock = threading.Lock()

    def add(self, event: NotificationEvent) -> KeptNotification:
        with self._lock:
            self._seq += 1
            kept = KeptNotification(**event.model_dump(), seq=self._seq, received=datetime.now(UTC))
            self._items.append(kept)
            return kept

    def page(self, after: int, instance: str | None = None, limit: int = 500) -> InboxPage:
        """The events after ``after`` (``instance``: the one the caller's ``after`` counts in)."""
        with self._lock:
            restarted = instance is not None and instance != self.instance
            start = 0 if restarted else after
            oldest = self._items[0].seq if self._items else self._seq + 1
            items = [item for item in self._items if item.seq > start][:limit]
            lost = (restarted and after > 0) or start + 1 < oldest or start > self._seq
            following = items[-1].seq if items else self._seq
            return InboxPage(instance=self.instance, next=following, lost=lost, items=items)

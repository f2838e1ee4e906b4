"""
Test helpers for Full Update (tests/plugin/test_sync_*.py): runs in a given state, Redis cleanup
for the run keys a test made, and reading a streamed (SSE) response.
"""

from django.db import connection

from netbox_proxbox.models import SyncRun
from netbox_proxbox.sync.client import iter_sse
from netbox_proxbox.sync.streams import redis

__all__ = ('PLAN', 'clear_run_keys', 'make_run', 'sse_events')

# A small stored plan, as a preview keeps it.
PLAN = {
    'digest': 'feedc0ffee123456',
    'summary': {'virtualization.virtualmachine': {'create': 1, 'update': 1, 'mark': 1, 'conflict': 1, 'unchanged': 7}},
    'operations': [
        {'action': 'create', 'kind': 'virtualization.virtualmachine', 'key': 'pve:a/guest/101', 'display': 'web-1',
         'attrs': {'name': 'web-1', 'memory': 2048, 'cluster': {'$ref': ['virtualization.cluster', 'pve:a']}}},
        {'action': 'update', 'kind': 'virtualization.virtualmachine', 'key': 'pve:a/guest/102', 'id': 7,
         'display': 'db-1', 'changes': {'memory': {'old': 1024, 'new': 4096}, 'name': {'old': 'db', 'new': 'db-1'}}},
        {'action': 'mark', 'kind': 'virtualization.virtualmachine', 'key': 'pve:a/guest/103', 'id': 8,
         'display': 'old-vm', 'reason': 'gone from Proxmox since 2026-01-01', 'changes': {}},
        {'action': 'conflict', 'kind': 'virtualization.virtualmachine', 'key': 'pve:a/guest/104',
         'display': 'HandMade', 'reason': 'VM HandMade (#9) was made by hand'},
    ],
}  # fmt: skip


def make_run(endpoints=(), **fields):
    run = SyncRun.objects.create(**{'trigger': 'api', **fields})
    run.endpoints.set(endpoints)
    return run


def clear_run_keys():
    """Delete every Redis key this test database's runs made."""
    conn = redis()
    keys = list(conn.scan_iter(match=f'proxbox:{connection.settings_dict["NAME"]}:*', count=1000))
    if keys:
        conn.delete(*keys)


def sse_events(response):
    """The events of a streamed text/event-stream response."""
    text = b''.join(response.streaming_content).decode()
    return list(iter_sse(text.splitlines()))

"""
Proxmox VE webhook notifications into proxbox-api: the body Proxbox documents is parsed into the
event's type, node and the guests it names (a replication job's guest from its id, a backup's from the
guest table and log Proxmox renders, none for a fencing or a test message); a body of another shape
gets a 422 that says what is wrong and is not kept. ``POST /v1/notify`` takes the notify key only
(never the API key; off when none is set), and the notify key opens nothing else. The inbox numbers
what it keeps, pages it (``after``), and says when the caller missed some (bounded, or restarted).
"""

import json
import secrets

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from proxbox_api.api import create_app
from proxbox_api.notifications import Inbox
from proxbox_api.proxmox.notification import NOTIFICATION_BODY, NotificationFormatError, parse_notification
from proxbox_api.settings import ServiceSettings
from proxmox_sim import notify

KEY = f'svc-key-{secrets.token_hex(16)}'
NOTIFY_KEY = f'notify-{secrets.token_hex(16)}'

# A vzdump message as Proxmox VE renders it for a backup job of two guests (table, then log).
BACKUP_MESSAGE = """Details
=======
VMID    Name       Status    Time     Size           Filename
100     web-01     ok        12s      1.153 GiB      /var/lib/vz/dump/vzdump-qemu-100-2026_12_07-01_00_02.vma.zst
2001    ct-db      ok        5s       310.2 MiB      /var/lib/vz/dump/vzdump-lxc-2001-2026_12_07-01_00_14.tar.zst

Total running time: 17s
Total size: 1.456 GiB

Logs
====
100: 2026-12-07 01:00:02 INFO: Starting Backup of VM 100 (qemu)
100: 2026-12-07 01:00:14 INFO: Finished Backup of VM 100 (00:00:12)
2001: 2026-12-07 01:00:14 INFO: Starting Backup of VM 2001 (lxc)
"""


def rendered(event: notify.Event) -> dict:
    """The documented body, rendered by the simulator's Proxmox template engine."""
    return json.loads(notify.render(NOTIFICATION_BODY, event, {}))


def body(kind='vzdump', message='', **fields):
    return {
        'severity': 'info',
        'timestamp': 1765069202,
        'title': 't',
        'message': message,
        'fields': {'type': kind, 'hostname': 'pve1', **fields},
    }


class TestParse:
    def test_a_backup_names_its_guests_from_the_table_and_the_log(self):
        event = parse_notification(body(message=BACKUP_MESSAGE, **{'job-id': 'backup-7d2e1a'}))
        assert (event.type, event.hostname, event.job_id, event.vmids) == (
            'vzdump',
            'pve1',
            'backup-7d2e1a',
            [100, 2001],
        )
        assert event.timestamp is not None and event.timestamp.year == 2025

    def test_the_documented_body_rendered_by_the_template_engine(self):
        event = notify.backup_event(
            'pve2', [(105, 'vm-105', 'qemu', 'local:backup/x.vma.zst', 2**30)], 1765069202, None
        )
        parsed = parse_notification(rendered(event))
        assert (parsed.type, parsed.hostname, parsed.vmids, parsed.severity) == ('vzdump', 'pve2', [105], 'info')
        assert parsed.title.startswith('vzdump backup status (pve2)')

    def test_a_replication_failure_names_the_guest_of_its_job(self):
        event = parse_notification(body('replication', 'failed', **{'job-id': '4711-0'}))
        assert (event.type, event.vmids, event.job_id) == ('replication', [4711], '4711-0')

    @pytest.mark.parametrize('kind', ['fencing', 'package-updates', 'system-mail'])
    def test_events_that_name_no_guest(self, kind):
        event = parse_notification(body(kind, 'Node pve1 was fenced. VMID 100 text that is not a table'))
        assert (event.type, event.hostname, event.vmids) == (kind, 'pve1', [])

    def test_a_test_message_has_no_fields(self):
        event = parse_notification({'severity': 'info', 'title': 'Test notification', 'message': 'x', 'fields': {}})
        assert (event.type, event.hostname, event.vmids) == ('unknown', None, [])

    def test_fields_at_the_top_level(self):
        event = parse_notification({'type': 'replication', 'hostname': 'pve3', 'job-id': '120-1'})
        assert (event.hostname, event.vmids) == ('pve3', [120])

    @pytest.mark.parametrize(
        ('value', 'says'),
        [
            ([], 'JSON object'),
            ({'fields': 'vzdump'}, 'fields must be an object'),
            ({'fields': {'type': ['vzdump']}}, 'fields.type must be a string'),
            ({'timestamp': 'yesterday', 'fields': {}}, 'timestamp must be seconds'),
        ],
    )
    def test_other_shapes_are_refused_with_the_reason(self, value, says):
        with pytest.raises(NotificationFormatError, match=says):
            parse_notification(value)


class TestInbox:
    def test_pages_in_order_and_moves_on(self):
        inbox = Inbox(10)
        for vmid in (100, 101, 102):
            inbox.add(parse_notification(body('replication', **{'job-id': f'{vmid}-0'})))
        page = inbox.page(0, limit=2)
        assert ([item.vmids for item in page.items], page.next, page.lost) == ([[100], [101]], 2, False)
        page = inbox.page(page.next, page.instance)
        assert ([item.seq for item in page.items], page.next, page.lost) == ([3], 3, False)
        empty = inbox.page(page.next, page.instance)
        assert (empty.items, empty.next, empty.lost) == ([], 3, False)

    def test_says_when_the_caller_missed_some(self):
        inbox = Inbox(2)
        for _ in range(5):
            inbox.add(parse_notification(body('fencing')))
        page = inbox.page(1, inbox.instance)
        assert ([item.seq for item in page.items], page.lost) == ([4, 5], True)
        restarted = Inbox(2)
        restarted.add(parse_notification(body('fencing')))
        page = restarted.page(5, inbox.instance)  # a cursor of the old process
        assert ([item.seq for item in page.items], page.lost, page.instance) == ([1], True, restarted.instance)


def client(**settings):
    return TestClient(create_app(ServiceSettings(api_key=KEY, **settings)), raise_server_exceptions=False)


class TestRoutes:
    def test_off_without_a_notify_key(self):
        with client() as api:
            response = api.post('/v1/notify', json=body(), headers={'X-API-Key': KEY})
            assert response.status_code == 401 and 'PROXBOX_API_NOTIFY_KEY' in response.json()['detail']

    def test_takes_the_notify_key_only_and_keeps_the_event(self):
        with client(notify_key=NOTIFY_KEY) as api:
            for headers in ({}, {'X-API-Key': KEY}, {'X-API-Key': NOTIFY_KEY[:-1]}):
                assert api.post('/v1/notify', json=body(), headers=headers).status_code == 401
            for path in ('/metrics', '/v1/notifications'):
                assert api.get(path, headers={'X-API-Key': NOTIFY_KEY}).status_code == 401  # opens nothing else
            sent = body(message=BACKUP_MESSAGE)
            accepted = api.post('/v1/notify', json=sent, headers={'X-API-Key': NOTIFY_KEY})
            assert accepted.status_code == 202, accepted.text
            assert (accepted.json()['seq'], accepted.json()['vmids']) == (1, [100, 2001])
            page = api.get('/v1/notifications', params={'after': 0}, headers={'X-API-Key': KEY}).json()
            assert [(item['type'], item['hostname'], item['vmids']) for item in page['items']] == [
                ('vzdump', 'pve1', [100, 2001])
            ]
            assert page['next'] == 1 and not page['lost'] and page['items'][0]['cluster'] is None
            named = api.post('/v1/notify', params={'cluster': 'pve-a'}, json=sent, headers={'X-API-Key': NOTIFY_KEY})
            assert named.status_code == 202 and named.json()['cluster'] == 'pve-a'

    def test_a_bad_body_is_refused_and_not_kept(self):
        with client(notify_key=NOTIFY_KEY) as api:
            headers = {'X-API-Key': NOTIFY_KEY}
            assert api.post('/v1/notify', content=b'not json', headers=headers).status_code == 400
            refused = api.post('/v1/notify', json={'fields': 'x'}, headers=headers)
            assert refused.status_code == 422 and 'fields must be an object' in refused.json()['detail']
            assert api.get('/v1/notifications', headers={'X-API-Key': KEY}).json()['items'] == []

    @pytest.mark.parametrize('key', ['short', KEY])
    def test_the_notify_key_is_long_and_its_own(self, key):
        with pytest.raises(ValidationError, match='PROXBOX_API_NOTIFY_KEY'):
            ServiceSettings(api_key=KEY, notify_key=key)

"""
The simulator's notification system, driven through Proxmox VE's own API paths with a real client
(proxmoxer): a webhook target (base64 header, secret and body, as Proxmox stores them; secrets never
read back) and a matcher route a backup's ``vzdump`` event and a failed replication's event to a
receiver on loopback, rendered by Proxmox's template language; a matcher's rules (field, severity)
filter what is sent; a target's Test button sends a test message; releases before 8.3 have no webhook
target; bad parameters get Proxmox's error. Every answer validates against Proxmox's schema.
"""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jsonschema
import pytest
from proxmoxer import ProxmoxAPI
from proxmoxer.core import ResourceException

from proxmox_sim import Fleet, SimServer, notify

from .conftest import make_fleet
from .test_schema import returns

BODY = (
    '{"severity": "{{ severity }}", "title": {{ json title }}, "message": {{ json message }}, '
    '"fields": {{ json fields }}}'
)


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


class Receiver:
    """A webhook receiver on loopback: keeps each request's method, path, headers and JSON body."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        received = self.received

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get('content-length', 0))
                received.append({'path': self.path, 'headers': {k.lower(): v for k, v in self.headers.items()},
                                 'body': json.loads(self.rfile.read(length))})  # fmt: skip
                self.send_response(202)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(('127.0.0.1', 0), Handler)
        self.url = f'http://127.0.0.1:{self.server.server_address[1]}'
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    running = Receiver()
    yield running
    running.server.shutdown()


def add_webhook(api: ProxmoxAPI, receiver: Receiver, name: str = 'proxbox', **extra: Any) -> None:
    api.cluster.notifications.endpoints.webhook.post(
        name=name,
        url=receiver.url + '/v1/notify?node={{ url-encode fields.hostname }}',
        method='post',
        header=[
            f'name=X-API-Key,value={b64("{{ secrets.key }}")}',
            f'name=Content-Type,value={b64("application/json")}',
        ],
        secret=[f'name=key,value={b64("notify-key-0123456789")}'],
        body=b64(BODY),
        **extra,
    )


def test_a_backup_and_a_failed_replication_reach_the_webhook(fleet: Fleet, api: ProxmoxAPI, receiver: Receiver) -> None:
    add_webhook(api, receiver)
    api.cluster.notifications.matchers.post(name='to-proxbox', target=['proxbox'])
    guest = next(g for g in fleet.cluster().guests.values())
    backup = fleet.add_backup(guest.vmid)
    job = fleet.cluster().replication[0]
    fleet.fail_replication(job.id, 'no route to host')
    fleet.cluster().notifications.wait()
    replication_call, backup_call = sorted(receiver.received, key=lambda call: call['body']['fields']['type'])
    assert backup_call['headers']['x-api-key'] == 'notify-key-0123456789'
    assert backup_call['path'] == f'/v1/notify?node={guest.node}'
    sent = backup_call['body']
    assert sent['fields'] == {'type': 'vzdump', 'hostname': guest.node} and sent['severity'] == 'info'
    assert f'Starting Backup of VM {guest.vmid}' in sent['message'] and backup.volid in sent['message']
    node = fleet.cluster().guests[job.guest].node
    assert replication_call['body']['fields'] == {'type': 'replication', 'hostname': node, 'job-id': job.id}
    assert replication_call['body']['severity'] == 'error'
    assert [d['status'] for d in fleet.cluster().notifications.deliveries] == [202, 202]


def test_the_configuration_reads_back_without_secret_values(api: ProxmoxAPI, receiver: Receiver) -> None:
    add_webhook(api, receiver, comment='to proxbox-api')
    api.cluster.notifications.matchers.post(
        name='backups', target=['proxbox'], **{'match-field': ['exact:type=vzdump'], 'match-severity': ['info']}
    )
    targets = api.cluster.notifications.endpoints.webhook.get()
    jsonschema.validate(targets, returns('/cluster/notifications/endpoints/webhook'))
    (target,) = targets
    assert target['secret'] == ['name=key'] and 'notify-key' not in json.dumps(target)
    assert base64.b64decode(target['body']).decode() == BODY and target['comment'] == 'to proxbox-api'
    matchers = api.cluster.notifications.matchers.get()
    jsonschema.validate(matchers, returns('/cluster/notifications/matchers'))
    assert matchers[0]['match-field'] == ['exact:type=vzdump']
    assert api.cluster.notifications.endpoints.webhook('proxbox').get()['name'] == 'proxbox'
    api.cluster.notifications.endpoints.webhook('proxbox').delete()
    assert api.cluster.notifications.endpoints.webhook.get() == []


def test_matcher_rules_filter_what_is_sent(fleet: Fleet, api: ProxmoxAPI, receiver: Receiver) -> None:
    add_webhook(api, receiver)
    api.cluster.notifications.matchers.post(name='errors', target=['proxbox'], **{'match-severity': ['error']})
    fleet.add_backup(next(iter(fleet.cluster().guests)))  # info: not routed
    fleet.fail_replication(fleet.cluster().replication[0].id, 'boom')
    fleet.cluster().notifications.wait()
    assert [call['body']['fields']['type'] for call in receiver.received] == ['replication']
    matcher = notify.Matcher('m', match_field=['regex:hostname=^nomatch'], invert=True)
    assert matcher.matches(notify.Event('info', 't', 'm', 0, {'hostname': 'pve1'}))


def test_the_test_button(fleet: Fleet, api: ProxmoxAPI, receiver: Receiver) -> None:
    add_webhook(api, receiver)
    api.cluster.notifications.targets('proxbox').test.post()
    fleet.cluster().notifications.wait()
    (call,) = receiver.received
    assert call['body']['title'] == 'Test notification' and call['body']['fields'] == {}


def test_bad_parameters_get_proxmox_errors(api: ProxmoxAPI, receiver: Receiver) -> None:
    with pytest.raises(ResourceException) as bad:
        api.cluster.notifications.endpoints.webhook.post(name='x', url=receiver.url, method='post', body='%%%')
    assert bad.value.status_code == 400 and 'base64' in str(bad.value)
    with pytest.raises(ResourceException) as bad:
        api.cluster.notifications.endpoints.webhook.post(name='x', url=receiver.url, method='patch')
    assert bad.value.status_code == 400
    add_webhook(api, receiver)
    with pytest.raises(ResourceException) as twice:
        add_webhook(api, receiver)
    assert twice.value.status_code == 500 and 'already exists' in str(twice.value)


def test_no_webhook_target_before_8_3() -> None:
    with SimServer(make_fleet(pve_version='8.2')) as server:
        api = ProxmoxAPI(**server.endpoints[0].proxmoxer_kwargs('token'))
        with pytest.raises(ResourceException) as missing:
            api.cluster.notifications.endpoints.webhook.get()
        assert missing.value.status_code == 501

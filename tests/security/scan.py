"""
The secret scan: distinctive random secrets, and collectors that gather every text a person or a
program can get out of Proxbox after a sync (REST API, pages, GraphQL, change log, jobs, runs,
event streams, log lines) into one `Scan`, which reports where any secret shows up.
"""

import json
import secrets
from dataclasses import dataclass, field

from django.urls import reverse

from core.models import Job, ObjectChange

from netbox_proxbox.models import SyncRun

from .routes import Access, api_routes, ui_routes

__all__ = ('Scan', 'Secrets', 'collect_api', 'collect_graphql', 'collect_pages', 'collect_records')

# Event streams that follow a live service forever; their content is read by the test through the
# generator behind them, with a time limit (see collect_service_log in the test).
ENDLESS = {'service_log_stream'}


@dataclass(frozen=True)
class Secrets:
    """One of each credential Proxbox handles, random and tagged so no other text can contain it."""

    proxmox_token: str = field(default_factory=lambda: f'pxb-scan-pvetoken-{secrets.token_hex(16)}')
    proxmox_password: str = field(default_factory=lambda: f'pxb-scan-pvepass-{secrets.token_hex(16)}')
    api_key: str = field(default_factory=lambda: f'pxb-scan-apikey-{secrets.token_hex(16)}')
    netbox_token: str = ''  # NetBox makes it (a v2 token's secret part is random)

    def items(self):
        return [(name, value) for name, value in vars(self).items() if value]


@dataclass
class Scan:
    secrets: Secrets
    texts: list[tuple[str, str, str]] = field(default_factory=list)  # (channel, where, text)

    def add(self, channel, where, content):
        text = content if isinstance(content, str) else json.dumps(content, default=str)
        self.texts.append((channel, where, text))

    def channels(self):
        return sorted({channel for channel, _, _ in self.texts})

    def findings(self):
        found = []
        for channel, where, text in self.texts:
            for name, value in self.secrets.items():
                if value in text:
                    at = text.index(value)
                    found.append(f'{name} in {channel} {where}: ...{text[max(at - 80, 0) : at + 40]!r}...')
        return found


def _streamed(response):
    if getattr(response, 'streaming', False):
        return b''.join(response.streaming_content).decode()
    return response.content.decode()


def _instance_url(route, objects):
    kwargs = {'pk': objects[route.model].pk} if route.takes_pk else {}
    return reverse(route.viewname, kwargs=kwargs)


def collect_api(scan, client, objects):
    """Every GET of the plugin's REST API (lists and details, full and brief, the event stream, status)."""
    for route in api_routes():
        if route.method != 'get' or (route.takes_pk and route.model not in objects):
            continue
        url = _instance_url(route, objects)
        for query in ('', '?brief=1', '?limit=0'):
            if query and route.access == Access.INDEX:
                continue
            response = client.get(url + query, HTTP_ACCEPT='application/json, text/event-stream')
            assert response.status_code == 200, (url, response.status_code)
            scan.add('api', url + query, _streamed(response))


def collect_pages(scan, client, objects):
    """Every page of the plugin (lists, details, edit and delete forms, tabs, plans, event streams)."""
    for route in ui_routes():
        if route.method != 'get' or route.name in ENDLESS or (route.takes_pk and route.model not in objects):
            continue
        url = _instance_url(route, objects)
        for query in ('', '?export=table') if route.name.endswith('_list') else ('',):
            response = client.get(url + query)
            assert response.status_code in (200, 302), (url, response.status_code)
            scan.add('page', url + query, _streamed(response))


def _unwrap(kind):
    while kind.get('ofType'):
        kind = kind['ofType']
    return kind


TYPE_QUERY = '{ __type(name: "%s") { fields { name type { kind name ofType { kind name ofType { kind name '
TYPE_QUERY += 'ofType { kind name } } } } } } }'
ROOT_QUERY = '{ __schema { queryType { fields { name type { kind name ofType { kind name ofType { kind name '
ROOT_QUERY += 'ofType { kind name } } } } } } } }'


def collect_graphql(scan, client, header):
    """Every Proxbox list in GraphQL, asking for every scalar field of its type; returns the empty lists."""

    def ask(query):
        response = client.post(reverse('graphql'), {'query': query}, format='json', **header)
        assert response.status_code == 200, response.content
        return response.json()

    roots = ask(ROOT_QUERY)['data']['__schema']['queryType']['fields']
    lists = [f for f in roots if f['name'].startswith('proxbox_') and f['name'].endswith('_list')]
    assert len(lists) >= 13, [f['name'] for f in lists]
    empty = []
    for root in lists:
        type_name = _unwrap(root['type'])['name']
        fields = ask(TYPE_QUERY % type_name)['data']['__type']['fields']
        scalars = [f['name'] for f in fields if _unwrap(f['type'])['kind'] in ('SCALAR', 'ENUM')]
        answer = ask(f'{{ {root["name"]} {{ {" ".join(scalars)} }} }}')
        assert 'errors' not in answer, (root['name'], answer.get('errors'))
        if not answer['data'][root['name']]:
            empty.append(root['name'])
        scan.add('graphql', root['name'], answer)
    return empty


def collect_records(scan):
    """What Proxbox and NetBox stored: change log, background jobs, sync runs (events, plan, errors)."""
    for change in ObjectChange.objects.all():
        data = [change.object_repr, change.message, change.prechange_data, change.postchange_data]
        scan.add('changelog', f'#{change.pk} {change.changed_object_type}', data)
    for job in Job.objects.all():
        scan.add('job', f'#{job.pk} {job.name}', [job.data, job.error, job.log_entries])
    for run in SyncRun.objects.all():
        scan.add('run', f'#{run.pk}', [run.events, run.plan, run.error_summary, run.counts])
        scan.add('exception', f'run #{run.pk}', run.error_summary)
        scan.add('sse', f'run #{run.pk} events', [e for e in run.events if e['event'] in ('error', 'warning')])

"""
Contract: reading NetBox's current state (``engine.netbox_state.read_current``) asks NetBox cheaply.

Proxbox's own objects are read once per kind (``tag=proxbox``, only the compared fields, no field
twice, and no ``tags``: the tags other than ``proxbox`` come from ``/api/extras/tagged-objects/``,
or inline when NetBox refuses that list); the conflict reads (people's VMs in our clusters, clusters
and devices with our names) ask only for objects *without* the ``proxbox`` tag, so a large fleet is
not read twice; shared objects are asked for by slug with their compared fields only. Pure: the real
client over httpx.MockTransport.
"""

import json
from typing import Any

import httpx

from proxbox_api.engine.kinds import kind_spec
from proxbox_api.engine.netbox_state import read_current
from proxbox_api.engine.records import Desired, Scope
from proxbox_api.engine.state import DesiredState
from proxbox_api.netbox import NetBoxClient

from .helpers import TOKEN_V2, URL

VM_PATH = '/api/virtualization/virtual-machines/'
CLUSTER_PATH = '/api/virtualization/clusters/'
TAGGED_PATH = '/api/extras/tagged-objects/'
PROXBOX = [{'id': 1, 'slug': 'proxbox', 'name': 'Proxbox'}]
PINNED = {'id': 2, 'slug': 'proxbox-pinned', 'name': 'Pinned'}
WEB = {'id': 3, 'slug': 'pve-web', 'name': 'pve:web'}

OUR_CLUSTER = {
    'id': 7, 'name': 'alpha', 'type': {'id': 2}, 'status': {'value': 'active'}, 'scope_type': None, 'scope_id': None,
    'custom_fields': {'proxbox_id': 'pve:alpha'}, 'tags': PROXBOX,
}  # fmt: skip
OUR_VM = {
    'id': 11, 'name': 'web-1', 'cluster': {'id': 7}, 'status': {'value': 'active'}, 'vcpus': 2.0, 'memory': 2048,
    'custom_fields': {'proxbox_id': 'pve:alpha/guest/100'}, 'tags': [*PROXBOX, PINNED, WEB],
}  # fmt: skip
TAGGED_BY_HAND = {'id': 12, 'name': 'tagged', 'cluster': {'id': 7}, 'custom_fields': {}, 'tags': PROXBOX}
THEIR_VM = {'id': 13, 'name': 'Legacy', 'cluster': {'id': 7}, 'custom_fields': {}, 'tags': []}


class StateNetBox:
    """Answers the reads ``read_current`` makes; honours ``tag``, ``tag__n``, ``cluster_id`` and ``fields``."""

    def __init__(self, tagged_status: int = 200) -> None:
        self.tagged_status = tagged_status
        self.tables: dict[str, list[dict[str, Any]]] = {
            '/api/extras/tags/': [{'id': 1, 'slug': 'proxbox', 'name': 'Proxbox', 'color': '9e9e9e'}],
            '/api/extras/custom-fields/': [{'id': 1, 'name': 'proxbox_id'}],
            CLUSTER_PATH: [OUR_CLUSTER],
            VM_PATH: [OUR_VM, TAGGED_BY_HAND, THEIR_VM],
        }
        self.requests: list[tuple[str, dict[str, list[str]]]] = []

    def handle(self, request: httpx.Request) -> httpx.Response:
        params: dict[str, list[str]] = {}
        for name, value in request.url.params.multi_items():
            params.setdefault(name, []).append(value)
        self.requests.append((request.url.path, params))
        if request.url.path == TAGGED_PATH:
            return self.tagged(params)
        rows = [row for row in self.tables.get(request.url.path, []) if self._matches(row, params)]
        if 'fields' in params:
            wanted = params['fields'][0].split(',')
            rows = [{name: row.get(name) for name in wanted} for row in rows]
        return httpx.Response(200, json={'count': len(rows), 'results': rows})

    def tagged(self, params: dict[str, list[str]]) -> httpx.Response:
        """``/api/extras/tagged-objects/``: one row per (object, tag), by ``object_type``, without ``tag__n``."""
        if self.tagged_status != 200:
            return httpx.Response(self.tagged_status, json={'detail': 'You do not have permission.'})
        path = {'virtualization.virtualmachine': VM_PATH, 'virtualization.cluster': CLUSTER_PATH}.get(
            params['object_type'][0], ''
        )
        rows = [
            {'object_id': row['id'], 'tag': tag}
            for row in self.tables.get(path, [])
            for tag in row.get('tags') or []
            if tag['slug'] not in params.get('tag__n', [])
        ]
        return httpx.Response(200, json={'count': len(rows), 'results': rows})

    @staticmethod
    def _matches(row: dict[str, Any], params: dict[str, list[str]]) -> bool:
        slugs = {tag['slug'] for tag in row.get('tags') or []}
        if 'tag' in params and not set(params['tag']) <= slugs:
            return False
        if 'tag__n' in params and set(params['tag__n']) & slugs:
            return False
        if 'cluster_id' in params and str((row.get('cluster') or {}).get('id')) not in params['cluster_id']:
            return False
        for name in ('slug', 'name'):
            if name in params and row.get(name) not in params[name]:
                return False
        return True

    def reads(self, path: str) -> list[dict[str, list[str]]]:
        return [params for seen, params in self.requests if seen == path]


def desired() -> DesiredState:
    scope = Scope('pve:alpha')
    cluster = Desired('virtualization.cluster', 'pve:alpha', {'name': 'alpha'}, scope)
    tag = Desired('extras.tag', 'proxbox', {'name': 'Proxbox', 'slug': 'proxbox'}, scope)
    objects = {'virtualization.cluster': {'pve:alpha': cluster}, 'extras.tag': {'proxbox': tag}}
    return DesiredState(objects=objects, clusters=frozenset({'pve:alpha'}))


async def read(tagged_status: int = 200) -> tuple[StateNetBox, Any]:
    fake = StateNetBox(tagged_status)
    async with NetBoxClient(URL, TOKEN_V2, transport=httpx.MockTransport(fake.handle)) as client:
        current = await read_current(client, desired())
    return fake, current


async def test_owned_objects_are_read_once_with_only_the_compared_fields() -> None:
    fake, current = await read()
    owned_reads = [params for params in fake.reads(VM_PATH) if params.get('tag') == ['proxbox']]
    assert len(owned_reads) == 1
    fields = owned_reads[0]['fields'][0].split(',')
    assert len(fields) == len(set(fields))
    assert {'id', 'name', 'cluster', 'vcpus', 'primary_ip4', 'custom_fields'} <= set(fields)
    assert 'tags' not in fields and 'config_context' not in fields and 'url' not in fields
    vms = current.objects['virtualization.virtualmachine']
    assert list(vms) == ['pve:alpha/guest/100']
    assert vms['pve:alpha/guest/100'].id == 11 and vms['pve:alpha/guest/100'].attrs['cluster'] == 7


async def test_other_tags_come_from_tagged_objects() -> None:
    """Tags other than ``proxbox``, for every owned kind, in one light list per kind."""
    fake, current = await read()
    vm = current.objects['virtualization.virtualmachine']['pve:alpha/guest/100']
    assert vm.attrs['tags'] == ['proxbox', 'proxbox-pinned', 'pve-web'] and vm.pinned
    assert current.objects['virtualization.cluster']['pve:alpha'].attrs['tags'] == ['proxbox']
    tagged = fake.reads(TAGGED_PATH)
    assert {params['object_type'][0] for params in tagged} >= {'virtualization.virtualmachine', 'dcim.macaddress'}
    assert all(params['tag__n'] == ['proxbox'] and params['fields'] == ['object_id,tag'] for params in tagged)


async def test_tags_are_read_inline_when_tagged_objects_are_refused() -> None:
    fake, current = await read(tagged_status=403)
    owned_reads = [params for params in fake.reads(VM_PATH) if params.get('tag') == ['proxbox']]
    assert 'tags' in owned_reads[0]['fields'][0].split(',')
    vm = current.objects['virtualization.virtualmachine']['pve:alpha/guest/100']
    assert vm.attrs['tags'] == ['proxbox', 'proxbox-pinned', 'pve-web'] and vm.pinned


async def test_conflict_reads_skip_proxbox_objects() -> None:
    """People's VMs in our clusters come from a ``tag__n=proxbox`` read; a tagged one without an identity
    comes from the owned read."""
    fake, current = await read()
    conflict_reads = [params for params in fake.reads(VM_PATH) if 'cluster_id' in params]
    assert conflict_reads == [
        {'ordering': ['id'], 'tag__n': ['proxbox'], 'cluster_id': ['7'], 'fields': conflict_reads[0]['fields'],
         'limit': ['1000'], 'offset': ['0']}
    ]  # fmt: skip
    by_name = [params for params in fake.reads(CLUSTER_PATH) if 'name' in params]
    assert by_name and all(params['tag__n'] == ['proxbox'] for params in by_name)
    unowned = current.unowned['virtualization.virtualmachine']
    assert set(unowned) == {(7, 'legacy'), (7, 'tagged')}
    assert unowned[(7, 'legacy')].id == 13 and not unowned[(7, 'legacy')].owned


async def test_shared_objects_are_read_by_slug_with_their_fields() -> None:
    fake, current = await read()
    tag_reads = [params for params in fake.reads('/api/extras/tags/') if params.get('fields') != ['id']]
    assert tag_reads == [
        {'ordering': ['id'], 'slug': ['proxbox'], 'fields': ['id,' + ','.join(kind_spec('extras.tag').fields)],
         'limit': ['1000'], 'offset': ['0']}
    ]  # fmt: skip
    assert current.objects['extras.tag']['proxbox'].id == 1
    assert json.dumps(current.objects['extras.tag']['proxbox'].attrs, sort_keys=True) == json.dumps(
        {'color': '9e9e9e', 'description': None, 'name': 'Proxbox', 'slug': 'proxbox'}, sort_keys=True
    )

"""Contract: against a real NetBox 4.7 (pytest-django ``live_server``), the client's bulk writes do what
the unit tests assume of NetBox.

A batch with one invalid site writes the valid ones and reports the invalid one with NetBox's own
message; ``changelog_message`` reaches ``core.ObjectChange.message`` on create, update and delete;
a delete of an ID that is already gone counts as done; paged reads honour ``fields``; a sync user
without permission gets a permission error per object, not an exception.

``serialized_rollback`` restores the rows migrations seed (object types, tags, custom fields) after
``transactional_db`` flushes the tables, so the kept test database stays usable for other suites.
"""

import asyncio
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from core.models import ObjectChange
from dcim.models import Site
from users.models import Token

from proxbox_api.netbox import NetBoxClient, NetBoxClientOptions, WriteResult

MESSAGE = 'proxbox sync run live-1'
V1_TOKEN = 'abcdefghijABCDEFGHIJ0123456789klmnopqrst'
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def make_token(username: str, superuser: bool) -> str:
    user = get_user_model().objects.create_user(username=username, password='x', is_superuser=superuser)
    if not superuser:
        return Token.objects.create(user=user, version=1, token=V1_TOKEN).token
    tok = Token.objects.create(user=user)
    return (tok.get_auth_header_prefix() + tok.token).removeprefix('Bearer ')


def run(url: str, token: str, work: Any) -> Any:
    async def go() -> Any:
        options = NetBoxClientOptions(batch_size=10, max_retries=0)
        async with NetBoxClient(url, token, options=options) as client:
            return await work(client)

    return asyncio.run(go())


def test_bulk_create_update_delete_against_real_netbox(live_server: Any) -> None:
    token = make_token('sync', superuser=True)
    sites = [{'name': f'Site {i}', 'slug': f'site-{i}'} for i in range(5)]
    sites[2]['slug'] = 'not a slug!'

    async def work(client: NetBoxClient) -> tuple[list[WriteResult], list[dict[str, Any]], dict[str, int]]:
        created = await client.bulk_create('dcim/sites', sites, changelog_message=MESSAGE)
        rows = await client.list('dcim/sites', fields=['id', 'name'])
        return created, rows, client.stats

    created, rows, stats = run(live_server.url, token, work)
    assert [r.ok for r in created] == [True, True, False, True, True]
    assert created[2].status == 400 and (created[2].error or '').startswith('slug: Enter a valid')
    assert sorted(Site.objects.values_list('name', flat=True)) == ['Site 0', 'Site 1', 'Site 3', 'Site 4']
    assert stats['POST'] == 2
    ids = [r.id for r in created if r.ok]
    assert [r['id'] for r in rows] == sorted(ids) and set(rows[0]) == {'id', 'name'}
    assert [r.data['slug'] for r in created if r.data] == ['site-0', 'site-1', 'site-3', 'site-4']

    async def change(client: NetBoxClient) -> tuple[list[WriteResult], list[WriteResult]]:
        updated = await client.bulk_update(
            'dcim/sites', [{'id': i, 'description': 'synced'} for i in ids], changelog_message=MESSAGE
        )
        deleted = await client.bulk_delete('dcim/sites', [ids[0], 999999], changelog_message=MESSAGE)
        return updated, deleted

    updated, deleted = run(live_server.url, token, change)
    assert all(r.ok and r.data and r.data['description'] == 'synced' for r in updated)
    assert [(r.ok, r.status) for r in deleted] == [(True, 204), (True, 404)]
    changes = ObjectChange.objects.filter(changed_object_id__in=ids)
    assert changes.count() == 4 + 4 + 1
    assert set(changes.values_list('message', flat=True)) == {MESSAGE}


def test_sync_user_without_permission_gets_per_object_permission_errors(live_server: Any) -> None:
    token = make_token('no-perms', superuser=False)

    async def work(client: NetBoxClient) -> list[WriteResult]:
        return await client.bulk_create('dcim/sites', [{'name': 'x', 'slug': 'x'}], changelog_message=MESSAGE)

    results = run(live_server.url, token, work)
    assert not results[0].ok and results[0].status == 403
    assert 'needs the "add" permission on dcim/sites/' in (results[0].error or '')
    assert V1_TOKEN not in (results[0].error or '')
    assert not Site.objects.exists()

"""Contract: with ``inside`` set, bulk writes go to the plugin's in-NetBox apply, one request per batch
(``{path, action, objects, changelog_message}``), keep the REST path's batching and groups, and come back
as one ``WriteResult`` per object from the apply's per-object answers; the capability probe answers None
where NetBox has no apply."""

import json
from typing import Any

import httpx

from proxbox_api.netbox import NetBoxClient, NetBoxClientOptions

MESSAGE = 'Proxbox sync #1 (test)'


def client(handler: Any, **options: Any) -> NetBoxClient:
    transport = httpx.MockTransport(handler)
    return NetBoxClient('https://nb.example', 'a' * 40, transport=transport, options=NetBoxClientOptions(**options))


async def test_batches_go_to_the_apply_with_per_object_outcomes() -> None:
    seen: list[dict[str, Any]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        seen.append({'url': request.url.path, **body})
        results = [
            {'index': i, 'ok': obj['name'] != 'bad', 'id': 100 + i if obj['name'] != 'bad' else None,
             'error': 'name: taken' if obj['name'] == 'bad' else None, 'status': 201 if obj['name'] != 'bad' else 400}
            for i, obj in enumerate(body['objects'])
        ]  # fmt: skip
        return httpx.Response(200, json={'results': results})

    async with client(handler, batch_size=2) as netbox:
        netbox.inside = True
        objects = [{'name': name} for name in ('a', 'bad', 'c')]
        results = await netbox.bulk_create('dcim/sites', objects, changelog_message=MESSAGE)
    assert [(r.ok, r.id, r.error) for r in results] == [
        (True, 100, None),
        (False, None, 'name: taken'),
        (True, 100, None),
    ]
    assert {s['url'] for s in seen} == {'/api/plugins/proxbox/apply/'}
    assert [s['path'] for s in seen] == ['/api/dcim/sites/'] * 2
    assert [len(s['objects']) for s in seen] == [2, 1]
    assert {s['changelog_message'] for s in seen} == {MESSAGE}
    assert all('changelog_message' not in obj for s in seen for obj in s['objects'])


async def test_a_refused_request_fails_every_object_and_stops_sending() -> None:
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(403, json={'detail': 'You do not have permission to add sites.'})

    async with client(handler, batch_size=1, write_concurrency=1) as netbox:
        netbox.inside = True
        results = await netbox.bulk_update('dcim/sites', [{'id': 1}, {'id': 2}], changelog_message=MESSAGE)
    assert [r.ok for r in results] == [False, False]
    assert len(calls) == 1
    assert 'not sent' in (results[1].error or '')


async def test_an_unreadable_answer_fails_its_objects() -> None:
    async with client(lambda request: httpx.Response(200, json={'oops': 1})) as netbox:
        netbox.inside = True
        (result,) = await netbox.bulk_delete('dcim/sites', [7], changelog_message=MESSAGE)
    assert not result.ok and 'unreadable' in (result.error or '')


async def test_capability_probe() -> None:
    answers = iter([httpx.Response(404, json={'detail': 'Not found.'}), httpx.Response(200, json={'version': 1})])
    async with client(lambda request: next(answers)) as netbox:
        assert await netbox.inside_capability() is None
        assert (await netbox.inside_capability()) == {'version': 1}

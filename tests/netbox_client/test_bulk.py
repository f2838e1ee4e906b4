"""Contract: bulk writes go out in batches, bounded, each object carrying the run's changelog message,
and come back as one ``WriteResult`` per object in the caller's order.

NetBox 4.7 rolls a whole batch back for one bad object and names it (``index`` or ``id``): the client
marks it failed with NetBox's message and resends the rest. A delete of an ID that is already gone
counts as done. A 409 (dependent objects) fails only the object named.
"""

import pytest

from proxbox_api.netbox import WriteResult

from .fake_netbox import FakeNetBox
from .helpers import MESSAGE, make, sites


async def test_batches_bounded_concurrency_and_results_in_order() -> None:
    fake = FakeNetBox(delay=0.01)
    client, _ = make(fake, batch_size=100, write_concurrency=2)
    results = await client.bulk_create('dcim/sites', sites(*(f's{i}' for i in range(450))), changelog_message=MESSAGE)
    assert [len(r.body) for r in fake.writes('POST')] == [100, 100, 100, 100, 50]
    assert fake.max_in_flight == 2
    assert all(r.ok and r.status == 201 for r in results)
    assert [r.index for r in results] == list(range(450))
    assert [r.data['name'] for r in results if r.data] == [f's{i}' for i in range(450)]
    assert [r.id for r in results] == [fake.objects[r.id]['id'] for r in results if r.id]
    assert client.stats == {'GET': 0, 'POST': 5, 'PATCH': 0, 'DELETE': 0, 'retries': 0}


async def test_every_object_carries_the_changelog_message_and_callers_dicts_are_untouched() -> None:
    fake = FakeNetBox()
    objects = sites('a', 'b')
    client, _ = make(fake)
    await client.bulk_create('dcim/sites', objects, changelog_message=MESSAGE)
    await client.bulk_update('dcim/sites', [{'id': 1, 'description': 'x'}], changelog_message=MESSAGE)
    await client.bulk_delete('dcim/sites', [1, 2], changelog_message=MESSAGE)
    for seen in fake.requests:
        assert {item['changelog_message'] for item in seen.body} == {MESSAGE}
    assert fake.writes('DELETE')[0].body == [
        {'id': 1, 'changelog_message': MESSAGE},
        {'id': 2, 'changelog_message': MESSAGE},
    ]
    assert objects == sites('a', 'b')


@pytest.mark.parametrize('message', ['', '   ', 'x' * 201])
async def test_changelog_message_is_required_and_fits_netbox(message: str) -> None:
    client, _ = make(FakeNetBox())
    with pytest.raises(ValueError, match='changelog_message'):
        await client.bulk_create('dcim/sites', sites('a'), changelog_message=message)


async def test_per_index_errors_fail_only_those_objects_and_the_rest_is_written() -> None:
    fake = FakeNetBox()
    client, _ = make(fake, batch_size=10)
    results = await client.bulk_create('dcim/sites', sites('a', 'bad1', 'b', 'bad2', 'c'), changelog_message=MESSAGE)
    assert [r.ok for r in results] == [True, False, True, False, True]
    assert results[1] == WriteResult(1, False, error='name: Enter a valid name.', status=400)
    assert sorted(o['name'] for o in fake.objects.values()) == ['a', 'b', 'c']
    assert [len(r.body) for r in fake.writes('POST')] == [5, 3]
    assert client.stats['retries'] == 0


async def test_duplicates_within_the_batch_and_against_netbox_are_named() -> None:
    fake = FakeNetBox()
    fake.seed(1)  # 'site-1' exists
    client, _ = make(fake)
    results = await client.bulk_create('dcim/sites', sites('bad', 'x', 'x', 'site-1'), changelog_message=MESSAGE)
    assert [r.ok for r in results] == [False, True, False, False]
    assert 'already exists' in (results[2].error or '')
    assert len(fake.writes('POST')) == 2


async def test_per_object_403_fails_that_object_only() -> None:
    fake = FakeNetBox(forbidden_names={'secret'})
    client, _ = make(fake)
    results = await client.bulk_create('dcim/sites', sites('a', 'secret'), changelog_message=MESSAGE)
    assert [r.ok for r in results] == [True, False]
    assert results[1].status == 403 and 'permission' in (results[1].error or '')


async def test_update_maps_results_by_id_and_names_missing_objects() -> None:
    fake = FakeNetBox()
    fake.seed(3)
    client, _ = make(fake)
    changes = [{'id': 1, 'description': 'one'}, {'id': 99, 'description': 'x'}, {'id': 3, 'description': 'three'}]
    results = await client.bulk_update('dcim/sites', changes, changelog_message=MESSAGE)
    assert [(r.ok, r.id) for r in results] == [(True, 1), (False, 99), (True, 3)]
    assert results[0].data and results[0].data['description'] == 'one'
    assert results[2].data and results[2].data['description'] == 'three'
    assert results[1].error == 'id: Object with ID 99 does not exist'


async def test_update_needs_integer_ids() -> None:
    client, _ = make(FakeNetBox())
    with pytest.raises(ValueError, match='integer "id"'):
        await client.bulk_update('dcim/sites', [{'name': 'x'}], changelog_message=MESSAGE)


async def test_delete_of_an_already_deleted_id_is_gone_not_failed() -> None:
    fake = FakeNetBox()
    fake.seed(3)
    client, _ = make(fake)
    results = await client.bulk_delete('dcim/sites', [1, 77, 3], changelog_message=MESSAGE)
    assert results == [
        WriteResult(0, True, id=1, status=204),
        WriteResult(1, True, id=77, status=404),
        WriteResult(2, True, id=3, status=204),
    ]
    assert list(fake.objects) == [2]


async def test_delete_conflict_fails_only_the_protected_object() -> None:
    fake = FakeNetBox(protected={2})
    fake.seed(3)
    client, _ = make(fake)
    results = await client.bulk_delete('dcim/sites', [1, 2, 3], changelog_message=MESSAGE)
    assert [r.ok for r in results] == [True, False, True]
    assert results[1].status == 409 and 'dependent object' in (results[1].error or '')
    assert list(fake.objects) == [2]


async def test_empty_input_sends_nothing() -> None:
    fake = FakeNetBox()
    client, _ = make(fake)
    assert await client.bulk_create('dcim/sites', [], changelog_message=MESSAGE) == []
    assert fake.requests == []


async def test_bulk_answers_are_slim_but_input_is_never_omitted() -> None:
    """POST and PATCH ask NetBox to leave read-only links and counts out of the answer (``?omit=``);
    a key the caller sends is never omitted, DELETE has no answer to slim, and the option turns it off."""
    fake = FakeNetBox()
    client, _ = make(fake)
    await client.bulk_create('dcim/sites', [{'name': 'a', 'slug': 'a', 'display': 'A'}], changelog_message=MESSAGE)
    await client.bulk_update('dcim/sites', [{'id': 1, 'description': 'x'}], changelog_message=MESSAGE)
    await client.bulk_delete('dcim/sites', [1], changelog_message=MESSAGE)
    post, patch, delete = fake.requests
    omitted = post.params['omit'].split(',')
    assert {'url', 'display_url', 'created', 'last_updated', 'config_context', 'interface_count'} <= set(omitted)
    assert 'display' not in omitted and not {'name', 'slug', 'id', 'tags', 'custom_fields'} & set(omitted)
    assert 'display' in patch.params['omit'].split(',')
    assert delete.params == {}
    other = FakeNetBox()
    plain, _ = make(other, slim_answers=False)
    await plain.bulk_create('dcim/sites', sites('b'), changelog_message=MESSAGE)
    assert 'omit' not in other.requests[0].params


async def test_a_group_stays_in_one_batch_unless_it_alone_is_larger() -> None:
    """``groups``: objects of a group (a VM's disks) never straddle two batches sent side by side;
    a group larger than a batch is cut in batch-size pieces; results stay in the caller's order."""
    fake = FakeNetBox(delay=0.01)
    client, _ = make(fake, batch_size=4, write_concurrency=2)
    groups = ['a', 'a', 'a', 'b', 'b', 'c', 'd', 'd', 'd', 'd', 'd', 'd']
    objects = sites(*(f'{group}{i}' for i, group in enumerate(groups)))
    results = await client.bulk_create('dcim/sites', objects, changelog_message=MESSAGE, groups=groups)
    batches = sorted(sorted(item['name'] for item in request.body) for request in fake.writes('POST'))
    assert batches == [['a0', 'a1', 'a2'], ['b3', 'b4', 'c5'], ['d10', 'd11'], ['d6', 'd7', 'd8', 'd9']]
    assert [r.index for r in results] == list(range(12)) and all(r.ok for r in results)
    assert [r.data['name'] for r in results if r.data] == [obj['name'] for obj in objects]


async def test_the_pieces_of_a_group_larger_than_a_batch_go_one_after_the_other() -> None:
    """Ten objects of one group, batches of four, two writes allowed at once: never two in flight."""
    fake = FakeNetBox(delay=0.01)
    client, _ = make(fake, batch_size=4, write_concurrency=2)
    objects = sites(*(f'x{i}' for i in range(10)))
    results = await client.bulk_create('dcim/sites', objects, changelog_message=MESSAGE, groups=['x'] * 10)
    assert [len(request.body) for request in fake.writes('POST')] == [4, 4, 2]
    assert fake.max_in_flight == 1
    assert [r.index for r in results] == list(range(10)) and all(r.ok for r in results)
    fake = FakeNetBox(delay=0.01)
    client, _ = make(fake, batch_size=4, write_concurrency=2)
    await client.bulk_create('dcim/sites', objects, changelog_message=MESSAGE, groups=[f'g{i}' for i in range(10)])
    assert fake.max_in_flight == 2  # distinct groups: batches side by side as usual

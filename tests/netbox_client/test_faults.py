"""Contract: the fault suite's NetBox faults fail only the objects they hit, and never duplicate one.

502/503 bursts and 429 (honouring Retry-After) retry the whole batch with backoff; retries used up
fail the batch's objects. A timeout after the request was sent is ambiguous: a create is resent only
for the objects a ``recover`` callback did not find (and not at all without one); updates and deletes
are resent. A 403 for the endpoint fails the batch, is not retried and stops the call's other batches.
"""

from typing import Any

from proxbox_api.netbox import NetBoxAuthError, NetBoxNotFound, NetBoxTimeout

from .fake_netbox import FakeNetBox
from .helpers import MESSAGE, make, sites


class FindByName:
    """The engine's recover: looks objects up by identity (here the name) in what NetBox holds."""

    def __init__(self, fake: FakeNetBox) -> None:
        self.fake, self.calls = fake, 0

    async def __call__(self, objects: list[dict[str, Any]]) -> list[dict[str, Any] | None]:
        self.calls += 1
        by_name = {o['name']: o for o in self.fake.objects.values()}
        return [by_name.get(o['name']) for o in objects]


async def test_502_503_burst_retries_the_batch_with_growing_backoff() -> None:
    fake = FakeNetBox(faults=[502, 503, 502])
    client, sleeps = make(fake, backoff_base=1.0, backoff_max=100.0)
    results = await client.bulk_create('dcim/sites', sites('a', 'b'), changelog_message=MESSAGE)
    assert all(r.ok for r in results) and len(fake.objects) == 2
    assert len(sleeps.delays) == 3 and client.stats['retries'] == 3 and client.stats['POST'] == 4
    assert 0.5 <= sleeps.delays[0] <= 1 and 1 <= sleeps.delays[1] <= 2 and 2 <= sleeps.delays[2] <= 4


async def test_429_waits_at_least_retry_after() -> None:
    fake = FakeNetBox(faults=[(429, {'Retry-After': '7'})])
    client, sleeps = make(fake)
    results = await client.bulk_update('dcim/sites', [], changelog_message=MESSAGE)
    assert results == []
    fake.seed(1)
    results = await client.bulk_update('dcim/sites', [{'id': 1, 'slug': 'x'}], changelog_message=MESSAGE)
    assert results[0].ok and sleeps.delays == [7.0]


async def test_retries_used_up_fail_only_that_batch() -> None:
    fake = FakeNetBox(faults=[503] * 4, fault_when=lambda seen: seen.body[0]['name'] == 'a')
    client, _ = make(fake, batch_size=2, max_retries=3)
    results = await client.bulk_create('dcim/sites', sites('a', 'b', 'c'), changelog_message=MESSAGE)
    assert [r.ok for r in results] == [False, False, True]
    assert results[0].status == 503 and 'gave up after 4 attempts' in (results[0].error or '')
    assert [o['name'] for o in fake.objects.values()] == ['c']


async def test_400_for_the_whole_request_and_404_are_not_retried() -> None:
    fake = FakeNetBox(faults=[400, 404])
    client, sleeps = make(fake)
    for _ in range(2):
        results = await client.bulk_create('dcim/sites', sites('a'), changelog_message=MESSAGE)
        assert not results[0].ok
    assert sleeps.delays == [] and client.stats['POST'] == 2


async def test_403_fails_the_batch_names_the_permission_and_stops_other_batches() -> None:
    fake = FakeNetBox(faults=[403])
    client, sleeps = make(fake, batch_size=1, write_concurrency=1)
    results = await client.bulk_create('dcim/sites', sites('a', 'b', 'c'), changelog_message=MESSAGE)
    assert not any(r.ok for r in results) and sleeps.delays == []
    assert client.stats['POST'] == 1 and fake.objects == {}
    assert 'needs the "add" permission on dcim/sites/' in (results[0].error or '')
    assert (results[2].error or '').startswith('not sent: POST /api/dcim/sites/: HTTP 403')


async def test_committed_create_then_timeout_is_recovered_without_duplicates() -> None:
    fake = FakeNetBox(faults=['committed'])
    recover = FindByName(fake)
    client, _ = make(fake)
    results = await client.bulk_create('dcim/sites', sites('a', 'b'), changelog_message=MESSAGE, recover=recover)
    assert [(r.ok, r.id, r.status) for r in results] == [(True, 1, None), (True, 2, None)]
    assert recover.calls == 1 and len(fake.objects) == 2 and client.stats['POST'] == 1


async def test_lost_create_is_recovered_as_not_created_and_resent_once() -> None:
    fake = FakeNetBox(faults=['lost', 'lost'])
    recover = FindByName(fake)
    client, _ = make(fake)
    results = await client.bulk_create('dcim/sites', sites('a', 'b'), changelog_message=MESSAGE, recover=recover)
    assert all(r.ok and r.status == 201 for r in results)
    assert recover.calls == 2 and len(fake.objects) == 2 and client.stats['POST'] == 3


async def test_ambiguous_create_without_recover_is_not_resent() -> None:
    fake = FakeNetBox(faults=['committed'])
    client, sleeps = make(fake)
    results = await client.bulk_create('dcim/sites', sites('a', 'b'), changelog_message=MESSAGE)
    assert not any(r.ok for r in results) and client.stats['POST'] == 1 and sleeps.delays == []
    assert (results[0].error or '').startswith('may have been created')
    assert 'will reconcile on next sync' in (results[0].error or '')
    assert len(fake.objects) == 2  # NetBox did write them: the next run's read will find them


async def test_504_from_a_proxy_is_ambiguous_for_a_create() -> None:
    fake = FakeNetBox(faults=[504])
    client, _ = make(fake)
    results = await client.bulk_create('dcim/sites', sites('a'), changelog_message=MESSAGE)
    assert not results[0].ok and client.stats['POST'] == 1


async def test_a_failing_recover_fails_its_batch_only() -> None:
    async def broken(objects: list[dict[str, Any]]) -> list[dict[str, Any] | None]:
        raise RuntimeError('engine lookup failed')

    fake = FakeNetBox(faults=['committed'])
    client, _ = make(fake, batch_size=1, write_concurrency=1)
    results = await client.bulk_create('dcim/sites', sites('a', 'b'), changelog_message=MESSAGE, recover=broken)
    assert [r.ok for r in results] == [False, True]
    assert 'recover failed: RuntimeError: engine lookup failed' in (results[0].error or '')


async def test_connection_refused_before_sending_is_resent_even_for_a_create() -> None:
    fake = FakeNetBox(faults=['connect'])
    client, _ = make(fake)
    results = await client.bulk_create('dcim/sites', sites('a'), changelog_message=MESSAGE)
    assert results[0].ok and len(fake.objects) == 1 and client.stats['retries'] == 1


async def test_committed_update_and_delete_are_simply_resent() -> None:
    fake = FakeNetBox(faults=['committed'])
    fake.seed(2)
    client, _ = make(fake)
    updated = await client.bulk_update('dcim/sites', [{'id': 1, 'slug': 'u'}], changelog_message=MESSAGE)
    fake.faults = ['dropped']
    deleted = await client.bulk_delete('dcim/sites', [1, 2], changelog_message=MESSAGE)
    assert updated[0].ok and fake.writes('PATCH')[1].body[0]['slug'] == 'u'
    assert [(r.ok, r.status) for r in deleted] == [(True, 404), (True, 404)] and fake.objects == {}


async def test_401_fails_every_batch_without_resending() -> None:
    fake = FakeNetBox(faults=[401])
    client, _ = make(fake, batch_size=1, write_concurrency=1)
    results = await client.bulk_delete('dcim/sites', [1, 2], changelog_message=MESSAGE)
    assert [r.status for r in results] == [401, 401] and client.stats['DELETE'] == 1
    fake.faults = [401]
    try:
        await client.get('dcim/sites')
    except NetBoxAuthError as exc:
        assert exc.status == 401
    else:
        raise AssertionError('expected NetBoxAuthError')


async def test_single_post_is_not_resent_after_an_ambiguous_timeout() -> None:
    fake = FakeNetBox(faults=['committed'])
    client, _ = make(fake)
    try:
        await client.post('dcim/sites', {'name': 'a'}, changelog_message=MESSAGE)
    except NetBoxTimeout as exc:
        assert exc.ambiguous
    else:
        raise AssertionError('expected NetBoxTimeout')
    assert client.stats['POST'] == 1 and client.stats['retries'] == 0


async def test_single_delete_of_a_missing_object_raises_not_found() -> None:
    fake = FakeNetBox()
    client, _ = make(fake)
    try:
        await client.delete('dcim/sites/1', changelog_message=MESSAGE)
    except NetBoxNotFound as exc:
        assert exc.status == 404 and exc.path == '/api/dcim/sites/1/'
    else:
        raise AssertionError('expected NetBoxNotFound')
    assert fake.requests[0].body == {'changelog_message': MESSAGE}


async def test_an_unreadable_success_still_counts_as_written() -> None:
    import httpx

    from proxbox_api.netbox import NetBoxClient

    from .helpers import TOKEN_V2, URL

    transport = httpx.MockTransport(lambda request: httpx.Response(201, text='<html>ok</html>'))
    client = NetBoxClient(URL, TOKEN_V2, transport=transport)
    results = await client.bulk_create('dcim/sites', sites('a'), changelog_message=MESSAGE)
    assert results[0].ok and results[0].data is None and results[0].status == 201

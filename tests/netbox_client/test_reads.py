"""Contract: NetBoxClient reads a list endpoint once, in large pages, concurrently and in order.

The first page tells the count; the rest are fetched at once, bounded by ``read_concurrency``;
NetBox's own page-size ceiling is respected; ``fields`` becomes ``?fields=``; order is by ``id``.
"""

from proxbox_api.netbox import NetBoxUnavailable

from .fake_netbox import FakeNetBox
from .helpers import make


async def test_all_pages_in_order_with_bounded_concurrency() -> None:
    fake = FakeNetBox(delay=0.01)
    fake.seed(4500)
    async with make(fake, page_size=1000, read_concurrency=2)[0] as client:
        rows = await client.list('dcim/sites')
    assert [r['id'] for r in rows] == list(range(1, 4501))
    offsets = [int(r.params['offset']) for r in fake.requests]
    assert offsets[0] == 0 and sorted(offsets) == [0, 1000, 2000, 3000, 4000]
    assert {r.params['limit'] for r in fake.requests} == {'1000'}
    assert fake.max_in_flight == 2
    assert client.stats['GET'] == 5


async def test_page_size_clamped_by_netbox_still_reads_everything() -> None:
    fake = FakeNetBox(max_page_size=300)
    fake.seed(1000)
    async with make(fake, page_size=1000)[0] as client:
        rows = await client.list('/api/dcim/sites/')
    assert [r['id'] for r in rows] == list(range(1, 1001))
    assert len(fake.requests) == 4


async def test_fields_and_ordering_are_sent() -> None:
    fake = FakeNetBox()
    fake.seed(3)
    async with make(fake)[0] as client:
        rows = await client.list('dcim/sites', {'tag': 'proxbox'}, fields=['id', 'name'])
    assert fake.requests[0].params == {
        'ordering': 'id', 'tag': 'proxbox', 'fields': 'id,name', 'limit': '1000', 'offset': '0'
    }  # fmt: skip
    assert rows[0] == {'id': 1, 'name': 'site-1'}


async def test_empty_list_is_one_request() -> None:
    fake = FakeNetBox()
    async with make(fake)[0] as client:
        assert await client.list('dcim/sites') == []
    assert len(fake.requests) == 1


async def test_read_retries_on_502_burst_then_raises_unavailable() -> None:
    fake = FakeNetBox(faults=[502, 503])
    fake.seed(2)
    client, sleeps = make(fake)
    assert len(await client.list('dcim/sites')) == 2
    assert len(sleeps.delays) == 2 and client.stats['retries'] == 2
    fake.faults = [503] * 4
    try:
        await client.list('dcim/sites')
    except NetBoxUnavailable as exc:
        assert exc.status == 503 and 'GET /api/dcim/sites/: HTTP 503' in str(exc)
    else:
        raise AssertionError('expected NetBoxUnavailable')


async def test_status() -> None:
    fake = FakeNetBox()
    async with make(fake)[0] as client:
        assert (await client.status())['netbox-version'] == '4.7.3'
    assert fake.requests[0].path == '/api/status/'


async def test_map_transforms_every_page_in_order() -> None:
    """``map`` is ``list`` with a per-object transform applied page by page (compact records, not raw JSON)."""
    fake = FakeNetBox(max_page_size=400, delay=0.001)
    fake.seed(1000)
    seen_pages: list[int] = []

    def tenfold(row: dict[str, object]) -> int:
        if not seen_pages or seen_pages[-1] != len(fake.requests):
            seen_pages.append(len(fake.requests))
        return int(str(row['id'])) * 10

    async with make(fake, page_size=1000, read_concurrency=1)[0] as client:
        values = await client.map('dcim/sites', tenfold, {'tag': 'proxbox'}, fields=['id', 'id', 'name'])
    assert values == [i * 10 for i in range(1, 1001)]
    assert len(fake.requests) == 3
    assert {r.params['fields'] for r in fake.requests} == {'id,name'}  # duplicates dropped
    assert fake.requests[0].params['tag'] == 'proxbox'
    # One concurrent reader: each page is transformed as soon as it arrives, before the next is asked for.
    assert seen_pages == [1, 2, 3]


async def test_map_transform_error_propagates() -> None:
    fake = FakeNetBox()
    fake.seed(3)

    def broken(row: dict[str, object]) -> None:
        raise KeyError('slug')

    async with make(fake)[0] as client:
        try:
            await client.map('dcim/sites', broken)
        except KeyError as exc:
            assert exc.args == ('slug',)
        else:
            raise AssertionError('expected the KeyError')

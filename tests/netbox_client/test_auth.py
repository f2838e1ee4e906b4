"""Contract: the token goes only into the Authorization header, in the form its version needs.

v2 ``nbt_<key>.<token>`` is sent as ``Bearer``, a 40-character v1 token as ``Token``; anything else
is refused without echoing it. No error, result, repr or message ever contains the token, even when
a server or proxy echoes the header back.
"""

import httpx
import pytest

from proxbox_api.netbox import NetBoxAuthError, NetBoxClient, NetBoxError, NetBoxUnavailable

from .fake_netbox import FakeNetBox
from .helpers import MESSAGE, TOKEN_V1, TOKEN_V2, URL, make, sites

SECRET_PART = TOKEN_V2.split('.')[1]


@pytest.mark.parametrize(('token', 'header'), [(TOKEN_V2, f'Bearer {TOKEN_V2}'), (TOKEN_V1, f'Token {TOKEN_V1}')])
async def test_header_by_token_version(token: str, header: str) -> None:
    fake = FakeNetBox()
    async with make(fake, token=token)[0] as client:
        await client.status()
    assert fake.requests[0].authorization == header


@pytest.mark.parametrize('token', ['', 'short', 'nbt_nodot', TOKEN_V1 + 'x', f'Bearer {TOKEN_V2}'])
def test_malformed_token_is_refused_without_echoing_it(token: str) -> None:
    with pytest.raises(ValueError, match='v2 token') as info:
        NetBoxClient(URL, token)
    assert not token or token not in str(info.value)


@pytest.mark.parametrize('url', ['https://netbox.lab', 'https://netbox.lab/', 'https://netbox.lab/api/'])
async def test_urls_are_normalised(url: str) -> None:
    fake = FakeNetBox()
    async with NetBoxClient(url, TOKEN_V2, transport=fake.transport()) as client:
        await client.get('/api/status')
    assert fake.requests[0].path == '/api/status/'


def echo(status: int) -> httpx.MockTransport:
    """A server that quotes the request's Authorization header back in its error."""

    def handler(request: httpx.Request) -> httpx.Response:
        auth = request.headers['Authorization']
        return httpx.Response(
            status, json={'detail': f'bad header {auth}', 'errors': [{'index': 0, 'errors': {'x': [auth]}}]}
        )

    return httpx.MockTransport(handler)


def clean(text: str) -> None:
    assert TOKEN_V2 not in text and SECRET_PART not in text


@pytest.mark.parametrize('status', [400, 401, 403, 404, 409, 500])
async def test_token_never_appears_in_errors_or_results(status: str) -> None:
    async def no_sleep(delay: float) -> None:
        pass

    client = NetBoxClient(URL, TOKEN_V2, transport=echo(int(status)), sleep=no_sleep)
    clean(repr(client))
    results = await client.bulk_create('dcim/sites', sites('a'), changelog_message=MESSAGE)
    clean(repr(results))
    with pytest.raises(NetBoxError) as info:
        await client.get('dcim/sites')
    clean(str(info.value))
    clean(repr(info.value))
    clean(repr(getattr(info.value, 'errors', ())))


async def test_connection_errors_are_redacted_and_typed() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError(f'refused while sending {request.headers["Authorization"]}', request=request)

    async def no_sleep(delay: float) -> None:
        pass

    client = NetBoxClient(URL, TOKEN_V2, transport=httpx.MockTransport(handler), sleep=no_sleep)
    with pytest.raises(NetBoxUnavailable) as info:
        await client.get('dcim/sites')
    assert not info.value.ambiguous and client.stats['GET'] == 4
    clean(str(info.value))


async def test_401_is_an_auth_error() -> None:
    fake = FakeNetBox(faults=[401])
    client, _ = make(fake)
    with pytest.raises(NetBoxAuthError):
        await client.status()
    assert client.redact(f'x {TOKEN_V2} y') == 'x *** y'

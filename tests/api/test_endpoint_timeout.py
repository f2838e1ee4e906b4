"""Contract: a Proxmox endpoint's own timeout wins; one sent without it gets `options.proxmox_timeout`
(the plugin's setting), never the schema's built-in default."""

from typing import Any

import httpx
import pytest

from proxbox_api.schemas import SyncRequest
from proxbox_api.service import run_sync


def request(**endpoint: Any) -> SyncRequest:
    spec = {'name': 'lab', 'host': 'pve.example.com', 'token_id': 'root@pam!sync', 'token_secret': 's', **endpoint}
    return SyncRequest.model_validate(
        {
            'netbox': {'url': 'http://netbox.example.com/', 'token': 'nbt_abc.def'},
            'endpoints': [spec],
            'options': {'proxmox_timeout': 45, 'retries': 0},
        }
    )


async def proxmox_timeout(req: SyncRequest) -> float:
    """The read timeout of the first request the sync sends to Proxmox (answered with a 401)."""
    seen: list[dict[str, float]] = []

    def handler(http_request: httpx.Request) -> httpx.Response:
        if http_request.url.host == 'pve.example.com':
            seen.append(http_request.extensions['timeout'])
        return httpx.Response(401, json={'data': None})

    async def emit(event: str, data: dict[str, Any]) -> None:
        pass

    await run_sync(req, emit, transport=httpx.MockTransport(handler))
    assert seen, 'the sync sent nothing to Proxmox'
    return seen[0]['read']


@pytest.mark.parametrize(('endpoint', 'expected'), [({}, 45), ({'timeout': 7}, 7)])
async def test_endpoint_timeout(endpoint: dict[str, Any], expected: float) -> None:
    assert await proxmox_timeout(request(**endpoint)) == expected

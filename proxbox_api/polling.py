"""``poll_endpoints``: continuous mode's look at each endpoint, two Proxmox requests each.

Stateless like the sync: the caller (the plugin's continuous job) sends the state each endpoint's
previous poll returned and keeps the new one. An endpoint that cannot be read is reported with the
reason and its previous state, so nothing it would have found is lost: the next poll finds it.
"""

import asyncio
import time
from contextlib import AsyncExitStack

import httpx

from .engine.poll import changed_guests
from .proxmox import ClientOptions, ProxmoxClient, ProxmoxError
from .proxmox.poll import read_poll
from .schemas import EndpointPoll, EndpointSpec, PollRequest, PollResult
from .service import prepared_endpoint

__all__ = ['poll_endpoints']


async def _poll(request: PollRequest, spec: EndpointSpec, transport: httpx.AsyncBaseTransport | None) -> EndpointPoll:
    previous = request.state.get(spec.name)
    started = time.monotonic()
    async with AsyncExitStack() as stack:
        endpoint = prepared_endpoint(spec, request.proxmox_timeout, stack)
        client = ProxmoxClient(endpoint, ClientOptions(max_concurrency=2, max_retries=1), transport=transport)
        try:
            look = await read_poll(await stack.enter_async_context(client))
        except ProxmoxError as exc:
            return EndpointPoll(
                endpoint=spec.name,
                ok=False,
                error=str(exc),
                state=previous,
                seconds=_since(started),
                requests=client.sent,
            )
    changes, state = changed_guests(previous, look)
    return EndpointPoll(
        endpoint=spec.name,
        ok=True,
        baseline=previous is None,
        changes=changes,
        state=state,
        seconds=_since(started),
        requests=client.sent,
    )


def _since(started: float) -> float:
    return round(time.monotonic() - started, 3)


async def poll_endpoints(request: PollRequest, *, transport: httpx.AsyncBaseTransport | None = None) -> PollResult:
    """Poll every endpoint of the request concurrently."""
    polls = await asyncio.gather(*(_poll(request, spec, transport) for spec in request.endpoints))
    return PollResult(endpoints=list(polls))

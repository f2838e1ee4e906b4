"""``check_endpoints``: can this service reach each Proxmox endpoint, and do its credentials work?

For each endpoint: ``/version`` (reachability, TLS and login), ``/cluster/status`` (the
``Sys.Audit`` privilege a sync needs) and ``/cluster/resources`` (what the credentials can see).
The answer says exactly what is wrong, in words a person can act on, and never holds a secret.
"""

import asyncio
import tempfile
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from ..events import Redactor
from ..proxmox import (
    ClientOptions,
    ProxmoxAuthError,
    ProxmoxClient,
    ProxmoxConnectionError,
    ProxmoxError,
    ProxmoxPermissionError,
    ProxmoxTimeout,
)
from ..schemas import EndpointSpec

__all__ = ['EndpointCheck', 'EndpointCheckRequest', 'EndpointCheckResult', 'check_endpoints']


class EndpointCheckRequest(BaseModel):
    endpoints: list[EndpointSpec] = Field(min_length=1, max_length=100)


class EndpointCheck(BaseModel):
    name: str
    ok: bool
    detail: str
    version: str | None = None
    cluster: str | None = None
    nodes: int | None = None
    guests: int | None = None


class EndpointCheckResult(BaseModel):
    results: list[EndpointCheck]


def _advice(spec: EndpointSpec, exc: ProxmoxError) -> str:
    where = f'{spec.host}:{spec.port}'
    if isinstance(exc, ProxmoxAuthError):
        who = spec.token_id or spec.username
        return (
            f'Proxmox at {where} refused the credentials of {who} (401): check the user, the API token '
            'name and secret (or the password).'
        )
    if isinstance(exc, ProxmoxPermissionError):
        return (
            f'Proxmox at {where} accepted the login but denied a read ({exc.message}): give the user or '
            'token the PVEAuditor role on "/".'
        )
    if isinstance(exc, ProxmoxTimeout):
        return f'Proxmox at {where} did not answer within {spec.timeout:g} s: is it up, and is the port right?'
    if isinstance(exc, ProxmoxConnectionError):
        tls = ' (a TLS problem: give the CA certificate, or turn TLS verification off)' if _tls(exc) else ''
        return f'Cannot connect to Proxmox at {where}{tls}: {exc.message}'
    return f'Proxmox at {where} answered with an error: {exc.message}'


def _tls(exc: ProxmoxError) -> bool:
    text = f'{exc.message} {exc.__cause__!r}'.lower()
    return 'certificate' in text or 'ssl' in text or 'tls' in text


async def _check(spec: EndpointSpec) -> EndpointCheck:
    with tempfile.TemporaryDirectory() as folder:
        endpoint = spec
        if spec.ca_pem:
            ca_file = Path(folder) / 'ca.pem'
            ca_file.write_text(spec.ca_pem)
            endpoint = spec.model_copy(update={'ca_bundle': ca_file})
        try:
            async with ProxmoxClient(endpoint, ClientOptions(max_retries=0)) as client:
                version = await client.get('/version')
                status = await client.get('/cluster/status')
                guests = await client.get('/cluster/resources', {'type': 'vm'})
        except ProxmoxError as exc:
            return EndpointCheck(name=spec.name, ok=False, detail=_advice(spec, exc))
    return _summary(spec, version, status, guests)


def _summary(spec: EndpointSpec, version: Any, status: Any, guests: Any) -> EndpointCheck:
    release = str((version or {}).get('version') or (version or {}).get('release') or '?')
    entries = status if isinstance(status, list) else []
    cluster = next((str(e.get('name')) for e in entries if isinstance(e, dict) and e.get('type') == 'cluster'), None)
    nodes = sum(1 for e in entries if isinstance(e, dict) and e.get('type') == 'node')
    count = len(guests) if isinstance(guests, list) else 0
    where = f'cluster {cluster}' if cluster else 'a standalone node'
    return EndpointCheck(
        name=spec.name,
        ok=True,
        detail=f'Proxmox VE {release}, {where}, {nodes} node(s), {count} guest(s) visible',
        version=release,
        cluster=cluster,
        nodes=nodes,
        guests=count,
    )


async def check_endpoints(*, request: EndpointCheckRequest) -> EndpointCheckResult:
    """Check every endpoint at once; a secret of any of them never appears in an answer."""
    redact = Redactor(secret for spec in request.endpoints for secret in spec.secrets())
    checks = await asyncio.gather(*(_check(spec) for spec in request.endpoints))
    return EndpointCheckResult.model_validate(redact(EndpointCheckResult(results=list(checks)).model_dump()))

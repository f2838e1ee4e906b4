"""The shared helpers pxb's commands call: each command parses its options and calls one of these.

They talk to NetBox through :class:`~proxbox_cli.client.ProxboxClient` and report through a
:class:`~proxbox_cli.reporting.Reporter`; they hold the little logic pxb has (resolving endpoint
names, waiting for a run to settle, judging health), so commands stay declarations.
"""

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from .client import ProxboxClient
from .errors import AuthenticationFailed, ConnectionFailed, Interrupted, NotFound, PermissionDenied
from .exit_codes import ExitCode, for_status
from .models import EndpointTest, ProxmoxEndpoint, ServiceStatus, SyncRun, SyncStarted
from .reporting import Reporter

__all__ = [
    'EndpointDraft',
    'StatusLine',
    'SyncOptions',
    'add_endpoint',
    'check_endpoint',
    'check_status',
    'follow_run',
    'parse_scope',
    'run_sync',
    'start_sync',
    'watch_run',
]

Sleep = Callable[[float], None]
# How long to wait for NetBox to record a run as finished after its stream ended.
SETTLE_SECONDS = 15.0


@dataclass(frozen=True)
class SyncOptions:
    endpoints: tuple[str, ...] = ()
    dry_run: bool = False
    apply_run: int | None = None
    # A targeted sync: {"cluster": ...} with "node", "vmid" or "families" (see ``parse_scope``).
    scope: dict[str, Any] | None = None


def parse_scope(
    *, guest: str | None, node: str | None, cluster: str | None, families: Sequence[str] = ()
) -> dict[str, Any] | None:
    """``--guest CLUSTER/VMID``, ``--node CLUSTER/NODE`` or ``--cluster CLUSTER`` (with ``--family``, only
    those families of it) as the API's scope.

    Raises ``ValueError`` (with the option's name) for more than one of them or a malformed value.
    """
    given = [(name, value) for name, value in (('--guest', guest), ('--node', node), ('--cluster', cluster)) if value]
    if families and [name for name, _ in given] != ['--cluster']:
        raise ValueError('--family narrows a --cluster scope: give --cluster alone with it')
    if not given:
        return None
    if len(given) > 1:
        raise ValueError('--guest, --node and --cluster: give one')
    name, value = given[0]
    if name == '--cluster':
        return {'cluster': value, 'families': list(dict.fromkeys(families))} if families else {'cluster': value}
    cluster_name, _, target = value.partition('/')
    if not cluster_name or not target or '/' in target:
        raise ValueError(f'{name} takes CLUSTER/{"VMID" if name == "--guest" else "NODE"}, not {value!r}')
    if name == '--node':
        return {'cluster': cluster_name, 'node': target}
    if not target.isdigit() or int(target) < 1:
        raise ValueError(f'--guest takes CLUSTER/VMID with a numeric VMID, not {value!r}')
    return {'cluster': cluster_name, 'vmid': int(target)}


def start_sync(client: ProxboxClient, options: SyncOptions) -> SyncStarted:
    """Resolve endpoint names (unknown ones are an error before anything starts) and start the run."""
    ids = [client.endpoint_by_name(name).id for name in dict.fromkeys(options.endpoints)]
    return client.start_sync(
        endpoint_ids=ids or None, dry_run=options.dry_run, apply_run=options.apply_run, scope=options.scope
    )


def run_sync(
    client: ProxboxClient, options: SyncOptions, reporter: Reporter, *, wait: bool, sleep: Sleep = time.sleep
) -> ExitCode:
    """Start a run and, with ``wait``, follow it to the end; the exit code says how it ended."""
    with reporter:
        started = start_sync(client, options)
        reporter.accepted(started)
        if not wait:
            reporter.detached(started)
            return ExitCode.OK
        return follow_run(client, started.run.id, reporter, sleep=sleep)[1]


def watch_run(client: ProxboxClient, run_id: int, reporter: Reporter, *, sleep: Sleep = time.sleep) -> ExitCode:
    """Follow a run that is already going (or replay a finished one's events)."""
    with reporter:
        return follow_run(client, run_id, reporter, sleep=sleep)[1]


def follow_run(
    client: ProxboxClient, run_id: int, reporter: Reporter, *, sleep: Sleep = time.sleep
) -> tuple[SyncRun, ExitCode]:
    """Relay the run's events to ``reporter`` until it finishes; return the recorded run and exit code."""
    final_status: str | None = None
    try:
        for event in client.events(run_id):
            reporter.event(event)
            if event.name == 'run_finished':
                final_status = str(event.data.get('status') or '') or None
        run = _settled(client, run_id, final_status, sleep)
    except KeyboardInterrupt:
        raise Interrupted(run_id) from None
    code = for_status(run.status)
    reporter.finished(run, code)
    return run, code


def _settled(client: ProxboxClient, run_id: int, final_status: str | None, sleep: Sleep) -> SyncRun:
    """The run as NetBox recorded it, once it is finished (the stream may end a moment earlier)."""
    deadline = time.monotonic() + SETTLE_SECONDS
    while not (run := client.get_run(run_id)).is_finished and time.monotonic() < deadline:
        sleep(0.25)
    if not run.is_finished and final_status:
        return run.model_copy(update={'status': final_status})
    return run


@dataclass(frozen=True)
class EndpointDraft:
    """``pxb endpoints add``'s options, as the REST API's fields."""

    name: str
    host: str
    port: int
    username: str
    token_name: str
    token_secret: str
    password: str
    verify_tls: bool
    ca_certificate: str
    timeout: int | None
    enabled: bool
    description: str

    def payload(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            'name': self.name,
            'host': self.host,
            'port': self.port,
            'username': self.username,
            'token_name': self.token_name,
            'token_secret': self.token_secret,
            'password': self.password,
            'verify_ssl': self.verify_tls,
            'ca_certificate': self.ca_certificate,
            'enabled': self.enabled,
            'description': self.description,
        }
        if self.timeout is not None:
            data['timeout'] = self.timeout
        return data


def add_endpoint(client: ProxboxClient, draft: EndpointDraft) -> ProxmoxEndpoint:
    return client.add_endpoint(draft.payload())


def check_endpoint(client: ProxboxClient, name: str) -> tuple[ProxmoxEndpoint, EndpointTest]:
    endpoint = client.endpoint_by_name(name)
    return endpoint, client.test_endpoint(endpoint.id)


@dataclass(frozen=True)
class StatusLine:
    label: str
    status: ServiceStatus


def check_status(client: ProxboxClient) -> tuple[list[StatusLine], ExitCode]:
    """One line per component; NetBox problems are reported as lines too, not raised."""
    netbox = 'NetBox'
    try:
        version = client.netbox_version()
    except ConnectionFailed as exc:
        return [StatusLine(netbox, ServiceStatus(ok=False, detail=str(exc)))], ExitCode.FAILED
    except (AuthenticationFailed, PermissionDenied) as exc:
        return [StatusLine(netbox, ServiceStatus(ok=False, detail=str(exc)))], ExitCode.USAGE
    try:
        report = client.status()
    except NotFound:
        detail = f'NetBox {version} answers, but has no Proxbox status API: is the plugin installed and current?'
        return [StatusLine(netbox, ServiceStatus(ok=False, detail=detail))], ExitCode.FAILED
    except PermissionDenied as exc:
        return [StatusLine(netbox, ServiceStatus(ok=False, detail=str(exc)))], ExitCode.USAGE
    detail = f'{client.base_url}: {report.netbox.detail or f"NetBox {version}"}'
    lines = [
        StatusLine(netbox, ServiceStatus(ok=report.netbox.ok, detail=detail)),
        StatusLine('RQ worker', report.worker),
        StatusLine('proxbox-api', report.proxbox_api),
        *(StatusLine(f'endpoint {ep.name}', ep) for ep in report.endpoints),
    ]
    return lines, ExitCode.OK if all(line.status.ok for line in lines) else ExitCode.FAILED

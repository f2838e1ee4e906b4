"""``pxb endpoints``: the Proxmox endpoints Proxbox syncs from."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from ..actions import EndpointDraft, add_endpoint, check_endpoint
from ..app import runtime
from ..exit_codes import ExitCode
from ..models import ServiceStatus
from ..render import endpoints_table, status_line

__all__ = ['endpoints']

endpoints = typer.Typer(help='Proxmox endpoints: list, add, test.', no_args_is_help=True)


@endpoints.command('list')
def list_endpoints(
    ctx: typer.Context,
    json: Annotated[bool, typer.Option('--json', help='One JSON object per endpoint and line.')] = False,
) -> None:
    """List the Proxmox endpoints (never their secrets)."""
    rt = runtime(ctx)
    rt.output.json = json
    with rt.client() as client:
        found = client.list_endpoints()
    if json:
        for endpoint in found:
            rt.output.json_value(endpoint.model_dump(mode='json'))
    else:
        rt.output.result(endpoints_table(found))


def _stdin_is_terminal() -> bool:
    return sys.stdin.isatty()


def _secret(value: str | None, label: str) -> str:
    if value is not None:
        return value
    if not _stdin_is_terminal():
        raise typer.BadParameter(f'give --{label} (or its environment variable); there is no terminal to ask on')
    return str(typer.prompt(label.replace('-', ' ').capitalize(), hide_input=True))


def _ca_text(path: Path | None) -> str:
    if path is None:
        return ''
    text = path.read_text()
    if 'BEGIN CERTIFICATE' not in text:
        raise typer.BadParameter(f'{path} holds no PEM certificate', param_hint='--ca-file')
    return text


@endpoints.command('add')
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help='A name for the endpoint (usually the cluster name).')],
    host: Annotated[str, typer.Option('--host', help='DNS name or IP address of one Proxmox VE node.')],
    username: Annotated[str, typer.Option('--username', '-u', help='Proxmox user, e.g. proxbox@pve.')],
    token_name: Annotated[
        str | None, typer.Option('--token-name', help='API token name (after the "!"); omit to use a password.')
    ] = None,
    token_secret: Annotated[
        str | None,
        typer.Option(
            '--token-secret', envvar='PROXBOX_ENDPOINT_TOKEN_SECRET', help='API token secret (asked if omitted).'
        ),
    ] = None,
    password: Annotated[
        str | None, typer.Option('--password', envvar='PROXBOX_ENDPOINT_PASSWORD', help='Password (no token).')
    ] = None,
    port: Annotated[int, typer.Option('--port', min=1, max=65535, help='Proxmox API port.')] = 8006,
    verify_tls: Annotated[bool, typer.Option('--verify-tls/--no-verify-tls', help='Check its certificate.')] = True,
    ca_file: Annotated[
        Path | None,
        typer.Option('--ca-file', exists=True, dir_okay=False, help='PEM CA to verify it with (e.g. the cluster CA).'),
    ] = None,
    timeout: Annotated[int | None, typer.Option('--timeout', min=1, max=600, help='Seconds per request.')] = None,
    enabled: Annotated[bool, typer.Option('--enabled/--disabled', help='Include it in syncs.')] = True,
    description: Annotated[str, typer.Option('--description', help='Free text.')] = '',
) -> None:
    """Add a Proxmox endpoint.

    Secrets are sent once and never shown again. Prefer their environment variables or the
    prompt to command-line options, which other users can see.
    """
    rt = runtime(ctx)
    if token_name:
        token_secret, password = _secret(token_secret, 'token-secret'), ''
    else:
        token_secret, password = '', _secret(password, 'password')
    draft = EndpointDraft(
        name=name,
        host=host,
        port=port,
        username=username,
        token_name=token_name or '',
        token_secret=token_secret,
        password=password,
        verify_tls=verify_tls,
        ca_certificate=_ca_text(ca_file),
        timeout=timeout,
        enabled=enabled,
        description=description,
    )
    with rt.client() as client:
        created = add_endpoint(client, draft)
    rt.output.result(f'Added Proxmox endpoint {created.name} (#{created.id}) at {created.host}:{created.port}.')
    rt.output.info(f'Check it with: pxb endpoints test {created.name}')


@endpoints.command('test')
def test(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help='Endpoint name.')],
    json: Annotated[bool, typer.Option('--json', help='Print {"name", "ok", "detail"} on stdout.')] = False,
) -> None:
    """Check that an endpoint answers and accepts its credentials.

    The check runs through proxbox-api, as a sync would.

    Says exactly what is wrong (address, TLS, credentials, permissions); exit code 1 when it fails.
    """
    rt = runtime(ctx)
    rt.output.json = json
    with rt.client() as client:
        endpoint, outcome = check_endpoint(client, name)
    if json:
        rt.output.json_value({'name': endpoint.name, 'ok': outcome.ok, 'detail': outcome.detail})
    else:
        rt.output.result(status_line(endpoint.name, ServiceStatus(ok=outcome.ok, detail=outcome.detail), width=0))
    raise typer.Exit(int(ExitCode.OK if outcome.ok else ExitCode.FAILED))

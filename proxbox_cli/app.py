"""The root of the ``pxb`` command: global options, the per-invocation runtime and error reporting.

Every :class:`~proxbox_cli.errors.PxbError` a command raises is caught once, here, printed as one
line on stderr (and as a JSON ``error`` line on stdout with ``--json``) and turned into the
documented exit code. Tests inject an :class:`Injected` (HTTP transport, sleep, environment,
terminal detection) through Click's ``obj``.
"""

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import httpx
import typer
from typer.core import TyperGroup

from .client import ProxboxClient
from .errors import InvalidRequest, PxbError, SyncAlreadyRunning
from .exit_codes import EXIT_CODES_HELP, for_error
from .output import Output
from .settings import CONFIG_ENV, Configuration, load_settings

__all__ = ['Injected', 'Runtime', 'app', 'runtime']


@dataclass
class Injected:
    """What tests replace: the HTTP transport, sleeping, the environment, whether stdout is a terminal."""

    transport: httpx.BaseTransport | None = None
    sleep: Callable[[float], None] = time.sleep
    environ: Mapping[str, str] | None = None
    interactive: bool | None = None


class Runtime:
    """One invocation's settings, consoles and client, made when first needed."""

    def __init__(self, flags: dict[str, Any], config_file: Path | None, injected: Injected) -> None:
        self.flags, self.config_file, self.injected = flags, config_file, injected
        self.output = Output(interactive=injected.interactive)
        self._configuration: Configuration | None = None

    @property
    def sleep(self) -> Callable[[float], None]:
        return self.injected.sleep

    def configuration(self) -> Configuration:
        if self._configuration is None:
            self._configuration = load_settings(self.flags, config_file=self.config_file, environ=self.injected.environ)
            for warning in self._configuration.warnings:
                self.output.warning(warning)
        return self._configuration

    def client(self) -> ProxboxClient:
        settings = self.configuration().settings
        return ProxboxClient(settings, transport=self.injected.transport, sleep=self.injected.sleep)


def runtime(ctx: typer.Context) -> Runtime:
    found = ctx.find_object(Runtime)
    if found is None:  # pragma: no cover - the root callback always sets it
        raise RuntimeError('pxb runtime missing')
    return found


def report_error(output: Output, error: PxbError) -> None:
    output.error(str(error))
    if isinstance(error, InvalidRequest):
        for name, messages in error.fields.items():
            output.err.print(f'  {name}: {" ".join(messages)}', markup=False)
    if isinstance(error, SyncAlreadyRunning) and error.run_id is not None:
        output.err.print(f'Follow it with: pxb runs watch {error.run_id}', markup=False)
    if output.json:
        data: dict[str, Any] = {'message': str(error), 'kind': type(error).__name__, 'exit_code': int(for_error(error))}
        if isinstance(error, SyncAlreadyRunning):
            data['run'] = error.run_id
        output.json_line('error', data)


class PxbGroup(TyperGroup):
    """Turns pxb's errors into a message and the documented exit code."""

    def invoke(self, ctx: Any) -> Any:  # Click's Context (vendored by newer Typer releases)
        try:
            return super().invoke(ctx)
        except PxbError as error:
            found = ctx.find_object(Runtime)
            report_error(found.output if found else Output(), error)
            raise typer.Exit(int(for_error(error))) from None


HELP = '\n\n'.join(
    (
        'Drive Proxbox without a browser: start and follow syncs, preview plans, manage endpoints.',
        'Settings come from the options below, else environment variables (PROXBOX_NETBOX_URL, '
        'PROXBOX_NETBOX_TOKEN, PROXBOX_VERIFY_TLS, PROXBOX_CA_BUNDLE, PROXBOX_TIMEOUT), else a TOML config '
        f'file (--config, ${CONFIG_ENV}, or config.toml in your config directory: see `pxb config path`).',
        'Results go to stdout, progress and messages to stderr; with --json, stdout carries one JSON value per line.',
        EXIT_CODES_HELP,
    )
)

app = typer.Typer(
    cls=PxbGroup,
    name='pxb',
    help=HELP,
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={'help_option_names': ['-h', '--help']},
    pretty_exceptions_enable=False,
)


@app.callback()
def main(
    ctx: typer.Context,
    netbox_url: Annotated[
        str | None, typer.Option('--netbox-url', metavar='URL', help='NetBox base URL (env PROXBOX_NETBOX_URL).')
    ] = None,
    token: Annotated[
        str | None,
        typer.Option(
            '--token',
            metavar='TOKEN',
            help='NetBox API token, nbt_<key>.<token> or 40 characters (env PROXBOX_NETBOX_TOKEN; prefer it or the '
            'config file: other users can see command lines).',
        ),
    ] = None,
    verify_tls: Annotated[
        bool | None,
        typer.Option('--verify-tls/--no-verify-tls', help="Check NetBox's TLS certificate (env PROXBOX_VERIFY_TLS)."),
    ] = None,
    ca_bundle: Annotated[
        Path | None, typer.Option('--ca-bundle', metavar='PEM', help='CA bundle for NetBox (env PROXBOX_CA_BUNDLE).')
    ] = None,
    timeout: Annotated[
        float | None,
        typer.Option('--timeout', metavar='SECONDS', help='Per request (env PROXBOX_TIMEOUT; default 30).'),
    ] = None,
    config: Annotated[
        Path | None, typer.Option('--config', metavar='FILE', help=f'TOML config file (env {CONFIG_ENV}).')
    ] = None,
) -> None:
    injected = ctx.obj if isinstance(ctx.obj, Injected) else Injected()
    flags = {
        'netbox_url': netbox_url,
        'netbox_token': token,
        'verify_tls': verify_tls,
        'ca_bundle': ca_bundle,
        'timeout': timeout,
    }
    ctx.obj = Runtime(flags, config, injected)

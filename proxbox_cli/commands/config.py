"""``pxb config``: where pxb looks for its settings, and what it found (never the token)."""

import typer

from ..app import runtime
from ..render import settings_table
from ..settings import config_path

__all__ = ['config']

config = typer.Typer(help='Show the configuration pxb would use.', no_args_is_help=True)


@config.command('path')
def path(ctx: typer.Context) -> None:
    """The config file pxb reads (it need not exist)."""
    rt = runtime(ctx)
    rt.output.plain(str(config_path(rt.config_file, rt.injected.environ)[0]))


@config.command('show')
def show(ctx: typer.Context) -> None:
    """Show each setting and where it came from (never the token)."""
    rt = runtime(ctx)
    loaded = rt.configuration()
    settings = loaded.settings
    values = {
        'netbox_url': settings.netbox_url,
        'netbox_token': f'set (v{settings.token.version} token)',
        'verify_tls': str(settings.verify_tls).lower(),
        'ca_bundle': str(settings.ca_bundle or '-'),
        'timeout': f'{settings.timeout:g} s',
    }
    rows = [(name, value, loaded.sources.get(name, 'default')) for name, value in values.items()]
    rt.output.result(settings_table(rows, title=f'config file: {loaded.path}'))

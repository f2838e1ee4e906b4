"""The ``pxb`` console script: the root command with every sub-command registered."""

from .app import app
from .commands.config import config
from .commands.endpoints import endpoints
from .commands.runs import runs
from .commands.sim import sim
from .commands.status import status
from .commands.sync import plan, sync

__all__ = ['app']

app.command()(sync)
app.command()(plan)
app.add_typer(runs, name='runs')
app.add_typer(endpoints, name='endpoints')
app.command()(status)
app.command(
    context_settings={'allow_extra_args': True, 'ignore_unknown_options': True, 'help_option_names': []},
    add_help_option=False,
)(sim)
app.add_typer(config, name='config')

if __name__ == '__main__':
    app()

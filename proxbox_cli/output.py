"""Where pxb writes: results to stdout, progress and messages to stderr.

When stdout is not a terminal (a pipe, a file, cron) nothing gets colours or progress bars, on
either stream, so logs and ``| jq`` see plain text. ``NO_COLOR`` is honoured too (by Rich).
"""

import json
import sys
from typing import Any

import typer
from rich.console import Console, RenderableType
from rich.markup import escape

__all__ = ['Output']

# Wide enough that tables piped to a file or a log are not wrapped at 80 columns.
_PIPE_WIDTH = 200


class Output:
    """The two consoles of one command, and whether it is talking to a person."""

    def __init__(self, *, interactive: bool | None = None) -> None:
        self.interactive = sys.stdout.isatty() if interactive is None else interactive
        self._forced = interactive is True  # tests: render as a terminal would
        self.out = self._console(stderr=False)
        self.err = self._console(stderr=True)
        self.json = False

    def _console(self, *, stderr: bool) -> Console:
        if self.interactive:
            return Console(stderr=stderr, force_terminal=True if self._forced else None)
        return Console(stderr=stderr, width=_PIPE_WIDTH, force_terminal=False, no_color=True, highlight=False)

    def result(self, *renderables: RenderableType) -> None:
        self.out.print(*renderables)

    def json_line(self, event: str, data: Any) -> None:
        """One ``{"event": ..., "data": ...}`` line of stdout."""
        self.json_value({'event': event, 'data': data})

    def plain(self, text: str) -> None:
        """One line of stdout, exactly as given (for scripts: ids, paths)."""
        typer.echo(text)

    def json_value(self, data: Any) -> None:
        """One JSON value on one line of stdout."""
        typer.echo(json.dumps(data, default=str))

    def json_document(self, data: Any) -> None:
        typer.echo(json.dumps(data, default=str, indent=2 if self.interactive else None))

    def info(self, message: str) -> None:
        if not self.json:
            self.err.print(escape(message), soft_wrap=True)

    def warning(self, message: str) -> None:
        self.err.print(f'[yellow]warning:[/] {escape(message)}', soft_wrap=True)

    def error(self, message: str) -> None:
        self.err.print(f'[bold red]error:[/] {escape(message)}', soft_wrap=True)

"""``pxb runs``: list, show, follow and cancel sync runs."""

from typing import Annotated

import typer

from ..actions import watch_run
from ..app import runtime
from ..render import run_detail, runs_table
from ..reporting import make_reporter

__all__ = ['runs']

runs = typer.Typer(help='Sync runs: list, show, watch, cancel.', no_args_is_help=True)

RunId = Annotated[int, typer.Argument(metavar='ID', help='Sync run id.')]
Json = Annotated[bool, typer.Option('--json', help='Print JSON on stdout.')]
STATUSES = ('pending', 'running', 'completed', 'partial', 'failed', 'cancelled')


def _status(value: str | None) -> str | None:
    if value is not None and value not in STATUSES:
        raise typer.BadParameter(f'one of {", ".join(STATUSES)}')
    return value


@runs.command('list')
def list_runs(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option('--limit', '-n', min=1, max=1000, help='How many, newest first.')] = 20,
    status: Annotated[str | None, typer.Option('--status', callback=_status, help='Only runs in this status.')] = None,
    json: Annotated[bool, typer.Option('--json', help='One JSON object per run and line.')] = False,
) -> None:
    """List the latest sync runs and previews, newest first."""
    rt = runtime(ctx)
    rt.output.json = json
    with rt.client() as client:
        found = client.list_runs(limit=limit, status=status)
    if json:
        for run in found:
            rt.output.json_value(run.model_dump(mode='json', exclude={'plan'}))
    else:
        rt.output.result(runs_table(found))


@runs.command('show')
def show(ctx: typer.Context, run_id: RunId, json: Json = False) -> None:
    """Show one run: status, who, timings, counts, errors."""
    rt = runtime(ctx)
    rt.output.json = json
    with rt.client() as client:
        run = client.get_run(run_id)
    if json:
        rt.output.json_document(run.model_dump(mode='json'))
    else:
        rt.output.result(run_detail(run))


@runs.command('watch')
def watch(ctx: typer.Context, run_id: RunId, json: Json = False) -> None:
    """Follow a running sync (or replay a finished one).

    Exit code as for `pxb sync`.
    """
    rt = runtime(ctx)
    rt.output.json = json
    with rt.client() as client:
        code = watch_run(client, run_id, make_reporter(rt.output), sleep=rt.sleep)
    raise typer.Exit(int(code))


@runs.command('cancel')
def cancel(ctx: typer.Context, run_id: RunId) -> None:
    """Ask a pending or running sync to stop.

    Objects it already wrote stay written; nothing is rolled back.
    """
    rt = runtime(ctx)
    with rt.client() as client:
        client.cancel_run(run_id)
    rt.output.result(f'Cancellation of sync run {run_id} requested.')

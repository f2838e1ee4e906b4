"""``pxb sync`` and ``pxb plan``: start a run through the plugin's REST API and follow it."""

from typing import Annotated

import typer

from ..actions import SyncOptions, run_sync
from ..app import runtime
from ..reporting import make_reporter

__all__ = ['plan', 'sync']

Endpoints = Annotated[
    list[str] | None,
    typer.Option(
        '--endpoint', '-e', metavar='NAME', help='Only this Proxmox endpoint (repeatable); default: all enabled.'
    ),
]
Json = Annotated[bool, typer.Option('--json', help='Print JSON lines (events, then the summary) on stdout.')]


def sync(
    ctx: typer.Context,
    endpoint: Endpoints = None,
    dry_run: Annotated[bool, typer.Option('--dry-run', help='Plan only: change nothing in NetBox.')] = False,
    apply: Annotated[
        int | None,
        typer.Option('--apply', metavar='PREVIEW_ID', help='Apply the plan of this preview, if still current.'),
    ] = None,
    no_wait: Annotated[bool, typer.Option('--no-wait', help='Print the run id and return at once.')] = False,
    json: Json = False,
) -> None:
    """Start a sync and follow it to the end.

    The sync is recorded, locked and permission-checked like the Full Update button.

    Shows one progress bar per stage, then the counts per object type. Exit code 0 when it
    completed, 3 when some objects failed, 1 when it failed, 4 when a sync is already running.
    """
    if apply is not None and (dry_run or endpoint):
        raise typer.BadParameter(
            '--apply replays a preview as it was: drop --dry-run and --endpoint', param_hint='--apply'
        )
    rt = runtime(ctx)
    rt.output.json = json
    options = SyncOptions(endpoints=tuple(endpoint or ()), dry_run=dry_run, apply_run=apply)
    with rt.client() as client:
        code = run_sync(client, options, make_reporter(rt.output), wait=not no_wait, sleep=rt.sleep)
    raise typer.Exit(int(code))


def plan(ctx: typer.Context, endpoint: Endpoints = None, json: Json = False) -> None:
    """Preview a sync: what it would change, as a diff table.

    Creates, updates (field: old → new), deletes and marks with their reason, and conflicts with
    objects people made by hand. `pxb sync --apply ID` then applies exactly that plan.
    """
    rt = runtime(ctx)
    rt.output.json = json
    options = SyncOptions(endpoints=tuple(endpoint or ()), dry_run=True)
    with rt.client() as client:
        code = run_sync(client, options, make_reporter(rt.output, show_plan=True), wait=True, sleep=rt.sleep)
    raise typer.Exit(int(code))

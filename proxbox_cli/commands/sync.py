"""``pxb sync`` and ``pxb plan``: start a run through the plugin's REST API and follow it."""

from typing import Annotated, Any

import typer

from ..actions import SyncOptions, parse_scope, run_sync
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
Guest = Annotated[
    str | None,
    typer.Option('--guest', metavar='CLUSTER/VMID', help='Only this guest (targeted sync): its VM and all its parts.'),
]
Node = Annotated[
    str | None,
    typer.Option('--node', metavar='CLUSTER/NODE', help='Only this node (targeted sync): its device and its guests.'),
]
Cluster = Annotated[str | None, typer.Option('--cluster', metavar='CLUSTER', help='Only this Proxmox cluster.')]
Families = Annotated[
    list[str] | None,
    typer.Option(
        '--family',
        metavar='FAMILY',
        help='With --cluster: only this family of it (repeatable), e.g. --family storage --family backups.',
    ),
]


def _scope(
    guest: str | None, node: str | None, cluster: str | None, families: list[str] | None = None
) -> dict[str, Any] | None:
    try:
        return parse_scope(guest=guest, node=node, cluster=cluster, families=families or ())
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint='--guest / --node / --cluster / --family') from None


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
    guest: Guest = None,
    node: Node = None,
    cluster: Cluster = None,
    family: Families = None,
) -> None:
    """Start a sync and follow it to the end.

    The sync is recorded, locked and permission-checked like the Full Update button. With
    --guest, --node or --cluster it is a targeted sync: only that guest, node or cluster is read
    and written, and nothing outside it is changed or pruned; --family narrows a --cluster to some
    families (storage, backups, replications, ...).

    Shows one progress bar per stage, then the counts per object type. Exit code 0 when it
    completed, 3 when some objects failed, 1 when it failed, 4 when a sync is already running.
    """
    scope = _scope(guest, node, cluster, family)
    if apply is not None and (dry_run or endpoint or scope):
        raise typer.BadParameter(
            '--apply replays a preview as it was: drop --dry-run, --endpoint and the scope', param_hint='--apply'
        )
    rt = runtime(ctx)
    rt.output.json = json
    options = SyncOptions(endpoints=tuple(endpoint or ()), dry_run=dry_run, apply_run=apply, scope=scope)
    with rt.client() as client:
        code = run_sync(client, options, make_reporter(rt.output), wait=not no_wait, sleep=rt.sleep)
    raise typer.Exit(int(code))


def plan(
    ctx: typer.Context,
    endpoint: Endpoints = None,
    json: Json = False,
    guest: Guest = None,
    node: Node = None,
    cluster: Cluster = None,
    family: Families = None,
) -> None:
    """Preview a sync: what it would change, as a diff table.

    Creates, updates (field: old → new), deletes and marks with their reason, and conflicts with
    objects people made by hand. `pxb sync --apply ID` then applies exactly that plan.
    """
    rt = runtime(ctx)
    rt.output.json = json
    options = SyncOptions(endpoints=tuple(endpoint or ()), dry_run=True, scope=_scope(guest, node, cluster, family))
    with rt.client() as client:
        code = run_sync(client, options, make_reporter(rt.output, show_plan=True), wait=True, sleep=rt.sleep)
    raise typer.Exit(int(code))

"""``pxb status``: is everything Proxbox needs up?"""

from typing import Annotated

import typer

from ..actions import check_status
from ..app import runtime
from ..render import status_line

__all__ = ['status']


def status(
    ctx: typer.Context,
    json: Annotated[bool, typer.Option('--json', help='Print one JSON object per component and line.')] = False,
) -> None:
    """Check NetBox, the RQ worker, proxbox-api and each endpoint.

    One line each: ok, or FAIL with the reason.

    Exit code 0 when all are ok, 1 when any is not, 2 when NetBox rejects the token.
    """
    rt = runtime(ctx)
    rt.output.json = json
    with rt.client() as client:
        lines, code = check_status(client)
    width = max(len(line.label) for line in lines) + 2
    for line in lines:
        if json:
            rt.output.json_value({'component': line.label, 'ok': line.status.ok, 'detail': line.status.detail})
        else:
            rt.output.result(status_line(line.label, line.status, width))
    raise typer.Exit(int(code))

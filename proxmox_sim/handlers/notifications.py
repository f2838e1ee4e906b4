"""``/cluster/notifications``: webhook targets and matchers (PVE 8.3+), as Proxmox VE's API keeps them."""

from __future__ import annotations

from typing import Any

from ..changes import now
from ..errors import ApiError, SimError
from ..server.routing import Context
from . import ROUTER

_ACL = '/mapping/notifications'


def _webhooks(ctx: Context, privilege: str) -> None:
    if not ctx.cluster.version.has_webhook_target:
        raise ApiError(501, f"Method '{ctx.method} {ctx.path}' not implemented")
    ctx.require(_ACL, privilege)


def _changed(ctx: Context, change: Any) -> None:
    try:
        change()
    except SimError as error:
        raise ApiError(error.status, str(error)) from None
    ctx.cluster.revision += 1


@ROUTER.get('/cluster/notifications/endpoints/webhook')
def webhook_targets(ctx: Context) -> list[dict[str, Any]]:
    _webhooks(ctx, 'Mapping.Audit')
    return [target.to_api() for target in ctx.cluster.notifications.targets.values()]


@ROUTER.post('/cluster/notifications/endpoints/webhook')
def add_webhook_target(ctx: Context) -> None:
    _webhooks(ctx, 'Mapping.Modify')
    ctx.require('/', 'Sys.Audit', 'Sys.Modify', 'Sys.AccessNetwork')
    _changed(ctx, lambda: ctx.cluster.notifications.add_target(ctx.params, ctx.lists))


@ROUTER.get('/cluster/notifications/endpoints/webhook/{name}')
def webhook_target(ctx: Context) -> dict[str, Any]:
    _webhooks(ctx, 'Mapping.Audit')
    target = ctx.cluster.notifications.targets.get(ctx.args['name'])
    if target is None:
        raise ApiError(404, f"endpoint '{ctx.args['name']}' does not exist")
    return target.to_api()


@ROUTER.delete('/cluster/notifications/endpoints/webhook/{name}')
def remove_webhook_target(ctx: Context) -> None:
    _webhooks(ctx, 'Mapping.Modify')
    _changed(ctx, lambda: ctx.cluster.notifications.remove('target', ctx.args['name']))


@ROUTER.get('/cluster/notifications/matchers')
def matchers(ctx: Context) -> list[dict[str, Any]]:
    ctx.require(_ACL, 'Mapping.Audit')
    return [matcher.to_api() for matcher in ctx.cluster.notifications.matchers.values()]


@ROUTER.post('/cluster/notifications/matchers')
def add_matcher(ctx: Context) -> None:
    ctx.require(_ACL, 'Mapping.Modify')
    _changed(ctx, lambda: ctx.cluster.notifications.add_matcher(ctx.params, ctx.lists))


@ROUTER.delete('/cluster/notifications/matchers/{name}')
def remove_matcher(ctx: Context) -> None:
    ctx.require(_ACL, 'Mapping.Modify')
    _changed(ctx, lambda: ctx.cluster.notifications.remove('matcher', ctx.args['name']))


@ROUTER.post('/cluster/notifications/targets/{name}/test')
def test_target(ctx: Context) -> None:
    ctx.require(_ACL, 'Mapping.Modify', 'Mapping.Audit', 'Mapping.Use')
    try:
        ctx.cluster.notifications.test(ctx.args['name'], now(ctx.cluster))
    except SimError as error:
        raise ApiError(error.status, str(error)) from None

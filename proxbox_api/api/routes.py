"""Routes: health, metrics, sync (JSON), sync (Server-Sent Events), the Proxmox endpoint check,
continuous mode's poll (``/v1/poll``: which guests changed since the caller's last poll), and Proxmox
VE's webhook notifications (``POST /v1/notify``, with the notify key) with their inbox
(``GET /v1/notifications``, read by the plugin).

The stream ends with ``run_finished``; a request with ``include_plan`` (or a dry run) also gets the
plan as one last ``plan`` event (``{digest, operations, summary, warnings}``), after ``run_finished``.
"""

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import AbstractContextManager
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request, status
from fastapi.responses import PlainTextResponse, StreamingResponse
from prometheus_client import generate_latest

from .. import __version__
from ..events import Event, EventSink, Redactor
from ..notifications import InboxPage, KeptNotification
from ..polling import poll_endpoints
from ..proxmox.notification import NotificationFormatError, parse_notification
from ..schemas import PollRequest, PollResult, SyncRequest, SyncResult
from ..service import StalePlanError, run_sync
from ..settings import ServiceSettings
from .endpoint_check import EndpointCheckRequest, EndpointCheckResult, check_endpoints
from .security import require_api_key, require_notify_key, settings_dep

__all__ = ['router']

logger = logging.getLogger('proxbox_api')
router = APIRouter()
Authorized = Depends(require_api_key)
# The body of POST /v1/notify (see proxbox_api.proxmox.notification.NOTIFICATION_BODY), for the OpenAPI document.
_NOTIFICATION_SCHEMA = {
    'type': 'object',
    'properties': {
        'severity': {'type': 'string'},
        'timestamp': {'type': 'integer'},
        'title': {'type': 'string'},
        'message': {'type': 'string'},
        'fields': {'type': 'object', 'description': 'type, hostname, job-id'},
    },
}


def _secrets(request: SyncRequest, settings: ServiceSettings) -> list[str]:
    values = [request.netbox.token.get_secret_value(), settings.api_key.get_secret_value()]
    for endpoint in request.endpoints:
        values.extend(endpoint.secrets())
    return values


def _hiding(request: Request, secrets: list[str]) -> AbstractContextManager[None]:
    """Keep the request's secrets out of the log (and, via request.state, out of a 500's body)."""
    request.state.secrets = secrets
    hiding: AbstractContextManager[None] = request.app.state.logs.secrets.hiding(secrets)
    return hiding


@router.get('/health')
async def health() -> dict[str, str]:
    return {'status': 'ok', 'version': __version__}


@router.get('/metrics', dependencies=[Authorized], response_class=PlainTextResponse)
async def metrics(request: Request) -> PlainTextResponse:
    return PlainTextResponse(generate_latest(request.app.state.metrics.registry).decode())


async def _guarded_run(request: Request, body: SyncRequest, sink: EventSink) -> SyncResult:
    app = request.app
    names = ', '.join(spec.name for spec in body.endpoints)
    async with app.state.sync_slots:
        app.state.metrics.running.inc()
        logger.info('sync %s started: %s%s', body.run_id or '-', names, ' (dry run)' if body.dry_run else '')
        try:
            result = await run_sync(body, sink, expected_digest=body.expected_plan_digest)
        except asyncio.CancelledError:
            logger.warning('sync %s cancelled: the client went away', body.run_id or '-')
            raise
        finally:
            app.state.metrics.running.dec()
    app.state.metrics.record(result)
    logger.info(
        'sync %s %s: %d write(s), %d error(s), %.1f s',
        result.run_id, result.status, result.writes, len(result.errors), result.duration,
    )  # fmt: skip
    return result


@router.post('/v1/sync', dependencies=[Authorized], response_model=SyncResult)
async def sync(request: Request, body: SyncRequest, settings: Annotated[ServiceSettings, Depends(settings_dep)]) -> Any:
    sink = EventSink(Redactor(_secrets(body, settings)))
    try:
        with _hiding(request, sink.redact.secrets):
            result = await _guarded_run(request, body, sink)
    except StalePlanError as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, str(exc)) from None
    return sink.redact(result.model_dump(mode='json'))


async def _stream(request: Request, body: SyncRequest, settings: ServiceSettings) -> AsyncIterator[str]:
    queue: asyncio.Queue[Event | None] = asyncio.Queue()
    sink = EventSink(Redactor(_secrets(body, settings)), queue.put)
    task = asyncio.create_task(_run_for_stream(request, body, sink, settings))
    task.add_done_callback(lambda _: queue.put_nowait(None))
    try:
        while (event := await queue.get()) is not None:
            yield event.to_sse()
    finally:
        if not task.done():  # the client went away: that cancels the run
            task.cancel()


async def _run_for_stream(request: Request, body: SyncRequest, sink: EventSink, settings: ServiceSettings) -> None:
    with _hiding(request, sink.redact.secrets):
        await _relay_run(request, body, sink, settings)


async def _relay_run(request: Request, body: SyncRequest, sink: EventSink, settings: ServiceSettings) -> None:
    try:
        result = await _guarded_run(request, body, sink)
        if result.plan is not None and (body.include_plan or body.dry_run):
            plan = {'digest': result.plan_digest, **result.plan.model_dump(mode='json')}
            await sink('plan', plan)
    except StalePlanError as exc:
        logger.info('sync %s refused: %s', body.run_id or '-', exc)
        await sink('error', {'message': str(exc), 'kind': 'StalePlan', 'status': 409})
    except Exception as exc:  # an unexpected bug: report it without leaking internals
        logger.exception('sync run failed')
        detail = f': {type(exc).__name__}: {exc}' if settings.debug_errors else ''
        await sink('error', {'message': f'internal error in proxbox-api{detail}', 'kind': 'InternalError'})
        await sink('run_finished', {'status': 'failed', 'errors': ['internal error in proxbox-api']})


@router.post('/v1/endpoints/test', dependencies=[Authorized], response_model=EndpointCheckResult)
async def endpoints_test(request: Request, body: EndpointCheckRequest) -> EndpointCheckResult:
    """Reachability and credentials of each Proxmox endpoint, with what is wrong in words."""
    with _hiding(request, [secret for spec in body.endpoints for secret in spec.secrets()]):
        return await check_endpoints(request=body)


@router.post('/v1/sync/stream', dependencies=[Authorized])
async def sync_stream(
    request: Request, body: SyncRequest, settings: Annotated[ServiceSettings, Depends(settings_dep)]
) -> StreamingResponse:
    headers = {'Cache-Control': 'no-cache', 'X-Accel-Buffering': 'no'}
    return StreamingResponse(_stream(request, body, settings), media_type='text/event-stream', headers=headers)


@router.post('/v1/poll', dependencies=[Authorized], response_model=PollResult)
async def poll(request: Request, body: PollRequest) -> PollResult:
    """Two Proxmox requests per endpoint: the guests that changed since the state sent, and the new state."""
    with _hiding(request, [secret for spec in body.endpoints for secret in spec.secrets()]):
        return await poll_endpoints(body)


@router.post(
    '/v1/notify',
    dependencies=[Depends(require_notify_key)],
    status_code=status.HTTP_202_ACCEPTED,
    response_model=KeptNotification,
    openapi_extra={
        'requestBody': {
            'required': True,
            'description': 'The webhook body Proxbox documents (Proxmox renders it from the event)',
            'content': {'application/json': {'schema': _NOTIFICATION_SCHEMA}},
        }
    },
)
async def notify(
    request: Request,
    cluster: Annotated[
        str | None, Query(min_length=1, max_length=100, description="The sending cluster's name (Proxbox's)")
    ] = None,
) -> KeptNotification:
    """A Proxmox VE webhook notification: kept for the plugin, which syncs the guests (or node) it names."""
    try:
        body = await request.json()
    except ValueError:
        raise HTTPException(
            status_code=status.HTTP_400_BAD_REQUEST,
            detail='The body must be JSON: configure the webhook body Proxbox documents.',
        ) from None
    try:
        event = parse_notification(body)
    except NotificationFormatError as exc:
        raise HTTPException(status_code=status.HTTP_422_UNPROCESSABLE_CONTENT, detail=str(exc)) from None
    if cluster is not None:
        event = event.model_copy(update={'cluster': cluster})
    kept: KeptNotification = request.app.state.inbox.add(event)
    logger.info('notification %d: %s from %s, guests %s', kept.seq, kept.type, kept.hostname or '-', kept.vmids or '-')
    return kept


@router.get('/v1/notifications', dependencies=[Authorized], response_model=InboxPage)
async def notifications(
    request: Request,
    after: Annotated[int, Query(ge=0, description='The `next` of the previous page (0: from the oldest kept)')] = 0,
    instance: Annotated[str | None, Query(max_length=64, description='The `instance` that `after` counts in')] = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
) -> InboxPage:
    """The notifications received after ``after``, oldest first."""
    page: InboxPage = request.app.state.inbox.page(after, instance, limit)
    return page

"""The FastAPI application factory.

Every route but ``/health`` needs the API key, the OpenAPI document included; the interactive docs
(``/docs``, ``/redoc``) and a key-less ``/openapi.json`` exist only with ``development`` on. Error
bodies never echo the request nor hold a traceback, and ``debug_errors`` adds the exception's text
with every secret of the request and the service's key scrubbed.
"""

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from .. import __version__
from ..events import Redactor
from ..notifications import Inbox
from ..settings import ServiceSettings, get_settings
from .logs import LogBuffer, SecretFilter
from .logs import router as logs_router
from .metrics import Metrics
from .routes import router
from .security import require_api_key

__all__ = ['create_app']

logger = logging.getLogger('proxbox_api')

# Fields of a request body that hold credentials (SyncRequest, EndpointCheckRequest).
SECRET_FIELDS = frozenset({'token', 'token_secret', 'password', 'api_key'})


def _secret_values(body: Any) -> list[str]:
    """Every credential in a (possibly invalid) request body, wherever it is nested."""
    if isinstance(body, dict):
        found = [value for key, value in body.items() if key in SECRET_FIELDS and isinstance(value, str)]
        return found + [secret for value in body.values() for secret in _secret_values(value)]
    if isinstance(body, list):
        return [secret for value in body for secret in _secret_values(value)]
    return []


def create_app(settings: ServiceSettings | None = None) -> FastAPI:
    settings = settings or get_settings()
    keys = [settings.api_key.get_secret_value()]
    if settings.notify_key is not None:
        keys.append(settings.notify_key.get_secret_value())
    logs = LogBuffer(settings.log_buffer_lines, SecretFilter(keys))

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        logs.attach(settings.log_level)
        logger.info('proxbox-api %s ready', __version__)
        try:
            yield
        finally:
            logs.detach()

    public_docs = settings.development
    app = FastAPI(
        title='proxbox-api',
        version=__version__,
        summary='Proxmox VE → NetBox sync service',
        lifespan=lifespan,
        docs_url='/docs' if public_docs else None,
        redoc_url='/redoc' if public_docs else None,
        openapi_url='/openapi.json' if public_docs else None,
    )
    if not public_docs:

        @app.get('/openapi.json', dependencies=[Depends(require_api_key)], include_in_schema=False)
        async def openapi() -> dict[str, Any]:
            return app.openapi()

    app.state.settings = settings
    app.state.metrics = Metrics()
    app.state.logs = logs
    app.state.sync_slots = asyncio.Semaphore(settings.max_concurrent_syncs)
    app.state.inbox = Inbox(settings.notification_buffer)
    app.include_router(router)
    app.include_router(logs_router)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        # Never echo the request body back: it holds tokens and passwords (a message quoting a bad
        # value is scrubbed of every credential the body holds).
        redact = Redactor([*keys, *_secret_values(exc.body)])
        errors = [
            {'loc': list(err.get('loc', ())), 'msg': err.get('msg'), 'type': err.get('type')} for err in exc.errors()
        ]
        return JSONResponse(status_code=422, content={'detail': redact(errors)})

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception) -> JSONResponse:
        # The routes that take secrets list them on request.state.secrets.
        secrets = getattr(request.state, 'secrets', ())
        with logs.secrets.hiding(secrets):
            logger.exception('unhandled error')
        if not settings.debug_errors:
            return JSONResponse(status_code=500, content={'detail': 'internal error in proxbox-api'})
        redact = Redactor([*keys, *secrets])
        return JSONResponse(status_code=500, content={'detail': redact(f'{type(exc).__name__}: {exc}')})

    return app

"""The FastAPI application factory."""

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from .. import __version__
from ..settings import ServiceSettings, get_settings
from .logs import LogBuffer
from .logs import router as logs_router
from .metrics import Metrics
from .routes import router

__all__ = ['create_app']

logger = logging.getLogger('proxbox_api')


def create_app(settings: ServiceSettings | None = None) -> FastAPI:
    settings = settings or get_settings()
    logs = LogBuffer(settings.log_buffer_lines)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        logs.attach(settings.log_level)
        logger.info('proxbox-api %s ready', __version__)
        try:
            yield
        finally:
            logs.detach()

    app = FastAPI(
        title='proxbox-api', version=__version__, summary='Proxmox VE → NetBox sync service', lifespan=lifespan
    )
    app.state.settings = settings
    app.state.metrics = Metrics()
    app.state.logs = logs
    app.state.sync_slots = asyncio.Semaphore(settings.max_concurrent_syncs)
    app.include_router(router)
    app.include_router(logs_router)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        # Never echo the request body back: it holds tokens and passwords.
        errors = [
            {'loc': list(err.get('loc', ())), 'msg': err.get('msg'), 'type': err.get('type')} for err in exc.errors()
        ]
        return JSONResponse(status_code=422, content={'detail': errors})

    @app.exception_handler(Exception)
    async def internal_error(_: Request, exc: Exception) -> JSONResponse:
        logger.exception('unhandled error')
        detail = f'{type(exc).__name__}: {exc}' if settings.debug_errors else 'internal error in proxbox-api'
        return JSONResponse(status_code=500, content={'detail': detail})

    return app

"""The HTTP edge of proxbox-api (FastAPI): thin routes over ``service.run_sync``."""

from .app import create_app

__all__ = ['create_app']

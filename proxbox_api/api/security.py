"""Every route but /health needs the service's API key (``X-API-Key``), compared in constant time."""

import hmac
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import APIKeyHeader

from ..settings import ServiceSettings

__all__ = ['require_api_key', 'settings_dep']

_header = APIKeyHeader(name='X-API-Key', auto_error=False)


def settings_dep(request: Request) -> ServiceSettings:
    settings: ServiceSettings = request.app.state.settings
    return settings


def require_api_key(
    key: Annotated[str | None, Depends(_header)],
    settings: Annotated[ServiceSettings, Depends(settings_dep)],
) -> None:
    expected = settings.api_key.get_secret_value().encode()
    if key is None or not hmac.compare_digest(key.encode(), expected):
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail='Missing or wrong API key: send the X-API-Key header configured as PROXBOX_API_API_KEY.',
        )

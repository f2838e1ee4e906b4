"""Every route but /health needs the service's API key (``X-API-Key``), compared in constant time."""

import hmac
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import APIKeyHeader

from ..settings import ServiceSettings

__all__ = ['require_api_key', 'require_notify_key', 'settings_dep']

_header = APIKeyHeader(name='X-API-Key', auto_error=False)
# The same header, another key: what Proxmox VE webhook targets send to POST /v1/notify.
_notify_header = APIKeyHeader(name='X-API-Key', scheme_name='NotifyKey', auto_error=False)


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


def require_notify_key(
    key: Annotated[str | None, Depends(_notify_header)],
    settings: Annotated[ServiceSettings, Depends(settings_dep)],
) -> None:
    """``POST /v1/notify`` takes the notify key (what a Proxmox webhook target holds), not the API key."""
    if settings.notify_key is None:  # no key opens it
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail='Notifications are off: set PROXBOX_API_NOTIFY_KEY to receive Proxmox VE webhook notifications.',
        )
    expected = settings.notify_key.get_secret_value().encode()
    if key is None or not hmac.compare_digest(key.encode(), expected):
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail='Missing or wrong notify key: send the X-API-Key header configured as PROXBOX_API_NOTIFY_KEY.',
        )

"""Settings for one Proxmox endpoint and for the client's retry/concurrency policy.

These are plain frozen pydantic models: the service's single ``pydantic-settings`` object embeds
them, and tests build them directly.
"""

from pathlib import Path
from typing import Self

import httpx
from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator

__all__ = ['ClientOptions', 'ProxmoxEndpoint']

_API_PATH = '/api2/json'


class ProxmoxEndpoint(BaseModel):
    """Where a Proxmox VE API is and how to log in: an API token (preferred) or username + password."""

    model_config = ConfigDict(frozen=True, extra='forbid')

    name: str = 'proxmox'
    host: str = Field(description='Host name, IP address or URL (https://host:8006[/api2/json]).')
    port: int = Field(default=8006, ge=1, le=65535)
    token_id: str | None = Field(default=None, description='USER@REALM!TOKENID, e.g. root@pam!sync')
    token_secret: SecretStr | None = None
    username: str | None = Field(default=None, description='USER@REALM, e.g. root@pam')
    password: SecretStr | None = None
    verify_tls: bool = Field(default=True, description='Verify the server certificate. Turn off only per endpoint.')
    ca_bundle: Path | None = Field(default=None, description='A CA bundle to verify the certificate against.')
    timeout: float = Field(default=30.0, gt=0, description='Seconds per request (PVE proxies to nodes for 30 s).')

    @model_validator(mode='after')
    def _check(self) -> Self:
        has_token = self.token_id is not None or self.token_secret is not None
        has_password = self.username is not None or self.password is not None
        if has_token == has_password:
            raise ValueError('set either token_id + token_secret or username + password')
        if has_token and not (self.token_id and self.token_secret and self.token_secret.get_secret_value()):
            raise ValueError('token auth needs both token_id and token_secret')
        if has_token and '!' not in (self.token_id or ''):
            raise ValueError('token_id must look like USER@REALM!TOKENID')
        if has_password and not (self.username and self.password and self.password.get_secret_value()):
            raise ValueError('password auth needs both username and password')
        if self.ca_bundle is not None and not self.verify_tls:
            raise ValueError('ca_bundle is set but verify_tls is off')
        return self

    @property
    def base_url(self) -> str:
        """``https://HOST:PORT/api2/json`` (a URL in ``host`` is used as given, plus ``/api2/json``)."""
        if '://' in self.host:
            url = httpx.URL(self.host)
            path = url.path.rstrip('/')
            return str(url.copy_with(path=path if path.endswith(_API_PATH) else path + _API_PATH))
        host = f'[{self.host}]' if ':' in self.host and not self.host.startswith('[') else self.host
        return f'https://{host}:{self.port}{_API_PATH}'

    def secrets(self) -> tuple[str, ...]:
        """The strings that must never appear in a message or a log line."""
        values = (self.token_secret, self.password)
        return tuple(v.get_secret_value() for v in values if v is not None and v.get_secret_value())


class ClientOptions(BaseModel):
    """Retry, backoff, concurrency and ticket-renewal policy."""

    model_config = ConfigDict(frozen=True, extra='forbid')

    max_concurrency: int = Field(default=8, ge=1, le=256, description='Requests in flight at once, per client.')
    max_retries: int = Field(default=3, ge=0, le=10, description='Retries after timeouts, connection errors and 5xx.')
    backoff_base: float = Field(default=0.5, ge=0, description='First retry delay in seconds; doubles per retry.')
    backoff_max: float = Field(default=10.0, ge=0, description='Upper bound of one retry delay in seconds.')
    ticket_renew_after: float = Field(default=3600.0, gt=0, description='Renew a ticket this many seconds after login.')
    ticket_lifetime: float = Field(default=7200.0, gt=0, description="PVE's ticket lifetime (2 h).")

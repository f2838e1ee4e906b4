"""proxbox-api's one settings object, read from the environment (``PROXBOX_API_*``) at start-up."""

from functools import lru_cache
from typing import Self

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ['DEFAULT_API_KEY', 'ServiceSettings', 'get_settings']

# Accepted only with development=true, so a forgotten key never reaches production.
DEFAULT_API_KEY = 'proxbox-development-key'


class ServiceSettings(BaseSettings):
    """Every knob of the service. Sync behaviour (concurrency, batches, pruning) comes with each request."""

    model_config = SettingsConfigDict(env_prefix='PROXBOX_API_', env_file=None, extra='ignore')

    api_key: SecretStr = Field(
        default=SecretStr(DEFAULT_API_KEY), description='Key every caller sends as the X-API-Key header'
    )
    development: bool = Field(
        default=False, description='Allow the default API key and serve /docs and /redoc (never in production)'
    )
    host: str = Field(default='127.0.0.1', description='Address uvicorn listens on')
    port: int = Field(default=8800, ge=1, le=65535)
    log_level: str = Field(default='info')
    debug_errors: bool = Field(default=False, description='Put exception details in error bodies (debugging only)')
    max_concurrent_syncs: int = Field(default=4, ge=1, le=64, description='Syncs running at once in this process')
    log_buffer_lines: int = Field(default=2000, ge=10, le=100000, description='Recent log lines kept for /v1/logs')
    notify_key: SecretStr | None = Field(
        default=None,
        description='Key Proxmox VE webhook notification targets send (X-API-Key) to POST /v1/notify; unset: '
        'notifications are off. Only that route takes it, so a Proxmox cluster never holds the API key',
    )
    notification_buffer: int = Field(default=5000, ge=10, le=100000, description='Notifications kept for the plugin')

    @model_validator(mode='after')
    def _refuse_default_key(self) -> Self:
        key = self.api_key.get_secret_value()
        if not self.development and key == DEFAULT_API_KEY:
            raise ValueError('PROXBOX_API_API_KEY must be set (the default key is for development only)')
        if len(key) < 16:
            raise ValueError('PROXBOX_API_API_KEY must be at least 16 characters')
        if self.notify_key is not None:
            notify = self.notify_key.get_secret_value()
            if len(notify) < 16:
                raise ValueError('PROXBOX_API_NOTIFY_KEY must be at least 16 characters')
            if notify == key:
                raise ValueError('PROXBOX_API_NOTIFY_KEY must differ from PROXBOX_API_API_KEY')
        return self


@lru_cache(maxsize=1)
def get_settings() -> ServiceSettings:
    return ServiceSettings()

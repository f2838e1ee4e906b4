"""pxb's settings: where NetBox is and how to log in.

One validated object, :class:`Settings`, built once per command by :func:`load_settings` from three
sources in this order of precedence: command-line flags, environment variables (``PROXBOX_*``),
then a TOML config file (``--config``, ``$PROXBOX_CONFIG``, or ``config.toml`` in the user's config
directory). The sources are merged explicitly so that every error names where the bad value came
from. The token is a ``SecretStr`` and no message ever contains it.
"""

import os
import re
import ssl
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator

from .errors import ConfigError

__all__ = [
    'CONFIG_ENV',
    'ENV_PREFIX',
    'Configuration',
    'NetBoxToken',
    'Settings',
    'config_path',
    'default_config_path',
    'load_settings',
]

ENV_PREFIX = 'PROXBOX_'
CONFIG_ENV = 'PROXBOX_CONFIG'

_V2_RE = re.compile(r'^nbt_[A-Za-z0-9]+\.[A-Za-z0-9]+$')
_V1_RE = re.compile(r'^[A-Za-z0-9]{40}$')
_TOKEN_HELP = (
    'expected a v2 token "nbt_<key>.<token>" or a 40-character v1 token (a "Bearer " or "Token " prefix is fine)'
)


@dataclass(frozen=True, slots=True)
class NetBoxToken:
    """A parsed NetBox API token: ``header`` is the ``Authorization`` value; the repr hides it."""

    version: int
    header: str = field(repr=False)

    @classmethod
    def parse(cls, value: str) -> 'NetBoxToken':
        text = value.strip()
        for prefix in ('Bearer ', 'Token ', 'bearer ', 'token '):
            text = text.removeprefix(prefix).strip()
        if _V2_RE.match(text):
            return cls(2, f'Bearer {text}')
        if _V1_RE.match(text):
            return cls(1, f'Token {text}')
        raise ValueError(f'not a NetBox API token: {_TOKEN_HELP}')  # never echo the value


class Settings(BaseModel):
    """Everything pxb needs to reach NetBox."""

    model_config = ConfigDict(frozen=True, extra='forbid')

    netbox_url: str = Field(description='Base URL of NetBox, e.g. https://netbox.example.com/')
    netbox_token: SecretStr = Field(description='NetBox API token of a user allowed to run syncs')
    verify_tls: bool = Field(default=True, description="Check NetBox's TLS certificate")
    ca_bundle: Path | None = Field(default=None, description="PEM file of CAs to verify NetBox's certificate with")
    timeout: float = Field(default=30.0, gt=0, le=3600, description='Seconds one request to NetBox may take')

    @field_validator('netbox_url')
    @classmethod
    def _url(cls, value: str) -> str:
        value = value.strip()
        if not re.match(r'^https?://[^/\s]+', value):
            raise ValueError('must start with http:// or https:// and name a host')
        return value.rstrip('/') + '/'

    @field_validator('netbox_token')
    @classmethod
    def _token(cls, value: SecretStr) -> SecretStr:
        NetBoxToken.parse(value.get_secret_value())
        return value

    @field_validator('ca_bundle')
    @classmethod
    def _ca_bundle(cls, value: Path | None) -> Path | None:
        if value is not None and not value.expanduser().is_file():
            raise ValueError(f'no such file: {value}')
        return value.expanduser() if value is not None else None

    @property
    def token(self) -> NetBoxToken:
        return NetBoxToken.parse(self.netbox_token.get_secret_value())

    def tls(self) -> ssl.SSLContext | bool:
        """What httpx's ``verify`` takes: off, the system CAs, or the configured bundle."""
        if not self.verify_tls:
            return False
        if self.ca_bundle is not None:
            return ssl.create_default_context(cafile=str(self.ca_bundle))
        return True


FIELDS: tuple[str, ...] = tuple(Settings.model_fields)
# Command-line flags whose name differs from the setting's.
FLAGS = {'netbox_token': '--token'}


def default_config_path() -> Path:
    return platformdirs.user_config_path('proxbox') / 'config.toml'


def config_path(config_file: Path | None, environ: Mapping[str, str] | None = None) -> tuple[Path, bool]:
    """The config file to read, and whether the user named it (then it must exist)."""
    environ = os.environ if environ is None else environ
    named = config_file or (Path(environ[CONFIG_ENV]) if environ.get(CONFIG_ENV) else None)
    return (named or default_config_path()).expanduser(), named is not None


@dataclass(frozen=True)
class Configuration:
    """Loaded settings, where each value came from, the config file used, and warnings to show."""

    settings: Settings
    sources: dict[str, str]
    path: Path
    warnings: tuple[str, ...] = ()


def _read_file(path: Path, explicit: bool) -> dict[str, Any]:
    if not path.exists():
        if explicit:
            raise ConfigError(f'config file {path} does not exist')
        return {}
    try:
        data = tomllib.loads(path.read_text())
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f'cannot read config file {path}: {exc}') from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f'config file {path} is not valid TOML: {exc}') from None
    unknown = sorted(set(data) - set(FIELDS))
    if unknown:
        raise ConfigError(f'config file {path}: unknown setting {", ".join(unknown)} (known: {", ".join(FIELDS)})')
    return data


def _permission_warning(path: Path, data: Mapping[str, Any]) -> tuple[str, ...]:
    if 'netbox_token' in data and os.name == 'posix' and path.stat().st_mode & 0o077:
        return (f'config file {path} holds the token and is readable by others; run: chmod 600 {path}',)
    return ()


def _describe(name: str, sources: Mapping[str, str]) -> str:
    return f'{name} (from {sources[name]})' if name in sources else name


def _error_message(exc: ValidationError, sources: Mapping[str, str], path: Path) -> str:
    lines = []
    for error in exc.errors(include_input=False, include_url=False):
        name = str(error['loc'][0]) if error['loc'] else 'settings'
        if error['type'] == 'missing':
            flag = FLAGS.get(name, '--' + name.replace('_', '-'))
            lines.append(f'{name} is not set: pass {flag}, set {ENV_PREFIX}{name.upper()}, or add it to {path}')
        else:
            lines.append(f'{_describe(name, sources)}: {error["msg"].removeprefix("Value error, ")}')
    return '\n  '.join(lines)


def load_settings(
    flags: Mapping[str, Any] | None = None,
    *,
    config_file: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> Configuration:
    """Merge flags over ``PROXBOX_*`` environment variables over the config file, and validate."""
    environ = os.environ if environ is None else environ
    path, explicit = config_path(config_file, environ)
    file_values = _read_file(path, explicit)
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for name in FIELDS:
        env_name = ENV_PREFIX + name.upper()
        if (flag := (flags or {}).get(name)) is not None:
            values[name], sources[name] = flag, 'command line'
        elif environ.get(env_name, '') != '':
            values[name], sources[name] = environ[env_name], env_name
        elif name in file_values:
            values[name], sources[name] = file_values[name], str(path)
    try:
        settings = Settings.model_validate(values)
    except ValidationError as exc:
        raise ConfigError(_error_message(exc, sources, path)) from None
    return Configuration(settings, sources, path, _permission_warning(path, file_values))

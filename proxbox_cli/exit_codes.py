"""pxb's exit codes, as documented in ``pxb --help``."""

from enum import IntEnum

from .errors import (
    AuthenticationFailed,
    ConfigError,
    Interrupted,
    InvalidRequest,
    NotFound,
    PermissionDenied,
    PxbError,
    SyncAlreadyRunning,
)

__all__ = ['EXIT_CODES_HELP', 'ExitCode', 'for_error', 'for_status']


class ExitCode(IntEnum):
    OK = 0
    FAILED = 1
    USAGE = 2
    OBJECT_ERRORS = 3
    ALREADY_RUNNING = 4
    INTERRUPTED = 130


EXIT_CODES_HELP = """\b
Exit codes:
  0    success
  1    the sync failed or was cancelled; or NetBox, proxbox-api or an endpoint is unreachable or failing
  2    usage or configuration error: bad option, missing setting, token rejected, unknown name
  3    the sync finished, but some objects could not be written
  4    refused: a sync is already running
  130  interrupted (Ctrl-C): pxb stopped following; the sync goes on"""

# Checked in order: the first class the error is an instance of decides.
_BY_ERROR: tuple[tuple[type[PxbError], ExitCode], ...] = (
    (SyncAlreadyRunning, ExitCode.ALREADY_RUNNING),
    (Interrupted, ExitCode.INTERRUPTED),
    (ConfigError, ExitCode.USAGE),
    (AuthenticationFailed, ExitCode.USAGE),
    (PermissionDenied, ExitCode.USAGE),
    (NotFound, ExitCode.USAGE),
    (InvalidRequest, ExitCode.USAGE),
)
_BY_STATUS = {'completed': ExitCode.OK, 'partial': ExitCode.OBJECT_ERRORS}


def for_error(error: PxbError) -> ExitCode:
    return next((code for kind, code in _BY_ERROR if isinstance(error, kind)), ExitCode.FAILED)


def for_status(status: str) -> ExitCode:
    """A finished run's status: completed 0, partial 3, failed or cancelled 1."""
    return _BY_STATUS.get(status, ExitCode.FAILED)

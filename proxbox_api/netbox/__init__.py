"""Writing to NetBox: an async REST client with paged reads and batched, retried bulk writes.

``NetBoxClient`` is the only way the sync engine talks to NetBox; ``proxbox_api.netbox.errors`` holds
its exception hierarchy (drawn in ``client``'s docstring).
"""

from .client import NetBoxClient
from .errors import (
    NetBoxAuthError,
    NetBoxError,
    NetBoxNotFound,
    NetBoxObjectError,
    NetBoxPermissionError,
    NetBoxProtocolError,
    NetBoxRequestError,
    NetBoxTimeout,
    NetBoxUnavailable,
    NetBoxValidationError,
)
from .results import Recover, WriteResult
from .settings import NetBoxClientOptions

__all__ = [
    'NetBoxAuthError',
    'NetBoxClient',
    'NetBoxClientOptions',
    'NetBoxError',
    'NetBoxNotFound',
    'NetBoxObjectError',
    'NetBoxPermissionError',
    'NetBoxProtocolError',
    'NetBoxRequestError',
    'NetBoxTimeout',
    'NetBoxUnavailable',
    'NetBoxValidationError',
    'Recover',
    'WriteResult',
]

"""Reading Proxmox VE: an async API client, property-string parsers and a cluster reader.

``read_cluster(client)`` returns a frozen ``ProxmoxSnapshot``; ``proxbox_api.proxmox.parsers`` holds
the pure property-string parsers; ``proxbox_api.proxmox.errors`` the client's exception hierarchy.
"""

from .client import ProxmoxClient
from .errors import (
    NodeUnreachable,
    ProxmoxAuthError,
    ProxmoxConnectionError,
    ProxmoxError,
    ProxmoxGuestAgentError,
    ProxmoxNotFound,
    ProxmoxNotImplemented,
    ProxmoxPermissionError,
    ProxmoxProtocolError,
    ProxmoxRequestError,
    ProxmoxServerError,
    ProxmoxTimeout,
    ProxmoxUnavailable,
)
from .models import Guest, GuestIp, IncompleteScope, Node, NodeInterface, Pool, ProxmoxSnapshot
from .protection import read_data_protection
from .protection_models import DataProtectionSnapshot, ProtectionOptions
from .reader import ReadOptions, ReadScope, read_cluster
from .settings import ClientOptions, ProxmoxEndpoint

__all__ = [
    'ClientOptions',
    'DataProtectionSnapshot',
    'Guest',
    'GuestIp',
    'IncompleteScope',
    'Node',
    'NodeInterface',
    'NodeUnreachable',
    'Pool',
    'ProxmoxAuthError',
    'ProxmoxClient',
    'ProxmoxConnectionError',
    'ProxmoxEndpoint',
    'ProxmoxError',
    'ProxmoxGuestAgentError',
    'ProxmoxNotFound',
    'ProxmoxNotImplemented',
    'ProxmoxPermissionError',
    'ProxmoxProtocolError',
    'ProxmoxRequestError',
    'ProxmoxServerError',
    'ProxmoxSnapshot',
    'ProxmoxTimeout',
    'ProxmoxUnavailable',
    'ProtectionOptions',
    'ReadOptions',
    'ReadScope',
    'read_cluster',
    'read_data_protection',
]

"""Proxmox authentication: API tokens, tickets with CSRF tokens and their 2-hour lifetime.

Tickets look like Proxmox's (``PVE:<userid>:<HEX time>::<base64 signature>``) but are signed with an
HMAC key per endpoint rather than RSA; clients treat them as opaque, so only the format matters.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote, unquote

from ..errors import ApiError
from ..model import Cluster

__all__ = ['TICKET_LIFETIME', 'Authenticator', 'Principal']

TICKET_LIFETIME = 7200
GRACE = 300  # a ticket up to 5 minutes "from the future" is accepted (clock skew)
_TOKEN_RE = re.compile(r'(?:^|\s)PVEAPIToken(?:=| )([^;]*)')
_TICKET_RE = re.compile(r'^PVE:([^:]+):([0-9A-F]{8})::([A-Za-z0-9+/=]+)$')


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: a user (ticket) or ``user@realm!token`` (token), and what it may do (None: everything)."""

    userid: str
    tokenid: str | None = None
    privileges: frozenset[str] | None = None

    def allowed(self, privilege: str) -> bool:
        return self.privileges is None or privilege in self.privileges

    @property
    def via_token(self) -> bool:
        return self.tokenid is not None


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode().rstrip('=')


class Authenticator:
    """Issues and checks tickets for one endpoint (cluster); the clock is injectable for lifetime tests."""

    def __init__(self, cluster: Cluster, clock: Callable[[], float], key: bytes | None = None) -> None:
        self.cluster = cluster
        self.clock = clock
        self._key = key or secrets.token_bytes(32)

    def _sign(self, text: str, purpose: bytes) -> str:
        return _b64(hmac.new(self._key + purpose, text.encode(), hashlib.sha256).digest())

    def issue(self, userid: str) -> tuple[str, str]:
        """A new ticket and CSRF prevention token for ``userid``."""
        stamp = f'{int(self.clock()):08X}'
        plain = f'PVE:{quote(userid, safe="@!")}:{stamp}'
        ticket = f'{plain}::{self._sign(plain, b"ticket")}'
        csrf = f'{stamp}:{self._sign(f"{stamp}:{userid}", b"csrf")}'
        return ticket, csrf

    def _fresh(self, stamp: str) -> bool:
        age = self.clock() - int(stamp, 16)
        return -GRACE < age < TICKET_LIFETIME

    def check_ticket(self, ticket: str) -> str | None:
        """The user id of a valid, unexpired ticket, else None."""
        match = _TICKET_RE.match(ticket)
        if match is None:
            return None
        plain = f'PVE:{match[1]}:{match[2]}'
        if not hmac.compare_digest(match[3], self._sign(plain, b'ticket')) or not self._fresh(match[2]):
            return None
        return unquote(match[1])

    def check_csrf(self, token: str | None, userid: str) -> bool:
        if not token or ':' not in token:
            return False
        stamp, _, signature = token.partition(':')
        if not re.fullmatch(r'[0-9A-F]{8}', stamp) or not self._fresh(stamp):
            return False
        return hmac.compare_digest(signature, self._sign(f'{stamp}:{userid}', b'csrf'))

    def _fail(self, raw: str) -> ApiError:
        message = 'Authentication failed!' if self.cluster.version.unified_auth_error else raw
        return ApiError(401, message, body=False)

    def from_token(self, header: str) -> Principal | None:
        """The principal of a ``PVEAPIToken=`` header, None if there is none, ApiError(401) if it is bad."""
        match = _TOKEN_RE.search(header)
        if match is None:
            return None
        tokenid, sep, secret = match[1].strip().rpartition('=')
        userid, _, name = tokenid.partition('!')
        if not sep or not name:
            raise self._fail('invalid token value!')
        if userid not in self.cluster.users:
            raise self._fail(f"no such user ('{userid}')")
        token = self.cluster.tokens.get(tokenid)
        if token is None:
            raise self._fail(f"no such token '{name}' for user '{userid}'")
        if not hmac.compare_digest(token.secret, secret):
            raise self._fail('invalid token value!')
        return Principal(userid=userid, tokenid=name, privileges=token.privileges)

    def from_ticket(self, ticket: str, method: str, csrf: str | None) -> Principal:
        userid = self.check_ticket(ticket)
        if userid is None:
            raise self._fail('permission denied - invalid PVE ticket')
        if method != 'GET' and not self.check_csrf(csrf, userid):
            raise ApiError(401, 'Permission denied - invalid csrf token', body=False)
        return Principal(userid=userid)

    def login(self, username: str, password: str, realm: str | None) -> str:
        """The user id for a password (or a still-valid ticket, which renews); ApiError(401) otherwise."""
        userid = username if '@' in username or not realm else f'{username}@{realm}'
        known = self.cluster.users.get(userid)
        if known is not None and hmac.compare_digest(known, password):
            return userid
        renewed = self.check_ticket(password)
        if renewed is not None and (renewed == userid or renewed == 'root@pam') and known is not None:
            return userid
        raise ApiError(401, 'authentication failure')

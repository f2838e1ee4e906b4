"""Authentication strategies: a stateless API token, or a ticket with renewal and re-login."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from .errors import ProxmoxAuthError, ProxmoxProtocolError
from .settings import ClientOptions, ProxmoxEndpoint

__all__ = ['Auth', 'TicketAuth', 'TokenAuth', 'make_auth']

Login = Callable[[dict[str, str]], Awaitable[Any]]


class Auth(Protocol):
    """Gives the headers for one request; ``invalidate`` drops credentials after a 401."""

    can_relogin: bool

    async def headers(self, method: str) -> tuple[dict[str, str], int]: ...

    def invalidate(self, generation: int) -> None: ...


class TokenAuth:
    """``Authorization: PVEAPIToken=USER@REALM!TOKENID=SECRET``; no CSRF token is needed."""

    can_relogin = False

    def __init__(self, token_id: str, secret: str) -> None:
        self._header = {'Authorization': f'PVEAPIToken={token_id}={secret}'}

    async def headers(self, method: str) -> tuple[dict[str, str], int]:  # noqa: ARG002 - same for every method
        return dict(self._header), 0

    def invalidate(self, generation: int) -> None:
        """A rejected token cannot be refreshed."""


class TicketAuth:
    """``PVEAuthCookie`` ticket from POST /access/ticket, plus ``CSRFPreventionToken`` on writes.

    The ticket is renewed (``password=<ticket>``) once it is ``ticket_renew_after`` old, and replaced
    by a fresh login when it is near PVE's 2-hour lifetime or after a 401.
    """

    can_relogin = True

    def __init__(
        self, username: str, password: str, options: ClientOptions, clock: Callable[[], float], login: Login
    ) -> None:
        self._username, self._password = username, password
        self._options, self._clock, self._login_call = options, clock, login
        self._ticket: str | None = None
        self._csrf = ''
        self._issued = 0.0
        self._generation = 0
        self._lock = asyncio.Lock()

    @property
    def ticket(self) -> str | None:
        return self._ticket

    async def headers(self, method: str) -> tuple[dict[str, str], int]:
        async with self._lock:
            await self._ensure_fresh()
            headers = {'Cookie': f'PVEAuthCookie={self._ticket}'}
            if method != 'GET':
                headers['CSRFPreventionToken'] = self._csrf
            return headers, self._generation

    def invalidate(self, generation: int) -> None:
        if generation == self._generation:
            self._ticket = None

    async def _ensure_fresh(self) -> None:
        if self._ticket is None:
            await self._login(self._password)
            return
        age = self._clock() - self._issued
        if age >= self._options.ticket_lifetime - 60:
            await self._login(self._password)
        elif age >= self._options.ticket_renew_after:
            try:
                await self._login(self._ticket)
            except ProxmoxAuthError:
                await self._login(self._password)

    async def _login(self, password: str) -> None:
        data = await self._login_call({'username': self._username, 'password': password})
        if not isinstance(data, dict) or not data.get('ticket') or not data.get('CSRFPreventionToken'):
            raise ProxmoxProtocolError('POST /access/ticket: no ticket in the response', path='/access/ticket')
        self._ticket, self._csrf = str(data['ticket']), str(data['CSRFPreventionToken'])
        self._issued = self._clock()
        self._generation += 1


def make_auth(
    endpoint: ProxmoxEndpoint, options: ClientOptions, clock: Callable[[], float], login: Login
) -> TokenAuth | TicketAuth:
    if endpoint.token_id and endpoint.token_secret:
        return TokenAuth(endpoint.token_id, endpoint.token_secret.get_secret_value())
    assert endpoint.username and endpoint.password  # guaranteed by ProxmoxEndpoint's validator
    return TicketAuth(endpoint.username, endpoint.password.get_secret_value(), options, clock, login)

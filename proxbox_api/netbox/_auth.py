"""The ``Authorization`` header for a NetBox API token (v2 ``nbt_<key>.<token>`` or v1 40 characters)."""

import re

__all__ = ['TokenAuth']

_V2_RE = re.compile(r'^nbt_(?P<key>[A-Za-z0-9]+)\.(?P<secret>[A-Za-z0-9]+)$')
_V1_RE = re.compile(r'^[A-Za-z0-9]{40}$')


class TokenAuth:
    """Parses a token once; ``header`` is sent, ``secrets`` are what a redactor must remove."""

    __slots__ = ('header', 'secrets', 'version')

    def __init__(self, token: str) -> None:
        token = token.strip()
        if match := _V2_RE.match(token):
            self.version = 2
            self.header = f'Bearer {token}'
            self.secrets: tuple[str, ...] = (token, match['secret'])
        elif _V1_RE.match(token):
            self.version = 1
            self.header = f'Token {token}'
            self.secrets = (token,)
        else:
            # Never echo the value: it may be a real secret with a typo.
            raise ValueError('NetBox token must be a v2 token "nbt_<key>.<token>" or a 40-character v1 token')

    def __repr__(self) -> str:
        return f'TokenAuth(v{self.version}, ***)'

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, '***')
        return text

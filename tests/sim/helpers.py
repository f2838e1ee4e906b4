"""Helpers shared by the simulator tests."""

from __future__ import annotations

from typing import Any

import requests

from proxmox_sim import Endpoint


class Raw:
    """Plain HTTP access for what proxmoxer hides: status, reason phrase, headers and body."""

    def __init__(self, endpoint: Endpoint) -> None:
        self.endpoint = endpoint
        self.base = endpoint.url.removesuffix('/api2/json')
        self.session = requests.Session()
        self.session.verify = False
        self.session.trust_env = False  # REQUESTS_CA_BUNDLE would override verify=False
        self.token = f'PVEAPIToken={endpoint.token_id}={endpoint.token_secret}'

    def get(
        self, path: str, *, auth: bool = True, headers: dict[str, str] | None = None, **kwargs: Any
    ) -> requests.Response:
        headers = {**({'Authorization': self.token} if auth else {}), **(headers or {})}
        return self.session.get(self.base + path, headers=headers, timeout=10, **kwargs)

    def api(self, path: str, **kwargs: Any) -> requests.Response:
        return self.get('/api2/json' + path, **kwargs)

    def control(self, method: str, path: str, body: dict[str, Any] | None = None) -> requests.Response:
        headers = {'Authorization': self.token}
        return self.session.request(method, f'{self.base}/_sim{path}', json=body, headers=headers, timeout=10)


def first(items: list[dict[str, Any]], **match: Any) -> dict[str, Any]:
    for item in items:
        if all(item.get(key) == value for key, value in match.items()):
            return item
    raise AssertionError(f'no item matches {match}')

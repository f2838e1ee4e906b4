"""What to generate: the fleet's size, seed and emulated version."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from .version import PveVersion

__all__ = ['FleetSpec']

MAX_ENDPOINTS = 250  # each endpoint gets its own 10.<n>.0.0/16


@dataclass(frozen=True, slots=True)
class FleetSpec:
    """Sizes and seed of a generated fleet.

    ``nodes`` is per cluster; ``guests`` is the fleet total, spread over every node
    (cluster members and standalone nodes alike). The same spec always gives the same world.
    """

    seed: int = 1
    clusters: int = 1
    nodes: int = 3
    standalone: int = 0
    guests: int = 30
    pve_version: str = '8.3'
    lxc_share: float = 0.3  # fraction of guests that are containers
    token_id: str = 'root@pam!proxbox'
    password: str = 'proxbox'

    def __post_init__(self) -> None:
        PveVersion.parse(self.pve_version)
        if self.clusters < 0 or self.standalone < 0 or self.clusters + self.standalone < 1:
            raise ValueError('a fleet needs at least one cluster or standalone node')
        if self.clusters + self.standalone > MAX_ENDPOINTS:
            raise ValueError(f'at most {MAX_ENDPOINTS} clusters and standalone nodes together')
        if self.nodes < 1 or self.nodes > 64:
            raise ValueError('nodes per cluster must be between 1 and 64')
        if self.guests < 0 or self.guests > 200_000:
            raise ValueError('guests must be between 0 and 200000')
        if not 0.0 <= self.lxc_share <= 1.0:
            raise ValueError('lxc_share must be between 0 and 1')
        if '!' not in self.token_id or '@' not in self.token_id:
            raise ValueError('token_id must look like user@realm!name')

    @property
    def version(self) -> PveVersion:
        return PveVersion.parse(self.pve_version)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

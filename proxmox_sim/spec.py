"""What to generate: the fleet's size, seed and emulated version."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from .version import PveVersion

__all__ = ['DEFAULT_EPOCH', 'FleetSpec']

MAX_ENDPOINTS = 250  # each endpoint gets its own 10.<n>.0.0/16
DEFAULT_EPOCH = 1767225600  # 2026-01-01T00:00Z


@dataclass(frozen=True, slots=True)
class FleetSpec:
    """Sizes and seed of a generated fleet.

    ``nodes`` is per cluster; ``guests`` is the fleet total, spread over every node
    (cluster members and standalone nodes alike). The same spec always gives the same world.
    ``first_index`` is the position of the first endpoint: its name and address range, so that
    several simulators (one per emulated release, say) serve distinct clusters side by side.
    ``epoch`` is the logical clock's start: backups, snapshots and tasks are dated just before it
    (pass the current time for a fleet whose recent history falls in a sync's task window).
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
    first_index: int = 0
    epoch: int = DEFAULT_EPOCH

    def __post_init__(self) -> None:
        PveVersion.parse(self.pve_version)
        if self.clusters < 0 or self.standalone < 0 or self.clusters + self.standalone < 1:
            raise ValueError('a fleet needs at least one cluster or standalone node')
        if self.first_index < 0:
            raise ValueError('first_index must not be negative')
        if self.first_index + self.clusters + self.standalone > MAX_ENDPOINTS:
            raise ValueError(f'at most {MAX_ENDPOINTS} clusters and standalone nodes together (from first_index)')
        if self.epoch < 0:
            raise ValueError('epoch must be a time in seconds since 1970')
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

"""Fault injection by path pattern: latency, errors, timeouts and dropped connections.

This is not Proxmox behaviour; it exists to test clients. Every rule draws from its own
``random.Random`` seeded from the fault seed and the rule's position, so the same requests in the
same order meet the same faults.

Text syntax (CLI ``--fault``): ``KIND:PATTERN[,key=value...]``, for example
``latency:/nodes/*,ms=200``, ``error:/cluster/resources,rate=0.5,status=503,message=busy``,
``timeout:/nodes/*/qemu/*/agent/*,seconds=5``, ``drop:/version,rate=0.1,method=GET``.
``PATTERN`` is a shell glob over the API path after ``/api2/json`` (``*`` also matches ``/``).
"""

from __future__ import annotations

import fnmatch
import random
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from .errors import SimError

__all__ = ['FAULT_KINDS', 'FaultRule', 'FaultSet', 'parse_fault']

FAULT_KINDS = ('latency', 'error', 'timeout', 'drop')


@dataclass(slots=True)
class FaultRule:
    kind: str
    path: str = '*'
    method: str = '*'
    rate: float = 1.0
    ms: int = 100  # latency
    seconds: float = 30.0  # timeout: hold the request this long, then close without answering
    status: int = 500  # error
    message: str = 'Simulated fault'
    cluster: str | None = None  # None: every endpoint
    _regex: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise SimError(f'fault kind must be one of {", ".join(FAULT_KINDS)}, not {self.kind!r}')
        if not 0.0 <= float(self.rate) <= 1.0:
            raise SimError('fault rate must be between 0 and 1')
        if not 400 <= int(self.status) <= 599:
            raise SimError('fault status must be between 400 and 599')
        self.rate, self.status, self.ms, self.seconds = (
            float(self.rate),
            int(self.status),
            int(self.ms),
            float(self.seconds),
        )
        self.method = self.method.upper()
        self._regex = re.compile(fnmatch.translate(self.path))

    def matches(self, cluster: str, method: str, path: str) -> bool:
        if self.cluster is not None and self.cluster != cluster:
            return False
        return self.method in ('*', method) and self._regex.match(path) is not None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop('_regex', None)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FaultRule:
        allowed = {'kind', 'path', 'method', 'rate', 'ms', 'seconds', 'status', 'message', 'cluster'}
        unknown = sorted(set(data) - allowed)
        if unknown:
            raise SimError(f'unknown fault keys: {", ".join(unknown)}')
        if 'kind' not in data:
            raise SimError('a fault needs a kind')
        return cls(**data)


def parse_fault(text: str) -> FaultRule:
    """Parse ``KIND:PATTERN[,key=value...]`` (see the module docstring)."""
    kind, _, rest = text.partition(':')
    pattern, *options = rest.split(',') if rest else ['*']
    data: dict[str, Any] = {'kind': kind.strip(), 'path': pattern.strip() or '*'}
    for option in options:
        key, sep, value = option.partition('=')
        if not sep:
            raise SimError(f'fault option {option!r} must be key=value')
        data[key.strip()] = value.strip()
    return FaultRule.from_dict(data)


class FaultSet:
    """The active rules and their random streams; replaced as a whole so readers never see half an update."""

    def __init__(self, rules: list[FaultRule] | None = None, seed: int = 0) -> None:
        self.seed = seed
        self.rules: list[FaultRule] = []
        self._streams: list[random.Random] = []
        self.replace(rules or [], seed)

    def replace(self, rules: list[FaultRule], seed: int | None = None) -> None:
        if seed is not None:
            self.seed = seed
        streams = [random.Random(f'{self.seed}:{position}') for position in range(len(rules))]
        self.rules, self._streams = list(rules), streams

    def add(self, rule: FaultRule) -> None:
        self.replace([*self.rules, rule])

    def pick(self, cluster: str, method: str, path: str) -> list[FaultRule]:
        """The rules that fire for this request, in rule order."""
        rules, streams = self.rules, self._streams
        fired = []
        for rule, stream in zip(rules, streams, strict=True):
            if rule.matches(cluster, method, path) and stream.random() < rule.rate:
                fired.append(rule)
        return fired

    def to_dict(self) -> dict[str, Any]:
        return {'seed': self.seed, 'rules': [rule.to_dict() for rule in self.rules]}

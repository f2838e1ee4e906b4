"""The emulated Proxmox VE release and the behaviour that depends on it.

Each property names one difference from the reference (§5) so that renderers ask
``version.memory_is_string`` rather than comparing numbers all over the code.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

__all__ = ['PveVersion', 'SUPPORTED_RELEASES']

SUPPORTED_RELEASES = ('7.4', '8.0', '8.1', '8.2', '8.3', '8.4', '9.0', '9.1')

_VERSION_RE = re.compile(r'^(\d+)\.(\d+)(?:[.-](\d+))?$')


@dataclass(frozen=True, slots=True, order=True)
class PveVersion:
    """A pve-manager version such as 7.4-1, 8.3.0 or 9.1.5."""

    major: int
    minor: int
    patch: int = 0

    @classmethod
    def parse(cls, text: str) -> PveVersion:
        """Parse ``MAJOR.MINOR[.PATCH]`` (or the 7.x ``MAJOR.MINOR-PATCH``); 7.x defaults to patch 1."""
        match = _VERSION_RE.match(text.strip())
        if match is None:
            raise ValueError(f'invalid Proxmox VE version {text!r} (expected e.g. 7.4, 8.3 or 9.1.5)')
        major, minor = int(match[1]), int(match[2])
        if major not in (7, 8, 9):
            raise ValueError(f'unsupported Proxmox VE major version {major} (7, 8 and 9 are emulated)')
        default_patch = 1 if major == 7 else 0
        return cls(major, minor, int(match[3]) if match[3] is not None else default_patch)

    def at_least(self, major: int, minor: int, patch: int = 0) -> bool:
        return (self.major, self.minor, self.patch) >= (major, minor, patch)

    @property
    def release(self) -> str:
        return f'{self.major}.{self.minor}'

    @property
    def full(self) -> str:
        """The pve-manager version string: dashes before 8.0, dots from 8.0 on."""
        separator = '-' if self.major < 8 else '.'
        return f'{self.major}.{self.minor}{separator}{self.patch}'

    @property
    def repoid(self) -> str:
        """A stable fake git revision: 8 hex characters before 8.0, 16 from 8.0 on."""
        digest = hashlib.sha1(self.full.encode()).hexdigest()
        return digest[: 8 if self.major < 8 else 16]

    @property
    def memory_is_string(self) -> bool:
        """QEMU config ``memory`` is a property string from qemu-server 8.0.8 (PVE 8.1)."""
        return self.at_least(8, 1)

    @property
    def lxc_vmid_is_int(self) -> bool:
        """``/nodes/{node}/lxc`` emits an integer vmid from pve-container 5.0.10 (PVE 8.2)."""
        return self.at_least(8, 2)

    @property
    def has_lxc_interfaces(self) -> bool:
        return self.at_least(8, 1)

    @property
    def has_pool_query(self) -> bool:
        """``/pools?poolid=`` with members, and nested pools, from 8.1."""
        return self.at_least(8, 1)

    @property
    def has_node_kernel_info(self) -> bool:
        return self.at_least(8, 1)

    @property
    def has_webhook_target(self) -> bool:
        """The ``webhook`` notification target exists from proxmox-notify 0.5 (PVE 8.3)."""
        return self.at_least(8, 3)

    @property
    def has_error_message(self) -> bool:
        """JSON error bodies carry ``message`` from libpve-http-server-perl 5.2.0 (PVE 8.4)."""
        return self.at_least(8, 4)

    @property
    def unified_auth_error(self) -> bool:
        """Every 401 says ``Authentication failed!`` from pve-manager 9.1.5."""
        return self.at_least(9, 1, 5)

    @property
    def is_nine(self) -> bool:
        """9.0 additions: memhost, pressure stats, HA rules (no ``group``, ``failback``), QGA privileges."""
        return self.major >= 9

    @property
    def has_network_resources(self) -> bool:
        """``/cluster/resources`` lists ``type: network`` entries instead of ``sdn`` from 9.1."""
        return self.at_least(9, 1)

    @property
    def agent_privileges(self) -> tuple[str, ...]:
        if self.is_nine:
            return ('VM.GuestAgent.Audit', 'VM.GuestAgent.Unrestricted')
        return ('VM.Monitor',)

    @property
    def pveversion(self) -> str:
        return f'pve-manager/{self.full}/{self.repoid}'

    def __str__(self) -> str:
        return self.full

"""
The end-to-end stack check as part of the suite (see e2e_stack_check.py): one live stack with a
simulator per emulated Proxmox VE release (7.4, 8.3, 9.0), three Full Updates, NetBox's contents
held against the simulators' ground truth, the changes made exactly, a no-change Full Update that
writes nothing, and nothing left behind after teardown.
"""

from pathlib import Path

import pytest

from .e2e_stack_check import DEFAULT_GUESTS, DEFAULT_VERSIONS, run_check, summary

pytestmark = [pytest.mark.e2e]


def test_stack_across_proxmox_versions(tmp_path: Path) -> None:
    """Every object synced, every change exact, zero writes on the third sync, no leftovers."""
    report = run_check(DEFAULT_VERSIONS, DEFAULT_GUESTS, tmp_path, say=lambda _text: None)
    assert report.ok, summary(report)
    assert report.writes[0] > 0 and report.writes[1] > 0 and report.writes[2] == 0
    assert report.changelog[2] == 0
    assert all(count > 0 for kind, counts in report.counts.items() for count in counts[:1]), report.counts

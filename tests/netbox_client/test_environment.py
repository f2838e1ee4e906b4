"""
Contract: the service's environment has ``sniffio``. Without it httpcore (under httpx) retries a
failed ``import sniffio`` on every request (anyio 4.11 stopped depending on it; encode/httpcore#1103),
which cost about 13 % of a sync's CPU in the scaling benchmark's profile.
"""

import importlib.util


def test_sniffio_is_installed_so_httpcore_does_not_reimport_it_per_request() -> None:
    assert importlib.util.find_spec('sniffio') is not None

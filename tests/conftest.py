"""Repository-wide pytest configuration."""

# One live stack (NetBox, RQ worker, proxbox-api, simulators) per session, for the process-level
# tests of tests/fullupdate and tests/browser; started only when a test asks for it.
from tests.fullupdate.live import live_stack  # noqa: F401

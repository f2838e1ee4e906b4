"""Shared set-up for the NetBox client tests (pure: httpx.MockTransport, no Django, no database)."""

import contextlib

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    # pyproject's pytest config is shared with the Django plugin tests. These tests run with
    # `-p no:django`, so accept (and ignore) pytest-django's option and ini key when it is not loaded.
    with contextlib.suppress(ValueError):
        parser.addoption('--reuse-db', action='store_true', default=False, help='ignored without pytest-django')
    with contextlib.suppress(ValueError):
        parser.addini('DJANGO_SETTINGS_MODULE', 'ignored without pytest-django')

"""Fixtures for pxb's tests: the fake plugin API on a MockTransport and a runner that isolates
pxb from the developer's environment and config file."""

import contextlib
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from proxbox_cli.app import Injected
from proxbox_cli.main import app

from .fake_plugin import V2_TOKEN, FakePlugin

Invoke = Callable[..., Result]


def pytest_addoption(parser: pytest.Parser) -> None:
    # These tests need no database: `pytest -p no:django tests/cli` runs them in seconds. Accept
    # pytest-django's option and ini key (from pyproject) when it is not loaded.
    with contextlib.suppress(ValueError):
        parser.addoption('--reuse-db', action='store_true', default=False, help='ignored without pytest-django')
    with contextlib.suppress(ValueError):
        parser.addini('DJANGO_SETTINGS_MODULE', 'ignored without pytest-django')


@pytest.fixture
def plugin() -> FakePlugin:
    return FakePlugin()


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    path = tmp_path / 'config.toml'
    path.write_text('')
    return path


@pytest.fixture
def environ(config_file: Path) -> dict[str, str]:
    """pxb's view of the environment: a NetBox URL and token, and an empty config file of its own."""
    return {'PROXBOX_NETBOX_URL': 'http://nb', 'PROXBOX_NETBOX_TOKEN': V2_TOKEN, 'PROXBOX_CONFIG': str(config_file)}


@pytest.fixture
def pxb(plugin: FakePlugin, environ: dict[str, str]) -> Invoke:
    """Run ``pxb ARGS`` against the fake plugin. ``environ`` adds to what pxb's settings see,
    ``env`` to the process environment (Typer's own ``envvar`` options), ``interactive=True``
    renders as on a terminal."""
    base_environ = environ

    def invoke(*args: str, interactive: bool = False, environ: Mapping[str, str] | None = None, **kw: object) -> Result:
        injected = Injected(
            transport=plugin.transport(),
            sleep=lambda _: None,
            environ={**base_environ, **(environ or {})},
            interactive=interactive or None,
        )
        return CliRunner().invoke(app, list(args), obj=injected, catch_exceptions=False, **kw)  # type: ignore[arg-type]

    return invoke


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Warnings are errors in pxb's tests (STYLE 13); not in the live-stack ones, whose shared
    stack and simulator helpers (tests/fullupdate) are not ours to hold to it."""
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents and item.get_closest_marker('e2e') is None:
            item.add_marker(pytest.mark.filterwarnings('error'))

"""proxbox_cli is a typed package: ``mypy --strict`` passes and ``py.typed`` ships (STYLE 13)."""

from pathlib import Path

from mypy import api

PACKAGE = Path(__file__).resolve().parents[2] / 'proxbox_cli'


def test_mypy_strict_is_clean() -> None:
    stdout, stderr, status = api.run(['--strict', '--follow-imports=silent', str(PACKAGE)])
    assert status == 0, stdout + stderr


def test_py_typed_ships() -> None:
    assert (PACKAGE / 'py.typed').exists()

"""Shared helpers of the docs tests: paths, the nav, links in pages, and the docs generator."""

import importlib.util
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / 'docs'

# Pages other branches are adding (page -> branch). While a page is missing, links to it are
# allowed; once it exists it must be in the nav like every other page.
PENDING_PAGES: dict[str, str] = {}

_LINK = re.compile(r'!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)')
_FENCE = re.compile(r'^(```|~~~).*?^\1', re.MULTILINE | re.DOTALL)


def mkdocs_config() -> dict[str, Any]:
    return yaml.safe_load((ROOT / 'mkdocs.yml').read_text())


def _walk_nav(items: Any) -> Iterator[str]:
    if isinstance(items, str):
        yield items
    elif isinstance(items, list):
        for item in items:
            yield from _walk_nav(item)
    elif isinstance(items, dict):
        for value in items.values():
            yield from _walk_nav(value)


def nav_pages() -> list[str]:
    return [page for page in _walk_nav(mkdocs_config()['nav']) if not page.startswith(('http://', 'https://'))]


def doc_pages() -> list[str]:
    return sorted(str(path.relative_to(DOCS)) for path in DOCS.rglob('*.md'))


def prose(text: str) -> str:
    """The page without its fenced code blocks."""
    return _FENCE.sub('', text)


def links(page: str) -> list[str]:
    """Relative link and image targets of a page (no URLs, no pure anchors), without anchors."""
    found = []
    for target in _LINK.findall(prose((DOCS / page).read_text())):
        if re.match(r'^[a-z]+:', target) or target.startswith('#'):
            continue
        found.append(target.split('#', 1)[0])
    return found


def section(text: str, heading: str) -> str:
    """The text under the first heading (any level) whose title is ``heading``, up to the next one."""
    match = re.search(rf'^(#+) {re.escape(heading)}\s*$', text, re.MULTILINE)
    if match is None:
        return ''
    level = len(match.group(1))
    rest = text[match.end() :]
    end = re.search(rf'^#{{1,{level}}} ', rest, re.MULTILINE)
    return rest[: end.start()] if end else rest


@cache
def gen_docs() -> ModuleType:
    """scripts/gen_docs.py as a module (scripts/ is not a package)."""
    spec = importlib.util.spec_from_file_location('gen_docs', ROOT / 'scripts' / 'gen_docs.py')
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def source_text(*packages: str) -> str:
    """All Python source of the packages, with f-string brace escapes undone."""
    texts = [path.read_text() for package in packages for path in sorted((ROOT / package).rglob('*.py'))]
    return '\n'.join(texts).replace('{{', '{').replace('}}', '}')

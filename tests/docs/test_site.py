"""
The documentation site builds with `mkdocs build --strict`, every page under docs/ is in the nav
(and every nav entry exists), and every relative link in a page points at a file that exists, the
only exception being the pages other branches are still adding (helpers.PENDING_PAGES).
"""

import subprocess
import sys

import pytest

from .helpers import DOCS, PENDING_PAGES, ROOT, doc_pages, links, nav_pages

pytestmark = pytest.mark.docs


def test_mkdocs_build_strict_passes(tmp_path):
    result = subprocess.run(
        [sys.executable, '-m', 'mkdocs', 'build', '--strict', '--site-dir', str(tmp_path / 'site')],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert (tmp_path / 'site' / 'index.html').exists()


class TestNav:
    """The nav and the pages are the same set."""

    def test_every_page_is_in_the_nav(self):
        missing = sorted(set(doc_pages()) - set(nav_pages()))
        assert not missing, f'add these pages to the nav in mkdocs.yml: {missing}'

    def test_every_nav_entry_exists(self):
        absent = [page for page in nav_pages() if not (DOCS / page).is_file()]
        assert not absent, f'nav entries without a page: {absent}'

    def test_no_page_twice_in_the_nav(self):
        pages = nav_pages()
        assert len(pages) == len(set(pages))


class TestLinks:
    """Relative links resolve; pending pages of other branches are the only allowed gaps."""

    @pytest.mark.parametrize('page', doc_pages())
    def test_relative_links_resolve(self, page):
        base = (DOCS / page).parent
        broken = []
        for target in links(page):
            resolved = (base / target).resolve()
            if resolved.exists():
                continue
            relative = resolved.relative_to(DOCS.resolve()) if resolved.is_relative_to(DOCS.resolve()) else None
            if relative is not None and str(relative) in PENDING_PAGES:
                continue
            broken.append(target)
        assert not broken, f'{page}: broken links {broken}'

    def test_pending_pages_are_only_other_branches_pages(self):
        """Once a pending page exists, it is an ordinary page: the nav test above requires it."""
        for page in PENDING_PAGES:
            assert '/' not in page and page.endswith('.md')

    def test_images_in_docs_are_linked_from_a_page(self):
        images = sorted(str(p.relative_to(DOCS)) for p in (DOCS / 'images').glob('*'))
        targets = [((DOCS / page).parent / target).resolve() for page in doc_pages() for target in links(page)]
        linked = {str(path.relative_to(DOCS.resolve())) for path in targets if path.is_relative_to(DOCS.resolve())}
        unlinked = [image for image in images if image not in linked]
        assert not unlinked, f'images no page shows: {unlinked}'

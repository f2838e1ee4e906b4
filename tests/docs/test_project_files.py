"""
The project's own files stay in step: one version everywhere; the changelog has a section for it
in Keep a Changelog form; COMPATIBILITY.md, the plugin's NetBox range, the tested NetBox release,
the Python classifiers and the CI matrix agree; README and CONTRIBUTING link only to files that
exist; CONTRIBUTING's checklists name modules, make targets and scripts that exist.
"""

import re
import tomllib

import pytest
import yaml

import netbox_proxbox
import proxbox_api

from .helpers import ROOT

pytestmark = pytest.mark.docs

PYPROJECT = tomllib.loads((ROOT / 'pyproject.toml').read_text())
VERSION = PYPROJECT['project']['version']


def test_one_version_everywhere():
    assert netbox_proxbox.__version__ == proxbox_api.__version__ == VERSION


def test_changelog_has_the_version_in_keep_a_changelog_form():
    text = (ROOT / 'CHANGELOG.md').read_text()
    assert text.startswith('# Changelog')
    assert 'keepachangelog.com' in text
    assert re.search(rf'^## \[{re.escape(VERSION)}\] - (Unreleased|\d{{4}}-\d{{2}}-\d{{2}})$', text, re.MULTILINE)
    sections = re.findall(r'^### (\w+)$', text, re.MULTILINE)
    assert set(sections) <= {'Added', 'Changed', 'Deprecated', 'Removed', 'Fixed', 'Security'}


def test_compatibility_matches_the_code():
    text = (ROOT / 'COMPATIBILITY.md').read_text()
    major_minor = '.'.join(VERSION.split('.')[:2])
    row = next(line for line in text.splitlines() if line.startswith(f'| {major_minor}.x |'))
    low, high = netbox_proxbox.MIN_NETBOX_VERSION, netbox_proxbox.MAX_NETBOX_VERSION
    assert f'{low} – {high.rsplit(".", 1)[0]}.x' in row
    netbox_pin = next(d for d in PYPROJECT['project']['optional-dependencies']['dev'] if d.startswith('netbox=='))
    tested = netbox_pin.split('==')[1]
    assert f'tested on {tested}' in row
    assert f'NETBOX_VERSION={tested}' in (ROOT / 'scripts/stack.sh').read_text()
    assert f'netboxcommunity/netbox:v{tested}' in text
    classifiers = PYPROJECT['project']['classifiers']
    pythons = [c.rsplit(' ', 1)[1] for c in classifiers if c.startswith('Programming Language :: Python :: 3.')]
    assert f'{pythons[0]} – {pythons[-1]}' in row
    ci = yaml.safe_load((ROOT / '.github/workflows/ci.yml').read_text())
    assert ci['jobs']['test']['strategy']['matrix']['python'] == pythons
    assert PYPROJECT['project']['requires-python'] == f'>={pythons[0]}'


@pytest.mark.parametrize('name', ['README.md', 'CONTRIBUTING.md', 'CHANGELOG.md', 'COMPATIBILITY.md'])
def test_links_resolve(name):
    text = (ROOT / name).read_text()
    for target in re.findall(r'\]\(([^)\s#]+)', text):
        if not re.match(r'^[a-z]+:', target):
            assert (ROOT / target).exists(), f'{name}: {target}'


def test_contributing_names_what_exists():
    text = (ROOT / 'CONTRIBUTING.md').read_text()
    makefile = (ROOT / 'Makefile').read_text()
    for target in set(re.findall(r'`make ([\w-]+)', text)):
        assert re.search(rf'^{target}:', makefile, re.MULTILINE), target
    folders = 'netbox_proxbox|proxbox_api|proxmox_sim|tests|bench|scripts|docs'
    for path in set(re.findall(rf'`((?:{folders})/[\w./-]+?)`', text)):
        if '<' in path or path.startswith(('docs/benchmarks', 'tests/plugin/test_')):
            continue
        candidates = [ROOT / path, ROOT / 'proxbox_api' / path]
        assert any(p.exists() for p in candidates), path
    for name in set(re.findall(r'`(?:engine|proxmox)/([\w/]+\.py)`', text)):
        assert list((ROOT / 'proxbox_api').rglob(name.rsplit('/', 1)[-1])), name

"""
The GitHub workflows: each file parses; permissions are set (read-only by default, a job widens
them only for what it does); every job has a timeout; every action is pinned to a full commit SHA;
the test job covers Python 3.12-3.14 with PostgreSQL and Redis services; the commands they run
exist (Makefile targets, scripts, paths); the release builds and checks the sdist and the wheel.
"""

import re
from pathlib import Path

import pytest
import yaml

from .helpers import ROOT

pytestmark = pytest.mark.docs

WORKFLOWS = sorted((ROOT / '.github' / 'workflows').glob('*.yml'))
SHA = re.compile(r'^[\w.-]+/[\w./-]+@[0-9a-f]{40}$')


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text())
    # YAML 1.1 reads the key "on" as True.
    data['on'] = data.pop(True, data.get('on'))
    return data


def steps(workflow: dict) -> list[dict]:
    return [step for job in workflow['jobs'].values() for step in job.get('steps', [])]


def test_the_workflows_exist():
    assert {path.name for path in WORKFLOWS} == {'ci.yml', 'release.yml'}


@pytest.mark.parametrize('path', WORKFLOWS, ids=lambda p: p.name)
class TestEveryWorkflow:
    """Safety rules that hold for every workflow file."""

    def test_parses_with_triggers_and_jobs(self, path):
        workflow = load(path)
        assert workflow['on'] and workflow['jobs']

    def test_permissions_are_least(self, path):
        workflow = load(path)
        assert workflow.get('permissions') == {'contents': 'read'}
        for name, job in workflow['jobs'].items():
            extra = job.get('permissions', {})
            assert set(extra) <= {'id-token', 'contents'}, name
            assert extra.get('contents', 'read') == 'read', name

    def test_every_job_has_a_timeout(self, path):
        for name, job in load(path)['jobs'].items():
            assert isinstance(job.get('timeout-minutes'), int) and job['timeout-minutes'] <= 60, name

    def test_every_action_is_pinned_to_a_commit(self, path):
        uses = [step['uses'] for step in steps(load(path)) if 'uses' in step]
        assert uses
        unpinned = [use for use in uses if not SHA.match(use)]
        assert not unpinned, unpinned
        tags = dict(re.findall(r'uses: (\S+) # (v[\d.]+)', path.read_text()))
        assert set(tags) == set(uses), 'each pinned action names its version in a comment'

    def test_checkouts_do_not_keep_credentials(self, path):
        for step in steps(load(path)):
            if step.get('uses', '').startswith('actions/checkout@'):
                assert step.get('with', {}).get('persist-credentials') is False


def test_same_action_same_pin():
    pins = {}
    for path in WORKFLOWS:
        for step in steps(load(path)):
            if 'uses' in step:
                action, sha = step['uses'].split('@')
                assert pins.setdefault(action, sha) == sha, action


def test_tests_run_on_all_supported_pythons_with_services():
    job = load(ROOT / '.github/workflows/ci.yml')['jobs']['test']
    assert job['strategy']['matrix']['python'] == ['3.12', '3.13', '3.14']
    assert {'postgres', 'redis'} <= set(job['services'])
    assert any(step.get('run') == 'make test' for step in job['steps'])


def test_commands_exist():
    makefile = (ROOT / 'Makefile').read_text()
    for path in WORKFLOWS:
        text = path.read_text()
        for target in re.findall(r'\bmake (\w+)', text):
            assert re.search(rf'^{target}:', makefile, re.MULTILINE), f'{path.name}: make {target}'
        for script in re.findall(r'\b(scripts/[\w.]+)', text):
            assert (ROOT / script).is_file(), f'{path.name}: {script}'
        for folder in re.findall(r'pytest .*?\b(tests/\w+)', text):
            assert (ROOT / folder).is_dir(), f'{path.name}: {folder}'
    assert 'PROXBOX_DEMO_EXIT' in (ROOT / 'scripts/demo.sh').read_text()


def test_release_builds_and_checks_both_distributions():
    workflow = load(ROOT / '.github/workflows/release.yml')
    runs = ' '.join(step.get('run', '') for step in steps(workflow))
    assert 'uv build' in runs and 'twine check --strict dist/*' in runs and 'tests/packaging' in runs
    publish = workflow['jobs']['publish']
    assert publish['needs'] == 'build' and publish['permissions'] == {'id-token': 'write'}
    assert publish['if'].startswith("startsWith(github.ref, 'refs/tags/v')")


class TestPreCommit:
    """.pre-commit-config.yaml runs ruff (check and format), `netbox check` and
    `makemigrations --check`, with commands that exist, and pre-commit accepts it."""

    PATH = ROOT / '.pre-commit-config.yaml'

    def hooks(self):
        return {hook['id']: hook for repo in yaml.safe_load(self.PATH.read_text())['repos'] for hook in repo['hooks']}

    def test_hooks(self):
        hooks = self.hooks()
        assert set(hooks) == {'ruff-check', 'ruff-format', 'netbox-check', 'makemigrations-check'}
        assert 'netbox check' in hooks['netbox-check']['entry']
        assert 'makemigrations netbox_proxbox --check' in hooks['makemigrations-check']['entry']
        for hook in hooks.values():
            executable = hook['entry'].split()[0]
            assert executable == 'bash' or (ROOT / executable).exists() or executable.startswith('.venv/')
            if 'scripts/' in hook['entry']:
                assert (ROOT / re.search(r'(scripts/\S+?\.sh)', hook['entry']).group(1)).is_file()

    def test_pre_commit_validates_it(self):
        import subprocess
        import sys

        result = subprocess.run(
            [sys.executable, '-m', 'pre_commit', 'validate-config', str(self.PATH)], capture_output=True, text=True
        )
        assert result.returncode == 0, result.stdout + result.stderr

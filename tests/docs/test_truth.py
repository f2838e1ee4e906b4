"""
The hand-written pages say only what the code does: every event type the service emits is
documented and no other; every plugin setting with its default; every error message a
troubleshooting heading quotes exists in the code, and every client exception is covered; every
field the sync writes is on the mapping page; each model page names its real REST, UI and GraphQL
paths; the request and configuration examples are valid; and the layering the architecture page
describes holds.
"""

import ast
import json
import re

import pytest
from django.urls import reverse

from netbox_proxbox import ProxboxConfig, validate_settings
from netbox_proxbox.api.urls import router
from netbox_proxbox.graphql.schema import ProxboxQuery
from proxbox_api.engine.kinds import KINDS
from proxbox_api.netbox import errors as netbox_errors
from proxbox_api.proxmox import errors as proxmox_errors
from proxbox_api.schemas import SyncRequest
from proxbox_api.settings import ServiceSettings

from .helpers import DOCS, ROOT, gen_docs, prose, section, source_text

pytestmark = pytest.mark.docs


def page(name):
    return (DOCS / name).read_text()


def code_blocks(text, language):
    return re.findall(rf'^```{language}\n(.*?)^```', text, re.MULTILINE | re.DOTALL)


def table_names(text):
    """First-column code spans of the Markdown tables in a text."""
    return re.findall(r'^\| `([^`]+)` \|', text, re.MULTILINE)


class TestEvents:
    """docs/reference/events.md lists exactly the event types the service emits."""

    def emitted(self):
        source = source_text('proxbox_api')
        return set(re.findall(r"\b(?:emit|sink)\(\s*'(\w+)'", source))

    def test_every_emitted_event_is_documented_and_no_other(self):
        emitted = self.emitted()
        assert {'run_started', 'stage_started', 'progress', 'stage_finished', 'run_finished'} <= emitted
        documented = set(table_names(page('reference/events.md')))
        assert documented == emitted

    def test_every_stage_is_documented(self):
        stages = set(re.findall(r"self\.stage\('(\w+)'", source_text('proxbox_api')))
        text = page('reference/events.md')
        assert stages and all(f'`{stage}`' in text for stage in stages)


class TestPluginSettings:
    """docs/reference/plugin-settings.md lists each PLUGINS_CONFIG key with its real default."""

    def test_every_key_with_its_default(self):
        text = page('reference/plugin-settings.md')
        rows = {m.group(1): m.group(2) for m in re.finditer(r'^\| `(\w+)` \| `([^`]+)`', text, re.MULTILINE)}
        assert set(rows) == set(ProxboxConfig.default_settings)
        for key, default in ProxboxConfig.default_settings.items():
            assert rows[key] == repr(default), key

    @pytest.mark.parametrize('name', ['reference/plugin-settings.md', 'user-guide/install.md'])
    def test_configuration_examples_are_valid(self, name):
        for block in code_blocks(page(name), 'python'):
            if 'PLUGINS_CONFIG' not in block:
                continue
            namespace = {}
            exec(block, namespace)  # a configuration.py excerpt: plain literals
            # NetBox merges the defaults in before the plugin's ready() validates the result.
            validate_settings({**ProxboxConfig.default_settings, **namespace['PLUGINS_CONFIG']['netbox_proxbox']})


class TestTroubleshooting:
    """Quoted messages exist in the code; every client exception has its entry."""

    def quoted(self):
        text = page('user-guide/troubleshooting.md')
        headings = re.findall(r'^### (.*)$', text, re.MULTILINE)
        spans = [span for heading in headings for span in re.findall(r'`([^`]+)`', heading)]
        spans += re.findall(r'^- `([^`]+)`$', section(text, 'HTTP 422 with a `detail` list'), re.MULTILINE)
        return spans

    def test_quoted_messages_exist_in_the_code(self):
        source = source_text('netbox_proxbox', 'proxbox_api', 'proxbox_cli')
        missing = []
        for span in self.quoted():
            for fragment in span.split('…'):
                fragment = fragment.strip()
                if len(fragment) >= 4 and fragment not in source:
                    missing.append(fragment)
        assert not missing, f'troubleshooting quotes text the code does not have: {missing}'

    def test_the_check_can_fail(self):
        assert 'this message is not in the code' not in source_text('proxbox_api')

    def test_every_client_exception_is_covered(self):
        text = page('user-guide/troubleshooting.md')
        names = [*proxmox_errors.__all__, *netbox_errors.__all__]
        skipped = {
            'ProxmoxError',
            'NetBoxError',
            'NetBoxObjectError',
            'NetBoxRequestError',
            'NetBoxNotFound',
            'ProxmoxGuestAgentError',
            'NodeUnreachable',
            'ProxmoxUnavailable',
            'NetBoxValidationError',
        }
        missing = [name for name in names if name not in skipped and f'`{name}`' not in text]
        assert not missing, f'exceptions without a troubleshooting entry: {missing}'

    def test_service_settings_messages_are_covered(self):
        text = page('user-guide/troubleshooting.md')
        for message in re.findall(r"raise ValueError\('([^']+)'\)", (ROOT / 'proxbox_api/settings.py').read_text()):
            assert message in text


class TestMapping:
    """Every kind the sync writes has its section, naming each of its fields."""

    def test_every_field_of_every_kind_is_described(self):
        pages = [page('concepts/mapping.md')]
        if (DOCS / 'sync-data-protection.md').exists():
            pages.append(page('sync-data-protection.md'))
        missing = []
        for spec in KINDS:
            body = next((s for s in (section(p, f'`{spec.kind}`') for p in pages) if s), '')
            if not body:
                missing.append(spec.kind)
                continue
            missing += [f'{spec.kind}.{field}' for field in spec.fields if f'`{field}`' not in body]
        assert not missing, f'undocumented on the mapping page: {missing}'


class TestModelPages:
    """Each model page names the model's real REST, UI and GraphQL paths."""

    @pytest.mark.parametrize('prefix,viewset', [(p, v) for p, v, _ in router.registry])
    def test_paths(self, prefix, viewset):
        model = viewset.queryset.model
        text = page(f'models/{gen_docs().model_page(model)}')
        assert f'`/api/plugins/proxbox/{prefix}/`' in text
        assert f'`{reverse(f"plugins:netbox_proxbox:{model._meta.model_name}_list")}`' in text
        queries = set(ProxboxQuery.__annotations__)
        named = set(re.findall(r'`(proxbox_\w+)`', text.split('GraphQL:', 1)[1].split('\n', 1)[0]))
        assert named and named <= queries


class TestExamples:
    """The sync request in the user guide is one the service accepts."""

    def test_request_example_validates(self):
        blocks = [json.loads(b) for b in code_blocks(page('user-guide/first-sync.md'), 'json')]
        requests = [b for b in blocks if 'netbox' in b and 'endpoints' in b]
        assert requests
        for body in requests:
            SyncRequest.model_validate(body)

    def test_every_service_variable_named_in_the_docs_exists(self):
        known = {f'PROXBOX_API_{name.upper()}' for name in ServiceSettings.model_fields}
        named = set()
        for path in [*DOCS.rglob('*.md'), ROOT / 'docker-compose.yml', ROOT / 'README.md', ROOT / 'CONTRIBUTING.md']:
            if path.exists():
                named |= set(re.findall(r'\bPROXBOX_API_[A-Z_]*[A-Z]\b', path.read_text()))
        assert named - known == set(), f'unknown proxbox-api variables in the docs: {named - known}'


class TestArchitecture:
    """The plugin and the service share no code: the plugin never imports proxbox_api, the service
    never imports Django or NetBox."""

    NETBOX_APPS = {
        *('django', 'netbox', 'netbox_proxbox', 'dcim', 'ipam', 'virtualization', 'extras', 'core'),
        *('users', 'utilities', 'tenancy'),
    }

    def imports(self, package):
        found = {}
        for path in (ROOT / package).rglob('*.py'):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    found.setdefault(name.split('.')[0], []).append(str(path.relative_to(ROOT)))
        return found

    def test_plugin_does_not_import_the_service(self):
        assert 'proxbox_api' not in self.imports('netbox_proxbox')

    def test_service_does_not_import_django_or_netbox(self):
        assert not set(self.imports('proxbox_api')) & self.NETBOX_APPS


def test_prose_helper_drops_code():
    assert 'x' not in prose('```\nx\n```\n')

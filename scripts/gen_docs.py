"""Regenerate the parts of docs/ that are derived from the code, so they cannot drift from it.

    python scripts/gen_docs.py            # rewrite the generated blocks and docs/reference/openapi.json
    python scripts/gen_docs.py --check    # exit 1 and name the stale files (what tests/docs checks)

A generated block sits between ``<!-- BEGIN GENERATED: name[ arg] -->`` and
``<!-- END GENERATED -->`` in a page; everything outside the markers is written by hand. Blocks:
``fields <Model>`` (a plugin model's fields), ``service-settings`` (proxbox-api's environment),
``kinds`` (what the sync writes to NetBox), ``netbox-permissions`` (the sync user's least
permissions) and ``sync-api`` (proxbox-api's HTTP API, from its OpenAPI document).

Model blocks need Django: run it with NetBox's environment (``make docs`` does).
"""

import argparse
import json
import os
import pprint
import re
import sys
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / 'docs'
OPENAPI = DOCS / 'reference' / 'openapi.json'
BLOCK = re.compile(
    r'(?P<begin><!-- BEGIN GENERATED: (?P<name>[\w-]+)(?: (?P<arg>[\w.-]+))? -->\n)'
    r'(?P<body>.*?)(?P<end><!-- END GENERATED -->)',
    re.DOTALL,
)

__all__ = ['BLOCKS', 'openapi_document', 'openapi_text', 'render_page', 'stale_files', 'write_all']


def _cell(text: Any) -> str:
    return str(text).replace('|', '\\|').replace('\n', ' ').strip()


def _table(header: list[str], rows: list[list[Any]]) -> str:
    lines = ['| ' + ' | '.join(header) + ' |', '|' + '---|' * len(header)]
    lines += ['| ' + ' | '.join(_cell(value) for value in row) + ' |' for row in rows]
    return '\n'.join(lines) + '\n'


# -- plugin models ------------------------------------------------------------------------------
_FIELD_TYPES = {
    'CharField': 'text',
    'TextField': 'text',
    'URLField': 'URL',
    'BooleanField': 'boolean',
    'PositiveIntegerField': 'integer (>= 0)',
    'PositiveSmallIntegerField': 'integer (>= 0)',
    'PositiveBigIntegerField': 'integer (>= 0)',
    'IntegerField': 'integer',
    'FloatField': 'number',
    'DateTimeField': 'date and time',
    'JSONField': 'JSON',
    'GenericIPAddressField': 'IP address',
}


def model_page(model: Any) -> str:
    """The docs page of a plugin model: docs/models/<module with dashes>.md."""
    return model.__module__.rsplit('.', 1)[1].replace('_', '-') + '.md'


def _target(field: Any) -> str:
    target = field.related_model
    if target._meta.app_label == 'netbox_proxbox':
        return f'[{target._meta.verbose_name}]({model_page(target)})'
    return f'NetBox {target._meta.verbose_name} (`{target._meta.label}`)'


def _field_type(field: Any) -> str:
    kind = type(field).__name__
    if kind == 'ArrayField':
        return f'list of {_field_type(field.base_field)}'
    if kind in ('ForeignKey', 'OneToOneField'):
        return f'{"one-to-one " if kind == "OneToOneField" else ""}link to {_target(field)}'
    if kind == 'ManyToManyField':
        return f'links to {_target(field)}'
    if any(getattr(v, '__name__', '') == 'validate_service_url' for v in field.validators):
        return 'URL (http or https)'
    return _FIELD_TYPES.get(kind, kind)


def _typed(field: Any) -> str:
    limits = _range(field)
    return _field_type(field).replace(' (>= 0)', '') + limits if limits else _field_type(field)


def _range(field: Any) -> str:
    # Only the validators the model declares (Django adds the database's integer range itself).
    limits = {type(v).__name__: v.limit_value for v in field._validators if hasattr(v, 'limit_value')}
    low, high = limits.get('MinValueValidator'), limits.get('MaxValueValidator')
    if low is None and high is None:
        return ''
    if high is None:
        return f', at least {low}'
    return f', {0 if low is None else low}–{high}'


def _choices(field: Any) -> str:
    base = getattr(field, 'base_field', None)
    choices = field.choices or (base.choices if base is not None else None)
    if not choices:
        return ''
    return ' One of: ' + ', '.join(f'`{value}` ({label})' for value, label in choices) + '.'


def _default(field: Any) -> str:
    from django.db.models import NOT_PROVIDED

    if field.default is NOT_PROVIDED or field.is_relation:
        return ''
    if callable(field.default) and field.default not in (list, dict):
        return 'computed'  # e.g. read from Proxbox's settings when the object is made
    value = field.default() if callable(field.default) else field.default
    return '' if value in ('', None) else f'`{json.dumps(value)}`'


def _required(field: Any, secrets: tuple[str, ...]) -> str:
    if field.name in secrets:
        return 'write-only'
    if field.many_to_many or field.blank:
        return ''
    from django.db.models import NOT_PROVIDED

    return 'yes' if field.default is NOT_PROVIDED else ''


def model_fields(label: str) -> str:
    from django.apps import apps

    from netbox.models import NetBoxModel, PrimaryModel

    model = apps.get_model('netbox_proxbox', label)
    base = PrimaryModel if issubclass(model, PrimaryModel) else NetBoxModel
    inherited = [field.name for field in base._meta.get_fields()]
    secrets = tuple(getattr(model, 'secret_fields', ()))
    rows = []
    for field in model._meta.get_fields():
        if field.auto_created or not (field.concrete or field.many_to_many) or field.name in inherited:
            continue
        name = str(field.verbose_name)
        text = name[:1].upper() + name[1:] + '.'
        if field.help_text:
            text += f' {field.help_text}.'.replace('..', '.')
        rows.append(
            [
                f'`{field.name}`',
                _typed(field),
                _required(field, secrets),
                _default(field),
                text + _choices(field),
            ]
        )
    hidden = ('bookmarks', 'journal_entries', 'subscriptions')
    common = ', '.join(f'`{name}`' for name in inherited if name not in hidden)
    table = _table(['Field', 'Type', 'Required', 'Default', 'Description'], rows)
    return f'{table}\nLike every NetBox {base.__name__}, it also has {common}.\n'


# -- proxbox-api settings -----------------------------------------------------------------------
def _annotation(annotation: Any) -> str:
    kinds = [kind for kind in typing.get_args(annotation) if kind is not type(None)]
    if kinds and len(kinds) < len(typing.get_args(annotation)):  # X | None
        return f'{_annotation(kinds[0])}, optional'
    name = getattr(annotation, '__name__', str(annotation))
    return {'SecretStr': 'secret text', 'str': 'text', 'int': 'integer', 'bool': 'boolean'}.get(name, name)


def _bounds(field: Any) -> str:
    found = {}
    for item in field.metadata:
        for attr in ('ge', 'le'):
            if getattr(item, attr, None) is not None:
                found[attr] = getattr(item, attr)
    if not found:
        return ''
    return f' ({found.get("ge", "")}–{found.get("le", "")})'


def service_settings() -> str:
    from pydantic import SecretStr

    from proxbox_api.settings import ServiceSettings

    prefix = ServiceSettings.model_config['env_prefix']
    rows = []
    for name, field in ServiceSettings.model_fields.items():
        default = field.default
        shown = default.get_secret_value() if isinstance(default, SecretStr) else default
        if isinstance(shown, bool):
            shown = str(shown).lower()
        shown = 'unset' if shown is None else shown
        rows.append(
            [
                f'`{prefix}{name.upper()}`',
                _annotation(field.annotation) + _bounds(field),
                f'`{shown}`',
                field.description or '',
            ]
        )
    return _table(['Variable', 'Type', 'Default', 'Meaning'], rows)


# -- what the sync writes -----------------------------------------------------------------------
def _identity(spec: Any) -> str:
    return {
        'cf': 'owned (`proxbox_id`)',
        'shared': 'shared (by slug)',
        'plugin': 'plugin record',
    }[spec.identity]


def kinds() -> str:
    from proxbox_api.engine.kinds import KINDS

    rows = [
        [
            f'`{spec.kind}`',
            f'`{spec.path}`',
            _identity(spec),
            spec.prune if not spec.is_phase else f'(second pass on `{spec.base}`)',
            f'`{spec.family}`' if spec.family else 'always',
        ]
        for spec in KINDS
    ]
    return _table(['Kind', 'NetBox API', 'Identity', 'When gone from Proxmox', 'Settings switch'], rows)


def permission_grants() -> list[tuple[str, list[str], list[str], dict[str, str] | None]]:
    """The sync user's NetBox permissions, derived from what the sync reads and writes (``KINDS``):
    view everything it reads, add what it creates, change what it updates (never the shared objects
    it only creates), delete only what it prunes. Changes and deletes of owned objects are limited
    to objects tagged ``proxbox``; people's objects stay out of reach."""
    from proxbox_api.engine.kinds import KINDS

    view, add = {'extras.customfield'}, set()
    change: dict[str, set[str]] = {'cf': set(), 'plugin': set()}
    delete: dict[str, set[str]] = {'cf': set(), 'plugin': set()}
    for spec in KINDS:
        model = spec.base or spec.kind
        view.add(model)
        if spec.is_phase or spec.identity == 'shared':
            add.update(() if spec.is_phase else (model,))
            continue
        add.add(model)
        change[spec.identity].add(model)
        if spec.prune != 'never':
            delete[spec.identity].add(model)
    own = {'tags__slug': 'proxbox'}
    grants = [
        ('Proxbox sync: view', ['view'], sorted(view), None),
        ('Proxbox sync: add', ['add'], sorted(add), None),
        ('Proxbox sync: change its objects', ['change'], sorted(change['cf']), own),
        ('Proxbox sync: delete its objects', ['delete'], sorted(delete['cf']), own),
        ('Proxbox sync: change plugin records', ['change'], sorted(change['plugin']), None),
        ('Proxbox sync: delete plugin records', ['delete'], sorted(delete['plugin']), None),
    ]
    return [grant for grant in grants if grant[2]]


def _permissions_table() -> str:
    rows = [
        [name, ', '.join(actions), ', '.join(f'`{t}`' for t in types), f'`{json.dumps(c)}`' if c else '']
        for name, actions, types, c in permission_grants()
    ]
    return _table(['Permission', 'Actions', 'Object types', 'Constraints'], rows)


_SNIPPET_HEAD = """from core.models import ObjectType
from users.models import ObjectPermission, Token, User

GRANTS = [
"""
_SNIPPET_TAIL = """]

user, _ = User.objects.get_or_create(username='proxbox-sync')
for name, actions, object_types, constraints in GRANTS:
    permission, _ = ObjectPermission.objects.update_or_create(
        name=name, defaults={'actions': actions, 'constraints': constraints}
    )
    permission.object_types.set([ObjectType.objects.get_by_natural_key(*t.split('.')) for t in object_types])
    permission.users.add(user)
token = Token.objects.create(user=user, description='proxbox-api')
print('Token of proxbox-sync:', token.get_auth_header_prefix().removeprefix('Bearer ') + token.token)
"""


def permissions_snippet() -> str:
    """Python for ``netbox shell`` that creates the sync user, its permissions and a token."""
    lines = []
    for name, actions, types, constraints in permission_grants():
        listed = pprint.pformat(types, width=96, compact=True).replace('\n', '\n        ')
        items = (repr(name), repr(actions), listed, repr(constraints))
        lines += ['    (', *(f'        {item},' for item in items), '    ),']
    return _SNIPPET_HEAD + '\n'.join(lines) + '\n' + _SNIPPET_TAIL


def netbox_permissions() -> str:
    return f'{_permissions_table()}\n```python\n{permissions_snippet()}```\n'


# -- proxbox-api HTTP API -----------------------------------------------------------------------
def openapi_document() -> dict[str, Any]:
    from proxbox_api.api import create_app
    from proxbox_api.settings import ServiceSettings

    return create_app(ServiceSettings(development=True)).openapi()


def openapi_text() -> str:
    return json.dumps(openapi_document(), indent=2, ensure_ascii=False) + '\n'


def _schema_type(schema: dict[str, Any]) -> str:
    if '$ref' in schema:
        name = schema['$ref'].rsplit('/', 1)[1]
        return f'[{name}](#{name.lower()})'
    if 'anyOf' in schema:
        return ' or '.join(_schema_type(item) for item in schema['anyOf'])
    kind = schema.get('type', 'any')
    if kind == 'array':
        return f'list of {_schema_type(schema.get("items", {}))}'
    if kind == 'object' and 'additionalProperties' in schema:
        extra = schema['additionalProperties']
        return f'map of {_schema_type(extra) if isinstance(extra, dict) else "any"}'
    if 'enum' in schema:
        return ' or '.join(f'`{value}`' for value in schema['enum'])
    if 'const' in schema:
        return f'`{schema["const"]}`'
    if schema.get('writeOnly'):
        return 'secret string'
    return str(kind)


def _limits(schema: dict[str, Any]) -> str:
    words = []
    for key, text in (('minimum', '>='), ('exclusiveMinimum', '>'), ('maximum', '<='), ('minItems', 'items >=')):
        if key in schema:
            value = schema[key]
            words.append(f'{text} {int(value) if float(value).is_integer() else value}')
    return f' ({", ".join(words)})' if words else ''


def _operation(path: str, method: str, operation: dict[str, Any]) -> list[str]:
    lines = [f'### `{method.upper()} {path}`', '']
    schemes = {name for requirement in operation.get('security', ()) for name in requirement}
    auth = 'API key (`X-API-Key` header)' if schemes else 'none'
    if schemes == {'NotifyKey'}:
        auth = 'the notify key (`X-API-Key` header, `PROXBOX_API_NOTIFY_KEY`)'
    lines.append(f'{operation.get("summary", "")}. Authentication: {auth}.')
    body = operation.get('requestBody', {}).get('content', {})
    for media, content in body.items():
        lines.append(f'Request body (`{media}`): {_schema_type(content.get("schema", {}))}.')
    for status, response in operation.get('responses', {}).items():
        content = response.get('content', {})
        shapes = ', '.join(f'{_schema_type(c.get("schema", {}))} (`{m}`)' for m, c in content.items())
        lines.append(f'- `{status}` {response.get("description", "")}{": " + shapes if shapes else ""}')
    return [*lines, '']


def _component(name: str, schema: dict[str, Any]) -> list[str]:
    lines = [f'### {name}', '']
    if schema.get('description'):
        lines += [schema['description'].strip().split('\n\n')[0].replace('\n', ' '), '']
    required = set(schema.get('required', ()))
    rows = []
    for prop, spec in schema.get('properties', {}).items():
        default = f'`{json.dumps(spec["default"])}`' if 'default' in spec else ''
        rows.append(
            [
                f'`{prop}`',
                _schema_type(spec) + _limits(spec),
                'yes' if prop in required else '',
                default,
                spec.get('description', ''),
            ]
        )
    if rows:
        lines.append(_table(['Field', 'Type', 'Required', 'Default', 'Description'], rows))
    return lines


def sync_api() -> str:
    document = openapi_document()
    lines = ['## Routes', '']
    for path, methods in document['paths'].items():
        for method, operation in methods.items():
            lines += _operation(path, method, operation)
    lines += ['## Schemas', '']
    for name, schema in document['components']['schemas'].items():
        lines += _component(name, schema)
    return '\n'.join(lines).rstrip('\n') + '\n'


# -- pages --------------------------------------------------------------------------------------
BLOCKS: dict[str, Callable[..., str]] = {
    'fields': model_fields,
    'service-settings': service_settings,
    'kinds': kinds,
    'netbox-permissions': netbox_permissions,
    'sync-api': sync_api,
}


def render_page(text: str) -> str:
    """The page with every generated block rewritten (hand-written text is left as it is)."""

    def replace(match: re.Match[str]) -> str:
        name, arg = match['name'], match['arg']
        if name not in BLOCKS:
            raise ValueError(f'unknown generated block {name!r}')
        body = BLOCKS[name](arg) if arg else BLOCKS[name]()
        return f'{match["begin"]}{body}{match["end"]}'

    return BLOCK.sub(replace, text)


def _pages() -> list[Path]:
    return sorted(path for path in DOCS.rglob('*.md') if BLOCK.search(path.read_text()))


def stale_files() -> list[Path]:
    """Generated files or pages whose committed text differs from what the code gives now."""
    stale = [page for page in _pages() if render_page(page.read_text()) != page.read_text()]
    if not OPENAPI.exists() or OPENAPI.read_text() != openapi_text():
        stale.append(OPENAPI)
    return stale


def write_all() -> list[Path]:
    written = stale_files()
    for path in written:
        path.write_text(openapi_text() if path == OPENAPI else render_page(path.read_text()))
    return written


def _setup_django() -> None:
    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'netbox.settings')
    import django

    django.setup()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--check', action='store_true', help='only report stale files (exit 1 if any)')
    args = parser.parse_args(argv)
    _setup_django()
    if args.check:
        stale = stale_files()
        for path in stale:
            print(f'stale: {path.relative_to(ROOT)} (run: make docs)')
        return 1 if stale else 0
    for path in write_all():
        print(f'wrote {path.relative_to(ROOT)}')
    return 0


if __name__ == '__main__':
    sys.exit(main())

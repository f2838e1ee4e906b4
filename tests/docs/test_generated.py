"""
The parts of docs/ derived from the code (model fields, proxbox-api settings, what the sync writes,
the sync user's permissions, the HTTP API and docs/reference/openapi.json) are what the code gives
now: a change to a model, a setting, KINDS or a route without `make docs` fails here.
"""

import json
import re

import pytest
from django.apps import apps

from .helpers import DOCS, gen_docs

pytestmark = pytest.mark.docs


def test_generated_docs_are_current():
    stale = [str(path.relative_to(DOCS.parent)) for path in gen_docs().stale_files()]
    assert not stale, f'stale generated docs (run `make docs`): {stale}'


def test_openapi_file_is_the_apps_document():
    committed = json.loads((DOCS / 'reference' / 'openapi.json').read_text())
    assert committed == gen_docs().openapi_document()
    assert set(committed['paths']) >= {'/health', '/metrics', '/v1/sync', '/v1/sync/stream'}


def test_every_model_has_a_page_with_its_fields():
    generator = gen_docs()
    for model in apps.get_app_config('netbox_proxbox').get_models():
        page = DOCS / 'models' / generator.model_page(model)
        assert page.is_file(), f'{model.__name__} has no page {page.name}'
        assert f'<!-- BEGIN GENERATED: fields {model.__name__} -->' in page.read_text(), page.name


def test_every_generated_block_names_a_known_generator():
    names = set(gen_docs().BLOCKS)
    for page in DOCS.rglob('*.md'):
        for name in re.findall(r'<!-- BEGIN GENERATED: ([\w-]+)', page.read_text()):
            assert name in names, f'{page.name}: unknown generated block {name}'


def test_a_stale_block_is_detected():
    """The check can fail: a page whose block was edited by hand is reported stale."""
    generator = gen_docs()
    text = '<!-- BEGIN GENERATED: service-settings -->\nedited by hand\n<!-- END GENERATED -->\n'
    assert generator.render_page(text) != text
    assert 'PROXBOX_API_API_KEY' in generator.render_page(text)


def test_every_field_of_every_model_is_in_its_table():
    generator = gen_docs()
    for model in apps.get_app_config('netbox_proxbox').get_models():
        table = generator.model_fields(model.__name__)
        for field in model._meta.get_fields():
            if field.auto_created or not (field.concrete or field.many_to_many):
                continue
            assert f'`{field.name}`' in table, f'{model.__name__}.{field.name} missing from its table'

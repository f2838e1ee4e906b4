"""
Shims that let NetBox's own test base classes (utilities.testing) test a plugin: they add the
`plugins:` / `plugins-api:` URL prefixes, point the filterset audit at our app, and keep Proxbox's
own custom fields out of the way of NetBox's custom-field checks.
"""

from unittest.mock import patch

from core.models import ObjectType
from extras.models import CustomField
from utilities.testing import APIViewTestCases, ViewTestCases
from utilities.testing.filtersets import ChangeLoggedFilterSetTestMixin

APP = 'netbox_proxbox'

__all__ = (
    'PluginAPIViewTestCase',
    'PluginFilterSetTestMixin',
    'PluginPrimaryObjectViewTestCase',
    'WithoutSyncFieldsMixin',
)


class PluginViewMixin:
    def _get_base_url(self):
        return f'plugins:{APP}:{self.model._meta.model_name}_{{}}'


class WithoutSyncFieldsMixin:
    """
    NetBox's create/edit tests expect a model's only custom fields to be the dummy ones they add.
    The sync's own (proxbox_id, proxbox_orphaned_since), which bootstrap assigns to the models the
    sync writes, are unassigned for the test (the test's transaction puts them back).
    """

    def setUp(self):
        super().setUp()
        object_type = ObjectType.objects.get_for_model(self.model)
        for field in CustomField.objects.filter(object_types=object_type, name__startswith='proxbox_'):
            field.object_types.remove(object_type)


class PluginPrimaryObjectViewTestCase(WithoutSyncFieldsMixin, PluginViewMixin, ViewTestCases.PrimaryObjectViewTestCase):
    pass


class PluginAPIViewTestCase(WithoutSyncFieldsMixin, APIViewTestCases.APIViewTestCase):
    view_namespace = f'plugins-api:{APP}'


class PluginFilterSetTestMixin(ChangeLoggedFilterSetTestMixin):
    def test_missing_filters(self):
        # NetBox derives the app from the test module's top-level package; ours live in tests/.
        with patch.object(type(self), '__module__', f'{APP}.tests'):
            super().test_missing_filters()

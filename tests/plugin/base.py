"""
Shims that let NetBox's own test base classes (utilities.testing) test a plugin: they add the
`plugins:` / `plugins-api:` URL prefixes, and point the filterset audit at our app.
"""

from unittest.mock import patch

from utilities.testing import APIViewTestCases, ViewTestCases
from utilities.testing.filtersets import ChangeLoggedFilterSetTestMixin

APP = 'netbox_proxbox'

__all__ = ('PluginAPIViewTestCase', 'PluginFilterSetTestMixin', 'PluginPrimaryObjectViewTestCase')


class PluginViewMixin:
    def _get_base_url(self):
        return f'plugins:{APP}:{self.model._meta.model_name}_{{}}'


class PluginPrimaryObjectViewTestCase(PluginViewMixin, ViewTestCases.PrimaryObjectViewTestCase):
    pass


class PluginAPIViewTestCase(APIViewTestCases.APIViewTestCase):
    view_namespace = f'plugins-api:{APP}'


class PluginFilterSetTestMixin(ChangeLoggedFilterSetTestMixin):
    def test_missing_filters(self):
        # NetBox derives the app from the test module's top-level package; ours live in tests/.
        with patch.object(type(self), '__module__', f'{APP}.tests'):
            super().test_missing_filters()

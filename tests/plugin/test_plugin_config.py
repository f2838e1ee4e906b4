"""
The plugin is loaded by NetBox, and bad plugin settings stop start-up with a message that names
the key.
"""

from django.core.exceptions import ImproperlyConfigured
from django.test import SimpleTestCase
from django.urls import reverse

from utilities.testing import TestCase

from netbox_proxbox import ProxboxConfig, validate_settings


class PluginLoadedTestCase(TestCase):
    """NetBox skips an incompatible plugin with only a warning, so prove ours is really loaded."""

    def test_status_lists_plugin(self):
        self.user.is_superuser = True
        self.user.save()
        response = self.client.get(reverse('api-status'))
        self.assertEqual(response.json()['plugins'].get('netbox_proxbox'), ProxboxConfig.version)

    def test_menu_is_rendered(self):
        self.user.is_superuser = True
        self.user.save()
        body = self.client.get('/').content.decode()
        self.assertIn('Proxbox', body)
        self.assertIn(reverse('plugins:netbox_proxbox:proxmoxendpoint_list'), body)

    def test_menu_groups_each_model_once(self):
        from netbox_proxbox.navigation import menu

        groups = [str(group.label) for group in menu.groups]
        self.assertEqual(groups, ['Endpoints', 'Infrastructure', 'Data protection', 'Operations'])
        links = [item.link for group in menu.groups for item in group.items]
        self.assertEqual(len(links), len(set(links)), links)
        self.assertEqual(len(links), 14)  # 13 models and the service log


class SettingsValidationTestCase(SimpleTestCase):
    """validate_settings() accepts the defaults and rejects each bad value by name."""

    def test_defaults_are_valid(self):
        validate_settings(ProxboxConfig.default_settings)

    def test_bad_values_name_the_key(self):
        cases = {
            'sync_job_timeout': 0,
            'default_schedule_interval': -5,
            'proxbox_api_url': 'ftp://x',
            'event_stream_ttl': 'long',
        }
        for key, value in cases.items():
            with self.subTest(key=key), self.assertRaisesRegex(ImproperlyConfigured, f'netbox_proxbox: {key} must'):
                validate_settings({**ProxboxConfig.default_settings, key: value})

    def test_unknown_key(self):
        with self.assertRaisesRegex(ImproperlyConfigured, "unknown setting 'typo'"):
            validate_settings({**ProxboxConfig.default_settings, 'typo': 1})

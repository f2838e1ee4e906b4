"""The models and the committed migrations agree (`makemigrations --check`)."""

from io import StringIO

from django.core.management import call_command
from django.test import TestCase


class MigrationsUpToDateTestCase(TestCase):
    def test_no_missing_migrations(self):
        out = StringIO()
        try:
            call_command('makemigrations', 'netbox_proxbox', check=True, dry_run=True, stdout=out, stderr=out)
        except SystemExit:
            self.fail(f'Model changes without a migration:\n{out.getvalue()}')

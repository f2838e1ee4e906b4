"""Proxbox: keep NetBox in step with Proxmox VE (the NetBox plugin)."""

from django.core.exceptions import ImproperlyConfigured

from netbox.plugins import PluginConfig

__version__ = '0.1.0'

# NetBox releases this plugin is tested against (keep COMPATIBILITY.md in step).
MIN_NETBOX_VERSION = '4.7.0'
MAX_NETBOX_VERSION = '4.7.99'


def _positive_int(value):
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _http_url(value):
    return isinstance(value, str) and value.startswith(('http://', 'https://'))


# key -> (check, what the key must be); read by ready() so bad settings fail at start-up.
SETTING_RULES = {
    'proxbox_api_url': (lambda v: v is None or _http_url(v), 'an http(s) URL or None'),
    'proxbox_api_key': (lambda v: v is None or (isinstance(v, str) and len(v) >= 16), 'a 16+ character string or None'),
    'sync_job_timeout': (_positive_int, 'a positive integer (seconds)'),
    'default_schedule_interval': (lambda v: v is None or _positive_int(v), 'a positive integer (minutes) or None'),
    'event_stream_ttl': (_positive_int, 'a positive integer (seconds)'),
    'write_path': (lambda v: v in ('auto', 'inside', 'rest'), "'auto', 'inside' or 'rest'"),
}


def validate_settings(settings):
    """Raise ImproperlyConfigured naming the first bad key in the plugin's settings."""
    for key in settings:
        if key not in SETTING_RULES:
            raise ImproperlyConfigured(f'netbox_proxbox: unknown setting {key!r}; known: {", ".join(SETTING_RULES)}')
    for key, (check, expected) in SETTING_RULES.items():
        if not check(settings.get(key)):
            raise ImproperlyConfigured(f'netbox_proxbox: {key} must be {expected}, not {settings.get(key)!r}')


class ProxboxConfig(PluginConfig):
    name = 'netbox_proxbox'
    verbose_name = 'Proxbox'
    description = 'Keep NetBox in step with Proxmox VE'
    version = __version__
    author = 'Proxbox developers'
    base_url = 'proxbox'
    min_version = MIN_NETBOX_VERSION
    max_version = MAX_NETBOX_VERSION
    default_settings = {
        # Where proxbox-api listens when no FastAPIEndpoint is configured in the UI.
        'proxbox_api_url': None,
        # Its API key (PROXBOX_API_API_KEY), used with proxbox_api_url only.
        'proxbox_api_key': None,
        # A Full Update job is killed after this many seconds (NetBox's RQ job timeout).
        'sync_job_timeout': 3 * 60 * 60,
        # Default per-endpoint sync interval in minutes: nightly. None disables the default schedule.
        'default_schedule_interval': 24 * 60,
        # How long a finished run's live event stream stays in Redis (the SyncRun keeps a copy).
        'event_stream_ttl': 7 * 24 * 60 * 60,
        # How the sync writes: 'inside' (this plugin's in-NetBox apply, in bulk), 'rest' (NetBox's REST bulk
        # endpoints) or 'auto' (inside whenever proxbox-api finds the apply, else rest).
        'write_path': 'auto',
    }

    def ready(self):
        from django.conf import settings
        from django.db.models.signals import post_migrate

        from . import jobs, signals  # noqa: F401  (register the jobs and the schedule keepers)
        from .bootstrap import ensure_sync_objects

        validate_settings(settings.PLUGINS_CONFIG.get(self.name, {}))
        super().ready()
        post_migrate.connect(ensure_sync_objects, sender=self)


config = ProxboxConfig

"""Proxbox's part of NetBox's configuration in the container (the image reads every file here)."""

import os

PLUGINS = ['netbox_proxbox']

PLUGINS_CONFIG = {
    'netbox_proxbox': {
        # Where NetBox's worker reaches proxbox-api when no proxbox-api endpoint is set in the UI.
        'proxbox_api_url': os.environ.get('PROXBOX_SERVICE_URL', 'http://proxbox-api:8800/'),
    },
}

"""
Problems a person can fix, each with what went wrong and what to do about it.

    SyncProblem                      title, detail, fix; shown as such in the run, the API and the CLI
    ├── NotConfigured                a NetBox or proxbox-api endpoint (or its secret) is missing
    ├── ProxboxApiUnreachable        nothing answers at the proxbox-api URL
    ├── ProxboxApiKeyRejected        proxbox-api answered 401: the API key differs
    └── ProxboxApiFailed             proxbox-api answered with an error we did not expect

Errors that proxbox-api reports inside a run (Proxmox refused the credentials, the NetBox token
lacks a permission, ...) arrive as `error` events; `fix_for_error()` adds the fix to them.
"""

import re

__all__ = (
    'NotConfigured',
    'ProxboxApiFailed',
    'ProxboxApiKeyRejected',
    'ProxboxApiUnreachable',
    'SyncProblem',
    'fix_for_error',
)


class SyncProblem(Exception):
    """Something a person must fix; `kind` names it in events and API answers."""

    kind = 'SyncProblem'
    title = 'The sync could not run'

    def __init__(self, detail, fix=''):
        super().__init__(detail)
        self.detail = detail
        self.fix = fix or self.default_fix()

    def default_fix(self):
        return ''

    def as_event(self):
        return {'message': f'{self.title}: {self.detail}', 'kind': self.kind, 'fix': self.fix}

    def __str__(self):
        return f'{self.title}: {self.detail}' + (f' {self.fix}' if self.fix else '')


class NotConfigured(SyncProblem):
    kind = 'NotConfigured'
    title = 'Proxbox is not fully configured'


class ProxboxApiUnreachable(SyncProblem):
    kind = 'ProxboxApiUnreachable'
    title = 'proxbox-api is unreachable'

    def default_fix(self):
        return (
            'Start proxbox-api (the `proxbox-api` command) where NetBox can reach it, or correct the URL '
            'of the proxbox-api endpoint (Proxbox > Endpoints > proxbox-api Endpoint).'
        )


class ProxboxApiKeyRejected(SyncProblem):
    kind = 'ProxboxApiKeyRejected'
    title = 'proxbox-api rejected the API key'

    def default_fix(self):
        return (
            "Set the proxbox-api endpoint's API key to the key proxbox-api runs with "
            '(its PROXBOX_API_API_KEY environment variable).'
        )


class ProxboxApiFailed(SyncProblem):
    kind = 'ProxboxApiFailed'
    title = 'proxbox-api failed'

    def default_fix(self):
        return 'See the proxbox-api log (Proxbox > Operations > Service log) for the cause.'


# (error kind from proxbox-api, pattern in its message or None, fix); first match wins.
_FIXES = (
    (
        'ProxmoxAuthError',
        None,
        "Proxmox refused the credentials. Check the endpoint's username, API token name and secret "
        '(or password); a token is "user@realm!name" with its secret from Datacenter > API Tokens.',
    ),
    (
        'ProxmoxPermissionError',
        None,
        'The Proxmox user or token lacks a privilege. Give it the PVEAuditor role on "/" '
        '(and uncheck "Privilege Separation" on the token, or grant the role to the token too).',
    ),
    (
        'ProxmoxConnectionError',
        None,
        "proxbox-api cannot connect to Proxmox. Check the endpoint's host and port, the firewall, and for "
        'TLS errors its CA certificate (or turn "verify TLS" off for a certificate you trust).',
    ),
    ('ProxmoxTimeout', None, "Proxmox did not answer in time. Check that it is up, or raise the endpoint's timeout."),
    (
        'NetBoxAuthError',
        None,
        "NetBox rejected the sync user's API token. Create a token for the sync user and paste it into "
        'the NetBox endpoint (Proxbox > Endpoints > NetBox Endpoint).',
    ),
    (
        'NetBoxPermissionError',
        None,
        'The sync user lacks a NetBox permission. Give it view, add, change and delete on the objects '
        'Proxbox keeps (DCIM, virtualization, IPAM, tags and the Proxbox plugin), e.g. with one object permission.',
    ),
    (
        'NetBoxNotPrepared',
        None,
        "NetBox lacks Proxbox's tags or custom fields: run `netbox migrate` (the plugin creates them after migrating).",
    ),
    (
        None,
        re.compile(r'\b403\b|permission', re.IGNORECASE),
        'The sync user lacks a NetBox permission for these objects: give it view, add, change and delete on them.',
    ),
    ('StalePlan', None, 'Proxmox or NetBox changed since the preview: preview again, then apply the new plan.'),
)


def fix_for_error(kind, message):
    """What a person should do about an error proxbox-api reported, or '' when we cannot say."""
    for fix_kind, pattern, fix in _FIXES:
        if fix_kind is not None and fix_kind != kind:
            continue
        if pattern is not None and not pattern.search(message or ''):
            continue
        return fix
    return ''

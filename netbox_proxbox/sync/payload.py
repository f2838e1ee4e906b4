"""
The sync request the job sends to proxbox-api (its `SyncRequest` contract): where NetBox is and
the sync user's token (from the NetBox endpoint), the Proxmox endpoints with their credentials,
and the knobs of the Proxbox settings. Built at the moment the job runs, so it carries the
settings and secrets in force then; it is never stored or logged.
"""

from netbox.plugins import get_plugin_config

from .problems import NotConfigured

__all__ = ('build_sync_request', 'endpoint_spec', 'netbox_target', 'sync_options')


def netbox_target():
    from ..models import NetBoxEndpoint

    endpoint = NetBoxEndpoint.get_solo()
    if endpoint is None:
        raise NotConfigured(
            'no NetBox endpoint is defined',
            "Add one under Proxbox > Endpoints > NetBox Endpoint: this NetBox's URL as proxbox-api reaches it "
            'and an API token of a dedicated sync user.',
        )
    if not endpoint.token:
        raise NotConfigured(
            'the NetBox endpoint has no API token',
            'Create a token for the sync user and paste it into the NetBox endpoint.',
        )
    return {'url': endpoint.url, 'token': endpoint.token, 'verify_tls': endpoint.verify_ssl}


def endpoint_spec(endpoint):
    """One ProxmoxEndpoint as proxbox-api's EndpointSpec."""
    spec = {
        'id': endpoint.pk,
        'name': endpoint.name,
        'host': endpoint.host,
        'port': endpoint.port,
        'verify_tls': endpoint.verify_ssl,
        'timeout': endpoint.timeout,
        'site_id': endpoint.site_id,
    }
    if endpoint.token_name:
        spec.update(token_id=f'{endpoint.username}!{endpoint.token_name}', token_secret=endpoint.token_secret)
    else:
        spec.update(username=endpoint.username, password=endpoint.password)
    if endpoint.verify_ssl and endpoint.ca_certificate.strip():
        spec['ca_pem'] = endpoint.ca_certificate
    return spec


def sync_options():
    from ..models import ProxboxPluginSettings

    settings = ProxboxPluginSettings.current()
    return {
        'read_concurrency': settings.read_concurrency,
        'write_concurrency': settings.write_concurrency,
        'batch_size': settings.batch_size,
        'proxmox_timeout': settings.proxmox_timeout,
        'netbox_timeout': settings.netbox_timeout,
        'retries': settings.retries,
        'families': settings.enabled_families(),
        'templates': settings.templates,
        'prune_policy': settings.prune_policy,
        'prune_grace_days': settings.prune_grace_days,
        'field_ownership': settings.effective_field_ownership(),
        'write_path': get_plugin_config('netbox_proxbox', 'write_path'),
    }


def build_sync_request(run, endpoints):
    """The SyncRequest for `run` over `endpoints`; applying a preview sends its plan's digest."""
    if not endpoints:
        raise NotConfigured('no enabled Proxmox endpoint to sync', 'Add a Proxmox endpoint, or enable one.')
    request = {
        'netbox': netbox_target(),
        'endpoints': [endpoint_spec(endpoint) for endpoint in endpoints],
        'options': sync_options(),
        'dry_run': run.dry_run,
        # Names the run in NetBox's change log: "Proxbox sync #12 (button)" (the run page links to it).
        'run_id': f'#{run.pk} ({run.trigger})',
        'include_plan': run.dry_run,
    }
    if run.applies_run_id is not None:
        request['expected_plan_digest'] = (run.applies_run.plan or {}).get('digest')
    if run.scope:
        request['scope'] = run.scope
    return request

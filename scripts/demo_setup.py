# Run by scripts/demo.sh inside `netbox shell`: point Proxbox at the demo's simulator and
# proxbox-api, then run a first Full Update and wait for it. Idempotent: a second run updates the
# endpoints (the simulator's ports and certificate change every start) and reuses the sync token.
#
# Environment: PROXBOX_DEMO_SIM_FILE (the simulator's --write-endpoints JSON), PROXBOX_DEMO_NETBOX_URL,
# PROXBOX_DEMO_API_URL, PROXBOX_DEMO_API_KEY, PROXBOX_ADMIN_USER, PROXBOX_DEMO_WAIT (seconds).
# Prints `KEY=value` lines for demo.sh (sync token, run id, status, counts) last.
import json
import os
import time
from pathlib import Path

from django.contrib.contenttypes.models import ContentType

from users.models import ObjectPermission, Token, User

from netbox_proxbox.models import FastAPIEndpoint, NetBoxEndpoint, ProxmoxEndpoint, SyncRun
from netbox_proxbox.sync.runs import SyncLocked, start_sync

SYNC_USER = 'proxbox-sync'
# What the sync user may touch: the objects Proxbox keeps in NetBox, and nothing else.
SYNC_APPS = ('dcim', 'ipam', 'virtualization', 'netbox_proxbox')
SYNC_MODELS = (('extras', 'tag'), ('extras', 'customfield'))


def sync_user():
    user, _ = User.objects.get_or_create(username=SYNC_USER, defaults={'email': 'proxbox-sync@example.invalid'})
    permission, _ = ObjectPermission.objects.get_or_create(
        name='Proxbox sync', defaults={'actions': ['view', 'add', 'change', 'delete'], 'description': 'Demo sync user'}
    )
    permission.users.add(user)
    types = ContentType.objects.filter(app_label__in=SYNC_APPS)
    extra = [ContentType.objects.get_by_natural_key(app, model) for app, model in SYNC_MODELS]
    permission.object_types.add(*types, *extra)
    return user


def sync_token(user, current):
    key = current.removeprefix('nbt_').split('.', 1)[0] if current.startswith('nbt_') else ''
    if key and Token.objects.filter(user=user, key=key).exists():
        return current
    token = Token(user=user, description='Proxbox demo sync user')
    token.save()
    return f'nbt_{token.key}.{token.token}'


def configure(sim):
    user = sync_user()
    netbox = NetBoxEndpoint.get_solo() or NetBoxEndpoint(name='NetBox')
    netbox.url = os.environ['PROXBOX_DEMO_NETBOX_URL']
    netbox.token = sync_token(user, netbox.token or '')
    netbox.verify_ssl = False
    netbox.full_clean()
    netbox.save()
    api = FastAPIEndpoint.get_solo() or FastAPIEndpoint(name='proxbox-api')
    api.url = os.environ['PROXBOX_DEMO_API_URL']
    api.api_key = os.environ['PROXBOX_DEMO_API_KEY']
    api.full_clean()
    api.save()
    for ep in sim['endpoints']:
        username, token_name = ep['token_id'].split('!')
        endpoint = ProxmoxEndpoint.objects.filter(name=ep['cluster']).first() or ProxmoxEndpoint(name=ep['cluster'])
        endpoint.host, endpoint.port = ep['host'], ep['port']
        endpoint.username, endpoint.token_name, endpoint.token_secret = username, token_name, ep['token_secret']
        endpoint.ca_certificate = Path(ep['cert_path']).read_text()
        endpoint.verify_ssl = True
        endpoint.description = (
            f'Simulated Proxmox VE {ep["version"]} ({"standalone" if ep["standalone"] else "cluster"})'
        )
        endpoint.full_clean()
        endpoint.save()
    return netbox.token


def full_update(admin):
    try:
        run = start_sync(admin, trigger='api')
    except SyncLocked as exc:
        run = exc.run
    deadline = time.monotonic() + float(os.environ.get('PROXBOX_DEMO_WAIT', '900'))
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if run.is_finished:
            break
        time.sleep(1)
    return run


sim = json.loads(Path(os.environ['PROXBOX_DEMO_SIM_FILE']).read_text())
token = configure(sim)
run = full_update(User.objects.get(username=os.environ.get('PROXBOX_ADMIN_USER', 'admin')))
run = SyncRun.objects.get(pk=run.pk)
created = sum((counts or {}).get('created', 0) for counts in run.counts.values())
print(f'SYNC_TOKEN={token}')
print(f'RUN_ID={run.pk}')
print(f'RUN_STATUS={run.status}')
print(f'RUN_CREATED={created}')
print(f'RUN_ERRORS={json.dumps(run.error_summary)}')

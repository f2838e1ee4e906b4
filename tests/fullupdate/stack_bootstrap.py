# Run by tests/fullupdate/stack.py inside `netbox shell` against the live stack's database:
# users and tokens, and Proxbox pointed at the stack's proxbox-api and simulators. Prints one
# JSON line: {"tokens": {...}, "endpoints": {name: id}, "users": {...}}.
#
# With "configure": false only the users and tokens are made (the caller creates the endpoints).
# Users: admin (superuser); sync (the sync user: view/add/change/delete on what Proxbox keeps);
# viewer (may view sync runs and endpoints, may not start syncs); operator (may run syncs and view
# runs and endpoints); nobody (no permission at all: a NetBox token "without needed permissions").
import json
import os
from pathlib import Path

from django.contrib.contenttypes.models import ContentType

from users.models import ObjectPermission, Token, User

from netbox_proxbox.models import FastAPIEndpoint, NetBoxEndpoint, ProxmoxEndpoint

config = json.loads(Path(os.environ['PROXBOX_STACK_CONFIG']).read_text())


def user(name, superuser=False):
    account = User.objects.create_user(username=name, password=f'{name}-password', is_superuser=superuser)
    token = Token(user=account, description='live stack')
    token.save()
    return account, f'nbt_{token.key}.{token.token}'


def grant(account, name, actions, types):
    permission = ObjectPermission.objects.create(name=name, actions=actions)
    permission.users.add(account)
    permission.object_types.add(*types)


def types(*labels):
    found = []
    for label in labels:
        app, _, model = label.partition('.')
        found += ContentType.objects.filter(app_label=app, **({'model': model} if model else {}))
    return found


tokens = {}
users = {}
for name in ('admin', 'sync', 'viewer', 'operator', 'nobody'):
    account, tokens[name] = user(name, superuser=name == 'admin')
    users[name] = {'username': name, 'password': f'{name}-password', 'id': account.pk}
kept = types('dcim', 'ipam', 'virtualization', 'netbox_proxbox', 'extras.tag', 'extras.customfield')
grant(User.objects.get(username='sync'), 'stack sync', ['view', 'add', 'change', 'delete'], kept)
viewable = types('netbox_proxbox.syncrun', 'netbox_proxbox.proxmoxendpoint', 'core.job')
grant(User.objects.get(username='viewer'), 'stack viewer', ['view'], viewable)
grant(User.objects.get(username='operator'), 'stack operator', ['view', 'run_sync'], viewable)

endpoints = {}
if config.get('configure', True):
    NetBoxEndpoint.objects.create(url=config['netbox_url'], token=tokens['sync'], verify_ssl=False)
    FastAPIEndpoint.objects.create(url=config['api_url'], api_key=config['api_key'], timeout=15)
for path in config['sims'].values() if config.get('configure', True) else ():
    for ep in json.loads(Path(path).read_text())['endpoints']:
        if ep['cluster'] in config.get('skip', ()):
            continue
        username, token_name = ep['token_id'].split('!')
        endpoint = ProxmoxEndpoint.objects.create(
            name=ep['cluster'],
            host=ep['host'],
            port=ep['port'],
            username=username,
            token_name=token_name,
            token_secret=ep['token_secret'],
            ca_certificate=Path(ep['cert_path']).read_text(),
            sync_interval=None,
        )
        endpoints[endpoint.name] = endpoint.pk
print(json.dumps({'tokens': tokens, 'endpoints': endpoints, 'users': users}))

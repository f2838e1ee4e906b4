"""
The permission matrix's roles and how one request is judged. Every request runs in a savepoint
that is rolled back, so each route sees the same objects whatever ran before it; a refused request
must also have written nothing (no change-log entry, no sync run).
"""

from contextlib import contextmanager

from django.db import transaction

from core.models import ObjectChange, ObjectType
from users.models import ObjectPermission, Token, User

from netbox_proxbox.models import SyncRun

from .objects import plugin_models

__all__ = ('ALL_ACTIONS', 'VIEW', 'grant', 'make_user', 'refused', 'rolled_back', 'token_header')

VIEW = ['view']
ALL_ACTIONS = ['view', 'add', 'change', 'delete', 'run_sync']


def make_user(username, actions=None):
    """A user holding `actions` on every Proxbox model (no permission at all when None)."""
    user = User.objects.create_user(username=username)
    if actions:
        grant(user, actions)
    return user


def grant(user, actions):
    permission = ObjectPermission.objects.create(name=f'proxbox-{user.username}', actions=actions)
    permission.object_types.set([ObjectType.objects.get_for_model(model) for model in plugin_models()])
    permission.users.add(user)


def token_header(user, write_enabled=True):
    token = Token.objects.create(user=user, write_enabled=write_enabled)
    return {'HTTP_AUTHORIZATION': f'{token.get_auth_header_prefix()}{token.token}'}


def refused(response, route):
    """403, or (UI) a redirect to the login page; 404 where the view hides what the user may not see."""
    if response.status_code == 403 or (response.status_code == 404 and route.hides_with_404):
        return True
    return response.status_code == 302 and '/login/' in response.get('Location', '')


def _footprint():
    return ObjectChange.objects.count(), SyncRun.objects.count()


@contextmanager
def rolled_back():
    """Yields a function checking that nothing was written so far; everything is undone afterwards."""
    with transaction.atomic():
        before = _footprint()
        yield lambda: _footprint() == before
        transaction.set_rollback(True)

"""
Every route of the plugin, read from its URLconfs (netbox_proxbox/urls.py and api/urls.py) as
Django resolves them, each with the access it needs. A route is classified by the NetBox view it
is built on (list, detail, edit, delete, bulk views, change log, journal, jobs; REST viewset
actions by their HTTP method) or, for the plugin's own views, by the table `CUSTOM` below. A new
view is picked up automatically; one that fits no class makes `unclassified()` name it, and the
permission matrix fails until someone says what it needs.
"""

from dataclasses import dataclass

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

from netbox.views.generic import (
    BulkDeleteView,
    BulkEditView,
    BulkImportView,
    ObjectChangeLogView,
    ObjectDeleteView,
    ObjectEditView,
    ObjectJobsView,
    ObjectJournalView,
    ObjectListView,
    ObjectView,
)

__all__ = ('API_NAMESPACE', 'UI_NAMESPACE', 'Access', 'Route', 'api_routes', 'ui_routes', 'unclassified')

UI_NAMESPACE = 'plugins:netbox_proxbox'
API_NAMESPACE = 'plugins-api:netbox_proxbox-api'


class Access:
    """What a route needs: view permission, a write permission (add/change/delete), or run_sync."""

    READ = 'read'  # GET with view permission
    WRITE = 'write'  # add, change or delete permission
    RUN_SYNC = 'run_sync'  # start, cancel, test: the run_sync action on sync runs
    INDEX = 'index'  # the REST API root: a list of links, for any signed-in user


# The plugin's own views (not built on a NetBox generic view): URL name -> (access, methods).
CUSTOM = {
    'sync_start': (Access.RUN_SYNC, ('post',)),
    'sync_now': (Access.RUN_SYNC, ('post',)),
    'syncrun_cancel': (Access.RUN_SYNC, ('post',)),
    'syncrun_events': (Access.READ, ('get',)),
    'proxmoxendpoint_test': (Access.RUN_SYNC, ('post',)),
    'service_log': (Access.READ, ('get',)),
    'service_log_stream': (Access.READ, ('get',)),
    # REST API
    'sync': (Access.RUN_SYNC, ('post',)),
    # The in-NetBox apply: its capability (GET) and a batch (POST) need write permission on what it writes.
    'apply': (Access.WRITE, ('get', 'post')),
    'status': (Access.READ, ('get',)),
    'api-root': (Access.INDEX, ('get',)),
    'proxmoxendpoint-test': (Access.RUN_SYNC, ('post',)),
    'syncrun-cancel': (Access.RUN_SYNC, ('post',)),
    'syncrun-events': (Access.READ, ('get',)),
}

READ_VIEWS = (ObjectListView, ObjectView, ObjectChangeLogView, ObjectJournalView, ObjectJobsView)
WRITE_VIEWS = (ObjectEditView, ObjectDeleteView, BulkImportView, BulkEditView, BulkDeleteView)


@dataclass(frozen=True)
class Route:
    namespace: str
    name: str
    pattern: str
    view_class: type
    model: type | None
    method: str
    access: str | None  # None: unclassified
    takes_pk: bool

    @property
    def hides_with_404(self):
        """NetBox's change log, journal and jobs tabs look the object up among those the user may view."""
        return issubclass(self.view_class, (ObjectChangeLogView, ObjectJournalView, ObjectJobsView))

    @property
    def viewname(self):
        return f'{self.namespace}:{self.name}'

    def __str__(self):
        return f'{self.method.upper()} {self.viewname} ({self.pattern})'


def _walk(patterns, prefix='', namespace=None):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace and (f'{namespace}:{entry.namespace}' if namespace else entry.namespace)
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), ns or namespace)
        elif isinstance(entry, URLPattern):
            yield namespace, prefix + str(entry.pattern), entry


def _patterns(namespace):
    seen = set()
    for ns, pattern, entry in _walk(get_resolver().url_patterns):
        # The REST router adds a ".<format>" twin of every route: same view, same name; one is enough.
        if ns != namespace or 'format' in pattern or entry.name in seen:
            continue
        seen.add(entry.name)
        yield pattern, entry


def _model_of(view_class, entry):
    queryset = getattr(view_class, 'queryset', None)
    if queryset is not None:
        return queryset.model
    if model := (entry.default_args or {}).get('model'):
        return model
    # A registered model view without a queryset: its name is "<model>_<view>".
    models = {model._meta.model_name: model for model in apps.get_app_config('netbox_proxbox').get_models()}
    return models.get(entry.name.rpartition('_')[0])


def _ui_access(name, view_class):
    if name in CUSTOM:
        return CUSTOM[name]
    if issubclass(view_class, WRITE_VIEWS):
        return Access.WRITE, tuple(m for m in ('get', 'post') if hasattr(view_class, m))
    if issubclass(view_class, READ_VIEWS):
        return Access.READ, ('get',)
    return None, ('get',)


def ui_routes():
    for pattern, entry in _patterns(UI_NAMESPACE):
        view_class = entry.callback.view_class
        access, methods = _ui_access(entry.name, view_class)
        for method in methods:
            yield Route(
                UI_NAMESPACE, entry.name, pattern, view_class, _model_of(view_class, entry), method, access,
                '<int:pk>' in pattern,
            )  # fmt: skip


def _api_access(name, method, action):
    if name in CUSTOM:
        return CUSTOM[name][0]
    if action in ('list', 'retrieve') and method in ('get', 'head'):
        return Access.READ
    if action in ('create', 'update', 'partial_update', 'destroy') or action.startswith('bulk_'):
        return Access.WRITE
    return None


def api_routes():
    for pattern, entry in _patterns(API_NAMESPACE):
        callback = entry.callback
        view_class = getattr(callback, 'cls', None) or callback.view_class
        actions = dict(getattr(callback, 'actions', None) or {})  # DRF adds "head" to its own at runtime
        if not actions:  # a plain APIView: the methods it implements
            methods = CUSTOM.get(entry.name, (None, ('get',)))[1]
            actions = {method: method for method in methods if hasattr(view_class, method)}
        if 'get' in actions:
            actions.setdefault('head', actions['get'])
        for method, action in actions.items():
            yield Route(
                API_NAMESPACE, entry.name, pattern, view_class, _model_of(view_class, entry), method,
                _api_access(entry.name, method, action), 'pk>' in pattern,
            )  # fmt: skip


def unclassified():
    return [route for route in [*ui_routes(), *api_routes()] if route.access is None]

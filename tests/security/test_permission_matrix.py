"""
Every route of the plugin (its pages and its REST API, read from the URLconfs so a new view is
covered, or fails as unclassified) asked by an anonymous visitor, a signed-in user without
permission, a user who may only view, and a user with every permission (and, for the API, that
user's read-only token): anonymous gets the login page (UI) or 403 (API); no permission gets 403;
view-only reads but cannot change anything or trigger a sync; full permission does all. With
NetBox's EXEMPT_VIEW_PERMISSIONS = ['*'] and LOGIN_REQUIRED = False, anonymous visitors read and
nothing more. GraphQL's Proxbox lists follow the same rules. (Creating and editing each model with
full permission is pinned by the CRUD tests in tests/plugin.)
"""

from django.test import Client, override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from utilities.testing import TestCase

from netbox_proxbox.models import SyncRun

from .matrix import ALL_ACTIONS, VIEW, make_user, refused, rolled_back, token_header
from .objects import make_one_of_each, plugin_models
from .routes import Access, api_routes, ui_routes, unclassified

OPEN = {'EXEMPT_VIEW_PERMISSIONS': ['*'], 'LOGIN_REQUIRED': False}


class RouteInventoryTestCase(TestCase):
    """The inventory: every route is classified, and every model's pages and endpoints are in it."""

    def test_every_route_is_classified(self):
        self.assertEqual([str(route) for route in unclassified()], [])

    def test_every_model_is_covered(self):
        ui = {route.model for route in ui_routes()}
        api = {route.model for route in api_routes()}
        for model in plugin_models():
            self.assertIn(model, ui, model)
            self.assertIn(model, api, model)

    def test_full_update_routes_are_in_it(self):
        names = {route.name for route in [*ui_routes(), *api_routes()]}
        expected = {
            *('sync_start', 'syncrun_cancel', 'syncrun_events', 'syncrun_plan', 'proxmoxendpoint_test'),
            *('service_log', 'service_log_stream', 'proxboxpluginsettings_edit', 'sync', 'status'),
            *('syncrun-cancel', 'syncrun-events', 'proxmoxendpoint-test', 'proxboxpluginsettings-detail'),
        }
        self.assertEqual(expected - names, set())


class MatrixMixin:
    def setUp(self):
        super().setUp()
        self.objects = make_one_of_each()
        self.assertEqual(set(self.objects), set(plugin_models()))

    def url(self, route):
        if not route.takes_pk:
            return reverse(route.viewname)
        return reverse(route.viewname, kwargs={'pk': self.objects[route.model].pk})

    def ask(self, client, route, **extra):
        """(response, wrote_nothing) for one request, rolled back afterwards."""
        with rolled_back() as unchanged:
            # An event stream is left unread: its status and headers are the answer (closing it would
            # fire request_finished, which closes the test's database connection).
            response = getattr(client, route.method)(self.url(route), self.body(route), **extra)
            return response, unchanged()

    def check(self, route, response, unchanged, allowed):
        where = f'{route} -> {response.status_code} {response.get("Location", "")}'
        if not allowed:
            self.assertTrue(refused(response, route), where)
            self.assertTrue(unchanged, f'{where}: a refused request wrote something')
            return
        self.assertFalse(refused(response, route), where)
        self.assertLess(response.status_code, 500, where)
        if route.method == 'get' and route.access == Access.READ:
            self.assertEqual(response.status_code, 200, where)


class UIMatrixTestCase(MatrixMixin, TestCase):
    """The plugin's pages (self.user, NetBox's test user, has no permission)."""

    def body(self, route):
        if route.method != 'post':
            return None
        obj = self.objects.get(route.model)
        if route.name.endswith('bulk_import'):
            return {'data': 'name\nperm-import\n', 'format': 'csv', 'csv_delimiter': ','}
        if route.name.endswith('bulk_delete'):
            return {'pk': [obj.pk], 'confirm': True, '_confirm': True}
        return {'confirm': True} if route.name.endswith('_delete') else {}

    def client_for(self, actions):
        client = Client()
        client.force_login(make_user(f'ui-{"-".join(actions)}', actions))
        return client

    def run_matrix(self, client, allowed):
        routes = list(ui_routes())
        self.assertGreater(len(routes), 100)
        for route in routes:
            with self.subTest(route=str(route)):
                response, unchanged = self.ask(client, route)
                self.check(route, response, unchanged, allowed(route))

    def test_anonymous_is_sent_to_login(self):
        self.run_matrix(Client(), lambda route: False)

    def test_no_permission_is_refused(self):
        self.run_matrix(self.client, lambda route: False)

    def test_view_only_reads(self):
        self.run_matrix(self.client_for(VIEW), lambda route: route.access == Access.READ)

    def test_full_permission_does_all(self):
        self.run_matrix(self.client_for(ALL_ACTIONS), lambda route: True)

    @override_settings(**OPEN)
    def test_anonymous_reads_only_where_views_are_exempt(self):
        self.run_matrix(Client(), lambda route: route.access == Access.READ)

    def test_full_update_actions_take_effect(self):
        """The run_sync actions do what they say for full permission (not just 'not refused')."""
        client = self.client_for(ALL_ACTIONS)
        run = self.objects[SyncRun]
        response = client.post(reverse('plugins:netbox_proxbox:syncrun_cancel', kwargs={'pk': run.pk}))
        self.assertRedirects(response, run.get_absolute_url(), fetch_redirect_response=False)
        run.refresh_from_db()
        self.assertEqual(run.status, 'cancelled')


class APIMatrixTestCase(MatrixMixin, TestCase):
    """The plugin's REST API, with tokens."""

    def body(self, route):
        if route.method in ('get', 'head'):
            return None
        if route.name.endswith('-list') and route.method != 'post':  # bulk update/delete
            return [{'id': self.objects[route.model].pk}]
        return {}

    def ask(self, client, route, **extra):
        return super().ask(client, route, format='json', HTTP_ACCEPT='application/json, text/event-stream', **extra)

    def run_matrix(self, header, allowed):
        client = APIClient()
        client.credentials(**header)
        routes = list(api_routes())
        self.assertGreater(len(routes), 100)
        for route in routes:
            with self.subTest(route=str(route)):
                response, unchanged = self.ask(client, route)
                self.check(route, response, unchanged, allowed(route))

    def header_for(self, actions, write_enabled=True):
        return token_header(make_user(f'api-{"-".join(actions or ["none"])}', actions), write_enabled)

    def test_anonymous_is_refused(self):
        self.run_matrix({}, lambda route: False)

    def test_no_permission_is_refused(self):
        self.run_matrix(self.header_for(None), lambda route: route.access == Access.INDEX)

    def test_view_only_reads(self):
        self.run_matrix(self.header_for(VIEW), lambda route: route.access in (Access.READ, Access.INDEX))

    def test_full_permission_does_all(self):
        self.run_matrix(self.header_for(ALL_ACTIONS), lambda route: True)

    def test_read_only_token_of_full_user_reads_only(self):
        header = self.header_for(ALL_ACTIONS, write_enabled=False)
        self.run_matrix(header, lambda route: route.access in (Access.READ, Access.INDEX))

    @override_settings(**OPEN)
    def test_anonymous_reads_only_where_views_are_exempt(self):
        self.run_matrix({}, lambda route: route.access in (Access.READ, Access.INDEX))


class GraphQLMatrixTestCase(MatrixMixin, TestCase):
    """Every Proxbox list in GraphQL: nothing without a token or without view permission; view-only sees all."""

    def lists(self):
        from netbox.graphql.schema import schema

        names = [f.name for f in schema.query.__strawberry_definition__.fields]
        found = sorted(name for name in names if name.startswith('proxbox_') and name.endswith('_list'))
        self.assertEqual(len(found), len(plugin_models()), found)
        return found

    def ask(self, header, name):
        client = APIClient()
        client.credentials(**header)
        return client.post(reverse('graphql'), {'query': f'{{ {name} {{ id }} }}'}, format='json')

    def seen(self, header):
        answers = {name: self.ask(header, name) for name in self.lists()}
        return {name: len((r.json().get('data') or {}).get(name) or []) for name, r in answers.items()}

    def test_anonymous_is_refused(self):
        for name in self.lists():
            response = self.ask({}, name)  # NetBox's GraphQL view sends anonymous visitors to the login page
            self.assertEqual((response.status_code, '/login/' in response.get('Location', '')), (302, True), name)

    def test_no_permission_sees_nothing(self):
        header = token_header(make_user('gql-none'))
        self.assertEqual(set(self.seen(header).values()), {0})

    def test_view_only_sees_everything(self):
        header = token_header(make_user('gql-view', VIEW))
        self.assertEqual(set(self.seen(header).values()), {1})

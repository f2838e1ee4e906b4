"""
NetBox's view and API test cases, adapted to a singleton model (at most one row). NetBox's
constrained-permission, get and list tests compare two or three objects, which a singleton cannot
have; here they check the same contract with the one instance (visible with permission, hidden
by a constraint that excludes it). Everything else runs unchanged from utilities.testing.
"""

from django.test import override_settings
from rest_framework import status

from core.models import ObjectType
from users.models import ObjectPermission
from utilities.testing import APIViewTestCases, ViewTestCases
from utilities.testing.utils import post_data

from .base import APP, PluginViewMixin

__all__ = ('SingletonAPITestCase', 'SingletonViewTestCase')

HIDDEN = {'pk': 0}  # a constraint no object meets


class SingletonPermissionMixin:
    def grant(self, actions, constraints=None):
        perm = ObjectPermission.objects.create(name='Test permission', actions=actions, constraints=constraints)
        perm.users.add(self.user)
        perm.object_types.add(ObjectType.objects.get_for_model(self.model))
        return perm

    def instance(self):
        return self._get_queryset().get()


class SingletonViewTestCase(
    SingletonPermissionMixin,
    PluginViewMixin,
    ViewTestCases.GetObjectViewTestCase,
    ViewTestCases.GetObjectChangelogViewTestCase,
    ViewTestCases.EditObjectViewTestCase,
    ViewTestCases.DeleteObjectViewTestCase,
    ViewTestCases.ListObjectsViewTestCase,
):
    """Detail, changelog, edit, delete and list views of a singleton, with one instance."""

    def test_get_object_with_constrained_permission(self):
        perm = self.grant(['view'], {'pk': self.instance().pk})
        self.assertHttpStatus(self.client.get(self.instance().get_absolute_url()), 200)
        perm.constraints = HIDDEN
        perm.save()
        self.assertHttpStatus(self.client.get(self.instance().get_absolute_url()), 404)

    @override_settings(EXEMPT_VIEW_PERMISSIONS=['*'], EXEMPT_EXCLUDE_MODELS=[])
    def test_edit_object_with_constrained_permission(self):
        self.grant(['change'], HIDDEN)
        instance = self.instance()
        self.assertHttpStatus(self.client.get(self._get_url('edit', instance)), 404)
        self.assertHttpStatus(self.client.post(self._get_url('edit', instance), post_data(self.form_data)), 404)

    @override_settings(EXEMPT_VIEW_PERMISSIONS=['*'])
    def test_delete_object_with_constrained_permission(self):
        self.grant(['delete'], HIDDEN)
        instance = self.instance()
        self.assertHttpStatus(self.client.get(self._get_url('delete', instance)), 404)
        self.assertHttpStatus(self.client.post(self._get_url('delete', instance), post_data({'confirm': True})), 404)
        self.assertTrue(self._get_queryset().exists())

    def test_list_objects_with_constrained_permission(self):
        perm = self.grant(['view'], {'pk': self.instance().pk})
        url = self.instance().get_absolute_url()
        self.assertIn(url, self.client.get(self._get_url('list')).content.decode())
        perm.constraints = HIDDEN
        perm.save()
        response = self.client.get(self._get_url('list'))
        self.assertHttpStatus(response, 200)
        self.assertNotIn(url, response.content.decode())


class SingletonAPITestCase(
    SingletonPermissionMixin,
    APIViewTestCases.GetObjectViewTestCase,
    APIViewTestCases.ListObjectsViewTestCase,
    APIViewTestCases.UpdateObjectViewTestCase,
    APIViewTestCases.DeleteObjectViewTestCase,
    APIViewTestCases.GraphQLTestCase,
):
    """REST API (get, list, brief, update, delete) and GraphQL of a singleton, with one instance."""

    view_namespace = f'plugins-api:{APP}'

    def test_get_object(self):
        perm = self.grant(['view'], {'pk': self.instance().pk})
        url = self._get_detail_url(self.instance())
        self.assertHttpStatus(self.client.get(url, **self.header), status.HTTP_200_OK)
        perm.constraints = HIDDEN
        perm.save()
        self.assertHttpStatus(self.client.get(url, **self.header), status.HTTP_404_NOT_FOUND)

    def test_list_objects(self):
        perm = self.grant(['view'], {'pk': self.instance().pk})
        response = self.client.get(self._get_list_url(), **self.header)
        self.assertHttpStatus(response, status.HTTP_200_OK)
        self.assertEqual(len(response.data['results']), 1)
        perm.constraints = HIDDEN
        perm.save()
        self.assertEqual(len(self.client.get(self._get_list_url(), **self.header).data['results']), 0)

    def _bulk_delete(self, data):
        self.grant(['delete'])
        return self.client.delete(self._get_list_url(), data, format='json', **self.header)

    def test_bulk_delete_objects(self):
        response = self._bulk_delete([{'id': self.instance().pk}])
        self.assertHttpStatus(response, status.HTTP_204_NO_CONTENT)
        self.assertFalse(self._get_queryset().exists())

    def test_bulk_delete_objects_nonexistent_id(self):
        response = self._bulk_delete([{'id': self.instance().pk}, {'id': 2**31 - 1}])
        self.assertHttpStatus(response, status.HTTP_400_BAD_REQUEST)
        self.assertTrue(self._get_queryset().exists())

    def test_bulk_delete_objects_duplicate_id(self):
        pk = self.instance().pk
        response = self._bulk_delete([{'id': pk}, {'id': pk}])
        self.assertHttpStatus(response, status.HTTP_400_BAD_REQUEST)
        self.assertTrue(self._get_queryset().exists())

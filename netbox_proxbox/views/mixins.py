"""View behaviour shared by the singleton models (one NetBox endpoint, one proxbox-api, one settings row)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from netbox.object_actions import AddObject, BulkImport

__all__ = ('SingletonAddViewMixin', 'SingletonListViewMixin')


class SingletonListViewMixin:
    """Hides "Add" and "Import" once the one instance exists."""

    def get_permitted_actions(self, user, model=None):
        actions = super().get_permitted_actions(user, model=model)
        if self.queryset.model.objects.exists():
            actions = [action for action in actions if action not in (AddObject, BulkImport)]
        return actions


class SingletonAddViewMixin:
    """Opening "add" when the instance exists leads to its edit form; a POST is still refused by validation."""

    def get(self, request, *args, **kwargs):
        existing = self.queryset.model.get_solo()
        if not kwargs.get('pk') and existing is not None:
            messages.info(
                request,
                _('Only one %(name)s may exist; edit the existing one.') % {'name': existing._meta.verbose_name},
            )
            return redirect(existing.get_absolute_url().rstrip('/') + '/edit/')
        return super().get(request, *args, **kwargs)

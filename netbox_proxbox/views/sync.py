"""
The Full Update buttons and what they lead to: start (or preview, or apply a preview), cancel,
follow a run's events live (SSE), test an endpoint, and proxbox-api's live log; and the **Sync now**
button of a synced virtual machine, a Proxmox node's device and a Proxmox cluster (a targeted sync).

Starting, cancelling and testing need the `run_sync` action on sync runs
(`netbox_proxbox.run_sync_syncrun`); following a run needs view permission on it; the log needs
view permission on the proxbox-api endpoint. LOGIN_REQUIRED and object permissions apply as
everywhere in NetBox.
"""

import json

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.generic import View

from utilities.views import (
    ContentTypePermissionRequiredMixin,
    GetReturnURLMixin,
    ObjectPermissionRequiredMixin,
    register_model_view,
)

from ..choices import SyncTriggerChoices
from ..constants import RUN_SYNC_PERMISSION
from ..forms.sync import SyncStartForm
from ..models import ProxmoxEndpoint, SyncRun
from ..sync.client import ProxboxApi
from ..sync.problems import SyncProblem
from ..sync.runs import SyncLocked, SyncRefused, cancel_run, start_sync
from ..sync.sse import last_event_id, log_event_stream, run_event_stream, sse_response
from ..sync.status import test_endpoints
from ..sync.targets import describe, scope_of

__all__ = (
    'ProxmoxEndpointTestView',
    'ServiceLogStreamView',
    'ServiceLogView',
    'SyncRunCancelView',
    'SyncNowView',
    'SyncRunEventsView',
    'SyncStartView',
)

# The objects a Sync now button is on (app_label.model).
SYNC_NOW_MODELS = (
    'virtualization.virtualmachine',
    'dcim.device',
    'virtualization.cluster',
    'netbox_proxbox.proxmoxcluster',
)

RUN_SYNC = RUN_SYNC_PERMISSION


class SyncStartView(ContentTypePermissionRequiredMixin, GetReturnURLMixin, View):
    """POST: start a Full Update (all enabled endpoints, or the ones posted), a preview, or apply a preview."""

    default_return_url = 'plugins:netbox_proxbox:syncrun_list'

    def get_required_permission(self):
        return RUN_SYNC

    def post(self, request):
        form = SyncStartForm(request.POST, user=request.user)
        if not form.is_valid():
            messages.error(request, _('Cannot start the sync: {errors}').format(errors=form.errors.as_text()))
            return redirect(self.get_return_url(request))
        data = form.cleaned_data
        answer = _started_or_refused(
            request,
            lambda: start_sync(
                request.user,
                endpoints=list(data['endpoints']) or None,
                dry_run=data['dry_run'],
                apply_run=data['apply_run'],
                trigger=SyncTriggerChoices.BUTTON,
            ),
        )
        return answer or redirect(self.get_return_url(request))


def _started_or_refused(request, start):
    """Run `start()`, then follow the run it started; a busy endpoint leads to the running sync."""
    try:
        run = start()
    except SyncLocked as exc:
        link = format_html('<a href="{}">{}</a>', exc.run.get_absolute_url(), _('Follow the running sync'))
        messages.warning(request, format_html('{} {}', str(exc), link))
        return redirect(exc.run.get_absolute_url())
    except SyncRefused as exc:
        messages.error(request, str(exc))
        return None
    return redirect(run.get_absolute_url())


class SyncNowView(ContentTypePermissionRequiredMixin, GetReturnURLMixin, View):
    """POST `object_type` and `object_id`: a targeted sync of that guest, node or cluster, followed live."""

    def get_required_permission(self):
        return RUN_SYNC

    def post(self, request):
        label = request.POST.get('object_type', '')
        if label not in SYNC_NOW_MODELS or not request.POST.get('object_id', '').isdigit():
            raise Http404(_('Sync now is for synced virtual machines, Proxmox nodes and Proxmox clusters.'))
        model = ContentType.objects.get_by_natural_key(*label.split('.')).model_class()
        obj = get_object_or_404(model.objects.restrict(request.user, 'view'), pk=int(request.POST['object_id']))
        scope = scope_of(obj)
        if scope is None:
            messages.error(request, _('{obj} is not synced by Proxbox: there is nothing to sync.').format(obj=obj))
            return redirect(self.get_return_url(request, obj))
        answer = _started_or_refused(
            request, lambda: start_sync(request.user, scope=scope, trigger=SyncTriggerChoices.BUTTON)
        )
        if answer is None:
            return redirect(self.get_return_url(request, obj))
        messages.info(request, _('Syncing {scope} now.').format(scope=describe(scope)))
        return answer


@register_model_view(SyncRun, 'cancel', path='cancel')
class SyncRunCancelView(ObjectPermissionRequiredMixin, View):
    """POST: cancel a waiting or running sync."""

    queryset = SyncRun.objects.defer('plan', 'events')

    def get_required_permission(self):
        return RUN_SYNC

    def post(self, request, pk):
        run = get_object_or_404(self.queryset, pk=pk)
        if cancel_run(run, request.user):
            messages.info(request, _('Cancelling {run}.').format(run=run))
        else:
            messages.warning(request, _('{run} has already finished.').format(run=run))
        return redirect(run.get_absolute_url())


@register_model_view(SyncRun, 'events', path='events')
class SyncRunEventsView(ObjectPermissionRequiredMixin, View):
    """GET: the run's events as Server-Sent Events (what the run page follows); resumable."""

    queryset = SyncRun.objects.defer('plan')

    def get_required_permission(self):
        return 'netbox_proxbox.view_syncrun'

    def get(self, request, pk):
        run = get_object_or_404(self.queryset, pk=pk)
        return sse_response(run_event_stream(run, last_event_id(request)))


@register_model_view(ProxmoxEndpoint, 'test', path='test')
class ProxmoxEndpointTestView(ContentTypePermissionRequiredMixin, View):
    """POST: can proxbox-api reach this endpoint and log in? Shown as a message."""

    def get_required_permission(self):
        return RUN_SYNC

    def post(self, request, pk):
        endpoint = get_object_or_404(ProxmoxEndpoint.objects.restrict(request.user, 'view'), pk=pk)
        (result,) = test_endpoints([endpoint])
        if result['ok']:
            messages.success(request, _('{name}: {detail}').format(name=endpoint.name, detail=result['detail']))
        else:
            messages.error(request, _('{name}: {detail}').format(name=endpoint.name, detail=result['detail']))
        return redirect(endpoint.get_absolute_url())


class ServiceLogView(ContentTypePermissionRequiredMixin, View):
    """proxbox-api's recent log, followed live."""

    def get_required_permission(self):
        return 'netbox_proxbox.view_fastapiendpoint'

    def get(self, request):
        return render(request, 'netbox_proxbox/service_log.html', {'title': _('proxbox-api log')})


class ServiceLogStreamView(ContentTypePermissionRequiredMixin, View):
    """GET: proxbox-api's log lines as SSE, bridged from its WebSocket (the key stays on the server)."""

    def get_required_permission(self):
        return 'netbox_proxbox.view_fastapiendpoint'

    def get(self, request):
        try:
            api = ProxboxApi.from_settings()
        except SyncProblem as problem:
            return sse_response(iter([f'retry: 10000\n\nevent: problem\ndata: {json.dumps(problem.as_event())}\n\n']))
        return sse_response(log_event_stream(api, last_event_id(request)))

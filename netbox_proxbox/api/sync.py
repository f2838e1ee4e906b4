"""
The REST API of Full Update (the contract `pxb` is built on):

    POST /api/plugins/proxbox/sync/                          start a sync or preview -> 202 {run, job}; 409 when busy
                                                             ({"scope": {"cluster", "node" | "vmid" | "families"}}:
                                                             a targeted sync)
    GET  /api/plugins/proxbox/sync-runs/{id}/events/         the run's events as text/event-stream (Last-Event-ID)
    POST /api/plugins/proxbox/sync-runs/{id}/cancel/         -> 202 {run}; 409 when it already finished
    POST /api/plugins/proxbox/endpoints/proxmox/{id}/test/   -> {ok, detail}
    GET  /api/plugins/proxbox/status/                        -> {netbox, worker, proxbox_api, endpoints}

Starting and cancelling need the `run_sync` action on sync runs (and a write-enabled token); the runs and
endpoints involved must be visible to the user (object permissions).
"""

from django.urls import reverse
from rest_framework import serializers, status
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from netbox.api.authentication import IsAuthenticatedOrLoginNotRequired
from users.models import Token

from ..choices import SyncTriggerChoices
from ..constants import RUN_SYNC_PERMISSION
from ..models import ProxmoxEndpoint, SyncRun
from ..models.plugin_settings import SYNC_FAMILIES
from ..sync.runs import SyncLocked, SyncRefused, start_sync
from ..sync.status import status_report
from .serializers import SyncRunSerializer

__all__ = (
    'CanRunSync',
    'EventStreamRenderer',
    'StatusView',
    'SyncRequestSerializer',
    'SyncScopeSerializer',
    'SyncView',
    'sync_answer',
)

RUN_SYNC = RUN_SYNC_PERMISSION


class CanRunSync(BasePermission):
    """The `run_sync` permission, with a write-enabled token for POSTs."""

    message = (
        'Starting or cancelling a sync needs the run_sync permission on sync runs (netbox_proxbox.run_sync_syncrun).'
    )

    def has_permission(self, request, view):
        if isinstance(request.auth, Token) and request.method not in SAFE_METHODS and not request.auth.write_enabled:
            return False
        return request.user.is_authenticated and request.user.has_perm(RUN_SYNC)


class EventStreamRenderer(BaseRenderer):
    """Lets clients ask for `Accept: text/event-stream` (the view streams the body itself)."""

    media_type = 'text/event-stream'
    format = 'event-stream'
    charset = 'utf-8'

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data if isinstance(data, (bytes, str)) else str(data)


class _EndpointRef(serializers.Field):
    """An endpoint by id (or, for convenience, by name)."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, (int, str)) or data == '':
            raise serializers.ValidationError('Give endpoint ids (or names).')
        return data


class SyncScopeSerializer(serializers.Serializer):
    """One cluster, or one node or one guest (VMID) of it, by its Proxmox names."""

    cluster = serializers.CharField(max_length=100)
    node = serializers.CharField(max_length=100, required=False, allow_null=True)
    vmid = serializers.IntegerField(min_value=1, max_value=999_999_999, required=False, allow_null=True)
    families = serializers.ListField(
        child=serializers.ChoiceField(choices=SYNC_FAMILIES),
        required=False,
        allow_null=True,
        allow_empty=False,
        help_text='Only these families of the cluster (a cluster scope), e.g. ["storage", "backups"]',
    )

    def validate(self, data):
        if data.get('node') is not None and data.get('vmid') is not None:
            raise serializers.ValidationError('A scope is a cluster, a node or a guest: give node or vmid, not both.')
        if data.get('families') and (data.get('node') is not None or data.get('vmid') is not None):
            raise serializers.ValidationError('families narrow a cluster scope only: leave out node and vmid.')
        if data.get('families'):
            data['families'] = [family for family in SYNC_FAMILIES if family in data['families']]
        return {name: value for name, value in data.items() if value is not None}


class SyncRequestSerializer(serializers.Serializer):
    endpoints = serializers.ListField(child=_EndpointRef(), required=False, allow_empty=False)
    dry_run = serializers.BooleanField(required=False, default=False)
    apply_run = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    trigger = serializers.ChoiceField(
        choices=(SyncTriggerChoices.API, SyncTriggerChoices.CLI), required=False, default=SyncTriggerChoices.API
    )
    scope = SyncScopeSerializer(required=False, allow_null=True)

    def validate_endpoints(self, refs):
        visible = ProxmoxEndpoint.objects.restrict(self.context['request'].user, 'view')
        found, missing = [], []
        for ref in refs:
            lookup = {'pk': int(ref)} if isinstance(ref, int) or str(ref).isdigit() else {'name': ref}
            endpoint = visible.filter(**lookup).first()
            (found if endpoint else missing).append(endpoint or ref)
        if missing:
            raise serializers.ValidationError(f'No such Proxmox endpoint (or not visible to you): {missing}')
        return found

    def validate_apply_run(self, value):
        if value is None:
            return None
        run = SyncRun.objects.restrict(self.context['request'].user, 'view').filter(pk=value).first()
        if run is None:
            raise serializers.ValidationError(f'No such sync run (or not visible to you): {value}')
        return run

    def validate(self, data):
        if data.get('apply_run') is not None and data.get('dry_run'):
            raise serializers.ValidationError({'dry_run': 'Applying a preview is not a dry run.'})
        if data.get('apply_run') is not None and data.get('scope'):
            raise serializers.ValidationError({'scope': "Applying a preview syncs the preview's own scope."})
        return data


def api_url(request, viewname, pk):
    return request.build_absolute_uri(reverse(viewname, kwargs={'pk': pk}))


def sync_answer(request, run, http_status=status.HTTP_202_ACCEPTED):
    """{run, job}: the run as the sync-runs endpoint serializes it, and its background job."""
    job = run.job
    body = {
        'run': SyncRunSerializer(run, context={'request': request}).data,
        'job': job and {'id': job.pk, 'url': api_url(request, 'core-api:job-detail', job.pk), 'status': job.status},
    }
    return Response(body, status=http_status)


def locked_answer(request, exc):
    run_url = api_url(request, 'plugins-api:netbox_proxbox-api:syncrun-detail', exc.run.pk)
    return Response(
        {'detail': str(exc), 'run': run_url, 'run_id': exc.run.pk, 'web_url': exc.run.get_absolute_url()},
        status=status.HTTP_409_CONFLICT,
    )


class SyncView(APIView):
    """Start a Full Update (or a preview, or the application of a preview) of some or all endpoints."""

    permission_classes = [CanRunSync]
    renderer_classes = [JSONRenderer]

    def get_view_name(self):
        return 'Proxbox sync'

    def post(self, request):
        serializer = SyncRequestSerializer(data=request.data, context={'request': request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            run = start_sync(
                request.user,
                endpoints=data.get('endpoints'),
                dry_run=data['dry_run'],
                apply_run=data.get('apply_run'),
                trigger=data['trigger'],
                scope=data.get('scope'),
            )
        except SyncLocked as exc:
            return locked_answer(request, exc)
        except SyncRefused as exc:
            return Response({'detail': str(exc)}, status=status.HTTP_400_BAD_REQUEST)
        return sync_answer(request, run)


class StatusView(APIView):
    """NetBox, the RQ worker, proxbox-api and each visible Proxmox endpoint: ok or not, and why."""

    permission_classes = [IsAuthenticatedOrLoginNotRequired]
    renderer_classes = [JSONRenderer]

    def get_view_name(self):
        return 'Proxbox status'

    def get(self, request):
        if not request.user.has_perm('netbox_proxbox.view_proxmoxendpoint'):
            return Response({'detail': 'Needs view permission on Proxmox endpoints.'}, status=status.HTTP_403_FORBIDDEN)
        endpoints = list(ProxmoxEndpoint.objects.restrict(request.user, 'view').filter(enabled=True))
        return Response(status_report(endpoints))

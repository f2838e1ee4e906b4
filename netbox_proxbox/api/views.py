from rest_framework import status
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from netbox.api.viewsets import NetBoxModelViewSet

from .. import filtersets
from ..models import (
    BackupRoutine,
    FastAPIEndpoint,
    NetBoxEndpoint,
    ProxboxPluginSettings,
    ProxmoxCluster,
    ProxmoxEndpoint,
    ProxmoxNode,
    ProxmoxStorage,
    Replication,
    SyncRun,
    VMBackup,
    VMSnapshot,
    VMTaskHistory,
)
from ..sync.runs import cancel_run
from ..sync.sse import last_event_id, run_event_stream, sse_response
from ..sync.status import test_endpoints
from . import serializers
from .sync import CanRunSync, EventStreamRenderer, sync_answer

__all__ = (
    'BackupRoutineViewSet',
    'FastAPIEndpointViewSet',
    'NetBoxEndpointViewSet',
    'ProxboxPluginSettingsViewSet',
    'ProxmoxClusterViewSet',
    'ProxmoxEndpointViewSet',
    'ProxmoxNodeViewSet',
    'ProxmoxStorageViewSet',
    'ReplicationViewSet',
    'SyncRunViewSet',
    'VMBackupViewSet',
    'VMSnapshotViewSet',
    'VMTaskHistoryViewSet',
)


class ProxmoxEndpointViewSet(NetBoxModelViewSet):
    queryset = ProxmoxEndpoint.objects.all()
    serializer_class = serializers.ProxmoxEndpointSerializer
    filterset_class = filtersets.ProxmoxEndpointFilterSet

    @action(detail=True, methods=['post'], permission_classes=[CanRunSync], renderer_classes=[JSONRenderer])
    def test(self, request, pk=None):
        """Can proxbox-api reach this endpoint and log in? {ok, detail}."""
        endpoint = ProxmoxEndpoint.objects.restrict(request.user, 'view').filter(pk=pk).first()
        if endpoint is None:
            return Response({'detail': 'No such Proxmox endpoint.'}, status=status.HTTP_404_NOT_FOUND)
        (result,) = test_endpoints([endpoint])
        return Response({'ok': result['ok'], 'detail': result['detail']})


class BackupRoutineViewSet(NetBoxModelViewSet):
    queryset = BackupRoutine.objects.all()
    serializer_class = serializers.BackupRoutineSerializer
    filterset_class = filtersets.BackupRoutineFilterSet


class ReplicationViewSet(NetBoxModelViewSet):
    queryset = Replication.objects.all()
    serializer_class = serializers.ReplicationSerializer
    filterset_class = filtersets.ReplicationFilterSet


class VMBackupViewSet(NetBoxModelViewSet):
    queryset = VMBackup.objects.all()
    serializer_class = serializers.VMBackupSerializer
    filterset_class = filtersets.VMBackupFilterSet


class VMSnapshotViewSet(NetBoxModelViewSet):
    queryset = VMSnapshot.objects.all()
    serializer_class = serializers.VMSnapshotSerializer
    filterset_class = filtersets.VMSnapshotFilterSet


class VMTaskHistoryViewSet(NetBoxModelViewSet):
    queryset = VMTaskHistory.objects.all()
    serializer_class = serializers.VMTaskHistorySerializer
    filterset_class = filtersets.VMTaskHistoryFilterSet


class SyncRunViewSet(NetBoxModelViewSet):
    """Sync runs are written by the sync: the API reads and deletes them, follows and cancels them."""

    queryset = SyncRun.objects.all()
    serializer_class = serializers.SyncRunSerializer
    filterset_class = filtersets.SyncRunFilterSet
    http_method_names = ['get', 'post', 'delete', 'head', 'options']

    def create(self, request, *args, **kwargs):
        return Response(
            {'detail': 'Runs are recorded by the sync: POST /api/plugins/proxbox/sync/ starts one.'},
            status=status.HTTP_405_METHOD_NOT_ALLOWED,
        )

    @action(detail=True, methods=['get'], renderer_classes=[JSONRenderer, EventStreamRenderer])
    def events(self, request, pk=None):
        """The run's events (id, event, data) as Server-Sent Events; resumable with Last-Event-ID."""
        run = self.get_object()
        return sse_response(run_event_stream(run, last_event_id(request)))

    @action(detail=True, methods=['post'], permission_classes=[CanRunSync], renderer_classes=[JSONRenderer])
    def cancel(self, request, pk=None):
        """Cancel an unfinished run: 202 {run, job}; 409 when it has already finished."""
        visible = SyncRun.objects.restrict(request.user, 'view').restrict(request.user, 'run_sync')
        run = visible.filter(pk=pk).first()
        if run is None:
            return Response({'detail': 'No such sync run.'}, status=status.HTTP_404_NOT_FOUND)
        if not cancel_run(run, request.user):
            run.refresh_from_db()
            return Response(
                {'detail': f'{run} has already finished ({run.get_status_display()}).'},
                status=status.HTTP_409_CONFLICT,
            )
        run.refresh_from_db()
        return sync_answer(request, run)


class NetBoxEndpointViewSet(NetBoxModelViewSet):
    queryset = NetBoxEndpoint.objects.all()
    serializer_class = serializers.NetBoxEndpointSerializer
    filterset_class = filtersets.NetBoxEndpointFilterSet


class FastAPIEndpointViewSet(NetBoxModelViewSet):
    queryset = FastAPIEndpoint.objects.all()
    serializer_class = serializers.FastAPIEndpointSerializer
    filterset_class = filtersets.FastAPIEndpointFilterSet


class ProxboxPluginSettingsViewSet(NetBoxModelViewSet):
    # The model has no default ordering (one row at most), and NetBox refuses to paginate an unordered list.
    queryset = ProxboxPluginSettings.objects.order_by('pk')
    serializer_class = serializers.ProxboxPluginSettingsSerializer
    filterset_class = filtersets.ProxboxPluginSettingsFilterSet


class ProxmoxClusterViewSet(NetBoxModelViewSet):
    queryset = ProxmoxCluster.objects.select_related('endpoint', 'cluster')
    serializer_class = serializers.ProxmoxClusterSerializer
    filterset_class = filtersets.ProxmoxClusterFilterSet


class ProxmoxNodeViewSet(NetBoxModelViewSet):
    queryset = ProxmoxNode.objects.select_related('cluster', 'device')
    serializer_class = serializers.ProxmoxNodeSerializer
    filterset_class = filtersets.ProxmoxNodeFilterSet


class ProxmoxStorageViewSet(NetBoxModelViewSet):
    queryset = ProxmoxStorage.objects.select_related('cluster').prefetch_related('nodes')
    serializer_class = serializers.ProxmoxStorageSerializer
    filterset_class = filtersets.ProxmoxStorageFilterSet

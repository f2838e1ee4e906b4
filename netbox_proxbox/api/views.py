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
from . import serializers

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
    """Sync runs are written by the sync: the API reads and deletes them only."""

    queryset = SyncRun.objects.all()
    serializer_class = serializers.SyncRunSerializer
    filterset_class = filtersets.SyncRunFilterSet
    http_method_names = ['get', 'delete', 'head', 'options']


class NetBoxEndpointViewSet(NetBoxModelViewSet):
    queryset = NetBoxEndpoint.objects.all()
    serializer_class = serializers.NetBoxEndpointSerializer
    filterset_class = filtersets.NetBoxEndpointFilterSet


class FastAPIEndpointViewSet(NetBoxModelViewSet):
    queryset = FastAPIEndpoint.objects.all()
    serializer_class = serializers.FastAPIEndpointSerializer
    filterset_class = filtersets.FastAPIEndpointFilterSet


class ProxboxPluginSettingsViewSet(NetBoxModelViewSet):
    queryset = ProxboxPluginSettings.objects.all()
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

from django.urls import path

from netbox.api.routers import NetBoxRouter

from . import apply, sync, views

app_name = 'netbox_proxbox'

router = NetBoxRouter()
router.register('endpoints/proxmox', views.ProxmoxEndpointViewSet)
router.register('endpoints/netbox', views.NetBoxEndpointViewSet)
router.register('endpoints/proxbox-api', views.FastAPIEndpointViewSet)
router.register('clusters', views.ProxmoxClusterViewSet)
router.register('nodes', views.ProxmoxNodeViewSet)
router.register('storage', views.ProxmoxStorageViewSet)
router.register('settings', views.ProxboxPluginSettingsViewSet)
router.register('backup-routines', views.BackupRoutineViewSet)
router.register('replications', views.ReplicationViewSet)
router.register('backups', views.VMBackupViewSet)
router.register('snapshots', views.VMSnapshotViewSet)
router.register('tasks', views.VMTaskHistoryViewSet)
router.register('sync-runs', views.SyncRunViewSet)

urlpatterns = [
    path('sync/', sync.SyncView.as_view(), name='sync'),
    path('status/', sync.StatusView.as_view(), name='status'),
    path('apply/', apply.ApplyView.as_view(), name='apply'),
    *router.urls,
]

from django.urls import include, path

from utilities.urls import get_model_urls

from . import views  # noqa: F401  (registers the model views)

app_name = 'netbox_proxbox'

urlpatterns = [
    path('endpoints/proxmox/', include(get_model_urls('netbox_proxbox', 'proxmoxendpoint', detail=False))),
    path('endpoints/proxmox/<int:pk>/', include(get_model_urls('netbox_proxbox', 'proxmoxendpoint'))),
    path('endpoints/netbox/', include(get_model_urls('netbox_proxbox', 'netboxendpoint', detail=False))),
    path('endpoints/netbox/<int:pk>/', include(get_model_urls('netbox_proxbox', 'netboxendpoint'))),
    path('endpoints/proxbox-api/', include(get_model_urls('netbox_proxbox', 'fastapiendpoint', detail=False))),
    path('endpoints/proxbox-api/<int:pk>/', include(get_model_urls('netbox_proxbox', 'fastapiendpoint'))),
    path('clusters/', include(get_model_urls('netbox_proxbox', 'proxmoxcluster', detail=False))),
    path('clusters/<int:pk>/', include(get_model_urls('netbox_proxbox', 'proxmoxcluster'))),
    path('nodes/', include(get_model_urls('netbox_proxbox', 'proxmoxnode', detail=False))),
    path('nodes/<int:pk>/', include(get_model_urls('netbox_proxbox', 'proxmoxnode'))),
    path('storage/', include(get_model_urls('netbox_proxbox', 'proxmoxstorage', detail=False))),
    path('storage/<int:pk>/', include(get_model_urls('netbox_proxbox', 'proxmoxstorage'))),
    path('settings/', include(get_model_urls('netbox_proxbox', 'proxboxpluginsettings', detail=False))),
    path('settings/<int:pk>/', include(get_model_urls('netbox_proxbox', 'proxboxpluginsettings'))),
    path('backup-routines/', include(get_model_urls('netbox_proxbox', 'backuproutine', detail=False))),
    path('backup-routines/<int:pk>/', include(get_model_urls('netbox_proxbox', 'backuproutine'))),
    path('replications/', include(get_model_urls('netbox_proxbox', 'replication', detail=False))),
    path('replications/<int:pk>/', include(get_model_urls('netbox_proxbox', 'replication'))),
    path('backups/', include(get_model_urls('netbox_proxbox', 'vmbackup', detail=False))),
    path('backups/<int:pk>/', include(get_model_urls('netbox_proxbox', 'vmbackup'))),
    path('snapshots/', include(get_model_urls('netbox_proxbox', 'vmsnapshot', detail=False))),
    path('snapshots/<int:pk>/', include(get_model_urls('netbox_proxbox', 'vmsnapshot'))),
    path('tasks/', include(get_model_urls('netbox_proxbox', 'vmtaskhistory', detail=False))),
    path('tasks/<int:pk>/', include(get_model_urls('netbox_proxbox', 'vmtaskhistory'))),
    path('sync-runs/', include(get_model_urls('netbox_proxbox', 'syncrun', detail=False))),
    path('sync-runs/<int:pk>/', include(get_model_urls('netbox_proxbox', 'syncrun'))),
    path('sync/start/', views.SyncStartView.as_view(), name='sync_start'),
    path('sync/now/', views.SyncNowView.as_view(), name='sync_now'),
    path('logs/', views.ServiceLogView.as_view(), name='service_log'),
    path('logs/stream/', views.ServiceLogStreamView.as_view(), name='service_log_stream'),
]

"""
Health of everything a sync needs, each with the reason when it is not ok: NetBox itself (it is
answering), an RQ worker on NetBox's queue, proxbox-api (reachable, and accepting our key), and
each Proxmox endpoint (reachable with its credentials, checked by proxbox-api).
"""

from django_rq import get_queue
from rq import Worker

from .client import ProxboxApi
from .payload import endpoint_spec
from .problems import SyncProblem

__all__ = ('proxbox_api_status', 'status_report', 'test_endpoints', 'worker_status')


def worker_status(queue_name=None):
    from ..jobs import sync_queue_name

    queue = get_queue(queue_name or sync_queue_name())
    try:
        workers = [worker for worker in Worker.all(connection=queue.connection) if queue.name in worker.queue_names()]
    except Exception as exc:  # Redis down
        return {'ok': False, 'detail': f'cannot read the RQ workers from Redis: {exc}'}
    if not workers:
        return {
            'ok': False,
            'detail': f'no RQ worker serves the "{queue.name}" queue: start one with `netbox rqworker`',
        }
    return {'ok': True, 'detail': f'{len(workers)} worker(s) on the "{queue.name}" queue'}


def proxbox_api_status(api=None):
    try:
        api = api or ProxboxApi.from_settings()
        version = api.health().get('version', '?')
        api.check_key()
    except SyncProblem as problem:
        return {'ok': False, 'detail': str(problem)}
    return {'ok': True, 'detail': f'proxbox-api {version} at {api.url}'}


def test_endpoints(endpoints, api=None):
    """[{name, ok, detail}] for each endpoint, as proxbox-api sees it."""
    if not endpoints:
        return []
    try:
        api = api or ProxboxApi.from_settings()
        results = api.test_endpoints([endpoint_spec(endpoint) for endpoint in endpoints])
    except SyncProblem as problem:
        return [{'name': e.name, 'ok': False, 'detail': f'not checked: {problem}'} for e in endpoints]
    return [{'name': r['name'], 'ok': bool(r['ok']), 'detail': r['detail']} for r in results]


def status_report(endpoints):
    """The whole picture, as `GET /api/plugins/proxbox/status/` answers it."""
    from django.conf import settings

    from .. import __version__
    from ..api.apply import capability

    try:
        api = ProxboxApi.from_settings()
    except SyncProblem as problem:
        api, api_status = None, {'ok': False, 'detail': str(problem)}
    else:
        api_status = proxbox_api_status(api)
    if api_status['ok']:
        endpoint_status = test_endpoints(endpoints, api)
    else:
        unchecked = 'not checked: proxbox-api is not usable'
        endpoint_status = [{'name': e.name, 'ok': False, 'detail': unchecked} for e in endpoints]
    return {
        'netbox': {'ok': True, 'detail': f'NetBox {settings.RELEASE.version}, Proxbox {__version__}'},
        'worker': worker_status(),
        'proxbox_api': api_status,
        'endpoints': endpoint_status,
        # What this plugin offers the sync: its in-NetBox apply (proxbox-api probes GET apply/ for it).
        'capabilities': {'apply': capability()},
    }

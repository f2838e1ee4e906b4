"""
Operating Full Update with real processes: a scheduled sync fires from NetBox's job scheduling;
each error a person can act on (Proxmox refuses the credentials, the NetBox token lacks
permissions, proxbox-api refuses the key or is unreachable) fails the run with what to fix;
the endpoint test and the status API say exactly what is wrong; the service log is bridged live.
"""

import time
from datetime import UTC, datetime, timedelta

import pytest

from .live import SMALL, login, start, wait_finished
from .stack import free_port

pytestmark = [pytest.mark.e2e]


def only(stack, path):
    response = stack.api('GET', path)
    assert response.status_code == 200, response.text
    (item,) = response.json()['results']
    return item


def errors_of(run):
    return [item['data'] for item in run['events'] if item['event'] == 'error']


def failed_run(stack):
    run = wait_finished(stack, start(stack, endpoints=[SMALL])['run']['id'])
    assert run['status']['value'] == 'failed', run
    assert run['events'][-1]['event'] == 'run_finished'
    return run


class TestSchedule:
    """A per-endpoint schedule set through the API is kept as a NetBox job and fires a Full Update."""

    def test_schedule_fires_and_reschedules(self, live_stack):
        endpoint = live_stack.info['endpoints'][SMALL]
        start_at = datetime.now(UTC) + timedelta(seconds=12)
        patch = {'sync_interval': 60, 'sync_start': start_at.isoformat()}
        response = live_stack.api('PATCH', f'/api/plugins/proxbox/endpoints/proxmox/{endpoint}/', json=patch)
        assert response.status_code == 200, response.text
        try:
            runs = self.wait_for_scheduled_run(live_stack, endpoint)
            run = wait_finished(live_stack, runs[0]['id'])
            assert run['status']['value'] == 'completed', run['error_summary']
            assert run['user'] is None and run['job']['url']
            jobs = live_stack.api('GET', '/api/core/jobs/', params={'name': 'Proxbox scheduled sync'}).json()['results']
            waiting = [job for job in jobs if job['status']['value'] == 'scheduled']
            assert len(waiting) == 1 and waiting[0]['interval'] == 60 and waiting[0]['object_id'] == endpoint
            next_run = datetime.fromisoformat(waiting[0]['scheduled'])
            assert timedelta(minutes=59) < next_run - start_at <= timedelta(minutes=61)
        finally:
            live_stack.api('PATCH', f'/api/plugins/proxbox/endpoints/proxmox/{endpoint}/', json={'sync_interval': None})
        time.sleep(2)  # the schedule is removed once the save commits
        params = {'name': 'Proxbox scheduled sync', 'status': 'scheduled'}
        assert live_stack.api('GET', '/api/core/jobs/', params=params).json()['count'] == 0

    @staticmethod
    def wait_for_scheduled_run(stack, endpoint, timeout=240):
        deadline = time.monotonic() + timeout
        params = {'trigger': 'schedule', 'proxmox_endpoint_id': endpoint}
        while time.monotonic() < deadline:
            runs = stack.api('GET', '/api/plugins/proxbox/sync-runs/', params=params).json()['results']
            if runs:
                return runs
            time.sleep(1)
        raise AssertionError(f'no scheduled run within {timeout} s:\n{stack.log("rqworker")}')


class TestUserFacingErrors:
    """Each problem a person can fix fails the run with a message and the fix, and nothing is written."""

    def test_proxmox_refuses_the_credentials(self, live_stack):
        sim = live_stack.sims['standalone']['endpoints'][0]
        user, token_name = sim['token_id'].split('!')
        body = {'name': 'wrong-secret', 'host': '127.0.0.1', 'port': sim['port'], 'username': user, 'verify_ssl': False}
        body.update(token_name=token_name, token_secret='not-the-secret', sync_interval=None)
        created = live_stack.api('POST', '/api/plugins/proxbox/endpoints/proxmox/', json=body)
        assert created.status_code == 201, created.text
        try:
            test = live_stack.api('POST', f'/api/plugins/proxbox/endpoints/proxmox/{created.json()["id"]}/test/')
            assert test.status_code == 200 and test.json()['ok'] is False
            assert 'refused the credentials' in test.json()['detail']
            run = wait_finished(live_stack, start(live_stack, endpoints=['wrong-secret'])['run']['id'])
            assert run['status']['value'] == 'failed'
            (error,) = errors_of(run)
            assert error['kind'] == 'ProxmoxAuthError' and 'credentials' in error['fix']
            assert 'not-the-secret' not in str(run)
        finally:
            live_stack.api('DELETE', f'/api/plugins/proxbox/endpoints/proxmox/{created.json()["id"]}/')
        small = live_stack.info['endpoints'][SMALL]
        ok = live_stack.api('POST', f'/api/plugins/proxbox/endpoints/proxmox/{small}/test/')
        assert ok.json()['ok'] is True and 'Proxmox VE' in ok.json()['detail']

    def test_netbox_token_without_permissions(self, live_stack):
        netbox = only(live_stack, '/api/plugins/proxbox/endpoints/netbox/')
        path = f'/api/plugins/proxbox/endpoints/netbox/{netbox["id"]}/'
        live_stack.api('PATCH', path, json={'token': live_stack.info['tokens']['nobody']})
        try:
            run = failed_run(live_stack)
        finally:
            live_stack.api('PATCH', path, json={'token': live_stack.info['tokens']['sync']})
        error = errors_of(run)[0]
        assert error['kind'] == 'NetBoxPermissionError' and 'permission' in error['fix']

    def test_proxbox_api_rejects_the_key(self, live_stack):
        api = only(live_stack, '/api/plugins/proxbox/endpoints/proxbox-api/')
        path = f'/api/plugins/proxbox/endpoints/proxbox-api/{api["id"]}/'
        live_stack.api('PATCH', path, json={'api_key': 'a-wrong-key-0123456789'})
        try:
            run = failed_run(live_stack)
            status = live_stack.api('GET', '/api/plugins/proxbox/status/').json()
        finally:
            from .stack import API_KEY

            live_stack.api('PATCH', path, json={'api_key': API_KEY})
        (error,) = errors_of(run)
        assert error['kind'] == 'ProxboxApiKeyRejected' and 'PROXBOX_API_API_KEY' in error['fix']
        assert status['proxbox_api']['ok'] is False and 'rejected the API key' in status['proxbox_api']['detail']
        assert 'a-wrong-key' not in str(run)

    def test_proxbox_api_unreachable(self, live_stack):
        api = only(live_stack, '/api/plugins/proxbox/endpoints/proxbox-api/')
        path = f'/api/plugins/proxbox/endpoints/proxbox-api/{api["id"]}/'
        live_stack.api('PATCH', path, json={'url': f'http://127.0.0.1:{free_port()}/'})
        try:
            run = failed_run(live_stack)
            status = live_stack.api('GET', '/api/plugins/proxbox/status/').json()
        finally:
            live_stack.api('PATCH', path, json={'url': live_stack.api_url})
        (error,) = errors_of(run)
        assert error['kind'] == 'ProxboxApiUnreachable' and 'Start proxbox-api' in error['fix']
        assert status['proxbox_api']['ok'] is False and 'unreachable' in status['proxbox_api']['detail']


class TestStatusAndLog:
    """The status API reports every piece with a reason; the service log reaches NetBox users live."""

    def test_status_all_ok(self, live_stack):
        status = live_stack.api('GET', '/api/plugins/proxbox/status/').json()
        assert status['netbox']['ok'] and status['worker']['ok'] and status['proxbox_api']['ok'], status
        assert {item['name']: item['ok'] for item in status['endpoints']} == {'alpha': True, SMALL: True}
        denied = live_stack.api('GET', '/api/plugins/proxbox/status/', live_stack.info['tokens']['nobody'])
        assert denied.status_code == 403

    def test_service_log_is_bridged(self, live_stack):
        session = login(live_stack, 'admin')
        assert session.get('/plugins/proxbox/logs/').status_code == 200
        lines = []
        headers = {'Accept': 'text/event-stream'}
        with session.stream('GET', '/plugins/proxbox/logs/stream/', headers=headers) as response:
            assert response.status_code == 200
            for line in response.iter_lines():
                if line.startswith('data:'):
                    lines.append(line)
                if any('ready' in item for item in lines):
                    break
        assert any('proxbox-api' in item and 'ready' in item for item in lines)
        assert login(live_stack, 'nobody').get('/plugins/proxbox/logs/').status_code == 403

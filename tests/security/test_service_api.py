"""
proxbox-api lets nobody in without its key: every route of the app (read from the app itself, so
a new one is covered) answers 401 without the X-API-Key header or with a wrong one, the OpenAPI
document and the interactive docs included, and its log WebSocket closes. `/health` is the one
route without a key (for liveness probes) and says nothing but that it is up and its version; the
docs are open only with `development` on. Error bodies (401, 422, 500) never echo a secret of the
request, nor a traceback; with `debug_errors` a 500 names the exception, still without secrets.
Log lines of a failed request hold no secret either.
"""

import logging
import secrets

import pytest
from fastapi.routing import APIRoute, APIWebSocketRoute
from fastapi.testclient import TestClient
from starlette.routing import Route
from starlette.websockets import WebSocketDisconnect

from proxbox_api.api import create_app, routes
from proxbox_api.settings import ServiceSettings

KEY = f'svc-key-{secrets.token_hex(16)}'
TOKEN_SECRET = f'pve-tok-{secrets.token_hex(16)}'
PASSWORD = f'pve-pw-{secrets.token_hex(16)}'
NETBOX_TOKEN = f'nbt_{secrets.token_hex(6)}.{secrets.token_hex(20)}'
SECRETS = (KEY, TOKEN_SECRET, PASSWORD, NETBOX_TOKEN)

# The one route a caller needs no key for, and why.
PUBLIC = {'/health': 'liveness probes (Docker HEALTHCHECK, the demo) carry no secret'}
DOCS = {'/docs', '/docs/oauth2-redirect', '/redoc', '/openapi.json'}
WRONG_KEYS = ({}, {'X-API-Key': ''}, {'X-API-Key': 'wrong-key-0123456789abcdef'}, {'X-API-Key': KEY[:-1]})


def sync_body(**overrides):
    body = {
        'netbox': {'url': 'http://127.0.0.1:9/', 'token': NETBOX_TOKEN},
        'endpoints': [
            {'name': 'a', 'host': '127.0.0.1', 'port': 9, 'token_id': 'root@pam!sync', 'token_secret': TOKEN_SECRET},
            {'name': 'b', 'host': '127.0.0.1', 'port': 9, 'username': 'root@pam', 'password': PASSWORD},
        ],
    }
    return {**body, **overrides}


def client(**settings):
    return TestClient(create_app(ServiceSettings(api_key=KEY, **settings)), raise_server_exceptions=False)


def all_routes(routes, prefix=''):
    """(path, route) of every route, through included routers (FastAPI wraps each include)."""
    for route in routes:
        included = getattr(route, 'original_router', None)
        if included is not None:
            yield from all_routes(included.routes, prefix + route.include_context.prefix)
        else:
            yield prefix + route.path, route


def http_routes(app):
    for path, route in all_routes(app.routes):
        if isinstance(route, APIRoute | Route):
            for method in sorted(route.methods - {'HEAD'}):
                yield method, path


def websocket_routes(app):
    return [path for path, route in all_routes(app.routes) if isinstance(route, APIWebSocketRoute)]


def assert_clean(text):
    for value in SECRETS:
        assert value not in text
    assert 'Traceback' not in text
    assert 'File "' not in text


@pytest.mark.parametrize('development', [False, True])
def test_every_route_needs_the_key(development):
    with client(development=development) as api:
        found = list(http_routes(api.app))
        assert ('POST', '/v1/sync') in found and ('GET', '/metrics') in found
        checked = 0
        for method, path in found:
            if path in PUBLIC or (development and path in DOCS):
                continue
            for headers in WRONG_KEYS:
                response = api.request(method, path, headers=headers, json=sync_body())
                assert response.status_code == 401, (method, path, headers, response.text)
                assert_clean(response.text)
                checked += 1
        assert checked >= 4 * len(WRONG_KEYS)


def test_the_key_opens_them():
    with client() as api:
        assert api.get('/metrics', headers={'X-API-Key': KEY}).status_code == 200
        document = api.get('/openapi.json', headers={'X-API-Key': KEY})
        assert document.status_code == 200 and '/v1/sync' in document.json()['paths']


def test_docs_exist_only_in_development():
    with client() as api:
        for path in ('/docs', '/redoc'):
            assert api.get(path).status_code == 404
            assert api.get(path, headers={'X-API-Key': KEY}).status_code == 404
        assert api.get('/openapi.json').status_code == 401
    with client(development=True) as api:
        for path in ('/docs', '/redoc', '/openapi.json'):
            assert api.get(path).status_code == 200, path


def test_public_health_says_only_that_it_is_up():
    with client() as api:
        assert set(PUBLIC) == {path for _, path in http_routes(api.app) if path in PUBLIC}
        body = api.get('/health').json()
        assert set(body) == {'status', 'version'}


def test_every_websocket_needs_the_key():
    with client() as api:
        sockets = websocket_routes(api.app)
        assert sockets == ['/v1/logs/ws']
        for path in sockets:
            for headers in WRONG_KEYS:
                with pytest.raises(WebSocketDisconnect) as refused, api.websocket_connect(path, headers=headers):
                    pass
                assert refused.value.code == 1008
            with api.websocket_connect(path, headers={'X-API-Key': KEY}) as socket:
                assert socket.receive_json()['seq'] >= 1


@pytest.mark.parametrize(
    'body',
    [
        sync_body(dry_run='not-a-bool'),
        sync_body(netbox={'url': 'http://127.0.0.1:9/', 'token': 7, 'extra': NETBOX_TOKEN}),
        sync_body(endpoints=[{'name': 'a', 'host': 'h', 'token_id': TOKEN_SECRET, 'password': PASSWORD}]),
        sync_body(
            endpoints=[{'name': 'a', 'host': 'h', 'token_id': 'x@pam!y', 'token_secret': TOKEN_SECRET, 'port': 0}]
        ),
        sync_body(options={'field_ownership': {PASSWORD: 'netbox'}}),
    ],
)
def test_validation_errors_echo_nothing(body):
    with client(debug_errors=True) as api:
        for path in ('/v1/sync', '/v1/sync/stream'):
            response = api.post(path, headers={'X-API-Key': KEY}, json=body)
            assert response.status_code == 422, response.text
            assert_clean(response.text)
            assert all(set(error) == {'loc', 'msg', 'type'} for error in response.json()['detail'])
        raw = api.post('/v1/sync', headers={'X-API-Key': KEY, 'Content-Type': 'application/json'}, content=PASSWORD)
        assert raw.status_code == 422 and PASSWORD not in raw.text


@pytest.fixture
def exploding_sync(monkeypatch):
    async def explode(request, sink, **kwargs):
        raise RuntimeError(f'boom with {request.netbox.token.get_secret_value()} and {TOKEN_SECRET} and {KEY}')

    monkeypatch.setattr(routes, 'run_sync', explode)


@pytest.mark.parametrize('debug', [False, True])
def test_internal_errors_reveal_no_secret_nor_traceback(exploding_sync, caplog, debug):
    caplog.set_level(logging.DEBUG)
    with client(debug_errors=debug) as api:
        response = api.post('/v1/sync', headers={'X-API-Key': KEY}, json=sync_body())
        assert response.status_code == 500
        assert_clean(response.text)
        assert ('RuntimeError: boom with ********' in response.json()['detail']) is debug
        stream = api.post('/v1/sync/stream', headers={'X-API-Key': KEY}, json=sync_body())
        assert stream.status_code == 200
        assert_clean(stream.text)
        assert 'internal error in proxbox-api' in stream.text
        kept = api.app.state.logs.since(0)
    logged = '\n'.join(caplog.text.splitlines() + [line['message'] for line in kept])
    assert 'boom with ********' in logged  # the failure is logged, with its traceback, but scrubbed
    for value in SECRETS:
        assert value not in logged


def test_log_buffer_keeps_no_websocket_frame_traces(caplog):
    """uvicorn traces each WebSocket frame at DEBUG: kept, every line sent to a follower would log another."""
    for name in ('proxbox_api', 'uvicorn.error'):
        caplog.set_level(logging.DEBUG, logger=name)
    with client(log_level='debug') as api:
        buffer = api.app.state.logs
        before = buffer.seq
        logging.getLogger('uvicorn.error').debug('> TEXT %s', '{"seq": 1}')
        logging.getLogger('proxbox_api').debug('kept at %s', 'debug')
        assert [line['message'] for line in buffer.since(before)] == ['kept at debug']

"""NetBox's WSGI application with every request to one path profiled (``bench/profile_apply.py``).

Each gunicorn worker keeps one ``cProfile.Profile`` across the requests whose path starts with
``PROXBOX_PROFILE_PATH`` and writes it to ``PROXBOX_PROFILE_DIR/<pid>.pstats`` after each of them,
so the stats survive however the worker ends. It also counts those requests' SQL queries by where
they were made from (the innermost frame outside Django and psycopg, with its caller, the library
calls in between and the table), in
``<pid>.queries.json``.
"""

import cProfile
import json
import os
import re
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.db import connection

from netbox.wsgi import application as _netbox

__all__ = ['application']

_PATH = os.environ.get('PROXBOX_PROFILE_PATH', '/api/plugins/proxbox/apply/')
_DIR = Path(os.environ['PROXBOX_PROFILE_DIR'])
_profiler: cProfile.Profile | None = None
_queries: Counter[str] = Counter()
_TABLE = re.compile(r'(?:FROM|INTO|UPDATE) "(\w+)"')
_LIBRARIES = ('/django/', '/psycopg/', 'profiled_wsgi', '/django_prometheus/', '/contextlib.py')


def _origin() -> str:
    frame = sys._getframe(2)
    inside: list[str] = []  # the library calls it went through, innermost first
    while frame is not None and any(part in frame.f_code.co_filename for part in _LIBRARIES):
        inside.append(frame.f_code.co_name)
        frame = frame.f_back
    if frame is None:
        return '?'
    caller = frame.f_back
    here = f'{_short(frame.f_code.co_filename)}:{frame.f_lineno} {frame.f_code.co_name}'
    via = '>'.join(name for name in reversed(inside[-3:]) if not name.startswith('_'))
    where = f'{here} <- {_short(caller.f_code.co_filename)}:{caller.f_code.co_name}' if caller else here
    return f'{where} [{via}]'


def _short(filename: str) -> str:
    return filename.split('site-packages/')[-1].split('/work/main/')[-1]


def _count(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
    table = _TABLE.search(sql)
    _queries[f'{_origin()} {table.group(1) if table else ""}'] += 1
    return execute(sql, params, many, context)


def application(environ: dict[str, Any], start_response: Any) -> Any:
    global _profiler
    if not environ.get('PATH_INFO', '').startswith(_PATH) or environ.get('REQUEST_METHOD') != 'POST':
        return _netbox(environ, start_response)
    if _profiler is None:
        _profiler = cProfile.Profile()
    _profiler.enable()
    try:
        with connection.execute_wrapper(_count):
            return list(_netbox(environ, start_response))
    finally:
        _profiler.disable()
        _profiler.dump_stats(_DIR / f'{os.getpid()}.pstats')
        (_DIR / f'{os.getpid()}.queries.json').write_text(json.dumps(_queries))

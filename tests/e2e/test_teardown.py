"""
LiveStack's teardown leaves no process behind, not even one that left its process group (RQ's
work horse runs in a group of its own, so killing the worker's group alone would orphan a running sync).
"""

import sys
import time
from pathlib import Path

from tests.fullupdate.stack import LiveStack, alive, descendants

CHILD = 'import time; time.sleep(300)'
PARENT = (
    'import subprocess, sys, time\n'
    f'child = subprocess.Popen([sys.executable, "-c", {CHILD!r}], start_new_session=True)\n'
    'print(child.pid, flush=True)\n'
    'time.sleep(300)\n'
)


def test_stop_kills_a_descendant_in_its_own_group(tmp_path: Path) -> None:
    stack = LiveStack(tmp_path, {}, name='teardown')
    stack._spawn('parent', [sys.executable, '-c', PARENT])
    deadline = time.monotonic() + 30
    while not stack.log('parent').strip() and time.monotonic() < deadline:
        time.sleep(0.1)
    child = int(stack.log('parent').split()[0])
    started = descendants([stack.processes['parent'].pid])[child]
    try:
        assert alive(child, started)
    finally:
        stack.stop()
    assert child in stack.strays
    assert not alive(child, started)
    assert stack.processes['parent'].poll() is not None

"""
Whether a sync run is still alive, so a crashed worker never holds an endpoint forever.

- A running run is alive while its job refreshes a heartbeat key in Redis (every
  HEARTBEAT_EVERY seconds, expiring after HEARTBEAT_TTL). A killed worker stops refreshing it.
- A pending run is alive while its RQ job waits in the queue (queued, scheduled or deferred),
  and for PENDING_GRACE seconds after it was created (the enqueue happens on commit).

`Heartbeat` is the job's side: a thread that refreshes the key and watches for a cancel request.
"""

import logging
import threading
from datetime import timedelta

from django.utils import timezone
from rq.exceptions import NoSuchJobError
from rq.job import Job as RQJob
from rq.job import JobStatus

from ..choices import SyncStatusChoices
from .streams import RunKeys, redis

__all__ = ('HEARTBEAT_EVERY', 'HEARTBEAT_TTL', 'Heartbeat', 'is_alive', 'request_cancel')

HEARTBEAT_EVERY = 5
HEARTBEAT_TTL = 30
PENDING_GRACE = timedelta(seconds=60)
_WAITING = {JobStatus.QUEUED, JobStatus.SCHEDULED, JobStatus.DEFERRED}

logger = logging.getLogger('netbox_proxbox.sync')


def is_alive(run, now=None):
    """Is this unfinished run still being worked on (or waiting for a worker)?"""
    if run.status == SyncStatusChoices.RUNNING:
        return bool(redis().exists(RunKeys(run.pk).heartbeat))
    if run.status == SyncStatusChoices.PENDING:
        now = now or timezone.now()
        if run.created and now - run.created < PENDING_GRACE:
            return True
        return _rq_job_waiting(run)
    return False


def _rq_job_waiting(run):
    if run.job is None:
        return False
    try:
        status = RQJob.fetch(str(run.job.job_id), connection=redis()).get_status(refresh=False)
    except NoSuchJobError:
        return False
    return status in _WAITING


def request_cancel(run, user=None):
    """Ask the job running `run` to stop; it sees the flag within a second."""
    redis().set(RunKeys(run.pk).cancel, user.username if user is not None else '', ex=24 * 3600)


class Heartbeat:
    """
    While the job works: refresh the run's heartbeat, and call `on_cancel` once when someone asks
    to cancel the run. Used as a context manager around the job's work.
    """

    def __init__(self, run_id, on_cancel=None, conn=None):
        self.keys = RunKeys(run_id)
        self.conn = conn or redis()
        self.on_cancel = on_cancel
        self.cancelled = threading.Event()
        self.cancelled_by = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name=f'proxbox-heartbeat-{run_id}', daemon=True)

    def __enter__(self):
        self.beat()
        self._thread.start()
        return self

    def __exit__(self, *exc_info):
        self._stop.set()
        self._thread.join(timeout=HEARTBEAT_EVERY + 1)
        self.conn.delete(self.keys.heartbeat)

    def beat(self):
        self.conn.set(self.keys.heartbeat, '1', ex=HEARTBEAT_TTL)

    def cancel_requested(self):
        """Who asked to cancel ('' when not known), or None."""
        value = self.conn.get(self.keys.cancel)
        return None if value is None else value.decode()

    def _loop(self):
        ticks = 0
        while not self._stop.wait(1):
            ticks += 1
            try:
                if ticks % HEARTBEAT_EVERY == 0:
                    self.beat()
                if not self.cancelled.is_set() and (who := self.cancel_requested()) is not None:
                    self.cancelled_by = who
                    self.cancelled.set()
                    if self.on_cancel is not None:
                        self.on_cancel()
            except Exception:  # Redis hiccup: the next tick tries again
                logger.exception('heartbeat of sync run %s failed', self.keys.prefix)

"""
Background jobs (NetBox JobRunners on NetBox's RQ queue).

- `ProxboxSyncJob` runs one recorded SyncRun: it calls proxbox-api's sync stream with the
  endpoints and the NetBox token and relays every event (Redis stream + the SyncRun), until the
  run ends, fails or is cancelled. Attached to the SyncRun, so the job page links to the run.
- `ProxboxScheduledSyncJob` is an endpoint's recurring Full Update (see `sync.schedule`): each
  time it fires it records a run (unless the endpoint is busy) and relays it the same way.
"""

from django.conf import settings
from django.db import transaction
from rq.timeouts import JobTimeoutException

from core.exceptions import JobFailed
from netbox.config import get_config
from netbox.constants import RQ_QUEUE_HIGH
from netbox.jobs import JobRunner

from .choices import SyncStatusChoices, SyncTriggerChoices
from .sync import continuous
from .sync.client import ProxboxApi
from .sync.liveness import Heartbeat
from .sync.payload import build_sync_request
from .sync.problems import SyncProblem
from .sync.recorder import RunRecorder
from .sync.runs import SyncRefused, create_run

__all__ = ('ProxboxJobRunner', 'ProxboxScheduledSyncJob', 'ProxboxSyncJob', 'sync_queue_name')

# Logged to the job's log as they happen (progress events would only be noise there).
_LOGGED_EVENTS = ('run_started', 'stage_finished', 'warning', 'error')


def sync_queue_name():
    """
    NetBox's "high" queue, unless QUEUE_MAPPINGS names another for `syncrun`: someone is watching a
    Full Update, and NetBox queues one search-index job per changed object on "default", so a sync
    there would wait behind the previous sync's hundreds of them.
    """
    return get_config().QUEUE_MAPPINGS.get('syncrun', RQ_QUEUE_HIGH)


class ProxboxJobRunner(JobRunner):
    """
    The plugin's shared job policy: RQ kills a job after the plugin setting `sync_job_timeout`;
    jobs go to `sync_queue_name()`.
    """

    class Meta:
        name = 'Proxbox job'

    @classmethod
    def enqueue(cls, *args, **kwargs):
        if not kwargs.get('immediate'):
            kwargs.setdefault('job_timeout', settings.PLUGINS_CONFIG['netbox_proxbox']['sync_job_timeout'])
        kwargs.setdefault('queue_name', sync_queue_name())
        return super().enqueue(*args, **kwargs)

    @staticmethod
    def timeout():
        return settings.PLUGINS_CONFIG['netbox_proxbox']['sync_job_timeout']


class ProxboxSyncJob(ProxboxJobRunner):
    class Meta:
        name = 'Proxbox sync'

    def run(self, run_id, **kwargs):
        # The heartbeat beats before the run is marked running: a running run without one is dead.
        with Heartbeat(run_id) as beat:
            self.relay(self.claim(run_id), beat)

    def claim(self, run_id):
        """The run to work on; a run that was cancelled (or deleted) while waiting is not run."""
        from .models import SyncRun

        with transaction.atomic():
            run = SyncRun.objects.select_for_update().filter(pk=run_id).first()
            if run is None:
                self.logger.error(f'Sync run #{run_id} no longer exists.')
                raise JobFailed()
            if run.status != SyncStatusChoices.PENDING:
                self.logger.warning(f'{run} is {run.get_status_display().lower()}; nothing to do.')
                raise JobFailed()
            RunRecorder(run).start(job=self.job)
        return run

    def relay(self, run, beat):
        """Call proxbox-api and relay the run's events until it ends; the run is always closed."""
        recorder = RunRecorder(run)
        names = ', '.join(endpoint.name for endpoint in run.endpoints.all())
        self.logger.info(f'{run} of {names} started.')
        cancelled, note = False, None
        try:
            self.stream(run, recorder, beat)
            cancelled = beat.cancelled.is_set()
            note = f'Cancelled by {beat.cancelled_by or "a user"}.' if cancelled else None
        except SyncProblem as problem:
            self.logger.error(str(problem))
            recorder.problem(problem)
            note = ''  # explained by the problem itself
        except JobTimeoutException:
            note = f'The sync took longer than sync_job_timeout ({self.timeout()} s) and was stopped.'
            raise
        except Exception as exc:
            note = f'The sync job failed: {type(exc).__name__}: {exc}'
            raise
        finally:
            if recorder.finished is None and note is None and not cancelled:  # the stream just stopped
                note = 'proxbox-api ended the event stream before the run finished.'
            status = recorder.finish(cancelled=cancelled, note=note)
            self.logger.info(f'{run}: {status}.')
        if status in (SyncStatusChoices.FAILED, SyncStatusChoices.CANCELLED):
            raise JobFailed()

    def stream(self, run, recorder, beat):
        endpoints = list(run.endpoints.all())
        payload = build_sync_request(run, endpoints)
        client, stream = ProxboxApi.from_settings().open_sync_stream(payload)
        try:
            beat.on_cancel = stream.abort
            if beat.cancelled.is_set():
                stream.abort()
            for event in stream:
                relayed = recorder.relay(event)
                if relayed is not None and relayed.event in _LOGGED_EVENTS:
                    self.log_event(relayed)
        finally:
            client.close()

    def log_event(self, event):
        data = event.data
        if event.event == 'stage_finished':
            self.logger.info(f'Stage {data.get("stage")} finished in {data.get("duration")} s.')
        elif event.event == 'run_started':
            self.logger.info(f'proxbox-api started run {data.get("run_id")}.')
        elif event.event == 'warning':
            self.logger.warning(data.get('message', ''))
        else:
            fix = f' Fix: {data["fix"]}' if data.get('fix') else ''
            self.logger.error(f'{data.get("message", "")}{fix}')


class ProxboxScheduledSyncJob(ProxboxSyncJob):
    """An endpoint's recurring Full Update; its Job is attached to the endpoint."""

    class Meta:
        name = 'Proxbox scheduled sync'

    def run(self, **kwargs):
        endpoint = self.job.object
        if endpoint is None or not endpoint.enabled or endpoint.sync_interval != self.job.interval:
            self.logger.info('The endpoint is gone, disabled or rescheduled: this schedule ends here.')
            self.job.interval = None  # NetBox reschedules only jobs with an interval
            return
        if endpoint.continuous_interval or endpoint.follow_notifications:
            continuous.arm(endpoint)  # in case its chain of polls was lost (Redis flushed)
        try:
            run = create_run(None, [endpoint], trigger=SyncTriggerChoices.SCHEDULE, job=self.job)
        except SyncRefused as exc:  # busy (SyncLocked) or nothing to sync: the next occurrence stays
            self.logger.warning(f'Skipped: {exc}')
            return
        with Heartbeat(run.pk) as beat:
            RunRecorder(run).start(job=self.job)
            self.relay(run, beat)

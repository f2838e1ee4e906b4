"""
The job's side of a run's events: number them, add the fix to errors a person can act on, relay
them to the run's Redis stream, and keep the SyncRun up to date (stage durations, counts, errors,
the plan of a preview, a copy of every event).

Every run's events end with exactly one `run_finished`: the one proxbox-api sent, or one made
here when the run failed before or outside proxbox-api, was cancelled, or the stream broke off.
SyncRun rows are written with `update()`: machine bookkeeping stays out of the change log.
"""

from django.utils import timezone

from ..choices import SyncStatusChoices
from .problems import fix_for_error
from .streams import RunEvent, RunStream

__all__ = ('RunRecorder', 'run_counts')

# Plan actions as past-tense counts, as the run page and the API show them.
_PLANNED = {
    'create': 'created',
    'update': 'updated',
    'delete': 'deleted',
    'mark': 'marked',
    'keep': 'kept',
    'conflict': 'conflict',
    'skip': 'skipped',
    'unchanged': 'unchanged',
}
# Counted from the plan even when the run applies it: nothing is written for them.
_PLAN_ONLY = {'unchanged', 'conflict', 'kept', 'skipped'}
_STATUSES = {SyncStatusChoices.COMPLETED, SyncStatusChoices.PARTIAL, SyncStatusChoices.FAILED}


def run_counts(finished, dry_run):
    """Per object type: what a preview would do, or what an applied run did (`run_finished` data)."""
    counts = {}
    for kind, actions in (finished.get('summary') or {}).items():
        bucket = counts.setdefault(kind, {})
        for action, number in actions.items():
            name = _PLANNED.get(action, action)
            if dry_run or name in _PLAN_ONLY:
                bucket[name] = number
    if not dry_run:
        for kind, outcome in (finished.get('counts') or {}).items():
            counts.setdefault(kind, {}).update(outcome)
    return dict(sorted(counts.items()))


class RunRecorder:
    def __init__(self, run, stream=None):
        self.run = run
        self.stream = stream or RunStream(run.pk)
        self.events = [dict(item) for item in run.events or []]
        self.next_id = max((item['id'] for item in self.events), default=0) + 1
        self.stage_durations = dict(run.stage_durations or {})
        self.errors = []
        self.finished = None
        self.plan = None

    # -- events ---------------------------------------------------------------------------------
    def emit(self, name, data):
        event = RunEvent(self.next_id, name, data)
        self.next_id += 1
        self.events.append(event.to_json())
        self.stream.append(event)
        if name == 'error':
            self.errors.append(data)
        elif name == 'stage_finished' and data.get('stage'):
            self.stage_durations[data['stage']] = data.get('duration')
            self.save(events=self.events, stage_durations=self.stage_durations)
        elif name == 'run_finished':
            self.finished = data
        return event

    def relay(self, event):
        """One event from proxbox-api. The plan of a preview is kept on the run, not streamed."""
        data = dict(event.data)
        if event.event == 'plan':
            self.plan = data
            return None
        if event.event == 'run_finished' and isinstance(data.get('plan'), dict):
            self.plan = {**data.pop('plan'), 'digest': data.get('plan_digest')}
        if event.event == 'error' and not data.get('fix'):
            fix = fix_for_error(data.get('kind'), data.get('message'))
            if fix:
                data['fix'] = fix
        if self.finished is not None:
            return None  # nothing counts after the end
        if event.event == 'run_finished':
            data['by_type'] = run_counts(data, self.run.dry_run)
        return self.emit(event.event, data)

    def problem(self, problem):
        """A failure outside proxbox-api's run (it was unreachable, refused the key, ...)."""
        return self.emit('error', problem.as_event())

    # -- SyncRun --------------------------------------------------------------------------------
    def save(self, **fields):
        type(self.run).objects.filter(pk=self.run.pk).update(**fields)
        for name, value in fields.items():
            setattr(self.run, name, value)

    def start(self, job=None):
        fields = {'status': SyncStatusChoices.RUNNING, 'started': timezone.now()}
        if job is not None:
            fields['job'] = job
        self.save(**fields)

    def finish(self, cancelled=False, note=None):
        """End the run: close the event stream with `run_finished` and store the outcome."""
        if self.finished is None:
            status = SyncStatusChoices.CANCELLED if cancelled else SyncStatusChoices.FAILED
            if note:
                self.emit('error', {'message': note, 'kind': 'RunEnded'} if not cancelled else {'message': note})
            self.emit('run_finished', self._synthetic_finish(status))
        status = self._final_status(cancelled)
        fields = {
            'status': status,
            'finished': timezone.now(),
            'counts': run_counts(self.finished, self.run.dry_run),
            'stage_durations': self.stage_durations or self.finished.get('stages') or {},
            'error_summary': self.error_summary(),
            'events': self.events,
        }
        if self.plan is not None:
            fields['plan'] = {**self.plan, 'digest': self.plan.get('digest') or self.finished.get('plan_digest')}
        self.save(**fields)
        return status

    def _synthetic_finish(self, status):
        return {
            'status': status,
            'dry_run': self.run.dry_run,
            'summary': {},
            'counts': {},
            'writes': 0,
            'failures': [],
            'errors': [error.get('message', '') for error in self.errors],
            'warnings': [],
            'stages': self.stage_durations,
            'by_type': {},
        }

    def _final_status(self, cancelled):
        if cancelled:
            return SyncStatusChoices.CANCELLED
        status = self.finished.get('status')
        return status if status in _STATUSES else SyncStatusChoices.FAILED

    def error_summary(self):
        lines = []
        for error in self.errors:
            line = error.get('message', '')
            if error.get('fix'):
                line += f'\n  Fix: {error["fix"]}'
            lines.append(line)
        failures = (self.finished or {}).get('failures') or []
        for failure in failures[:20]:
            lines.append(f'{failure.get("action")} {failure.get("kind")} {failure.get("key")}: {failure.get("error")}')
        if len(failures) > 20:
            lines.append(f'... and {len(failures) - 20} more failed objects')
        return '\n'.join(lines)

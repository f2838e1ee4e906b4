"""How a followed sync is shown: Rich progress bars, plain log lines, or JSON lines.

A reporter receives the run's events as they stream and the finished run at the end. Progress
and messages go to stderr; the summary (or, with ``--json``, every event and the summary) to stdout.
"""

from typing import Any, Protocol

from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn

from .models import RunEvent, SyncRun, SyncStarted
from .output import Output
from .render import plan_view, run_summary

__all__ = ['JsonReporter', 'Reporter', 'TextReporter', 'make_reporter', 'summary_json']


class Reporter(Protocol):
    def __enter__(self) -> 'Reporter': ...

    def __exit__(self, *exc_info: object) -> None: ...

    def accepted(self, started: SyncStarted) -> None: ...

    def detached(self, started: SyncStarted) -> None: ...

    def event(self, event: RunEvent) -> None: ...

    def finished(self, run: SyncRun, exit_code: int) -> None: ...


def summary_json(run: SyncRun, exit_code: int) -> dict[str, Any]:
    """The ``summary`` line of ``--json``: the run's outcome without its plan."""
    data = run.model_dump(mode='json', exclude={'plan'})
    data['exit_code'] = exit_code
    return data


class JsonReporter:
    """One JSON object per line on stdout: ``accepted``, each stream event, then ``summary``."""

    def __init__(self, output: Output, *, with_plan: bool = False) -> None:
        self.output, self.with_plan = output, with_plan

    def __enter__(self) -> 'JsonReporter':
        return self

    def __exit__(self, *exc_info: object) -> None:
        return None

    def accepted(self, started: SyncStarted) -> None:
        job = started.job.model_dump(mode='json') if started.job else None
        run = {'id': started.run.id, 'url': started.run.url, 'dry_run': started.run.dry_run}
        self.output.json_line('accepted', {'run': run, 'job': job})

    def detached(self, started: SyncStarted) -> None:
        del started  # the "accepted" line already carries the run id

    def event(self, event: RunEvent) -> None:
        self.output.json_line(event.name, {'id': event.id, **event.data})

    def finished(self, run: SyncRun, exit_code: int) -> None:
        self.output.json_line('summary', summary_json(run, exit_code))
        if self.with_plan and run.plan is not None:
            self.output.json_line('plan', run.plan.model_dump(mode='json'))


class TextReporter:
    """For people: one progress bar per stage on a terminal, one line per stage in a log."""

    def __init__(self, output: Output, *, show_plan: bool = False) -> None:
        self.output, self.show_plan = output, show_plan
        self.progress: Progress | None = None
        self.tasks: dict[str, TaskID] = {}

    def __enter__(self) -> 'TextReporter':
        if self.output.interactive and self.output.err.is_terminal:
            columns = (SpinnerColumn(), TextColumn('{task.description:<22}'), BarColumn(), MofNCompleteColumn())
            self.progress = Progress(*columns, TimeElapsedColumn(), console=self.output.err)
            self.progress.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self.progress is not None:
            self.progress.stop()
            self.progress = None

    def _say(self, markup: str) -> None:
        console = self.progress.console if self.progress is not None else self.output.err
        console.print(markup)

    def accepted(self, started: SyncStarted) -> None:
        run = started.run
        job = f' (job {started.job.id})' if started.job else ''
        self._say(f'{"Preview" if run.dry_run else "Sync"} #{run.id} started{job}')

    def detached(self, started: SyncStarted) -> None:
        self.__exit__()
        run_id = started.run.id
        self.output.plain(str(run_id))
        self.output.err.print(f'Follow it with: pxb runs watch {run_id}', markup=False)

    def event(self, event: RunEvent) -> None:
        data = event.data
        stage = str(data.get('stage', ''))
        if event.name == 'stage_started':
            self._stage_started(stage, data.get('total'))
        elif event.name == 'progress':
            self._progress(stage, data)
        elif event.name == 'stage_finished':
            self._stage_finished(stage, data.get('duration'))
        elif event.name == 'warning':
            self._say(f'[yellow]warning:[/] {_escape(data.get("message", ""))}')
        elif event.name == 'error':
            fix = f'\n  [bold]fix:[/] {_escape(data["fix"])}' if data.get('fix') else ''
            self._say(f'[red]error:[/] {_escape(data.get("message", ""))}{fix}')

    def _stage_started(self, stage: str, total: Any) -> None:
        if self.progress is None:
            self._say(f'{stage}: started' + (f' ({total} to do)' if total else ''))
            return
        self.tasks[stage] = self.progress.add_task(stage, total=total if isinstance(total, int) else None)

    def _progress(self, stage: str, data: dict[str, Any]) -> None:
        if self.progress is None or stage not in self.tasks:
            return
        done, total = data.get('done'), data.get('total')
        kind = str(data.get('kind') or '').rpartition('.')[2]  # virtualization.virtualmachine → virtualmachine
        description = f'{stage} ({kind})' if kind else stage
        self.progress.update(self.tasks[stage], completed=done, total=total, description=description)

    def _stage_finished(self, stage: str, duration: Any) -> None:
        took = f' in {duration:.1f} s' if isinstance(duration, int | float) else ''
        if self.progress is None or stage not in self.tasks:
            self._say(f'{stage}: finished{took}')
            return
        task = self.tasks[stage]
        total = self.progress.tasks[task].total or 1
        self.progress.update(task, completed=total, total=total, description=f'{stage} ✓{took}')
        self.progress.stop_task(task)

    def finished(self, run: SyncRun, exit_code: int) -> None:
        self.__exit__()
        # Errors were shown as they streamed; the plan view repeats them next to the plan.
        self.output.result(plan_view(run) if self.show_plan else run_summary(run))
        if run.dry_run and run.plan is not None and run.plan.operations and exit_code == 0:
            self.output.err.print(f'To apply exactly this plan: pxb sync --apply {run.id}')


def _escape(value: Any) -> str:
    return escape(str(value))


def make_reporter(output: Output, *, show_plan: bool = False) -> Reporter:
    if output.json:
        return JsonReporter(output, with_plan=show_plan)
    return TextReporter(output, show_plan=show_plan)

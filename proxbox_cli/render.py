"""Rich renderables for pxb's results: run summaries, run lists, plans, endpoints, status lines."""

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from rich import box
from rich.console import Group, RenderableType
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from .models import COUNT_COLUMNS, Operation, Plan, ProxmoxEndpoint, ServiceStatus, SyncRun

__all__ = [
    'STATUS_STYLES',
    'settings_table',
    'short_kinds',
    'counts_table',
    'endpoints_table',
    'plan_view',
    'run_detail',
    'run_headline',
    'run_summary',
    'runs_table',
    'status_line',
]

STATUS_STYLES = {
    'pending': 'dim',
    'running': 'blue',
    'completed': 'green',
    'partial': 'yellow',
    'failed': 'red',
    'cancelled': 'magenta',
}
_ACTION_ORDER = ('create', 'update', 'delete', 'mark', 'keep', 'conflict', 'skip')
_ACTION_STYLES = {'create': 'green', 'update': 'yellow', 'delete': 'red', 'mark': 'magenta', 'conflict': 'bold red'}
_ATTRS_SHOWN = 4


def _table(*headers: str, **options: Any) -> Table:
    """Tables without vertical rules: they read well on a terminal, in a log and through ``awk``."""
    return Table(*headers, box=box.SIMPLE, title_justify='left', **options)


def short_kinds(kinds: Iterable[str]) -> dict[str, str]:
    """``virtualization.virtualmachine`` → ``virtualmachine``, unless two apps share a model name."""
    kinds = list(kinds)
    names = [kind.rpartition('.')[2] for kind in kinds]
    return {kind: name if names.count(name) == 1 else kind for kind, name in zip(kinds, names, strict=True)}


def _status(status: str) -> Text:
    return Text(status, style=STATUS_STYLES.get(status, ''))


def _seconds(value: float | None) -> str:
    if value is None:
        return '-'
    return f'{value:.1f} s' if value < 120 else f'{int(value // 60)} min {int(value % 60)} s'


def _when(value: datetime | None) -> str:
    return value.astimezone().strftime('%Y-%m-%d %H:%M:%S') if value else '-'


def _kind_label(run: SyncRun) -> str:
    return 'Preview' if run.dry_run else 'Sync'


def run_headline(run: SyncRun) -> Text:
    """``Sync #12 completed in 4.2 s`` (coloured by status)."""
    text = Text(f'{_kind_label(run)} #{run.id} ')
    text.append_text(_status(run.status))
    if run.duration is not None:
        text.append(f' in {_seconds(run.duration)}')
    return text


def run_summary(run: SyncRun) -> RenderableType:
    """The headline and, when the run wrote or compared anything, its counts table."""
    return counts_table(run) if run.counts else run_headline(run)


def counts_table(run: SyncRun) -> Table:
    """Per object type: created, updated, deleted, unchanged, conflict, failed; with totals."""
    table = _table(title=run_headline(run), show_footer=len(run.counts) > 1)
    table.add_column('object type', footer='total', no_wrap=True)
    for column in COUNT_COLUMNS:
        table.add_column(column, justify='right', footer=str(run.total(column)), overflow='ellipsis')
    labels = short_kinds(run.counts)
    for kind, counts in sorted(run.counts.items()):
        cells = [str(counts.get(column, 0)) for column in COUNT_COLUMNS]
        style = 'red' if counts.get('failed') else ''
        table.add_row(labels[kind], *cells, style=style)
    return table


def _errors(run: SyncRun) -> RenderableType:
    return Text(run.error_summary, style='red') if run.error_summary else Text('')


def run_detail(run: SyncRun) -> RenderableType:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style='bold')
    grid.add_column()
    rows: list[tuple[str, str | Text]] = [
        ('status', _status(run.status)),
        ('trigger', run.trigger or '-'),
        ('dry run', 'yes' if run.dry_run else 'no'),
        ('endpoints', ', '.join(e.label for e in run.endpoints) or 'all enabled'),
        ('user', run.user.username if run.user else '-'),
        ('started', _when(run.started)),
        ('finished', _when(run.finished)),
        ('duration', _seconds(run.duration)),
    ]
    if run.applies_run:
        rows.append(('applies preview', f'#{run.applies_run}'))
    if run.stage_durations:
        rows.append(('stages', ', '.join(f'{name} {_seconds(s)}' for name, s in run.stage_durations.items())))
    for name, value in rows:
        grid.add_row(name, value)
    parts: list[RenderableType] = [Text(f'{_kind_label(run)} #{run.id}', style='bold'), grid]
    if run.counts:
        parts.append(counts_table(run))
    if run.error_summary:
        parts.extend([Text('errors', style='bold'), _errors(run)])
    return Group(*parts)


def runs_table(runs: Sequence[SyncRun]) -> Table:
    table = _table('id', 'kind', 'status', 'trigger', 'endpoints', 'started', 'duration', 'written', 'failed')
    for run in runs:
        written = sum(run.total(column) for column in ('created', 'updated', 'deleted'))
        table.add_row(
            str(run.id),
            _kind_label(run).lower(),
            _status(run.status),
            run.trigger or '-',
            ', '.join(e.label for e in run.endpoints) or 'all',
            _when(run.started or run.created),
            _seconds(run.duration),
            str(written),
            str(run.total('failed')),
        )
    return table


def _value(value: Any) -> str:
    if isinstance(value, dict) and '$ref' in value:
        return '→'.join(map(str, value['$ref'][1:]))
    return 'null' if value is None else str(value)


def _operation_detail(op: Operation) -> Text:
    if op.action == 'update' and op.changes:
        lines = [f'{name}: {_value(change.old)} → {_value(change.new)}' for name, change in op.changes.items()]
        return Text('\n'.join(lines))
    if op.action == 'create':
        scalars = [(k, v) for k, v in op.attrs.items() if not isinstance(v, list | dict) or '$ref' in v]
        shown = ', '.join(f'{k}={_value(v)}' for k, v in scalars[:_ATTRS_SHOWN])
        return Text(shown + (', …' if len(scalars) > _ATTRS_SHOWN else ''), style='dim')
    return Text(op.reason or '', style='italic')


def _plan_operations(operations: Iterable[Operation]) -> Table:
    table = _table('action', 'object type', 'object', 'change / reason', title='Planned changes')
    order = {action: index for index, action in enumerate(_ACTION_ORDER)}
    operations = sorted(operations, key=lambda op: (order.get(op.action, 99), op.kind, op.label))
    labels = short_kinds({op.kind for op in operations})
    for op in operations:
        action = Text(op.action, style=_ACTION_STYLES.get(op.action, ''))
        table.add_row(action, labels[op.kind], escape(op.label), _operation_detail(op))
    return table


def _plan_summary(plan: Plan) -> Table:
    actions = [a for a in (*_ACTION_ORDER, 'unchanged') if any(a in counts for counts in plan.summary.values())]
    table = _table('object type', *actions, title='Summary')
    for column in table.columns[1:]:
        column.justify = 'right'
    labels = short_kinds(plan.summary)
    for kind, counts in sorted(plan.summary.items()):
        table.add_row(labels[kind], *(str(counts.get(action, 0)) for action in actions))
    return table


def plan_view(run: SyncRun) -> RenderableType:
    """The preview's diff: every planned operation, then counts per object type and action."""
    parts: list[RenderableType] = [run_headline(run)]
    plan = run.plan
    if plan is None:
        parts.append(Text('No plan was made.', style='red' if run.is_finished else ''))
        plan = Plan()
    elif plan.operations:
        parts.append(_plan_operations(plan.operations))
    else:
        parts.append(Text('No changes: NetBox matches Proxmox.', style='green'))
    if plan.summary:
        parts.append(_plan_summary(plan))
    parts.extend(Text(f'warning: {w}', style='yellow') for w in plan.warnings)
    if run.error_summary:
        parts.append(_errors(run))
    return Group(*parts)


def endpoints_table(endpoints: Sequence[ProxmoxEndpoint]) -> Table:
    table = _table('id', 'name', 'address', 'authentication', 'verify TLS', 'enabled', 'description')
    for ep in endpoints:
        auth = f'token {ep.username}!{ep.token_name}' if ep.token_name else f'password {ep.username}'
        table.add_row(
            str(ep.id),
            ep.name,
            f'{ep.host}:{ep.port}',
            auth,
            'yes' if ep.verify_ssl else Text('no', style='yellow'),
            'yes' if ep.enabled else Text('no', style='dim'),
            ep.description,
        )
    return table


def status_line(label: str, status: ServiceStatus, width: int = 24) -> Text:
    """``proxbox-api              ok    detail`` with ``ok`` green or ``FAIL`` red."""
    text = Text(f'{label:<{width}} ')
    text.append('ok  ' if status.ok else 'FAIL', style='bold green' if status.ok else 'bold red')
    if status.detail:
        text.append(f'  {status.detail}')
    return text


def settings_table(rows: Sequence[tuple[str, str, str]], title: str) -> Table:
    table = _table('setting', 'value', 'from', title=title)
    for row in rows:
        table.add_row(*row)
    return table

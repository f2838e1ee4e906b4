"""
A preview's plan as people read it: per object type (in the order the sync writes them), the
creates with their attributes, the updates with each field's old -> new value, and what would be
deleted, marked, kept, skipped or is in conflict, with the reason. Long lists are cut at
ROWS_PER_GROUP with a count of the rest; the REST API has the whole plan.
"""

from django.apps import apps
from django.urls import NoReverseMatch, reverse

from utilities.views import get_viewname

__all__ = ('ACTIONS', 'ROWS_PER_GROUP', 'format_value', 'plan_sections')

ROWS_PER_GROUP = 200
# action -> (label, colour), in display order.
ACTIONS = {
    'conflict': ('Conflict', 'danger'),
    'create': ('Create', 'success'),
    'update': ('Update', 'primary'),
    'delete': ('Delete', 'danger'),
    'mark': ('Mark as orphaned', 'warning'),
    'keep': ('Keep (gone from Proxmox)', 'secondary'),
    'skip': ('Skip', 'secondary'),
}
_MAX_TEXT = 120


def format_value(value):
    """One attribute value as short text; a reference to another planned object shows its key."""
    if value is None or value == '':
        return '—'
    if isinstance(value, dict) and '$ref' in value:
        ref = value['$ref']
        return f'→ {ref[1] if isinstance(ref, list) and len(ref) > 1 else ref}'
    if isinstance(value, list):
        return ', '.join(format_value(item) for item in value) or '—'
    if isinstance(value, dict):
        text = ', '.join(f'{key}={format_value(item)}' for key, item in value.items())
    else:
        text = str(value)
    return text if len(text) <= _MAX_TEXT else text[: _MAX_TEXT - 1] + '…'


def _model(kind):
    try:
        return apps.get_model(kind.split('#')[0])
    except (LookupError, ValueError):
        return None


def _url(model, pk):
    if model is None or pk is None:
        return None
    try:
        return reverse(get_viewname(model, 'detail'), kwargs={'pk': pk})
    except NoReverseMatch:
        return None


def _row(op, model):
    row = {'name': op.get('display') or op.get('key'), 'key': op.get('key'), 'reason': op.get('reason')}
    row['url'] = _url(model, op.get('id'))
    changes = op.get('changes') or {}
    if changes:
        row['changes'] = [
            (field, format_value((change or {}).get('old')), format_value((change or {}).get('new')))
            for field, change in changes.items()
        ]
    elif op.get('action') in ('create', 'mark', 'update'):
        row['changes'] = [(field, None, format_value(value)) for field, value in (op.get('attrs') or {}).items()]
    return row


def _label(kind, model):
    if model is None:
        return kind
    label = str(model._meta.verbose_name_plural)
    suffix = kind.partition('#')[2]
    return f'{label[:1].upper()}{label[1:]}' + (f' ({suffix})' if suffix else '')


def plan_sections(plan):
    """[{kind, label, summary, groups: [{action, label, color, rows, more}]}] for a stored plan."""
    if not plan:
        return []
    by_kind = {}
    for op in plan.get('operations') or ():
        by_kind.setdefault(op['kind'], {}).setdefault(op['action'], []).append(op)
    summary = plan.get('summary') or {}
    kinds = list(by_kind) + sorted(kind for kind in summary if kind not in by_kind)
    sections = []
    for kind in kinds:
        model = _model(kind)
        groups = []
        for action, (label, color) in ACTIONS.items():
            ops = by_kind.get(kind, {}).get(action, [])
            if ops:
                rows = [_row(op, model) for op in ops[:ROWS_PER_GROUP]]
                groups.append({'action': action, 'label': label, 'color': color, 'rows': rows,
                               'more': max(0, len(ops) - ROWS_PER_GROUP)})  # fmt: skip
        sections.append(
            {'kind': kind, 'label': _label(kind, model), 'summary': summary.get(kind, {}), 'groups': groups}
        )
    return sections

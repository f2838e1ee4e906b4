"""The benchmark's outputs: the goals verdict, the JSON result files and the time-vs-fleet-size chart."""

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

__all__ = ['GOALS', 'evaluate_goals', 'save_results', 'draw_chart']

GOALS = {
    'first_over_floor_at_M': 'first sync / floor <= 1.3 at M',
    'resync_writes_at_M': 'no-change re-sync writes nothing at M',
    'resync_over_first_at_M': 'no-change re-sync <= 5 % of the first sync at M',
    'L_under_1GiB': 'L completes with proxbox-api under 1 GiB',
    'inside_over_floor_at_M': 'in-NetBox first sync / floor <= 0.2 at M',
    'inside_L_under_10min': 'L first sync in-NetBox <= 10 min, completed',
    'targeted_at_L': 'targeted sync of one changed guest at L: <= 50 requests, <= 3 s, nothing outside it changed',
    'continuous_poll_at_L': 'continuous mode at L: a no-change poll <= 2 requests per cluster and <= 1 s, none missed',
}
_GIB_MIB = 1024.0


def _by_name(fleets: Sequence[Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    return {fleet['fleet']['name']: fleet for fleet in fleets}


def evaluate_goals(fleets: Sequence[Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """Each goal's verdict: ``met`` true/false, or null when its fleet was not run."""
    by_name = _by_name(fleets)
    verdicts: dict[str, dict[str, Any]] = {}
    m, large = by_name.get('M'), by_name.get('L')
    ratio = m['ratios']['first_over_floor'] if m else None
    verdicts['first_over_floor_at_M'] = {'value': ratio, 'met': None if ratio is None else ratio <= 1.3}
    writes = m['resync']['writes'] if m else None
    verdicts['resync_writes_at_M'] = {'value': writes, 'met': None if writes is None else writes == 0}
    share = m['ratios']['resync_over_first'] if m else None
    verdicts['resync_over_first_at_M'] = {'value': share, 'met': None if share is None else share <= 0.05}
    if large:
        runs = [large[run] for run in ('first_sync', 'inside_first_sync', 'resync', 'resync_changed') if large.get(run)]
        peak = max(run['peak_rss_mib'] for run in runs)
        ok = all(run['status'] == 'completed' for run in runs)
        verdicts['L_under_1GiB'] = {'value': peak, 'met': ok and peak < _GIB_MIB}
    else:
        verdicts['L_under_1GiB'] = {'value': None, 'met': None}
    inside = m['ratios'].get('inside_over_floor') if m else None
    verdicts['inside_over_floor_at_M'] = {'value': inside, 'met': None if inside is None else inside <= 0.2}
    first = large.get('inside_first_sync') if large else None
    verdicts['inside_L_under_10min'] = {
        'value': first and first['seconds'],
        'met': None if not first else first['status'] == 'completed' and first['seconds'] <= 600,
    }
    verdicts['targeted_at_L'] = _targeted_verdict(large.get('targeted') if large else None)
    polled = large.get('continuous') if large else None
    verdicts['continuous_poll_at_L'] = {
        'value': polled
        and {k: polled[k] for k in ('poll_requests', 'poll_seconds', 'lag_seconds_median', 'lag_seconds_max')},
        'met': None
        if not polled
        else polled['poll_requests'] <= 2 and polled['poll_seconds'] <= 1 and polled['missed'] == 0,
    }
    for name, verdict in verdicts.items():
        verdict['goal'] = GOALS[name]
    return verdicts


def _targeted_verdict(targeted: Sequence[Mapping[str, Any]] | None) -> dict[str, Any]:
    if not targeted:
        return {'value': None, 'met': None}
    worst = {'seconds': max(t['seconds'] for t in targeted), 'requests': max(t['requests'] for t in targeted)}
    ok = all(
        t['status'] == 'completed' and t['requests'] <= 50 and t['seconds'] <= 3 and t['writes_outside_scope'] == 0
        for t in targeted
    )
    return {'value': worst, 'met': ok}


def save_results(document: Mapping[str, Any], directory: Path, stamp: str) -> Path:
    """Write ``sync-<stamp>.json`` and ``latest.json`` under ``directory``; return the first."""
    directory.mkdir(parents=True, exist_ok=True)
    text = json.dumps(document, indent=2, sort_keys=False) + '\n'
    path = directory / f'sync-{stamp}.json'
    path.write_text(text)
    (directory / 'latest.json').write_text(text)
    return path


_SERIES = (
    ('floor', 'NetBox floor (bulk writes of ready payloads)', 'o-'),
    ('first_sync', 'first sync (REST)', 's-'),
    ('inside_first_sync', 'first sync (in-NetBox apply)', 'D-'),
    ('resync_changed', 're-sync, 1 % of guests changed', '^-'),
    ('resync', 're-sync, nothing changed', 'v-'),
)


def draw_chart(fleets: Sequence[Mapping[str, Any]], path: Path, subtitle: str) -> Path:
    """Seconds against guests (log-log), one line per figure. Needs matplotlib (the ``bench`` extra)."""
    import matplotlib

    matplotlib.use('Agg')
    from matplotlib import pyplot

    ordered = sorted(fleets, key=lambda fleet: fleet['fleet']['guests'])
    guests = [fleet['fleet']['guests'] for fleet in ordered]
    figure, axes = pyplot.subplots(figsize=(8, 5), dpi=110)
    for key, label, style in _SERIES:
        measured = [(n, fleet[key]['seconds']) for n, fleet in zip(guests, ordered, strict=True) if fleet.get(key)]
        if measured:
            axes.plot(*zip(*measured, strict=True), style, label=label)
    axes.set_xscale('log')
    axes.set_yscale('log')
    axes.set_xticks(
        guests, [f'{fleet["fleet"]["name"]}\n{n:,} guests' for fleet, n in zip(ordered, guests, strict=True)]
    )
    axes.minorticks_off()
    axes.set_ylabel('seconds (log scale)')
    axes.set_title('Proxbox sync time against fleet size', loc='left')
    figure.text(0.01, 0.01, subtitle, fontsize=7, color='dimgray')
    axes.grid(True, which='major', alpha=0.3)
    axes.legend()
    figure.tight_layout(rect=(0, 0.04, 1, 1))
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path)
    pyplot.close(figure)
    return path

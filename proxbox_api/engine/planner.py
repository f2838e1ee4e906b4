"""``plan()``: a pure function of (desired state, current state, options) returning a ``Plan``.

Kinds are planned in dependency order. For each desired object: create it, update the fields
that differ (honouring field ownership and pins), or report a conflict when an object people
made holds its natural key; anything that refers to a conflicted object is skipped (an optional
reference to it becomes null instead). Then every Proxbox object of a cluster read in this run
that Proxmox no longer has goes through the prune guards and policy (``prune.py``); kinds whose
family is not synced in this run are not considered at all. A targeted sync (``DesiredState.scope``)
writes, marks and prunes only what its scope covers: an object outside it that a scoped object
refers to is created when NetBox lacks it, and otherwise left as it is.
"""

from collections import Counter
from collections.abc import Mapping
from dataclasses import replace
from datetime import timedelta
from typing import Any, Literal, cast

from .diff import Ownership, changed_fields, json_value, normal
from .keys import cluster_of, parent_of
from .kinds import KINDS, KindSpec
from .plan import FieldChange, Operation, Plan, summarise
from .prune import ORPHAN_TAG, PrunePolicy, decide_prune, never_reason, protected_by
from .records import Current, Desired, Ref
from .state import CurrentState, DesiredState, PlanOptions

__all__ = ['plan']


class _Planner:
    def __init__(self, desired: DesiredState, current: CurrentState, options: PlanOptions) -> None:
        self.desired, self.current, self.options = desired, current, options
        self.ops: list[Operation] = []
        self.unchanged: Counter[str] = Counter()
        self.skipped: Counter[str] = Counter()
        self.blocked: set[tuple[str, str]] = set()
        self.deleted: set[str] = set()
        self.desired_keys = desired.keys()
        self.device_keys = {c.id: key for key, c in current.objects.get('dcim.device', {}).items()}

    # -- references ---------------------------------------------------------------------
    def resolve(self, ref: Ref) -> int | None:
        kind = ref.kind.split('#')[0]
        found = self.current.objects.get(kind, {}).get(ref.key)
        return found.id if found is not None else None

    def _refs(self, obj: Desired) -> list[Ref]:
        refs = [value for value in obj.attrs.values() if isinstance(value, Ref)]
        for value in obj.attrs.values():
            if isinstance(value, list | tuple):
                refs.extend(item for item in value if isinstance(item, Ref))
        return [*refs, obj.parent] if obj.parent is not None else refs

    def _blocked_by(self, obj: Desired) -> Ref | None:
        refs = (ref for ref in self._refs(obj) if not ref.optional)
        return next((ref for ref in refs if (ref.kind, ref.key) in self.blocked), None)

    def _reachable(self, ref: Ref) -> bool:
        """An optional reference holds when its target is wanted, or in NetBox and staying there."""
        kind = ref.kind.split('#')[0]
        if (kind, ref.key) in self.blocked:
            return False
        if ref.key in self.desired.objects.get(kind, {}):
            return True
        return ref.key in self.current.objects.get(kind, {}) and ref.key not in self.deleted

    def _settled(self, value: Any) -> Any:
        if isinstance(value, Ref) and value.optional:
            return value if self._reachable(value) else None
        if isinstance(value, list | tuple):
            return [item for item in value if not isinstance(item, Ref) or self._settled(item) is not None]
        return value

    def settle(self, obj: Desired) -> Desired:
        """The object with its optional references that cannot hold set to null (or left out of lists)."""
        attrs = {name: self._settled(value) for name, value in obj.attrs.items()}
        return obj if attrs == dict(obj.attrs) else replace(obj, attrs=attrs)

    # -- desired objects ----------------------------------------------------------------
    def ownership(self, spec: KindSpec) -> Any:
        model = spec.kind.split('#')[0]

        def mode(field_name: str) -> Ownership:
            if field_name in spec.create_only:
                return 'netbox'
            return cast(Ownership, self.options.ownership.get(f'{model}.{field_name}', 'proxmox'))

        return mode

    def natural(self, spec: KindSpec, attrs: Mapping[str, Any]) -> tuple[Any, ...] | None:
        if not spec.natural:
            return None
        values = tuple(normal(attrs.get(name), self.resolve) for name in spec.natural)
        if any(value is not None and not isinstance(value, int | str) for value in values):
            return None  # refers to an object not created yet: nothing can collide
        return tuple(value.lower() if isinstance(value, str) else value for value in values)

    def plan_desired(self, spec: KindSpec, obj: Desired) -> None:
        blocker = self._blocked_by(obj)
        if blocker is not None:
            self.blocked.add((spec.kind, obj.key))
            self.ops.append(Operation(action='skip', kind=spec.kind, key=obj.key, reason=f'depends on {blocker.key}'))
            return
        obj = self.settle(obj)
        base = spec.base or spec.kind
        existing = self.current.objects.get(base, {}).get(obj.key)
        if existing is not None and not self.in_scope(obj.key):
            self.unchanged[spec.kind] += 1
        elif existing is None:
            self._plan_new(spec, obj)
        else:
            self._plan_existing(spec, obj, existing)

    def _plan_new(self, spec: KindSpec, obj: Desired) -> None:
        if spec.is_phase:  # the base object is created in this run; patch it afterwards
            wanted = {name: value for name, value in obj.attrs.items() if value not in (None, [])}
            attrs = {name: json_value(value, self.resolve) for name, value in wanted.items()}
            if attrs:
                self.ops.append(Operation(action='update', kind=spec.kind, key=obj.key, attrs=attrs))
            return
        clash = self.current.unowned.get(spec.kind, {}).get(self.natural(spec, obj.attrs) or ())
        if clash is not None:
            self.blocked.add((spec.kind, obj.key))
            reason = f'NetBox object #{clash.id} made by hand has the same {", ".join(spec.natural)}'
            self.ops.append(Operation(action='conflict', kind=spec.kind, key=obj.key, id=clash.id, reason=reason))
            return
        attrs = {name: json_value(value, self.resolve) for name, value in obj.attrs.items()}
        self.ops.append(Operation(action='create', kind=spec.kind, key=obj.key, attrs=attrs, display=_display(obj)))

    def _plan_existing(self, spec: KindSpec, obj: Desired, existing: Current) -> None:
        if existing.pinned or spec.identity == 'shared':
            self.unchanged[spec.kind] += 1
            return
        changes = changed_fields(obj.attrs, existing.attrs, self.resolve, self.ownership(spec))
        if not changes:
            self.unchanged[spec.kind] += 1
            return
        self.ops.append(
            Operation(
                action='update',
                kind=spec.kind,
                key=obj.key,
                id=existing.id,
                attrs={name: new for name, (_, new) in changes.items()},
                changes={name: FieldChange(old=old, new=new) for name, (old, new) in changes.items()},
                display=_display(obj),
            )
        )

    def in_scope(self, key: str | None) -> bool:
        scope = self.desired.scope
        return scope is None or scope.covers(key)

    # -- objects gone from Proxmox ------------------------------------------------------
    def parent_state(self, key: str) -> Literal['present', 'deleted', 'gone']:
        if key in self.desired_keys:
            return 'present'
        return 'deleted' if key in self.deleted else 'gone'

    def plan_gone(self, spec: KindSpec, current: Current) -> None:
        key = current.key or ''
        if cluster_of(key) not in self.desired.clusters:
            return  # its cluster was not read in this run (see the plan's guards)
        if spec.prune == 'never':
            reason = f'gone from Proxmox; {never_reason(spec)}'
            self.ops.append(Operation(action='keep', kind=spec.kind, key=key, id=current.id, reason=reason))
            return
        device = current.attrs.get('device')
        node_key = self.device_keys.get(device) if isinstance(device, int) else None
        scope = protected_by(key, node_key, self.desired.incomplete)
        if scope is not None:
            reason = f'not pruned: {scope} could not be read ({self.desired.incomplete[scope]})'
            self.ops.append(Operation(action='keep', kind=spec.kind, key=key, id=current.id, reason=reason))
            return
        decision = decide_prune(
            current,
            spec,
            policy=cast(PrunePolicy, self.options.prune_policy),
            grace=timedelta(days=self.options.grace_days),
            now=self.options.now,
            parent_state=lambda _: self.parent_state(parent_of(key)),
        )
        if decision.action == 'delete':
            self.deleted.add(key)
        attrs = self._mark_attrs(spec, current) if decision.action == 'mark' else {}
        self.ops.append(
            Operation(
                action=decision.action, kind=spec.kind, key=key, id=current.id, attrs=attrs, reason=decision.reason
            )
        )

    def _mark_attrs(self, spec: KindSpec, current: Current) -> dict[str, Any]:
        return {
            'tags': sorted({*current.attrs.get('tags', []), ORPHAN_TAG}),
            'custom_fields': {'proxbox_orphaned_since': self.options.now.isoformat()},
            **spec.orphan_attrs,
        }

    # -- the run --------------------------------------------------------------------------
    def synced(self, spec: KindSpec) -> bool:
        """Whether the kind's family is synced in this run (else nothing of it is pruned)."""
        families = self.desired.families
        return families is None or spec.family is None or spec.family in families or _guest_kind(spec, families)

    def plan_kind(self, spec: KindSpec) -> None:
        wanted = self.desired.objects.get(spec.kind, {})
        if spec.kind in self.current.unprepared:
            self.blocked.update((spec.kind, key) for key in wanted)
            if wanted:
                self.skipped[spec.kind] += len(wanted)
            return
        for obj in wanted.values():
            self.plan_desired(spec, obj)
        if spec.identity == 'shared' or spec.is_phase or not self.synced(spec):
            return
        for key, current in self.current.objects.get(spec.kind, {}).items():
            if key not in wanted and self.in_scope(key):
                self.plan_gone(spec, current)

    def guards(self) -> dict[str, str]:
        guards = dict(sorted(self.desired.incomplete.items()))
        seen = {cluster_of(key) for by_key in self.current.objects.values() for key in by_key if key.startswith('pve:')}
        for cluster in sorted(seen - self.desired.clusters):
            guards[cluster] = 'not read in this run (endpoint disabled, filtered out or unreadable): not pruned'
        for spec in KINDS:
            if not self.synced(spec) and self.current.objects.get(spec.kind):
                guards[spec.kind] = f'{spec.family} not synced in this run: not pruned'
        guards.update(self.current.unprepared)
        if self.desired.scope is not None:
            scope = self.desired.scope
            guards['scope'] = f'targeted sync of {scope.describe()}: nothing outside it is written, marked or pruned'
        return guards

    def run(self) -> Plan:
        for spec in KINDS:
            self.plan_kind(spec)
        operations = tuple(self.ops)
        summary = summarise(operations, self.unchanged)
        for kind, count in self.skipped.items():
            summary.setdefault(kind, {})['skip'] = count
        warnings = (*self.desired.warnings, *(f'{kind}: {why}' for kind, why in self.current.unprepared.items()))
        return Plan(operations=operations, summary=summary, warnings=warnings, guards=self.guards())


def _guest_kind(spec: KindSpec, families: frozenset[str]) -> bool:
    """VMs are one kind for two families: either one switched on keeps the kind in the run (the
    guests of a family switched off are protected one by one)."""
    return spec.family == 'virtual_machines' and 'containers' in families


def _display(obj: Desired) -> str | None:
    name = obj.attrs.get('name') or obj.attrs.get('address') or obj.attrs.get('mac_address')
    return str(name) if name is not None else None


def plan(desired: DesiredState, current: CurrentState, options: PlanOptions | None = None) -> Plan:
    """What must change in NetBox so it matches Proxmox. Pure: reads nothing, writes nothing."""
    return _Planner(desired, current, options or PlanOptions()).run()

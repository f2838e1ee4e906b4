"""Reading what NetBox holds, once per run, into a ``CurrentState``.

Per kind, only what the plan needs: Proxbox's own objects (tag ``proxbox``) with just the compared
fields; shared objects (tags, roles, platforms...) by the slugs the desired state uses; and, for
conflict detection, the objects people made that share a natural key with ours (VMs in our
clusters, clusters and devices by name), asked for without the ``proxbox`` tag (``tag__n``) since
the owned read already brought every tagged one. Each page becomes compact ``Current`` records as
it arrives, so the raw JSON of a large NetBox is never held whole.

Tags are the dearest field to ask NetBox for: it prefetches them object by object. So the owned read
leaves them out (every object it returns has ``proxbox``, its filter) and the other tags of the kind
come from ``/api/extras/tagged-objects/``, one light row per tag that is not ``proxbox`` (usually
none for interfaces, addresses and disks). Where NetBox will not list tagged objects, tags are read
inline as before.

A targeted sync (``DesiredState.scope``) reads only the records its scope covers and the ones its
objects refer to, by ``proxbox_id`` (NetBox's default custom-field filter, a case-insensitive
substring; the rows outside the scope it also matches are dropped here), with their tags inline.
"""

import asyncio
import builtins
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from functools import partial
from typing import Any, Protocol

from ..netbox import NetBoxRequestError
from . import keys
from .kinds import INVENTORY_KINDS, KINDS, KindSpec, kind_spec
from .records import Current
from .state import CurrentState, DesiredState
from .target import Target

__all__ = [
    'NetBoxNotPrepared',
    'NetBoxReader',
    'check_prepared',
    'guests_on_nodes',
    'normalise',
    'read_current',
    'utc_datetime',
]

_CHUNK = 100  # values per filter request (URL length)
_NOT_OURS = {'tag__n': 'proxbox'}  # objects without Proxbox's tag: the owned read has the others
_TAGGED = '/api/extras/tagged-objects/'
# A targeted sync's read: ``proxbox_id`` substrings per request (keys are longer than names), and the
# kinds that hold the scope's roots themselves (a guest's VM, a node's device, the cluster).
_SCOPED_CHUNK = 40
_ROOT_KINDS = frozenset(('virtualization.virtualmachine', 'dcim.device', 'virtualization.cluster'))


class NetBoxReader(Protocol):
    async def list(
        self, path: str, params: Mapping[str, Any] | None = None, *, fields: Sequence[str] | None = None
    ) -> builtins.list[dict[str, Any]]: ...

    async def map[T](
        self,
        path: str,
        transform: Callable[[dict[str, Any]], T],
        params: Mapping[str, Any] | None = None,
        *,
        fields: Sequence[str] | None = None,
    ) -> builtins.list[T]: ...


def _scalar(value: Any) -> Any:
    if isinstance(value, dict):
        if 'id' in value:
            return value['id']
        if 'value' in value:
            return value['value']
    if isinstance(value, str) and len(value) == 17 and value.count(':') == 5:
        return value.upper()  # a MAC address
    return value


def utc_datetime(value: Any) -> Any:
    """A REST date-time (in NetBox's time zone) in the form the mapping writes: UTC, ``...Z``."""
    if not isinstance(value, str) or not value:
        return value
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return value
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%SZ')


def normalise(obj: Mapping[str, Any], fields: Iterable[str], datetimes: Iterable[str] = ()) -> dict[str, Any]:
    """A NetBox REST object in the planner's comparable form (objects → ids, choices → values)."""
    attrs: dict[str, Any] = {}
    times = frozenset(datetimes)
    for name in fields:
        value = obj.get(name)
        if name in times:
            attrs[name] = utc_datetime(value)
        elif name == 'tags':
            attrs[name] = sorted(tag['slug'] for tag in value or [])
        elif name == 'custom_fields':
            attrs[name] = dict(value or {})
        elif isinstance(value, list):
            attrs[name] = sorted(_scalar(item) for item in value)
        else:
            attrs[name] = _scalar(value)
    return attrs


def _fields(spec: KindSpec, *, tags: bool = True) -> list[str]:
    phase_fields = [field for other in KINDS if other.base == spec.kind for field in other.fields]
    fields = dict.fromkeys(['id', *spec.fields, *phase_fields, 'custom_fields', 'tags'])
    if not tags:
        del fields['tags']
    return list(fields)


def _current(spec: KindSpec, obj: Mapping[str, Any], key: str | None, owned: bool) -> Current:
    attrs = normalise(obj, _fields(spec)[1:], spec.datetimes)
    custom = attrs.get('custom_fields') or {}
    return Current(
        kind=spec.kind,
        id=int(obj['id']),
        key=key,
        attrs=attrs,
        owned=owned,
        pinned='proxbox-pinned' in attrs.get('tags', []),
        orphaned_since=custom.get('proxbox_orphaned_since'),
        parent_key=keys.parent_of(key) if key else None,
    )


def _classified(spec: KindSpec, row: Mapping[str, Any]) -> Current:
    """A row as a ``Current``: Proxbox's own when it has both the ``proxbox`` tag and a Proxmox identity."""
    key = (row.get('custom_fields') or {}).get('proxbox_id')
    owned = bool(key) and any(tag.get('slug') == 'proxbox' for tag in row.get('tags') or [])
    return _current(spec, row, key, owned)


def _tag_pair(row: Mapping[str, Any]) -> tuple[int, str]:
    return int(row['object_id']), str((row.get('tag') or {}).get('slug'))


async def _other_tags(client: NetBoxReader, spec: KindSpec) -> dict[int, list[str]] | None:
    """Object id -> its tags other than ``proxbox``, for one kind; ``None`` when NetBox will not list them."""
    params = {'object_type': spec.kind, 'tag__n': 'proxbox'}
    try:
        pairs = await client.map(_TAGGED, _tag_pair, params, fields=['object_id', 'tag'])
    except NetBoxRequestError:  # an older NetBox, or a sync user without extras.view_taggeditem
        return None
    found: dict[int, list[str]] = {}
    for oid, slug in pairs:
        if slug != 'proxbox':  # in case NetBox ignored tag__n
            found.setdefault(oid, []).append(slug)
    return found


def _with_tags(spec: KindSpec, others: Mapping[int, list[str]], row: dict[str, Any]) -> Current:
    """An owned-read row (it has ``proxbox``: the read's filter) with its other tags put back."""
    row['tags'] = [{'slug': slug} for slug in ('proxbox', *others.get(int(row['id']), ()))]
    return _classified(spec, row)


async def _chunked(
    client: NetBoxReader,
    spec: KindSpec,
    name: str,
    values: Sequence[Any],
    extra: Mapping[str, str | Sequence[str]] | None = None,
    *,
    read: Callable[[dict[str, Any]], Current] | None = None,
    fields: Sequence[str] | None = None,
    chunk: int = _CHUNK,
) -> list[Current]:
    """Rows whose ``name`` is one of ``values``, asked for ``chunk`` values at a time (URL length)."""
    found: list[Current] = []
    read = read or partial(_classified, spec)
    for start in range(0, len(values), chunk):
        params = {**(extra or {}), name: list(values[start : start + chunk])}
        found.extend(await client.map(spec.path, read, params, fields=fields or _fields(spec)))
    return found


async def _read_shared(client: NetBoxReader, spec: KindSpec, slugs: Sequence[str]) -> dict[str, Current]:
    fields = [*spec.fields]

    def shared(row: Mapping[str, Any]) -> Current:
        return Current(spec.kind, int(row['id']), row['slug'], normalise(row, fields), owned=False)

    found = await _chunked(client, spec, 'slug', sorted(slugs), read=shared, fields=['id', *fields])
    return {str(item.key): item for item in found}


def _split_owned(items: Iterable[Current]) -> tuple[dict[str, Current], list[Current]]:
    owned: dict[str, Current] = {}
    others: list[Current] = []
    for item in items:
        if item.owned and item.key:
            owned[item.key] = item
        else:
            others.append(item)
    return owned, others


def _natural(spec: KindSpec, current: Current) -> tuple[Any, ...]:
    values = (current.attrs.get(name) for name in spec.natural)
    return tuple(value.lower() if isinstance(value, str) else value for value in values)


class _Read:
    def __init__(self, client: NetBoxReader, desired: DesiredState, unprepared: Mapping[str, str]) -> None:
        self.client, self.desired, self.unprepared = client, desired, unprepared
        self.objects: dict[str, dict[str, Current]] = {}
        self.unowned: dict[str, dict[tuple[Any, ...], Current]] = {}

    def _add_unowned(self, spec: KindSpec, items: Iterable[Current]) -> None:
        if spec.natural:
            index = self.unowned.setdefault(spec.kind, {})
            for item in items:
                index[_natural(spec, item)] = item

    def exact_keys(self, spec: KindSpec) -> frozenset[str]:
        """The keys of this kind the desired state refers to (a scoped read reads them besides its own)."""
        kinds = [other.kind for other in KINDS if (other.base or other.kind) == spec.kind]
        return frozenset(key for kind in kinds for key in self.desired.objects.get(kind, {}))

    async def scoped_kind(self, spec: KindSpec, params: Mapping[str, str]) -> None:
        """A targeted sync's read of one kind: what its scope covers and what its objects refer to, tags inline."""
        scope = self.desired.scope
        assert scope is not None
        exact = self.exact_keys(spec)
        needles = scope.needles(spec.kind in _ROOT_KINDS, exact)
        rows = await _chunked(self.client, spec, 'cf_proxbox_id', needles, params, chunk=_SCOPED_CHUNK)
        owned, others = _split_owned(row for row in rows if scope.wanted(row.key, exact))
        self.objects[spec.kind] = owned
        self._add_unowned(spec, others)

    async def owned_kind(self, spec: KindSpec) -> None:
        params = {**spec.read_params, **self.desired.read_filters.get(spec.kind, {})}
        if self.desired.scope is not None:
            await self.scoped_kind(spec, params)
            return
        # A kind read whole (people's records too, for conflicts) carries its tags inline; otherwise
        # only Proxbox's own are read and their other tags come from the tagged-objects list.
        tags = None if spec.read_all else await _other_tags(self.client, spec)
        if not spec.read_all:
            params['tag'] = 'proxbox'
        if tags is None:
            read, fields = partial(_classified, spec), _fields(spec)
        else:
            read, fields = partial(_with_tags, spec, tags), _fields(spec, tags=False)
        rows = await self.client.map(spec.path, read, params, fields=fields)
        owned, others = _split_owned(rows)
        self.objects[spec.kind] = owned
        self._add_unowned(spec, others)

    async def by_name(self, kind: str) -> None:
        """People's clusters and devices with the names ours want."""
        spec = kind_spec(kind)
        names = sorted({str(obj.attrs['name']) for obj in self.desired.objects.get(kind, {}).values()})
        rows = await _chunked(self.client, spec, 'name', names, _NOT_OURS) if names else []
        self._add_unowned(spec, _split_owned(rows)[1])

    async def vms_in_our_clusters(self) -> None:
        spec = kind_spec('virtualization.virtualmachine')
        ids = sorted(c.id for c in self.objects.get('virtualization.cluster', {}).values())
        if self.desired.scope is not None:  # a targeted sync: only the names its guests want
            names = sorted({str(obj.attrs['name']) for obj in self.desired.objects.get(spec.kind, {}).values()})
            where = {**_NOT_OURS, 'cluster_id': [str(i) for i in ids]}
            rows = await _chunked(self.client, spec, 'name', names, where) if ids and names else []
        else:
            rows = await _chunked(self.client, spec, 'cluster_id', ids, _NOT_OURS) if ids else []
        self._add_unowned(spec, _split_owned(rows)[1])

    async def shared_kind(self, spec: KindSpec) -> None:
        slugs = list(self.desired.objects.get(spec.kind, {}))
        self.objects[spec.kind] = await _read_shared(self.client, spec, slugs)

    async def plugin_kind(self, spec: KindSpec) -> None:
        def record(row: Mapping[str, Any]) -> Current:
            return _current(spec, row, _plugin_key(spec, row), True)

        try:
            rows = await self.client.map(spec.path, record, fields=['id', *spec.fields])
        except Exception:  # noqa: BLE001 - the plugin may not be installed where proxbox-api writes
            rows = []
        self.objects[spec.kind] = {str(item.key): item for item in rows}

    def needed(self, spec: KindSpec) -> bool:
        """Whether a targeted sync's plan can use this kind's records: a data-protection kind only when its
        family (or, for storage, a family whose records refer to storages) is synced; nothing else refers to
        them. (A full sync reads them all: its plan's guards name the kinds it leaves alone.)"""
        families = self.desired.families
        if self.desired.scope is None or families is None or spec.kind in INVENTORY_KINDS or spec.family in families:
            return True
        return spec.kind == 'netbox_proxbox.proxmoxstorage' and bool({'backups', 'backup_routines'} & families)

    async def run(self) -> CurrentState:
        specs = [spec for spec in KINDS if not spec.is_phase and spec.kind not in self.unprepared and self.needed(spec)]
        await asyncio.gather(*(self._read(spec) for spec in specs))
        await asyncio.gather(
            self.by_name('virtualization.cluster'), self.by_name('dcim.device'), self.vms_in_our_clusters()
        )
        return CurrentState(objects=self.objects, unowned=self.unowned, unprepared=self.unprepared)

    async def _read(self, spec: KindSpec) -> None:
        if spec.identity == 'shared':
            await self.shared_kind(spec)
        elif spec.identity == 'plugin':
            await self.plugin_kind(spec)
        else:
            await self.owned_kind(spec)


def _plugin_key(spec: KindSpec, row: Mapping[str, Any]) -> str:
    if spec.kind == 'netbox_proxbox.proxmoxcluster':
        return keys.cluster_key(str(row['name']))
    cluster = row.get('cluster') or {}
    return keys.node_key(str(cluster.get('name') or cluster.get('display')), str(row['name']))


async def read_current(client: NetBoxReader, desired: DesiredState) -> CurrentState:
    """Everything the planner compares against, read concurrently (the client bounds concurrency)."""
    unprepared = await check_prepared(client)
    return await _Read(client, desired, unprepared).run()


async def guests_on_nodes(client: NetBoxReader, scope: Target) -> set[int]:
    """The VMIDs of Proxbox's VMs that NetBox places on the scope's nodes: a node scope keeps them in step
    too (one that migrated away in Proxmox is still on the node in NetBox, and is moved)."""
    nodes = Target(scope.cluster, nodes=scope.nodes)
    params = {'cf_proxbox_id': nodes.needles(holds_roots=True), 'tag': 'proxbox'}
    rows = await client.list('/api/dcim/devices/', params, fields=['id', 'custom_fields'])
    devices = [row for row in rows if (row.get('custom_fields') or {}).get('proxbox_id') in nodes.roots]
    if not devices:
        return set()
    params = {'device_id': [str(row['id']) for row in devices], 'tag': 'proxbox', 'exclude': 'config_context'}
    rows = await client.list('/api/virtualization/virtual-machines/', params, fields=['id', 'custom_fields'])
    prefix = keys.guest_key(scope.cluster, 0).removesuffix('0')
    found = (str((row.get('custom_fields') or {}).get('proxbox_id') or '') for row in rows)
    return {
        int(key.removeprefix(prefix)) for key in found if key.startswith(prefix) and key.removeprefix(prefix).isdigit()
    }


class NetBoxNotPrepared(Exception):
    """NetBox lacks the tag or custom fields the sync relies on (the plugin is not installed or migrated)."""


async def check_prepared(client: NetBoxReader) -> dict[str, str]:
    """Fail early and clearly, before any write, when NetBox is not ready for Proxbox.

    Returns the kinds NetBox cannot take yet, with the reason: those whose model the ``proxbox_id``
    custom field does not cover (a plugin upgraded without ``netbox migrate``). They are left out
    of the run rather than failing object by object.
    """
    tags = await client.list('/api/extras/tags/', {'slug': 'proxbox'}, fields=['id'])
    fields = await client.list('/api/extras/custom-fields/', {'name': 'proxbox_id'}, fields=['id', 'object_types'])
    if not tags or not fields:
        raise NetBoxNotPrepared(
            'NetBox has no "proxbox" tag or "proxbox_id" custom field: install the netbox_proxbox plugin '
            'and run `netbox migrate` (it creates them), or check that the sync user may view tags and custom fields'
        )
    covered = fields[0].get('object_types')
    if not isinstance(covered, list):
        return {}  # an older NetBox or a restricted view: assume every model is covered
    models = {str(item) for item in covered}
    return {
        spec.kind: f'the proxbox_id custom field does not cover {spec.kind}: run `netbox migrate` after upgrading'
        for spec in KINDS
        if spec.identity == 'cf' and not spec.is_phase and spec.kind not in models
    }

"""
What NetBox holds, read with pynetbox (the client people script NetBox with), in the shape of
oracle.py: {kind: {key: {field: value}}}, keyed by the `proxbox_id` custom field (the plugin's
cluster and node records by name), with related objects reduced to their names.
"""

from collections.abc import Callable
from itertools import islice
from typing import Any

import pynetbox

__all__ = ('RUN_RECORD', 'latest_changes', 'observe', 'synced_changes')

Row = dict[str, Any]


def _name(obj: Row | None, field: str = 'name') -> Any:
    return obj[field] if obj else None


def _value(obj: Row | None) -> Any:
    return obj['value'] if isinstance(obj, dict) else obj


def _tags(row: Row) -> list[str]:
    return sorted(tag['slug'] for tag in row['tags'])


def _address(obj: Row | None) -> str | None:
    return obj['address'] if obj else None


def _assigned(row: Row) -> tuple[str | None, str | None]:
    target = row.get('assigned_object') or {}
    return target.get('name'), _name(target.get('virtual_machine'))


def _common(row: Row) -> Row:
    return {'tags': _tags(row), 'orphaned_since': row['custom_fields'].get('proxbox_orphaned_since')}


_VIEWS: dict[str, tuple[tuple[str, ...], Callable[[Row], Row]]] = {
    'cluster': (('virtualization', 'clusters'), lambda r: {
        'name': r['name'], 'type': r['type']['slug'], 'status': _value(r['status'])}),
    'device': (('dcim', 'devices'), lambda r: {
        'name': r['name'], 'status': _value(r['status']), 'cluster': _name(r['cluster']),
        'role': _name(r['role'], 'slug'), 'site': _name(r['site'], 'slug'),
        'device_type': _name(r['device_type'], 'slug')}),
    'interface': (('dcim', 'interfaces'), lambda r: {
        'name': r['name'], 'type': _value(r['type']), 'enabled': r['enabled'], 'mtu': r['mtu'],
        'description': r['description'], 'device': _name(r['device'])}),
    'vm': (('virtualization', 'virtual_machines'), lambda r: {
        'name': r['name'], 'status': _value(r['status']), 'cluster': _name(r['cluster']),
        'device': _name(r['device']), 'role': _name(r['role'], 'slug'), 'vcpus': r['vcpus'],
        'memory': r['memory'], 'description': r['description'], 'proxmox_vmid': r['custom_fields']['proxmox_vmid'],
        'comments': r['comments'], 'site': _name(r['site'], 'slug'), 'platform': _name(r['platform'], 'slug'),
        'proxmox_ha_state': r['custom_fields'].get('proxmox_ha_state'),
        'primary_ip4': _address(r['primary_ip4']), 'primary_ip6': _address(r['primary_ip6'])}),
    'vminterface': (('virtualization', 'interfaces'), lambda r: {
        'name': r['name'], 'enabled': r['enabled'], 'mode': _value(r['mode']), 'mtu': r['mtu'],
        'untagged_vlan': _name(r['untagged_vlan'], 'vid'), 'tagged_vlans': sorted(v['vid'] for v in r['tagged_vlans']),
        'description': r['description'], 'primary_mac_address': _name(r['primary_mac_address'], 'mac_address'),
        'vm': _name(r['virtual_machine'])}),
    'mac': (('dcim', 'mac_addresses'), lambda r: {
        'mac_address': r['mac_address'], 'interface': _assigned(r)[0], 'vm': _assigned(r)[1]}),
    'vlan': (('ipam', 'vlans'), lambda r: {'vid': r['vid'], 'name': r['name'], 'group': _name(r['group'])}),
    'ip': (('ipam', 'ip_addresses'), lambda r: {
        'address': r['address'], 'interface': _assigned(r)[0], 'vm': _assigned(r)[1], 'status': _value(r['status'])}),
    'disk': (('virtualization', 'virtual_disks'), lambda r: {
        'name': r['name'], 'size': r['size'], 'description': r['description'], 'vm': _name(r['virtual_machine'])}),
    'storage': (('plugins', 'proxbox', 'storage'), lambda r: {
        'type': _value(r['type']), 'shared': r['shared'], 'enabled': r['enabled'], 'content': sorted(r['content']),
        'nodes': sorted(n['name'] for n in r['nodes']), 'used': r['used'], 'total': r['total']}),
    'snapshot': (('plugins', 'proxbox', 'snapshots'), lambda r: {
        'name': r['name'], 'parent': r['parent'], 'vmstate': r['vmstate'], 'description': r['description'],
        'snapshot_time': r['snapshot_time'], 'vm': _name(r['virtual_machine'])}),
    'backup': (('plugins', 'proxbox', 'backups'), lambda r: {
        'guest_id': r['guest_id'], 'guest_type': _value(r['guest_type']), 'size': r['size'],
        'protected': r['protected'], 'creation_time': r['creation_time'], 'storage': _name(r['storage']),
        'vm': _name(r['virtual_machine'])}),
    'backup_job': (('plugins', 'proxbox', 'backup_routines'), lambda r: {
        'schedule': r['schedule'], 'enabled': r['enabled'], 'mode': _value(r['mode']),
        'compression': _value(r['compression']), 'selection': _value(r['selection']), 'guest_ids': r['guest_ids'],
        'pool': r['pool'], 'storage': _name(r['storage']), 'keep_daily': r['keep_daily'],
        'keep_weekly': r['keep_weekly']}),
    'replication': (('plugins', 'proxbox', 'replications'), lambda r: {
        'guest_id': r['guest_id'], 'target': _name(r['target']), 'source': _name(r['source']),
        'disabled': r['disabled'], 'rate': r['rate'], 'vm': _name(r['virtual_machine'])}),
    'task': (('plugins', 'proxbox', 'tasks'), lambda r: {
        'task_type': r['task_type'], 'object_id': r['object_id'], 'user': r['user'], 'status': _value(r['status']),
        'node': _name(r['node']), 'start_time': r['start_time']}),
}  # fmt: skip

_PLUGIN_VIEWS: dict[str, tuple[str, Callable[[Row], Row]]] = {
    'plugin_cluster': ('clusters', lambda r: {
        'standalone': r['standalone'], 'node_count': r['node_count'], 'pve_version': r['pve_version'],
        'cluster': _name(r['cluster']), 'endpoint': _name(r['endpoint'])}),
    'plugin_node': ('nodes', lambda r: {
        'online': r['online'], 'ip_address': r['ip_address'], 'cpu_model': r['cpu_model'],
        'memory_total': r['memory_total'], 'device': _name(r['device']), 'cpu_count': r['cpu_count']}),
}  # fmt: skip


def _endpoint(api: pynetbox.api, path: tuple[str, ...]) -> Any:
    target: Any = api
    for part in path:
        target = getattr(target, part)
    return target


def observe(api: pynetbox.api) -> dict[str, dict[str, Row]]:
    """Every object Proxbox owns (tag `proxbox`), by kind and key, plus the plugin's cluster and node records."""
    seen: dict[str, dict[str, Row]] = {}
    for kind, (path, view) in _VIEWS.items():
        rows = (dict(record) for record in _endpoint(api, path).filter(tag='proxbox'))
        seen[kind] = {row['custom_fields']['proxbox_id']: view(row) | _common(row) for row in rows}
    for kind, (name, view) in _PLUGIN_VIEWS.items():
        seen[kind] = {row['name']: view(row) for row in map(dict, _endpoint(api, ('plugins', 'proxbox', name)).all())}
    return seen


RUN_RECORD = 'netbox_proxbox.syncrun'


def synced_changes(api: pynetbox.api) -> int:
    """How many entries NetBox's changelog holds, leaving out the sync runs' own records (a run
    records who started it: one entry per run, by design)."""
    changes = api.core.object_changes
    return int(changes.count()) - int(changes.count(changed_object_type=RUN_RECORD))


def latest_changes(api: pynetbox.api, count: int) -> list[str]:
    """The newest `count` changelog entries, as `action type: object`."""
    if count <= 0:
        return []
    rows = map(dict, islice(api.core.object_changes.filter(ordering='-time'), count))
    return [f'{_value(r["action"])} {r["changed_object_type"]}: {r["object_repr"]}' for r in rows]

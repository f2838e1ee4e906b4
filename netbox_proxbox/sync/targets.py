"""
What a **Sync now** button syncs: the scope of a targeted sync, read off the object it is on.

A virtual machine, device or cluster Proxbox synced carries its Proxmox identity (`proxbox_id`:
`pve:<cluster>/guest/<vmid>`, `pve:<cluster>/node/<name>`, `pve:<cluster>`); a Proxmox cluster
record names its cluster.
Anything else (an object people made, a device that is not a Proxmox node) has no scope.
"""

from django.utils.translation import gettext as _

__all__ = ('describe', 'scope_of', 'scope_of_key')


def scope_of_key(key):
    """`pve:c/guest/100` -> {'cluster': 'c', 'vmid': 100}; `pve:c/node/n` -> {'cluster': 'c', 'node': 'n'};
    `pve:c` -> {'cluster': 'c'}; None for any other key (a part of a guest, a storage, ...)."""
    if not isinstance(key, str) or not key.startswith('pve:'):
        return None
    cluster, _sep, rest = key.removeprefix('pve:').partition('/')
    kind, _sep, name = rest.partition('/')
    if not cluster or '/' in name:
        return None
    if not rest:
        return {'cluster': cluster}
    if kind == 'guest' and name.isdigit():
        return {'cluster': cluster, 'vmid': int(name)}
    if kind == 'node' and name:
        return {'cluster': cluster, 'node': name}
    return None


def scope_of(obj):
    """The scope of a Sync now on `obj`, or None when Proxbox does not sync it."""
    from ..models import ProxmoxCluster

    if isinstance(obj, ProxmoxCluster):
        return {'cluster': obj.name}
    if not any(tag.slug == 'proxbox' for tag in obj.tags.all()):
        return None
    return scope_of_key((obj.custom_field_data or {}).get('proxbox_id'))


def describe(scope):
    """A scope in words: "guest pve-a/100", "guests pve-a/100, 101", "node pve-a/pve1", "cluster pve-a"."""
    if scope.get('vmid') is not None:
        return _('guest {cluster}/{vmid}').format(**scope)
    if scope.get('vmids'):
        vmids = ', '.join(str(vmid) for vmid in scope['vmids'])
        return _('guests {cluster}/{vmids}').format(cluster=scope['cluster'], vmids=vmids)
    if scope.get('node'):
        return _('node {cluster}/{node}').format(**scope)
    if scope.get('families'):
        families = ', '.join(scope['families'])
        return _('cluster {cluster} ({families})').format(cluster=scope['cluster'], families=families)
    return _('cluster {cluster}').format(**scope)

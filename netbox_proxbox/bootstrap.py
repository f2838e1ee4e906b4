"""
The tags and custom fields the sync relies on, created (idempotently) after every `migrate`,
so nobody has to make them by hand and a fresh NetBox is ready for the first sync.
"""

from django.contrib.contenttypes.models import ContentType
from django.utils.text import slugify

__all__ = ('CUSTOM_FIELDS', 'IDENTIFIED_MODELS', 'TAGS', 'ensure_sync_objects')

# NetBox objects Proxbox creates and recognises again by their Proxmox identity.
IDENTIFIED_MODELS = (
    ('virtualization', 'cluster'),
    ('virtualization', 'virtualmachine'),
    ('virtualization', 'vminterface'),
    ('virtualization', 'virtualdisk'),
    ('dcim', 'device'),
    ('dcim', 'interface'),
    ('dcim', 'macaddress'),
    ('ipam', 'ipaddress'),
    ('ipam', 'vlan'),
    ('ipam', 'vlangroup'),
    # The plugin's data-protection records, which the sync creates and prunes the same way.
    ('netbox_proxbox', 'proxmoxstorage'),
    ('netbox_proxbox', 'vmsnapshot'),
    ('netbox_proxbox', 'vmbackup'),
    ('netbox_proxbox', 'backuproutine'),
    ('netbox_proxbox', 'replication'),
    ('netbox_proxbox', 'vmtaskhistory'),
)

# name -> (color, description)
TAGS = {
    'Proxbox': ('ff9800', 'Created and kept in step by Proxbox. Objects without it are never touched.'),
    'Proxbox pinned': ('607d8b', 'Proxbox never modifies an object with this tag.'),
    'Proxbox orphan': ('f44336', 'Gone from Proxmox; kept by the prune policy.'),
    'Proxmox template': ('9e9e9e', 'A Proxmox VM or container template.'),
}

# name -> field definition; object_types are (app_label, model) pairs.
CUSTOM_FIELDS = {
    'proxbox_id': {
        'type': 'text',
        'label': 'Proxmox identity',
        'description': 'Which Proxmox object this is, e.g. pve:cluster-a/qemu/100. Set by Proxbox.',
        'unique': True,
        'ui_editable': 'no',
        'ui_visible': 'if-set',
        'object_types': IDENTIFIED_MODELS,
    },
    'proxmox_vmid': {
        'type': 'integer',
        'label': 'Proxmox VMID',
        'description': "The guest's VMID in its Proxmox cluster.",
        'ui_editable': 'no',
        'ui_visible': 'if-set',
        'object_types': (('virtualization', 'virtualmachine'),),
    },
    'proxmox_ha_state': {
        'type': 'text',
        'label': 'Proxmox HA state',
        'description': 'High-availability state of the guest (started, stopped, ignored, ...), if HA-managed.',
        'ui_editable': 'no',
        'ui_visible': 'if-set',
        'object_types': (('virtualization', 'virtualmachine'),),
    },
    'proxbox_orphaned_since': {
        'type': 'datetime',
        'label': 'Missing from Proxmox since',
        'description': 'When Proxbox first found this object gone from Proxmox.',
        'ui_editable': 'no',
        'ui_visible': 'if-set',
        'object_types': IDENTIFIED_MODELS,
    },
}


def ensure_sync_objects(**kwargs):
    """Create what is missing; leave what exists (people may have recoloured a tag)."""
    from extras.models import CustomField, Tag

    for name, (color, description) in TAGS.items():
        defaults = {'name': name, 'color': color, 'description': description}
        Tag.objects.get_or_create(slug=slugify(name), defaults=defaults)
    for name, spec in CUSTOM_FIELDS.items():
        spec = dict(spec)
        object_types = spec.pop('object_types')
        field, _ = CustomField.objects.get_or_create(name=name, defaults={**spec, 'group_name': 'Proxbox'})
        wanted = [ContentType.objects.get_by_natural_key(app, model) for app, model in object_types]
        field.object_types.add(*wanted)

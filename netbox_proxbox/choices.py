from django.utils.translation import gettext_lazy as _

from utilities.choices import ChoiceSet


class AuthMethodChoices(ChoiceSet):
    """How the sync service authenticates to a Proxmox endpoint."""

    key = 'ProxmoxEndpoint.auth_method'

    TOKEN = 'token'
    PASSWORD = 'password'

    CHOICES = [
        (TOKEN, _('API token'), 'green'),
        (PASSWORD, _('Password (ticket)'), 'orange'),
    ]


class StorageTypeChoices(ChoiceSet):
    """Proxmox VE storage plugins (`type` in /storage)."""

    key = 'ProxmoxStorage.type'

    CHOICES = [
        ('dir', _('Directory')),
        ('lvm', _('LVM')),
        ('lvmthin', _('LVM-Thin')),
        ('zfspool', _('ZFS pool')),
        ('zfs', _('ZFS over iSCSI')),
        ('nfs', _('NFS')),
        ('cifs', _('CIFS/SMB')),
        ('glusterfs', _('GlusterFS')),
        ('iscsi', _('iSCSI')),
        ('iscsidirect', _('iSCSI (direct)')),
        ('rbd', _('Ceph RBD')),
        ('cephfs', _('CephFS')),
        ('pbs', _('Proxmox Backup Server')),
        ('btrfs', _('BTRFS')),
        ('esxi', _('ESXi import')),
    ]


class StorageContentChoices(ChoiceSet):
    """What a Proxmox storage may hold (`content` in /storage)."""

    CHOICES = [
        ('images', _('Disk images')),
        ('rootdir', _('Container volumes')),
        ('vztmpl', _('Container templates')),
        ('iso', _('ISO images')),
        ('backup', _('Backups')),
        ('snippets', _('Snippets')),
        ('import', _('Import')),
    ]


class GuestTypeChoices(ChoiceSet):
    TYPE_QEMU = 'qemu'
    TYPE_LXC = 'lxc'

    CHOICES = [
        (TYPE_QEMU, _('Virtual machine (QEMU)'), 'blue'),
        (TYPE_LXC, _('Container (LXC)'), 'purple'),
    ]


class BackupModeChoices(ChoiceSet):
    key = 'BackupRoutine.mode'

    CHOICES = [
        ('snapshot', _('Snapshot'), 'green'),
        ('suspend', _('Suspend'), 'yellow'),
        ('stop', _('Stop'), 'red'),
    ]


class BackupCompressionChoices(ChoiceSet):
    CHOICES = [
        ('0', _('None')),
        ('1', _('LZO (default)')),
        ('gzip', _('GZIP')),
        ('lzo', _('LZO')),
        ('zstd', _('ZSTD')),
    ]


class BackupSelectionChoices(ChoiceSet):
    """Which guests a backup job covers."""

    ALL = 'all'
    GUESTS = 'guests'
    POOL = 'pool'

    CHOICES = [
        (ALL, _('All guests'), 'green'),
        (GUESTS, _('Selected guests'), 'blue'),
        (POOL, _('Pool'), 'purple'),
    ]


class BackupVerificationChoices(ChoiceSet):
    NONE = 'none'
    OK = 'ok'
    FAILED = 'failed'

    CHOICES = [
        (NONE, _('Not verified'), 'gray'),
        (OK, _('OK'), 'green'),
        (FAILED, _('Failed'), 'red'),
    ]


class TaskStatusChoices(ChoiceSet):
    RUNNING = 'running'
    OK = 'ok'
    WARNING = 'warning'
    ERROR = 'error'

    CHOICES = [
        (RUNNING, _('Running'), 'blue'),
        (OK, _('OK'), 'green'),
        (WARNING, _('Warning'), 'yellow'),
        (ERROR, _('Error'), 'red'),
    ]


class PrunePolicyChoices(ChoiceSet):
    """What the sync does with objects that disappeared from Proxmox."""

    OFF = 'off'
    MARK = 'mark'
    DELETE = 'delete'

    CHOICES = [
        (OFF, _('Report only'), 'gray'),
        (MARK, _('Mark as orphaned'), 'yellow'),
        (DELETE, _('Delete after grace period'), 'red'),
    ]


class FieldOwnershipChoices(ChoiceSet):
    """Who wins for a field: Proxmox, NetBox (set on create only), or Proxmox only when NetBox is empty."""

    PROXMOX = 'proxmox'
    NETBOX = 'netbox'
    IF_EMPTY = 'if-empty'

    CHOICES = [
        (PROXMOX, _('Proxmox wins')),
        (NETBOX, _('NetBox wins (set on create)')),
        (IF_EMPTY, _('Fill when empty')),
    ]


class TemplateHandlingChoices(ChoiceSet):
    SKIP = 'skip'
    TAG = 'tag'

    CHOICES = [
        (SKIP, _('Skip templates')),
        (TAG, _('Sync with a "template" tag')),
    ]


class SyncTriggerChoices(ChoiceSet):
    BUTTON = 'button'
    API = 'api'
    CLI = 'cli'
    SCHEDULE = 'schedule'

    CHOICES = [
        (BUTTON, _('Button'), 'blue'),
        (API, _('REST API'), 'cyan'),
        (CLI, _('CLI'), 'purple'),
        (SCHEDULE, _('Schedule'), 'gray'),
    ]


class SyncKindChoices(ChoiceSet):
    """What a run covers: everything its endpoints hold, or one cluster, node or guest (targeted)."""

    FULL = 'full'
    TARGETED = 'targeted'
    CONTINUOUS = 'continuous'

    CHOICES = [
        (FULL, _('Full'), 'blue'),
        (TARGETED, _('Targeted'), 'teal'),
        (CONTINUOUS, _('Continuous'), 'indigo'),
    ]


class SyncStatusChoices(ChoiceSet):
    PENDING = 'pending'
    RUNNING = 'running'
    COMPLETED = 'completed'
    PARTIAL = 'partial'
    FAILED = 'failed'
    CANCELLED = 'cancelled'

    FINISHED = (COMPLETED, PARTIAL, FAILED, CANCELLED)

    CHOICES = [
        (PENDING, _('Pending'), 'gray'),
        (RUNNING, _('Running'), 'blue'),
        (COMPLETED, _('Completed'), 'green'),
        (PARTIAL, _('Completed with errors'), 'yellow'),
        (FAILED, _('Failed'), 'red'),
        (CANCELLED, _('Cancelled'), 'orange'),
    ]

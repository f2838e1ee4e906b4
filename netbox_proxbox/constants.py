"""Constants shared by the plugin's models, forms and the sync contract."""

# Proxmox VE's API port.
PROXMOX_DEFAULT_PORT = 8006

# Seconds a single Proxmox API request may take before the sync gives up on it.
PROXMOX_DEFAULT_TIMEOUT = 30

# Proxmox user ids look like user@realm; API token ids add !tokenname.
PROXMOX_USERID_REGEX = r'^[^\s@!:]+@[A-Za-z][A-Za-z0-9.\-_]*$'
PROXMOX_TOKEN_NAME_REGEX = r'^[A-Za-z][A-Za-z0-9.\-_]*$'

# What write-only secrets look like where they must be shown at all.
SECRET_PLACEHOLDER = '********'

# Starting and cancelling syncs: the `run_sync` action on sync runs (SyncRun's Meta permission).
# NetBox names a model action "<app>.<action>_<model>", so this is what has_perm() is asked.
RUN_SYNC_PERMISSION = 'netbox_proxbox.run_sync_syncrun'

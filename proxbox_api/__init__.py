"""proxbox-api: the Proxmox VE → NetBox sync service."""

__version__ = '0.1.0'

"""Reading Proxmox VE: an async API client, property-string parsers and a cluster reader."""

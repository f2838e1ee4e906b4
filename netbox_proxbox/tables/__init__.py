from .proxmox_endpoint import *

from .serializers_.proxmox_endpoint import *

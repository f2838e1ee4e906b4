"""
Small builders for test data shared by the plugin tests: the chain of objects a Proxbox model
needs (endpoint -> Proxmox cluster -> node / storage, NetBox cluster -> virtual machine).
Each takes keyword overrides and returns saved objects.
"""

from django.utils.text import slugify

from dcim.models import Device, DeviceRole, DeviceType, Manufacturer, Site
from virtualization.models import Cluster, ClusterType, VirtualMachine

from netbox_proxbox.models import ProxmoxCluster, ProxmoxEndpoint, ProxmoxNode, ProxmoxStorage

__all__ = (
    'make_device',
    'make_endpoint',
    'make_netbox_cluster',
    'make_node',
    'make_proxmox_cluster',
    'make_site',
    'make_storage',
    'make_virtual_machines',
)


def make_site(name='Site 1'):
    return Site.objects.get_or_create(name=name, defaults={'slug': slugify(name)})[0]


def make_endpoint(name='pve', **kwargs):
    fields = {'host': f'{name}.example.com', 'username': 'root@pam', 'token_name': 'sync', 'token_secret': 's'}
    return ProxmoxEndpoint.objects.create(name=name, **{**fields, **kwargs})


def make_proxmox_cluster(name='pve-cluster', endpoint=None, **kwargs):
    endpoint = endpoint or make_endpoint(name=f'{name}-endpoint')
    return ProxmoxCluster.objects.create(name=name, endpoint=endpoint, **kwargs)


def make_node(cluster, name, **kwargs):
    return ProxmoxNode.objects.create(cluster=cluster, name=name, **kwargs)


def make_storage(cluster, name, **kwargs):
    kwargs.setdefault('type', 'dir')
    return ProxmoxStorage.objects.create(cluster=cluster, name=name, **kwargs)


def make_netbox_cluster(name='NetBox cluster 1'):
    cluster_type = ClusterType.objects.get_or_create(name='Proxmox VE', defaults={'slug': 'proxmox-ve'})[0]
    return Cluster.objects.get_or_create(name=name, defaults={'type': cluster_type})[0]


def make_virtual_machines(*names, cluster=None):
    """One VirtualMachine per name (default vm-1..vm-3) in a NetBox cluster."""
    cluster = cluster or make_netbox_cluster()
    names = names or ('vm-1', 'vm-2', 'vm-3')
    return [VirtualMachine.objects.create(name=name, cluster=cluster) for name in names]


def make_device(name='pve-node-1', site=None):
    """A NetBox device, as the sync creates for a Proxmox node."""
    manufacturer = Manufacturer.objects.get_or_create(name='Generic', defaults={'slug': 'generic'})[0]
    device_type = DeviceType.objects.get_or_create(
        manufacturer=manufacturer, model='Server', defaults={'slug': 'server'}
    )[0]
    role = DeviceRole.objects.get_or_create(name='Hypervisor', defaults={'slug': 'hypervisor'})[0]
    return Device.objects.create(name=name, site=site or make_site(), device_type=device_type, role=role)

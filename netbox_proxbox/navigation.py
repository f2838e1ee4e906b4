from django.utils.translation import gettext_lazy as _

from netbox.plugins import PluginMenu, PluginMenuButton, PluginMenuItem


def _item(model_name, text, permission_model=None, add=True):
    """A menu entry for one of our models, with the usual add button."""
    perm_model = permission_model or model_name
    buttons = ()
    if add:
        buttons = (
            PluginMenuButton(
                link=f'plugins:netbox_proxbox:{model_name}_add',
                title=_('Add'),
                icon_class='mdi mdi-plus-thick',
                permissions=[f'netbox_proxbox.add_{perm_model}'],
            ),
        )
    return PluginMenuItem(
        link=f'plugins:netbox_proxbox:{model_name}_list',
        link_text=text,
        permissions=[f'netbox_proxbox.view_{perm_model}'],
        buttons=buttons,
    )


menu = PluginMenu(
    label='Proxbox',
    icon_class='mdi mdi-server-network',
    groups=(
        (
            _('Endpoints'),
            (
                _item('proxmoxendpoint', _('Proxmox Endpoints')),
                _item('netboxendpoint', _('NetBox Endpoint'), add=False),
                _item('fastapiendpoint', _('proxbox-api Endpoint'), add=False),
            ),
        ),
        (
            _('Infrastructure'),
            (
                _item('proxmoxcluster', _('Proxmox Clusters')),
                _item('proxmoxnode', _('Proxmox Nodes')),
                _item('proxmoxstorage', _('Proxmox Storage')),
                _item('netboxendpoint', _('NetBox Endpoint'), add=False),
                _item('fastapiendpoint', _('proxbox-api Endpoint'), add=False),
            ),
        ),
        (
            _('Infrastructure'),
            (
                _item('proxmoxcluster', _('Proxmox Clusters')),
                _item('proxmoxnode', _('Proxmox Nodes')),
                _item('proxmoxstorage', _('Proxmox Storage')),
            ),
        ),
        (
            _('Data protection'),
            (
                _item('backuproutine', _('Backup Routines')),
                _item('vmbackup', _('Backups')),
                _item('vmsnapshot', _('Snapshots')),
                _item('replication', _('Replication Jobs')),
            ),
        ),
        (
            _('Operations'),
            (
                _item('vmtaskhistory', _('Task History')),
                _item('syncrun', _('Sync Runs'), add=False),
                PluginMenuItem(
                    link='plugins:netbox_proxbox:service_log',
                    link_text=_('Service Log'),
                    permissions=['netbox_proxbox.view_fastapiendpoint'],
                ),
                _item('proxboxpluginsettings', _('Settings'), add=False),
            ),
        ),
    ),
)

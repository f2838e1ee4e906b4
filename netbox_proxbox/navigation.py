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
    groups=((_('Endpoints'), (_item('proxmoxendpoint', _('Proxmox Endpoints')),)),),
)

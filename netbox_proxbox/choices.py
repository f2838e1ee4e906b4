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

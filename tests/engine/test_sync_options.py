"""
The sync request's options stay backward compatible and mirror the plugin's settings: every family
(the data-protection ones included) is on by default, the task window and ownership modes are
validated, and an ownership key that is not "app.model.field" is refused with a clear message.
"""

import pytest
from pydantic import ValidationError

from netbox_proxbox.models.plugin_settings import DEFAULT_FIELD_OWNERSHIP, SYNC_FAMILIES
from proxbox_api.engine.mapping import ALL_FAMILIES
from proxbox_api.schemas import FAMILIES, SyncOptions


def test_defaults_cover_every_family_of_the_plugin():
    options = SyncOptions()
    assert options.families == list(FAMILIES) == list(SYNC_FAMILIES)
    assert set(FAMILIES) == ALL_FAMILIES
    assert (options.task_history_days, options.prune_policy, options.field_ownership) == (7, 'mark', {})


def test_the_plugins_ownership_defaults_are_accepted():
    options = SyncOptions(field_ownership={key: str(mode) for key, mode in DEFAULT_FIELD_OWNERSHIP.items()})
    assert options.field_ownership['virtualization.virtualmachine.description'] == 'netbox'


@pytest.mark.parametrize(
    ('ownership', 'message'),
    [
        ({'description': 'netbox'}, 'app.model.field'),
        ({'virtualization..description': 'netbox'}, 'app.model.field'),
        ({'virtualization.virtualmachine.description': 'people'}, "'proxmox', 'netbox' or 'if-empty'"),
    ],
)
def test_bad_ownership_is_refused(ownership, message):
    with pytest.raises(ValidationError, match=message):
        SyncOptions(field_ownership=ownership)


def test_task_window_bounds():
    with pytest.raises(ValidationError):
        SyncOptions(task_history_days=0)
    assert SyncOptions(task_history_days=365).task_history_days == 365

"""The sync engine: Proxmox snapshot → desired state; NetBox → current state; plan; apply."""

from .apply import Applier, ApplyResult, Outcome, apply
from .mapping import MappingContext, desired_state
from .netbox_state import guests_on_nodes, read_current
from .plan import Operation, Plan
from .planner import plan
from .state import CurrentState, DesiredState, PlanOptions
from .target import Target

__all__ = [
    'Applier',
    'ApplyResult',
    'CurrentState',
    'DesiredState',
    'MappingContext',
    'Operation',
    'Outcome',
    'Plan',
    'PlanOptions',
    'Target',
    'apply',
    'desired_state',
    'guests_on_nodes',
    'plan',
    'read_current',
]

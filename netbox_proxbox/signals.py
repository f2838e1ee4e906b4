"""
Keep each Proxmox endpoint's scheduled Full Update and continuous mode in step with the endpoint,
however it was saved (UI, REST API, import, nbshell): after the save commits, the schedule is
(re)made or removed and continuous mode's chain of polls re-armed or ended; before the endpoint is
deleted, its waiting schedule is taken off the queue.
"""

from django.db import transaction
from django.db.models.signals import post_save, pre_delete
from django.dispatch import receiver

from .models import ProxmoxEndpoint
from .sync import continuous
from .sync.schedule import schedule_endpoint, unschedule_endpoint

__all__ = ('endpoint_deleted', 'endpoint_saved')


@receiver(post_save, sender=ProxmoxEndpoint)
def endpoint_saved(sender, instance, raw=False, **kwargs):
    if raw:  # loading fixtures
        return
    pk = instance.pk
    transaction.on_commit(lambda: _reschedule(pk))


def _reschedule(pk):
    endpoint = ProxmoxEndpoint.objects.filter(pk=pk).first()
    if endpoint is not None:
        schedule_endpoint(endpoint)
        continuous.arm(endpoint)


@receiver(pre_delete, sender=ProxmoxEndpoint)
def endpoint_deleted(sender, instance, **kwargs):
    unschedule_endpoint(instance)

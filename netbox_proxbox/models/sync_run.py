from django.db import models
from django.utils.translation import gettext_lazy as _

from netbox.models import NetBoxModel
from netbox.models.features import JobsMixin

from ..choices import SyncKindChoices, SyncStatusChoices, SyncTriggerChoices

__all__ = ('SyncRun',)


class SyncRun(JobsMixin, NetBoxModel):
    """
    One Full Update (or preview) of one or more endpoints: who started it and how, its plan and
    outcome, counts per object type and stage, and the stored event stream. The background job
    that runs it is attached to it (JobsMixin), so NetBox's job page links back here.
    """

    # Large, machine-written fields kept out of change-log snapshots.
    bulky_fields = ('events', 'plan')

    endpoints = models.ManyToManyField(
        to='netbox_proxbox.ProxmoxEndpoint',
        related_name='sync_runs',
        verbose_name=_('endpoints'),
        blank=True,
    )
    trigger = models.CharField(verbose_name=_('trigger'), max_length=10, choices=SyncTriggerChoices)
    kind = models.CharField(
        verbose_name=_('kind'), max_length=12, choices=SyncKindChoices, default=SyncKindChoices.FULL
    )
    scope = models.JSONField(
        verbose_name=_('scope'),
        blank=True,
        null=True,
        help_text=_('A targeted sync: {"cluster": ..., "node": ...} or {"cluster": ..., "vmid": ...}'),
    )
    dry_run = models.BooleanField(verbose_name=_('dry run'), default=False)
    status = models.CharField(
        verbose_name=_('status'), max_length=10, choices=SyncStatusChoices, default=SyncStatusChoices.PENDING
    )
    user = models.ForeignKey(
        to='users.User',
        on_delete=models.SET_NULL,
        related_name='+',
        verbose_name=_('user'),
        blank=True,
        null=True,
    )
    job = models.ForeignKey(
        to='core.Job',
        on_delete=models.SET_NULL,
        related_name='+',
        verbose_name=_('job'),
        blank=True,
        null=True,
    )
    applies_run = models.ForeignKey(
        to='self',
        on_delete=models.SET_NULL,
        related_name='applied_by',
        verbose_name=_('applies preview'),
        blank=True,
        null=True,
        help_text=_('The preview whose plan this run applies'),
    )
    started = models.DateTimeField(verbose_name=_('started'), blank=True, null=True)
    finished = models.DateTimeField(verbose_name=_('finished'), blank=True, null=True)
    counts = models.JSONField(
        verbose_name=_('counts'),
        default=dict,
        blank=True,
        help_text=_('Per object type: created, updated, deleted, unchanged, conflict, failed'),
    )
    stage_durations = models.JSONField(verbose_name=_('stage durations'), default=dict, blank=True)
    error_summary = models.TextField(verbose_name=_('errors'), blank=True)
    plan = models.JSONField(verbose_name=_('plan'), blank=True, null=True)
    events = models.JSONField(verbose_name=_('events'), default=list, blank=True)

    class Meta:
        ordering = ('-created',)
        verbose_name = _('sync run')
        verbose_name_plural = _('sync runs')
        # Starting and cancelling a sync is its own right, apart from editing run records.
        permissions = (('run_sync', 'Can start and cancel Proxbox syncs'),)

    def __str__(self):
        return f'{_("Preview") if self.dry_run else _("Sync")} #{self.pk}'

    def serialize_object(self, exclude=None):
        return super().serialize_object(exclude=[*(exclude or []), *self.bulky_fields])

    def get_status_color(self):
        return SyncStatusChoices.colors.get(self.status)

    def get_trigger_color(self):
        return SyncTriggerChoices.colors.get(self.trigger)

    def get_kind_color(self):
        return SyncKindChoices.colors.get(self.kind)

    @property
    def scope_display(self):
        """ "guest pve-a/100", "node pve-a/pve1", "cluster pve-a"; empty for a full sync."""
        from ..sync.targets import describe

        return describe(self.scope) if (self.scope or {}).get('cluster') else ''

    @property
    def is_finished(self):
        return self.status in SyncStatusChoices.FINISHED

    @property
    def duration(self):
        if self.started and self.finished:
            return self.finished - self.started
        return None

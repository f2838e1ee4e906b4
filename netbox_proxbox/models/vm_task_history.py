from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from netbox.models import NetBoxModel

from ..choices import TaskStatusChoices

__all__ = ('VMTaskHistory',)


class VMTaskHistory(NetBoxModel):
    """A Proxmox task (backup, migration, start, ...) from a node's task log, identified by its UPID."""

    node = models.ForeignKey(
        to='netbox_proxbox.ProxmoxNode',
        on_delete=models.CASCADE,
        related_name='tasks',
        verbose_name=_('node'),
    )
    upid = models.CharField(verbose_name=_('UPID'), max_length=255, unique=True)
    task_type = models.CharField(verbose_name=_('type'), max_length=50)
    object_id = models.CharField(verbose_name=_('object ID'), max_length=100, blank=True)
    user = models.CharField(verbose_name=_('user'), max_length=100)
    start_time = models.DateTimeField(verbose_name=_('started'))
    end_time = models.DateTimeField(verbose_name=_('ended'), blank=True, null=True)
    status = models.CharField(
        verbose_name=_('status'), max_length=10, choices=TaskStatusChoices, default=TaskStatusChoices.RUNNING
    )
    exit_status = models.CharField(verbose_name=_('exit status'), max_length=500, blank=True)
    virtual_machine = models.ForeignKey(
        to='virtualization.VirtualMachine',
        on_delete=models.SET_NULL,
        related_name='proxmox_tasks',
        verbose_name=_('virtual machine'),
        blank=True,
        null=True,
    )

    class Meta:
        ordering = ('-start_time', 'upid')
        verbose_name = _('task')
        verbose_name_plural = _('task history')

    def __str__(self):
        return f'{self.task_type} {self.object_id}'.strip()

    def clean(self):
        super().clean()
        if self.start_time and self.end_time and self.end_time < self.start_time:
            raise ValidationError({'end_time': _('A task cannot end before it started.')})

    def get_status_color(self):
        return TaskStatusChoices.colors.get(self.status)

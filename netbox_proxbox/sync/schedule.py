"""
Each Proxmox endpoint's scheduled Full Update, kept with NetBox's own job scheduling: one
recurring `ProxboxScheduledSyncJob` per endpoint (`enqueue_once` with the endpoint's interval),
replaced when the interval or start changes and removed with the endpoint or its schedule.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from core.choices import JobStatusChoices

__all__ = ('NIGHTLY_AT', 'first_run_at', 'schedule_endpoint', 'scheduled_job', 'unschedule_endpoint')

# Daily schedules (any multiple of a day) start at this local time unless a start is given.
NIGHTLY_AT = time(3, 0)
DAY = 24 * 60


def first_run_at(interval, start=None, now=None):
    """
    The next run of a schedule: the first `start + k * interval` in the future; without a start,
    the next NIGHTLY_AT for daily intervals, else one interval from now.
    """
    now = now or timezone.now()
    if start is not None:
        if start > now:
            return start
        step = timedelta(minutes=interval)
        return start + ((now - start) // step + 1) * step
    if interval % DAY == 0:
        local = timezone.localtime(now)
        candidate = timezone.make_aware(datetime.combine(local.date(), NIGHTLY_AT), local.tzinfo)
        return candidate if candidate > now else candidate + timedelta(days=1)
    return now + timedelta(minutes=interval)


def scheduled_job(endpoint):
    """The endpoint's waiting scheduled job, if any."""
    from ..jobs import ProxboxScheduledSyncJob

    return (
        ProxboxScheduledSyncJob.get_jobs(endpoint)
        .filter(status__in=(JobStatusChoices.STATUS_SCHEDULED, JobStatusChoices.STATUS_PENDING))
        .order_by('scheduled')
        .first()
    )


def unschedule_endpoint(endpoint):
    """Remove the endpoint's waiting schedule (Job.delete() also cancels the RQ job)."""
    from ..jobs import ProxboxScheduledSyncJob

    waiting = (JobStatusChoices.STATUS_SCHEDULED, JobStatusChoices.STATUS_PENDING)
    for job in ProxboxScheduledSyncJob.get_jobs(endpoint).filter(status__in=waiting):
        job.delete()


def schedule_endpoint(endpoint):
    """Make the endpoint's schedule match its settings; returns the scheduled Job or None."""
    from ..jobs import ProxboxScheduledSyncJob

    if not endpoint.enabled or not endpoint.sync_interval:
        unschedule_endpoint(endpoint)
        return None
    current = scheduled_job(endpoint)
    if current is not None and current.interval == endpoint.sync_interval and _same_anchor(current, endpoint):
        return current
    unschedule_endpoint(endpoint)
    return ProxboxScheduledSyncJob.enqueue_once(
        instance=endpoint,
        schedule_at=first_run_at(endpoint.sync_interval, endpoint.sync_start),
        interval=endpoint.sync_interval,
    )


def _same_anchor(job, endpoint):
    """Is the waiting job's time one the endpoint's start would give (or free, without a start)?"""
    if endpoint.sync_start is None or job.scheduled is None:
        return endpoint.sync_start is None
    step = timedelta(minutes=endpoint.sync_interval)
    return (job.scheduled - endpoint.sync_start) % step == timedelta(0)

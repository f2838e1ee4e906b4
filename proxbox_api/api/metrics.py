"""Prometheus metrics of the service (its own registry, so tests and replicas stay independent)."""

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from ..schemas import SyncResult

__all__ = ['Metrics']


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.runs = Counter('proxbox_sync_runs', 'Sync runs by outcome', ['status', 'dry_run'], registry=self.registry)
        self.running = Gauge('proxbox_sync_running', 'Sync runs in progress', registry=self.registry)
        self.duration = Histogram(
            'proxbox_sync_duration_seconds',
            'Duration of sync runs',
            buckets=(1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600),
            registry=self.registry,
        )
        self.objects = Counter(
            'proxbox_objects_written', 'NetBox objects written', ['kind', 'outcome'], registry=self.registry
        )

    def record(self, result: SyncResult) -> None:
        self.runs.labels(status=result.status, dry_run=str(result.dry_run).lower()).inc()
        self.duration.observe(result.duration)
        for kind, counts in result.counts.items():
            for outcome, count in counts.items():
                self.objects.labels(kind=kind, outcome=outcome).inc(count)

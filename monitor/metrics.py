"""The daemon's Prometheus metrics (`monitor run --metrics-port PORT`), served by prometheus-client.

Counters and the cycle-duration histogram are updated by the daemon after each cycle; alerts by
state are read from the database at each scrape, so alerts sent by `monitor alerts retry` or a cron
run on the same database count too. The server binds 127.0.0.1 unless told otherwise: the numbers
name sources and say how many alerts are stuck, which is not for the whole network.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import MonitorError
from .storage.metrics_store import alert_counts

if TYPE_CHECKING:
    from .pipeline.cycle import CycleReport

# Seconds; a cycle runs from well under a second (all 304) to minutes (linked notices, slow sources).
CYCLE_BUCKETS = (0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800)


class _AlertStates:
    """A collector: alerts per outbox state, read when scraped."""

    def __init__(self, database: Path):
        self.database = database

    def collect(self) -> Iterator[Any]:
        from prometheus_client.core import GaugeMetricFamily

        family = GaugeMetricFamily("monitor_alerts", "Alerts in the outbox, by state.", labels=["state"])
        for state, n in sorted(alert_counts(self.database).items()):
            family.add_metric([state], n)
        yield family


class DaemonMetrics:
    """The metrics of one daemon, in a registry of their own, served over HTTP until close()."""

    def __init__(self, database: Path):
        try:
            from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
        except ImportError:
            raise MonitorError("--metrics-port needs prometheus-client: pip install 'monitor[metrics]'") from None
        self.registry = CollectorRegistry()
        r = self.registry
        self.cycles = Counter("monitor_cycles", "Poll cycles run.", registry=r)
        self.cycle_errors = Counter("monitor_cycle_errors", "Cycles that failed with an unexpected error.", registry=r)
        self.duration = Histogram(
            "monitor_cycle_duration_seconds", "Wall time of a poll cycle.", buckets=CYCLE_BUCKETS, registry=r
        )
        self.items = Counter("monitor_items", "Items read from sources.", registry=r)
        self.new = Counter("monitor_articles_new", "New articles stored.", registry=r)
        self.queued = Counter("monitor_alerts_queued", "Alerts queued for delivery.", registry=r)
        self.failures = Counter("monitor_source_failures", "Failed polls, by source.", ["source"], registry=r)
        self.last_cycle = Gauge(
            "monitor_last_cycle_timestamp_seconds", "When the last cycle ended (Unix time).", registry=r
        )
        r.register(_AlertStates(Path(database)))
        self._server: Any = None

    def observe(self, report: CycleReport, seconds: float) -> None:
        self.cycles.inc()
        self.duration.observe(seconds)
        self.items.inc(sum(s.items for s in report.sources))
        self.new.inc(sum(s.new for s in report.sources))
        self.queued.inc(sum(s.alerts for s in report.sources))
        for s in report.failed:
            self.failures.labels(source=s.name).inc()
        self.last_cycle.set_to_current_time()

    def failed_cycle(self) -> None:
        self.cycle_errors.inc()

    def serve(self, host: str, port: int) -> int:
        """Start serving /metrics in a thread; returns the port (the one the system chose for 0)."""
        from prometheus_client import start_http_server

        try:
            self._server, _thread = start_http_server(port, addr=host, registry=self.registry)
        except OSError as e:
            raise MonitorError(f"--metrics-port: cannot listen on {host}:{port}: {e.strerror or e}") from None
        return int(self._server.server_port)

    def close(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

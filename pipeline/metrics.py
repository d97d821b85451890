"""Prometheus metrics for `/metrics`, read from the database at each scrape.

The database is the record of every check, change and delivery, so the counters survive a
restart and agree with `figwatch sources` and the report; the exposition format is
prometheus_client's. A scrape while the database is unreachable still answers, with
`figwatch_database_up 0`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import TYPE_CHECKING

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)
from sqlalchemy import case, func
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, col, select

from storage.models import Change, Delivery, Fetch, Source

if TYPE_CHECKING:
    from pipeline.timetable import ScheduleStats

# Check duration buckets, in seconds.
BUCKETS = (0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)


class DatabaseCollector:
    """Collects figwatch's metrics from the database (a prometheus_client custom collector)."""

    def __init__(
        self,
        session_factory: Callable[[], Session],
        *,
        heartbeat: Callable[[], datetime | None],
        clock: Callable[[], datetime],
    ) -> None:
        self.session_factory = session_factory
        self.heartbeat = heartbeat
        self.clock = clock

    def collect(self) -> Iterator[Metric]:
        beat = self.heartbeat()
        age = GaugeMetricFamily(
            "figwatch_scheduler_heartbeat_age_seconds",
            "Seconds since the scheduler last ran its heartbeat job (-1 before it started).",
        )
        age.add_metric([], (self.clock() - beat).total_seconds() if beat else -1.0)
        yield age
        up = GaugeMetricFamily("figwatch_database_up", "1 when the database answered.")
        try:
            with self.session_factory() as session:
                families = list(_families(session))
        except SQLAlchemyError:
            up.add_metric([], 0.0)
            yield up
            return
        up.add_metric([], 1.0)
        yield up
        yield from families


def _families(session: Session) -> Iterator[Metric]:
    by_source = col(Fetch.source_id) == col(Source.id)
    checks = CounterMetricFamily(
        "figwatch_checks", "Checks by source and outcome.", labels=["source", "outcome"]
    )
    failures = CounterMetricFamily(
        "figwatch_check_failures", "Failed checks by source.", labels=["source"]
    )
    failed: dict[str, int] = {}
    for name, outcome, count in session.exec(
        select(Source.name, Fetch.outcome, func.count())
        .join(Source, by_source)
        .group_by(Source.name, Fetch.outcome)
    ):
        checks.add_metric([name, outcome], count)
        failed[name] = failed.get(name, 0) + (count if outcome == "error" else 0)
    for name, count in sorted(failed.items()):
        failures.add_metric([name], count)
    yield checks
    yield failures

    changes = CounterMetricFamily(
        "figwatch_changes",
        "Figure changes by source and kind (the silent baselines not counted).",
        labels=["source", "kind"],
    )
    for name, kind, count in session.exec(
        select(Source.name, Change.kind, func.count())
        .join(Source, col(Change.source_id) == col(Source.id))
        .where(col(Change.baseline).is_(False))
        .group_by(Source.name, Change.kind)
    ):
        changes.add_metric([name, kind], count)
    yield changes

    deliveries = GaugeMetricFamily(
        "figwatch_deliveries",
        "Alert deliveries in the outbox by channel and status (pending, sent, dead).",
        labels=["channel", "status"],
    )
    pending = 0
    for channel, status, count in session.exec(
        select(Delivery.channel, Delivery.status, func.count()).group_by(
            Delivery.channel, Delivery.status
        )
    ):
        deliveries.add_metric([channel, status], count)
        pending += count if status == "pending" else 0
    yield deliveries
    depth = GaugeMetricFamily("figwatch_outbox_depth", "Deliveries waiting to be sent.")
    depth.add_metric([], pending)
    yield depth

    duration = HistogramMetricFamily(
        "figwatch_check_duration_seconds", "How long checks took, by source.", labels=["source"]
    )
    columns = [
        func.sum(case((col(Fetch.duration_ms) <= round(b * 1000), 1), else_=0)) for b in BUCKETS
    ]
    query = (
        select(Source.name, func.count(), func.sum(Fetch.duration_ms), *columns)  # type: ignore[call-overload]
        .join(Source, by_source)
        .group_by(Source.name)
    )
    for row in session.exec(query):
        name, count, total_ms = row[0], row[1], row[2]
        cumulative: list[int | None] = list(row[3:])
        buckets = [(str(b), int(c or 0)) for b, c in zip(BUCKETS, cumulative, strict=True)]
        duration.add_metric([name], [*buckets, ("+Inf", count)], sum_value=(total_ms or 0) / 1000)
    yield duration


class ScheduleCollector:
    """How the sources keep their schedule in this process (`figwatch run` on SQLite): read
    from the running timetable, so these count from the service's start."""

    def __init__(self, stats: Callable[[], ScheduleStats | None]) -> None:
        self.stats = stats

    def collect(self) -> Iterator[Metric]:
        from pipeline.timetable import LAG_BUCKETS

        stats = self.stats()
        if stats is None:
            return
        lag = HistogramMetricFamily(
            "figwatch_schedule_lag_seconds",
            "How long after its due time each check started (waiting for a free check slot).",
        )
        cumulative = [sum(stats.lag_counts[: i + 1]) for i in range(len(LAG_BUCKETS))]
        buckets = [(str(b), c) for b, c in zip(LAG_BUCKETS, cumulative, strict=True)]
        lag.add_metric([], [*buckets, ("+Inf", stats.started)], sum_value=stats.lag_sum)
        yield lag
        yield CounterMetricFamily(
            "figwatch_schedule_late",
            "Checks that started later than their source's interval + jitter after its last "
            "check (a cron source: its jitter after it was due).",
            value=stats.late,
        )
        yield CounterMetricFamily(
            "figwatch_schedule_coalesced",
            "Due runs that found their source queued (served by the queued check) or being "
            "checked (run once that check ends).",
            value=stats.coalesced,
        )
        yield GaugeMetricFamily(
            "figwatch_schedule_queued",
            "Due sources waiting for a check slot.",
            value=stats.queued(),
        )
        yield GaugeMetricFamily(
            "figwatch_checks_in_flight", "Checks running now.", value=stats.checking()
        )


def metrics_registry(*collectors: DatabaseCollector | ScheduleCollector) -> CollectorRegistry:
    """A registry holding only figwatch's collectors (not the process defaults)."""
    registry = CollectorRegistry(auto_describe=False)
    for collector in collectors:
        registry.register(collector)  # type: ignore[arg-type]
    return registry


def exposition(registry: CollectorRegistry) -> bytes:
    """The registry in Prometheus text format (blocking: it reads the database)."""
    return generate_latest(registry)

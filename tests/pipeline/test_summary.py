"""The service's summary line: what it did since the last one (a quiet service looks alive)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from alerts.outbox import DrainReport
from pipeline.config import Config
from pipeline.runner import CheckResult
from pipeline.summary import Summary, summary_every


def test_the_summary_counts_since_the_last_line_and_names_failing_sources() -> None:
    summary = Summary()
    summary.count(CheckResult("north", "changed", changes=3))
    summary.count(CheckResult("south", "error", error="HTTP 503"))
    summary.count(CheckResult("east", "not_modified"))
    summary.delivered(DrainReport(sent=6, retried=1, dead=0, pending_left=2))
    at = datetime(2025, 1, 14, 9, 10, tzinfo=UTC)
    assert summary.line(at) == (
        "since start: 3 checks (1 with a new page version, 1 failed), 3 figure changes, "
        "6 alerts sent, 0 dead, 2 pending; failing now: south"
    )
    summary.count(CheckResult("south", "not_modified"))
    assert summary.line(at + timedelta(minutes=15)) == (
        "since 09:10 UTC: 1 check (0 with a new page version, 0 failed), 0 figure changes, "
        "0 alerts sent, 0 dead, 2 pending"
    )


def test_the_summary_comes_once_per_default_interval_within_a_minute_and_an_hour() -> None:
    every = {d: summary_every(Config.model_validate({"defaults": {"every": d}})) for d in
             ("10s", "15m", "1d")}  # fmt: skip
    assert every == {"10s": timedelta(minutes=1), "15m": timedelta(minutes=15),
                     "1d": timedelta(hours=1)}  # fmt: skip

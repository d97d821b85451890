"""The service's one summary line per interval, so a quiet service never looks stuck."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from alerts.outbox import DrainReport
from pipeline.config import Config
from pipeline.runner import CheckResult
from pipeline.words import plural

SUMMARY_MIN, SUMMARY_MAX = timedelta(minutes=1), timedelta(hours=1)


def summary_every(config: Config) -> timedelta:
    """How often `figwatch run` logs its summary: the default interval, within 1 min .. 1 h."""
    return min(max(config.defaults.every, SUMMARY_MIN), SUMMARY_MAX)


@dataclass
class Summary:
    """What the service did since the last summary line."""

    since: datetime | None = None
    checks: int = 0
    failed: int = 0
    changed: int = 0
    changes: int = 0
    sent: int = 0
    dead: int = 0
    pending: int = 0  # as the last drain left the outbox
    _failing: set[str] = field(default_factory=set)

    def count(self, result: CheckResult) -> None:
        self.checks += 1
        if result.outcome == "error":
            self.failed += 1
            self._failing.add(result.source)
        else:
            self._failing.discard(result.source)
        if result.outcome == "changed":
            self.changed += 1
            self.changes += result.changes

    def delivered(self, report: DrainReport) -> None:
        self.sent += report.sent
        self.dead += report.dead
        self.pending = report.pending_left

    def line(self, now: datetime) -> str:
        """The summary since the last one (and start the next period at `now`)."""
        span = f"since {self.since:%H:%M} UTC" if self.since else "since start"
        text = (
            f"{span}: {plural(self.checks, 'check')} ({self.changed} with a new page version, "
            f"{self.failed} failed), {plural(self.changes, 'figure change')}, "
            f"{plural(self.sent, 'alert')} sent, {self.dead} dead, {self.pending} pending"
        )
        if self._failing:
            text += f"; failing now: {', '.join(sorted(self._failing))}"
        self.since = now
        self.checks = self.failed = self.changed = self.changes = self.sent = self.dead = 0
        return text

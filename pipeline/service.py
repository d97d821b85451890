"""The running service: the pieces a check needs, built once from the config, and the scheduler.

`App` holds the engine, the channels, the HTTP client and the runner; `figwatch run`, `check` and
`demo` all go through it, so they run the very same pipeline.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import re
import signal
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from alerts.channels import Channel, build_channel
from alerts.message import AlertMessage
from alerts.outbox import DrainReport, drain
from pipeline.config import Config, Source, WebhookAlert
from pipeline.fetch import USER_AGENT, FetchSettings, make_client
from pipeline.runner import CheckResult, Runner, SourceJob
from storage.db import make_engine, migrate, session_factory

log = logging.getLogger(__name__)

# Seconds in-flight checks may take to finish after SIGTERM before they are abandoned.
STOP_GRACE = 20.0
HEARTBEAT_EVERY = 10  # seconds between the scheduler's heartbeats
WEEKDAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class App:
    """Everything a check and a drain need, built from a validated config."""

    config: Config
    session_factory: Callable[[], Session]
    runner: Runner
    channels: Mapping[str, Channel]
    clock: Callable[[], datetime]
    on_delivered: Callable[[AlertMessage, str], None] | None = None
    on_dead: Callable[[AlertMessage, str, str], None] | None = None
    # When the scheduler last ran its heartbeat job (None before it started): `/healthz` says
    # the scheduler is stuck when this grows old.
    heartbeat: datetime | None = None
    _drain_lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    def beat(self) -> None:
        """Record that the scheduler is running jobs."""
        self.heartbeat = self.clock()

    def jobs(self, only: str | None = None) -> list[SourceJob]:
        return [
            job_for(self.config, source)
            for source in self.config.sources
            if source.enabled and (only is None or source.name == only)
        ]

    async def check(self, only: str | None = None) -> list[CheckResult]:
        """One pass over all enabled sources (or one), then drain the outbox."""
        results = await self.runner.check_all(self.jobs(only))
        await self.drain()
        return results

    async def drain(self) -> DrainReport:
        """Deliver what the outbox holds that is due; one drain at a time in this process."""
        outbox = self.config.outbox
        async with self._drain_lock:
            return await asyncio.to_thread(
                drain,
                self.session_factory,
                channels=self.channels,
                now=self.clock,
                max_attempts=outbox.max_attempts,
                backoff=outbox.backoff,
                on_delivered=self.on_delivered,
                on_dead=self.on_dead,
            )


def job_for(config: Config, source: Source) -> SourceJob:
    """The check settings of one configured source, with the defaults applied."""
    schedule = config.schedule_for(source)
    return SourceJob(
        name=schedule.name,
        url=str(schedule.url),
        selector=schedule.selector,
        channels=schedule.alerts,
        alert_on_first_check=schedule.alert_on_first_check,
    )


def build_channels(config: Config) -> dict[str, Channel]:
    """One channel per [[alerts]] entry, by name.

    Channels stamp messages with the wall clock, not the app's clock: a receiver checks
    `webhook-timestamp` against its own time.
    """
    channels: dict[str, Channel] = {}
    for alert in config.alerts:
        if isinstance(alert, WebhookAlert):
            channels[alert.name] = build_channel(
                "webhook", name=alert.name, url=str(alert.url), secret=alert.secret,
                timeout=alert.timeout, headers=alert.headers,
            )  # fmt: skip
        else:
            channels[alert.name] = build_channel(
                "email", name=alert.name, smtp=alert.smtp, sender=alert.from_,
                recipients=alert.to, starttls=alert.starttls,
                subject_prefix=alert.subject_prefix,
            )  # fmt: skip
    return channels


@contextlib.asynccontextmanager
async def open_app(config: Config, *, clock: Callable[[], datetime] = utcnow) -> AsyncIterator[App]:
    """Migrate the database, build the channels and HTTP client; close them on exit.

    Raises storage.db.DatabaseError when the database cannot be reached or migrated.
    """
    engine = make_engine(config.database)
    await asyncio.to_thread(migrate, engine)
    defaults = config.defaults
    settings = FetchSettings(
        total_timeout=defaults.timeout.total_seconds(),
        max_bytes=defaults.max_bytes,
        user_agent=defaults.user_agent or USER_AGENT,
    )
    channels = build_channels(config)
    client = make_client(settings)
    factory = session_factory(engine)
    runner = Runner(factory, client, settings, clock, aliases=dict(config.subjects.aliases))
    try:
        yield App(config, factory, runner, channels, clock)
    finally:
        for channel in channels.values():
            close = getattr(channel, "close", None)  # channels that keep a connection pool
            if close is not None:
                close()
        runner.close()
        await client.aclose()
        engine.dispose()


def jitter_for(config: Config, source: Source) -> timedelta:
    """The random delay of each run: the configured jitter, at most a quarter of the interval
    (15 s for cron), so a frequent source is not run at random."""
    schedule = config.schedule_for(source)
    if schedule.cron:
        return min(schedule.jitter, timedelta(seconds=15))
    return min(schedule.jitter, (schedule.every or config.defaults.every) / 4)


def trigger_for(config: Config, source: Source) -> IntervalTrigger | CronTrigger:
    """The source's schedule: its cron (UTC), else its interval (or the default), with jitter."""
    schedule = config.schedule_for(source)
    jitter = int(jitter_for(config, source).total_seconds()) or None
    if schedule.cron:
        minute, hour, day, month, day_of_week = schedule.cron.split()
        # APScheduler 3 counts weekdays from Monday = 0; crontab from Sunday = 0 (and 7): name them.
        day_of_week = re.sub(r"(?<![/\d])\d+", lambda m: WEEKDAYS[int(m[0]) % 7], day_of_week)
        return CronTrigger(
            minute=minute, hour=hour, day=day, month=month, day_of_week=day_of_week,
            timezone=UTC, jitter=jitter,
        )  # fmt: skip
    every = schedule.every or config.defaults.every
    return IntervalTrigger(seconds=int(every.total_seconds()), timezone=UTC, jitter=jitter)


async def serve(app: App, *, stop: asyncio.Event) -> None:
    """Run every source on its schedule and drain the outbox until `stop` is set.

    One job per source: never two runs of one source at once (max_instances=1), missed runs
    coalesced into one. Every source runs once at start, spread over its jitter so a restart
    does not fire every fetch at the same instant. On stop, in-flight checks get STOP_GRACE seconds;
    what is then abandoned was not committed and is simply redone on the next start.
    """
    scheduler = AsyncIOScheduler(timezone=UTC)
    in_flight: set[asyncio.Task[object]] = set()

    async def run_check(job: SourceJob) -> None:
        task = asyncio.current_task()
        assert task is not None
        in_flight.add(task)
        try:
            [result] = await app.runner.check_all([job])
            _log_result(result)
            if result.alerts:
                await run_drain()
        finally:
            in_flight.discard(task)

    async def run_drain() -> None:
        try:
            report = await app.drain()
        except SQLAlchemyError as e:  # the database is down: say so once a drain, try again later
            log.error("outbox: database error: %s", str(e).strip().splitlines()[0])
            return
        if report.sent or report.dead:
            log.info(
                "outbox: %d sent, %d dead, %d pending",
                report.sent,
                report.dead,
                report.pending_left,
            )

    start = app.clock()
    for source in app.config.sources:
        if not source.enabled:
            continue
        job = job_for(app.config, source)
        scheduler.add_job(
            run_check,
            trigger_for(app.config, source),
            args=[job],
            id=f"source:{job.name}",
            name=job.name,
            max_instances=1,
            coalesce=True,
            misfire_grace_time=300,
            next_run_time=start + jitter_for(app.config, source) * random.random(),
        )
    every = app.config.outbox.drain_every
    scheduler.add_job(
        run_drain,
        IntervalTrigger(seconds=int(every.total_seconds()), timezone=UTC),
        id="outbox",
        max_instances=1,
        coalesce=True,
        next_run_time=start,
    )

    async def heartbeat() -> None:
        app.beat()

    scheduler.add_job(
        heartbeat,
        IntervalTrigger(seconds=HEARTBEAT_EVERY, timezone=UTC),
        id="heartbeat",
        max_instances=1,
        coalesce=True,
        next_run_time=start,
    )
    scheduler.start()
    log.info("figwatch running: %d sources, %d alert channels", len(app.jobs()), len(app.channels))
    try:
        await stop.wait()
    finally:
        # Pause first: shutting the scheduler down cancels its running jobs, and in-flight
        # checks get STOP_GRACE seconds to finish before that happens.
        scheduler.pause()
        if in_flight:
            log.info("stopping: waiting up to %.0fs for %d checks", STOP_GRACE, len(in_flight))
            _done, pending = await asyncio.wait(set(in_flight), timeout=STOP_GRACE)
            if pending:
                log.warning("stopping: abandoning %d unfinished checks", len(pending))
        scheduler.shutdown(wait=False)
        log.info("figwatch stopped")


def install_stop_signals(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)


def _log_result(result: CheckResult) -> None:
    if result.outcome == "changed":
        log.info(
            "source %s: %d figures, %d changes%s",
            result.source,
            result.figures,
            result.changes,
            " (baseline)" if result.baseline else "",
        )
    else:
        log.debug("source %s: %s", result.source, result.outcome)

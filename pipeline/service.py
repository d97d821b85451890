"""The running service: the pieces a check needs, built once from the config, and the scheduler.

`App` holds the engine, the channels, the HTTP client and the runner; `figwatch run`, `check` and
`demo` all go through it, so they run the very same pipeline.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import gc
import logging
import os
import random
import re
import signal
import socket
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from alerts.channels import Channel
from alerts.digest import close_digests, period_end
from alerts.message import AlertMessage
from alerts.outbox import DrainReport, deadline_of, drain
from alerts.tally import ChannelTally, tally
from pipeline.config import Config, ConfigError, Source
from pipeline.config.channels import build as build_channel
from pipeline.fetch import make_client, settings_for
from pipeline.runner import CheckResult, Runner, SourceJob
from pipeline.summary import Summary, summary_every
from pipeline.timetable import Dispatcher, Plan, ScheduleStats
from pipeline.upkeep import prune
from storage.db import at_head, make_engine, migrate, session_factory
from storage.retention import Pruned

if TYPE_CHECKING:
    from apscheduler.schedulers.asyncio import AsyncIOScheduler
    from apscheduler.triggers.cron import CronTrigger
    from apscheduler.triggers.interval import IntervalTrigger

    from pipeline.cluster import Cluster

log = logging.getLogger(__name__)

# Seconds in-flight checks may take to finish after SIGTERM before they are abandoned.
STOP_GRACE = 20.0
DELIVERY_GRACE = 5.0  # seconds deliveries in flight may take to finish after SIGTERM
ABORT_GRACE = 5.0  # seconds an abandoned delivery may take to notice
LEASE = timedelta(minutes=5)  # the least time a claimed delivery stays with its drainer
HEARTBEAT_EVERY = 10  # seconds between the scheduler's heartbeats
DIGEST_EVERY = 60  # seconds between looks for digests whose period ended
START_SPREAD = timedelta(milliseconds=50)  # start-up time per source, up to its interval
BURST = 50  # checks after which an idle moment releases memory
RELEASE_EVERY = 1000  # ... and after which memory is released anyway (a busy service is never idle)
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
    # How the sources keep their schedule (`figwatch run` on SQLite; None otherwise): `/metrics`.
    schedule: ScheduleStats | None = None
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep  # tests pass one that moves `clock`
    # When the scheduler last ran its heartbeat job (None before it started): `/healthz` says
    # the scheduler is stuck when this grows old.
    heartbeat: datetime | None = None
    # Who this instance's drains claim deliveries as (cluster mode: its worker id), else None.
    claimer: Callable[[], str | None] = lambda: None
    _drain_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    _stop_drains: threading.Event = field(default_factory=threading.Event)
    _drains: int = 0  # drain threads running now, guarded by _drains_changed
    _drains_changed: threading.Condition = field(default_factory=threading.Condition)

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
        await self.close_digests()
        await self.drain()
        return results

    async def close_digests(self) -> list[int]:
        """Make the digest of every digest channel whose period ended with alerts held; the
        next drain sends them. Returns the new digests' ids (none: nothing was due)."""
        ends = digest_ends(self.config, self.clock())
        if not ends:
            return []
        return await asyncio.to_thread(
            close_digests, self.session_factory, ends=ends, now=self.clock()
        )

    @property
    def lease(self) -> timedelta:
        """How long a claimed delivery stays ours: well past any channel's attempt deadline."""
        longest = max((deadline_of(c) for c in self.channels.values()), default=0.0)
        return max(LEASE, timedelta(seconds=2 * longest + 60))

    async def drain(self) -> DrainReport:
        """Deliver all that the outbox holds that is due; one drain at a time in this process."""
        async with self._drain_lock:
            return await asyncio.to_thread(self._drain_thread)

    def _drain_thread(self) -> DrainReport:
        outbox = self.config.outbox
        with self._drains_changed:
            self._drains += 1
        try:
            return drain(
                self.session_factory,
                channels=self.channels,
                now=self.clock,
                max_attempts=outbox.max_attempts,
                backoff=outbox.backoff,
                lease=self.lease,
                on_delivered=self.on_delivered,
                on_dead=self.on_dead,
                limit=None,
                stop=self._stop_drains,
                claimer=self.claimer(),
            )
        finally:
            with self._drains_changed:
                self._drains -= 1
                self._drains_changed.notify_all()

    async def stop_delivering(self, grace: float) -> None:
        """Claim no further delivery; give the attempts in flight `grace` seconds, then end them.

        Returns once no drain of this process is running: nothing is sent after it returns.
        An abandoned attempt's row stays pending and is retried by the next drain anywhere.
        """
        self._stop_drains.set()
        if await asyncio.to_thread(self._drains_idle, grace):
            return
        log.warning("stopping: abandoning the deliveries in flight (they stay pending)")
        self.abandon_deliveries()
        if not await asyncio.to_thread(self._drains_idle, ABORT_GRACE):
            log.error("stopping: a delivery did not end when abandoned")

    def _drains_idle(self, timeout: float) -> bool:
        with self._drains_changed:
            return self._drains_changed.wait_for(lambda: self._drains == 0, timeout)

    async def deliver(
        self, change_ids: Collection[int], *, within: timedelta
    ) -> list[ChannelTally]:
        """Drain until every alert of `change_ids` is sent or dead, retrying a failed one when
        its backoff comes due, as long as that is within `within`; then say where each stands.

        Rows of channels that are no longer configured are counted as pending, not waited for.
        """
        give_up = self.clock() + within
        while True:
            await self.drain()
            with self.session_factory() as session:
                tallies = tally(session=session, change_ids=change_ids)
            due = [
                t.next_attempt_at
                for t in tallies
                if t.channel in self.channels and t.next_attempt_at is not None
            ]
            if not due or min(due) > give_up or self._stop_drains.is_set():
                return tallies
            await self.sleep(max((min(due) - self.clock()).total_seconds(), 0.0))

    async def prune(self) -> Pruned:
        """Delete the fetch rows and article versions `[retention] keep` no longer asks for."""
        before = self.clock() - self.config.retention.keep
        return await asyncio.to_thread(prune, self.session_factory, before=before)

    def abandon_deliveries(self) -> None:
        """End the delivery attempts in flight now; they stay pending."""
        for channel in self.channels.values():
            abort = getattr(channel, "abort", None)
            if abort is not None:
                abort()


def digest_ends(config: Config, now: datetime) -> dict[str, datetime]:
    """Each digest channel's last finished period end at `now`, by channel name."""
    ends = {}
    for alert in config.alerts:
        digest = alert.rules(config.subjects.aliases).digest
        if digest is not None:
            ends[alert.name] = period_end(now, every=digest.every, at=digest.at, zone=digest.zone)
    return ends


def add_digest_job(
    scheduler: AsyncIOScheduler, app: App, drain: Callable[[], Awaitable[None]]
) -> None:
    """Close due digests every DIGEST_EVERY seconds (then drain); nothing without a digest
    channel. For `serve`, beside its outbox job."""
    if not digest_ends(app.config, app.clock()):
        return

    from apscheduler.triggers.interval import IntervalTrigger  # `run` only: not at start-up

    async def digests() -> None:
        try:
            made = await app.close_digests()
        except SQLAlchemyError as e:
            log.error("digests: database error: %s", str(e).strip().splitlines()[0])
            return
        if made:
            await drain()

    scheduler.add_job(
        digests,
        IntervalTrigger(seconds=DIGEST_EVERY, timezone=UTC),
        id="digests",
        max_instances=1,
        coalesce=True,
        next_run_time=app.clock(),
        replace_existing=True,
    )


def job_for(config: Config, source: Source) -> SourceJob:
    """The check settings of one configured source, with the defaults applied."""
    schedule = config.schedule_for(source)
    aliases = config.subjects.aliases
    return SourceJob(
        name=schedule.name,
        url=str(schedule.url),
        selector=schedule.selector,
        channels=schedule.alerts,
        alert_on_first_check=schedule.alert_on_first_check,
        flood_limit=schedule.flood_limit,
        rules=tuple(a.rules(aliases) for a in config.alerts_for(source)),
        fail_after=schedule.fail_after,
    )


def build_channels(config: Config) -> dict[str, Channel]:
    """One channel per [[alerts]] entry, by name.

    Channels stamp messages with the wall clock, not the app's clock: a receiver checks
    `webhook-timestamp` against its own time.
    """
    return {alert.name: build_channel(alert) for alert in config.alerts}


@contextlib.asynccontextmanager
async def open_app(
    config: Config, *, clock: Callable[[], datetime] = utcnow, parsing: bool = False
) -> AsyncIterator[App]:
    """Migrate the database, build the channels and HTTP client; close them on exit.
    `parsing`: the caller is to check sources. On a database not yet migrated (a first check:
    every page will be parsed) the parsing workers then start before the migration, and their
    start-up (an interpreter each, lxml, the extractor) overlaps it; otherwise a pass starts
    them when it needs them (Runner.check_all), as an unchanged pass never does.

    Raises storage.db.DatabaseError when the database cannot be reached or migrated.
    """
    engine = make_engine(config.database)
    settings = settings_for(config)
    channels = build_channels(config)
    client = make_client(settings)
    factory = session_factory(engine)
    f = config.fetch
    runner = Runner(
        factory, client, settings, clock, aliases=dict(config.subjects.aliases),
        in_flight=f.in_flight, parsing=f.parsing, workers=f.workers,
        db_threads=1 if engine.dialect.name == "sqlite" else 0,  # SQLite: one writer at a time
        instance=instance_name(config),
    )  # fmt: skip
    try:
        if not await asyncio.to_thread(at_head, engine):
            if parsing:
                runner.start_workers()
            await asyncio.to_thread(migrate, engine)
        yield App(config, factory, runner, channels, clock)
    finally:
        for channel in channels.values():
            close = getattr(channel, "close", None)  # channels that keep a connection pool
            if close is not None:
                close()
        runner.close()
        await client.aclose()
        engine.dispose()


def is_cluster(config: Config) -> bool:
    """Whether `figwatch run` shares its checks with other instances: on PostgreSQL it does."""
    return config.database.startswith("postgresql")


def instance_name(config: Config) -> str:
    """This instance's name in fetch_log and `figwatch sources`: `[cluster] instance`, else
    host:pid."""
    return config.cluster.instance or f"{socket.gethostname()}:{os.getpid()}"


def jitter_for(config: Config, source: Source) -> timedelta:
    """The random delay of each run: the configured jitter, at most a quarter of the interval
    (15 s for cron), so a frequent source is not run at random."""
    schedule = config.schedule_for(source)
    if schedule.cron:
        return min(schedule.jitter, timedelta(seconds=15))
    return min(schedule.jitter, (schedule.every or config.defaults.every) / 4)


def first_run(config: Config, source: Source, rank: int, count: int) -> timedelta:
    """When the `rank`-th of `count` sources first runs after start-up: the start-up is spread
    evenly over START_SPREAD per source, at most the source's interval (a few sources start at
    once, thousands over their first interval), plus the source's jitter."""
    schedule = config.schedule_for(source)
    every = timedelta(0) if schedule.cron else schedule.every or config.defaults.every
    spread = min(every, START_SPREAD * count) * (rank / count)
    return spread + jitter_for(config, source) * random.random()


def release_memory() -> None:
    """Collect garbage and hand freed heap back to the system (glibc keeps it otherwise)."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def plan_for(config: Config, source: Source) -> Plan:
    """The source's check and its schedule, for the timetable."""
    schedule = config.schedule_for(source)
    trigger = trigger_for(config, source)
    every = None if schedule.cron else schedule.every or config.defaults.every
    return Plan(job_for(config, source), trigger, every, timedelta(seconds=trigger.jitter or 0))


def trigger_for(config: Config, source: Source) -> IntervalTrigger | CronTrigger:
    """The source's schedule: its cron (UTC), else its interval (or the default), with jitter."""
    from apscheduler.triggers.cron import CronTrigger  # `run` only: not at start-up
    from apscheduler.triggers.interval import IntervalTrigger

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


async def serve(
    app: App, *, stop: asyncio.Event, reload: Callable[[], Config] | None = None
) -> None:
    """Run every source on its schedule and drain the outbox until `stop` is set.

    The sources are run by a Dispatcher (pipeline/timetable.py): a due source is queued once,
    and a fixed pool of check tasks (the runner's in-flight limit) takes the queued ones earliest
    deadline first, so a check waiting for its turn never costs its source a run, and two runs
    of one source never overlap. Every source runs once at start, spread over its first
    interval (first_run) so a restart does not fire every fetch at the same instant.
    On SIGHUP, `reload()` gives the new config (see `apply_config`); one that raises
    ConfigError is reported and the running one kept. On stop, in-flight checks get STOP_GRACE
    seconds; what is then abandoned was not committed and is simply redone on the next start.

    On PostgreSQL the sources are not scheduled here but shared with every other instance on
    the database (pipeline/cluster.py); the other jobs (outbox, digests, ...) stay here.
    """
    from apscheduler.schedulers.asyncio import AsyncIOScheduler  # `run` only: not at start-up
    from apscheduler.triggers.interval import IntervalTrigger

    scheduler = AsyncIOScheduler(timezone=UTC)
    in_flight: set[asyncio.Task[object]] = set()
    summary = Summary()
    burst = [0]  # checks since memory was last released

    async def run_check(job: SourceJob) -> None:
        task = asyncio.current_task()
        assert task is not None
        in_flight.add(task)
        try:
            [result] = await app.runner.check_all([job])
            summary.count(result)
            _log_result(result)
            if result.alerts:
                drains.request()  # in its own task: a check slot is not held by deliveries
        except asyncio.CancelledError:
            # Stopping: a check abandoned or never started committed nothing and is redone
            # after the restart; ending quietly here keeps its traceback out of the log.
            if not stop.is_set():
                raise
        finally:
            in_flight.discard(task)
            burst[0] += 1
            if (not in_flight and burst[0] >= BURST) or burst[0] >= RELEASE_EVERY:
                burst[0] = 0
                release_memory()  # a burst is over: give its pages back to the system

    async def run_drain() -> None:
        try:
            report = await app.drain()
        except SQLAlchemyError as e:  # the database is down: say so once a drain, try again later
            log.error("outbox: database error: %s", str(e).strip().splitlines()[0])
            return
        summary.delivered(report)
        if report.sent or report.dead:
            log.info(
                "outbox: %d sent, %d dead, %d pending",
                report.sent,
                report.dead,
                report.pending_left,
            )

    drains = Again(run_drain, name="figwatch-drain")

    async def run_prune() -> None:
        try:
            await app.prune()
        except SQLAlchemyError as e:
            log.error("retention: database error: %s", str(e).strip().splitlines()[0])

    async def summarise() -> None:
        line = summary.line(app.clock())
        log.info("%s%s", line, app.schedule.since_last() if app.schedule is not None else "")

    async def heartbeat() -> None:
        app.beat()

    def schedule_source(source: Source, first: datetime, rank: int = 0, count: int = 1) -> None:
        assert dispatcher is not None
        dispatcher.add(
            plan_for(app.config, source), first + first_run(app.config, source, rank, count)
        )

    def every(interval: timedelta) -> IntervalTrigger:
        return IntervalTrigger(seconds=int(interval.total_seconds()), timezone=UTC)

    def schedule_upkeep(first: datetime) -> None:
        """The jobs that are not sources: outbox, heartbeat, retention, the summary line."""
        config = app.config
        jobs = [
            ("outbox", run_drain, config.outbox.drain_every, first),
            ("heartbeat", heartbeat, timedelta(seconds=HEARTBEAT_EVERY), first),
            ("retention", run_prune, config.retention.every, first + timedelta(minutes=1)),
            ("summary", summarise, summary_every(config), first + summary_every(config)),
        ]
        for name, func, interval, at in jobs:
            scheduler.add_job(
                func, every(interval), id=name, max_instances=1, coalesce=True,
                next_run_time=at, replace_existing=True,
            )  # fmt: skip

    async def on_hangup() -> None:
        assert reload is not None
        try:
            config = await asyncio.to_thread(reload)
        except ConfigError as e:
            log.error("reload: the running config is kept: %s", e)
            return
        changed = await apply_config(app, config)
        now = app.clock()
        if cluster is not None:
            cluster.plan()  # the sources as this config has them, from their latest slots
        else:
            assert dispatcher is not None
            for name in changed.removed:
                dispatcher.remove(name)  # a check of it in flight runs to its end
            for source in app.config.sources:
                if source.name in changed.added or source.name in changed.changed:
                    schedule_source(source, now)
        schedule_upkeep(now)
        add_digest_job(scheduler, app, run_drain)  # a reload may add the first digest channel
        log.info("reload: %s", changed)

    start = app.clock()
    enabled = [source for source in app.config.sources if source.enabled]
    cluster: Cluster | None = None
    dispatcher: Dispatcher | None = None
    if is_cluster(app.config):
        from pipeline.cluster import Cluster  # procrastinate comes with the [postgres] extra

        cluster = Cluster(app, run_check=run_check, grace=STOP_GRACE)
        await cluster.start()
    else:
        dispatcher = Dispatcher(run_check, tasks=app.config.fetch.in_flight, clock=app.clock)
        app.schedule = dispatcher.stats
        for rank, source in enumerate(enabled):
            schedule_source(source, start, rank, len(enabled))
        dispatcher.start()
    schedule_upkeep(start)
    add_digest_job(scheduler, app, run_drain)
    scheduler.start()
    if reload is not None:
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGHUP, lambda: loop.create_task(on_hangup()))
    log.info("figwatch running: %d sources, %d alert channels", len(app.jobs()), len(app.channels))
    try:
        await stop.wait()
    finally:
        # Start nothing new (upkeep jobs, checks); in-flight checks get STOP_GRACE seconds to
        # finish, queued ones never start.
        scheduler.pause()
        app.runner.stopping = True
        if cluster is not None:
            await cluster.stop()  # takes no further check; gives those in flight their grace
        if dispatcher is not None:
            dispatcher.close()  # starts no further check; those in flight get their grace below
        # Deliveries are not what a stop must wait for: an abandoned one stays pending and is
        # sent after the restart. They get a short grace, checks in flight a longer one.
        delivering = asyncio.create_task(app.stop_delivering(DELIVERY_GRACE))
        if in_flight:
            log.info("stopping: waiting up to %.0fs for %d checks", STOP_GRACE, len(in_flight))
            _done, pending = await asyncio.wait(set(in_flight), timeout=STOP_GRACE)
            if pending:
                log.warning("stopping: abandoning %d unfinished checks", len(pending))
                for task in pending:  # ended here, not by asyncio.run's exit: no traceback
                    task.cancel()
                await asyncio.wait(pending)
        if dispatcher is not None:
            await dispatcher.wait_closed()
        await delivering
        await drains.wait()  # a drain started after stop_delivering stops at once
        scheduler.shutdown(wait=False)
        log.info("figwatch stopped")


class Again:
    """Runs `job` in a task of its own when asked: one run at a time, and a request while it
    runs makes it run once more after it (never more than one waiting). A drain asked for by a
    check whose alerts were committed after the running drain chose its rows still runs."""

    def __init__(self, job: Callable[[], Awaitable[None]], *, name: str) -> None:
        self._job = job
        self._name = name
        self._task: asyncio.Task[None] | None = None
        self._again = False

    def request(self) -> None:
        if self._task is not None and not self._task.done():
            self._again = True
        else:
            self._task = asyncio.get_running_loop().create_task(self._run(), name=self._name)

    async def _run(self) -> None:
        self._again = True
        while self._again:
            self._again = False
            try:
                await self._job()
            except Exception:  # logged here: no one awaits this task until the service stops
                log.exception("%s failed", self._name)

    async def wait(self) -> None:
        """Until the run in progress, and the one asked for meanwhile, have ended."""
        while self._task is not None and not self._task.done():
            await asyncio.wait({self._task})


@dataclass(frozen=True, slots=True)
class Reloaded:
    """What a reload changed: source names added, removed (or disabled) and changed."""

    added: tuple[str, ...]
    removed: tuple[str, ...]
    changed: tuple[str, ...]
    channels: int

    def __str__(self) -> str:
        parts = [f"{len(self.added)} added", f"{len(self.removed)} removed"]
        parts.append(f"{len(self.changed)} changed")
        names = [*self.added, *self.removed, *self.changed]
        listed = f" ({', '.join(names)})" if names and len(names) <= 10 else ""
        return f"sources {', '.join(parts)}{listed}; {self.channels} alert channels"


async def apply_config(app: App, config: Config) -> Reloaded:
    """Make `config` the running one: channels, fetch settings, aliases; say what sources moved.

    The database is not switched (a warning says so): that takes a restart. Checks and
    deliveries in flight finish with what they started with.
    """
    old = app.config
    if config.database != old.database:
        log.warning("reload: a new database takes a restart; still using the one in use")
        config = config.model_copy(update={"database": old.database})
    before = {job.name: job for job in app.jobs()}
    app.channels = build_channels(config)
    app.config = config
    settings = settings_for(config)
    client, app.runner.client = app.runner.client, make_client(settings)
    app.runner.fetch_settings = settings
    app.runner._fetcher = None  # the next check makes one over the new client and settings
    app.runner.aliases = dict(config.subjects.aliases)
    # Checks in flight still hold the old client: close it once they are surely done.
    asyncio.get_running_loop().call_later(
        STOP_GRACE * 3, lambda: asyncio.ensure_future(client.aclose())
    )
    after = {job.name: job for job in app.jobs()}
    schedules = {s.name: (trigger_for(config, s), jitter_for(config, s)) for s in config.sources}
    old_schedules = {s.name: (trigger_for(old, s), jitter_for(old, s)) for s in old.sources}
    changed = tuple(
        name
        for name in after
        if name in before
        and (after[name] != before[name] or str(schedules[name]) != str(old_schedules[name]))
    )
    return Reloaded(
        added=tuple(n for n in after if n not in before),
        removed=tuple(n for n in before if n not in after),
        changed=changed,
        channels=len(app.channels),
    )


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

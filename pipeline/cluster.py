"""Cluster mode: any number of `figwatch run` on one PostgreSQL database share the checks.

APScheduler's job stores must not be shared between schedulers, so on PostgreSQL the sources are
scheduled through procrastinate, a job queue kept in the same database:

- one instance, the live one whose worker registered first, defers for each source and each
  slot of its schedule one check job with `defer_periodic_job`: a (source, slot) pair is
  deferred once, also when two instances both think they lead for a moment. When the leader's
  heartbeat stops, the next one takes over and defers every source's latest slot again. The job
  has a queueing lock (a source waits in the queue at most once: a late slot joins the waiting
  one) and a lock (never two checks of one source at once);
- workers take jobs with SKIP LOCKED and send a heartbeat; the checks of an instance silent for
  `[cluster] stalled_after` are failed and deferred again by the others (`recover`);
- a check first raises the source's fencing token, unless the source was already fetched in
  this slot (storage.repository.take_fence); what it finds is recorded only while its token is
  still the newest (pipeline.runner), so an instance paused past its heartbeat and resumed
  cannot overwrite a newer result nor alert a second time.

The outbox, digests and retention need nothing of this: they are safe to share as they are.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import logging
import math
import time
import zlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from croniter import croniter
from procrastinate import App as Procrastinate
from procrastinate import PsycopgConnector
from procrastinate.exceptions import AlreadyEnqueued, ConnectorException
from procrastinate.jobs import JobDeferrer, Status
from procrastinate.tasks import Task
from procrastinate.worker import Worker
from sqlalchemy import Select, literal_column, select, table, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from alerts.outbox import release_claims
from pipeline.config import Config, Source
from pipeline.runner import SourceJob
from storage import repository as repo
from storage.db import first_line

if TYPE_CHECKING:
    from pipeline.service import App

log = logging.getLogger(__name__)

QUEUE = "figwatch"
TASK = "figwatch.check"
TICK = 1.0  # seconds: the longest the deferrer sleeps, so a reload is planned within a second
POLL = 1.0  # seconds between looks for jobs a lock held back (new jobs are notified at once)
RESTART = 2.0  # seconds before a worker that failed is started again
POOL = 6  # procrastinate's connections per instance (one listens for new jobs)
# A live worker: its heartbeat within stalled_after ({} is where that many seconds go).
_ALIVE = "last_heartbeat > now() - make_interval(secs => {})"
# The leader: the live worker that registered first.
LEADER = f"SELECT min(id) AS leader FROM procrastinate_workers WHERE {_ALIVE.format('%(seconds)s')}"
WAITING = """
SELECT queueing_lock FROM procrastinate_jobs WHERE status = 'todo' AND queue_name = %(queue)s
"""


def conninfo(database: str) -> str:
    """The libpq URL of a `postgresql+psycopg://` database URL."""
    return make_url(database).set(drivername="postgresql").render_as_string(hide_password=False)


@dataclass(frozen=True, slots=True)
class Slots:
    """When a source is due, as UNIX seconds: every `every` seconds from `offset`, or on `cron`
    (UTC). The offset spreads the sources of one interval over it, the same on every instance."""

    every: int | None
    cron: str | None = None
    offset: int = 0

    def latest(self, at: float) -> int:
        """The last slot at or before `at`."""
        if self.every is None:
            assert self.cron is not None
            # From the next whole second back: `at` itself is a slot, a second later is not.
            return _cron_time(croniter(self.cron, _utc(math.floor(at) + 1)).get_prev(datetime))
        return int(at - (at - self.offset) % self.every)

    def following(self, slot: int) -> int:
        """The first slot after `slot`."""
        if self.every is None:
            assert self.cron is not None
            return _cron_time(croniter(self.cron, _utc(slot)).get_next(datetime))
        return slot + self.every


def slots_for(config: Config, source: Source) -> Slots:
    """The source's slots; jitter has no use here, the offset spreads the sources instead."""
    schedule = config.schedule_for(source)
    if schedule.cron:
        return Slots(None, schedule.cron)
    every = max(int((schedule.every or config.defaults.every).total_seconds()), 1)
    return Slots(every, offset=zlib.crc32(source.name.encode("utf-8")) % every)


def _utc(at: float) -> datetime:
    return datetime.fromtimestamp(at, UTC)


def _cron_time(at: datetime) -> int:
    return int(at.timestamp())


def lock_of(name: str) -> str:
    """The lock and queueing lock of a source's check jobs."""
    return f"figwatch-source:{name}"


class Cluster:
    """One instance's part: its worker, its deferrer, its sweep for stalled checks.

    `run_check` checks one (fenced) source job the way `serve` does: record, count, drain.
    """

    def __init__(
        self, app: App, run_check: Callable[[SourceJob], Awaitable[None]], *, grace: float
    ) -> None:
        self.app = app
        self.run_check = run_check
        self.grace = grace  # seconds checks in flight get to finish when the instance stops
        self.instance = app.runner.instance or "figwatch"
        self.engine = Procrastinate(
            connector=PsycopgConnector(
                conninfo=conninfo(app.config.database), min_size=2, max_size=POOL
            )
        )
        self.task: Task[Any, Any, Any] = self.engine.task(name=TASK, queue=QUEUE)(self._check)
        self._due: list[tuple[int, str, Slots]] = []
        self._replanned = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._worker: asyncio.Task[None] | None = None
        self._running: Worker | None = None
        self._jobs: dict[str, SourceJob] = {}
        self._leading = False
        self._asked = 0.0  # time.monotonic() when to ask again who leads
        self._waiting: set[str] = set()  # queueing locks of the jobs waiting, as last asked
        self._handler: Callable[[asyncio.AbstractEventLoop, dict[str, Any]], object] | None = None
        app.claimer = self.claimer

    # --- life -------------------------------------------------------------------------------

    async def start(self) -> None:
        """Open the queue's connections and start the worker, the deferrer and the sweep."""
        await self.engine.open_async()
        loop = asyncio.get_running_loop()
        self._handler = loop.get_exception_handler()
        loop.set_exception_handler(self._late_finish)
        self.plan()
        self._worker = asyncio.create_task(self._work(), name="cluster worker")
        self._tasks = [
            asyncio.create_task(self._defer_loop(), name="cluster deferrer"),
            asyncio.create_task(self._sweep_loop(), name="cluster sweep"),
        ]
        log.info("cluster mode: instance %s shares the checks on PostgreSQL", self.instance)

    async def stop(self) -> None:
        """Defer nothing more, take no further job; checks in flight get the worker's grace."""
        for task in self._tasks:
            task.cancel()
        if self._worker is not None:
            self._worker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._worker
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.gather(*self._tasks, return_exceptions=True)
        await self.engine.close_async()
        asyncio.get_running_loop().set_exception_handler(self._handler)

    def _late_finish(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        """Say in one line that a job ended here after the others took it over (this instance
        was paused): procrastinate cannot record its end, and nothing of it was recorded."""
        future = context.get("future")
        name = future.get_name() if isinstance(future, asyncio.Task) else ""
        if isinstance(context.get("exception"), ConnectorException) and name.startswith(
            f"process job {TASK}["
        ):
            job = name.removeprefix("process job ")
            log.warning("cluster: %s ended after another instance took it over", job)
        elif self._handler is not None:
            self._handler(loop, context)
        else:
            loop.default_exception_handler(context)

    def plan(self) -> None:
        """(Re)plan the deferrals from the app's config: each enabled source from its last slot
        (so a start or reload checks every source once, unless its slot was checked already)."""
        config = self.app.config
        now = self.app.clock().timestamp()
        self._jobs = {job.name: job for job in self.app.jobs()}
        self._due = []
        for source in config.sources:
            if source.enabled:
                slots = slots_for(config, source)
                self._due.append((slots.latest(now), source.name, slots))
        heapq.heapify(self._due)
        self._replanned.set()

    # --- the worker -------------------------------------------------------------------------

    async def _work(self) -> None:
        """Run procrastinate's worker; start it again when it fails (a database restart, or
        this instance was paused so long that the others removed its worker row)."""
        config = self.app.config
        stalled = config.cluster.stalled_after.total_seconds()
        while True:
            try:
                self._running = Worker(
                    app=self.engine,
                    queues=[QUEUE],
                    name=self.instance,
                    concurrency=config.fetch.in_flight,
                    install_signal_handlers=False,
                    delete_jobs="successful",
                    fetch_job_polling_interval=POLL,
                    update_heartbeat_interval=stalled / 3,
                    stalled_worker_timeout=stalled,
                    shutdown_graceful_timeout=self.grace,
                )
                await self._running.run()
                return
            except (ConnectorException, OSError) as e:
                log.error("cluster worker stopped: %s; starting it again", first_line(e))
                await asyncio.sleep(RESTART)

    async def _check(self, name: str, timestamp: int) -> None:
        """The job: check source `name` for its slot `timestamp`, unless it is no longer
        configured here or that slot was checked already."""
        job = self._jobs.get(name)
        if job is None:
            log.info("source %s: not (or no longer) configured here; job skipped", name)
            return
        fence = await asyncio.to_thread(self._take_fence, job, timestamp)
        if fence is None:
            log.debug("source %s: slot %d was checked already", name, timestamp)
            return
        await self.run_check(replace(job, fence=fence))

    def _take_fence(self, job: SourceJob, timestamp: int) -> int | None:
        with self.app.session_factory() as session, session.begin():
            return repo.take_fence(
                session=session, name=job.name, url=job.url, since=_utc(timestamp),
                now=self.app.clock(),
            )  # fmt: skip

    # --- deferring --------------------------------------------------------------------------

    async def _defer_loop(self) -> None:
        """Follow each source's slots; while this instance leads, defer its check when a slot
        comes (the database keeps one job per source and slot)."""
        while True:
            self._replanned.clear()
            leading = await self._leads() if time.monotonic() >= self._asked else self._leading
            if leading and not self._leading:
                log.info("cluster: %s now queues the checks", self.instance)
                self.plan()  # the latest slot of every source, in case the last leader died
                self._replanned.clear()
            self._leading = leading
            now = self.app.clock().timestamp()
            while self._due and self._due[0][0] <= now:
                slot, name, slots = heapq.heappop(self._due)
                latest = slots.latest(now)
                if latest > slot:  # behind (a pause, a slow database): only the latest counts
                    heapq.heappush(self._due, (latest, name, slots))
                    continue
                if leading and lock_of(name) not in self._waiting:
                    await self.defer(name, slot)
                heapq.heappush(self._due, (slots.following(slot), name, slots))
            wait = min(self._due[0][0] - now, TICK) if self._due else TICK
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._replanned.wait(), max(wait, 0.01))

    async def _leads(self) -> bool:
        """Whether this instance's worker is the first registered of those alive."""
        me = self._running.worker_id if self._running is not None else None
        if me is None:
            return False
        self._asked = time.monotonic() + TICK
        stalled = self.app.config.cluster.stalled_after.total_seconds()
        connector = self.engine.connector
        try:
            row = await connector.execute_query_one_async(query=LEADER, seconds=stalled)
            # The sources still waiting in the queue: a slot of theirs would only join them.
            waiting = await connector.execute_query_all_async(query=WAITING, queue=QUEUE)
        except (ConnectorException, OSError) as e:
            log.error("cluster: cannot tell which instance leads: %s", first_line(e))
            return self._leading
        self._waiting = {r["queueing_lock"] for r in waiting}
        return bool(row["leader"] == me)

    async def defer(self, name: str, slot: int) -> None:
        """Defer the check of source `name` for `slot`, unless it is deferred already (by any
        instance) or the source is still waiting in the queue."""
        deferrer = self._deferrer(name, slot)
        try:
            await deferrer.job_manager.defer_periodic_job(
                job=deferrer.job, periodic_id=name, defer_timestamp=slot
            )
        except AlreadyEnqueued:
            log.debug("source %s: still waiting in the queue; slot %d joins it", name, slot)
        except (ConnectorException, OSError) as e:
            log.error("source %s: cannot queue its check: %s", name, first_line(e))

    def _deferrer(self, name: str, slot: int) -> JobDeferrer:
        """The check job of source `name` for `slot`, under the source's lock and queueing lock."""
        return self.task.configure(
            lock=lock_of(name), queueing_lock=lock_of(name),
            task_kwargs={"name": name, "timestamp": slot},
        )  # fmt: skip

    # --- recovering the checks of a dead instance --------------------------------------------

    async def _sweep_loop(self) -> None:
        every = self.app.config.cluster.stalled_after.total_seconds() / 3
        while True:
            await asyncio.sleep(every)
            try:
                await self.recover()
                await asyncio.to_thread(self.release_deliveries)
            except (ConnectorException, OSError, SQLAlchemyError) as e:
                log.error("cluster: cannot look for stalled checks: %s", first_line(e))

    def claimer(self) -> str | None:
        """This instance's name on the deliveries it claims: its worker's id, once registered."""
        worker = self._running
        return None if worker is None or worker.worker_id is None else str(worker.worker_id)

    async def recover(self) -> list[str]:
        """Fail the checks whose instance stopped its heartbeat and queue them again; returns
        the sources requeued. The job keeps its slot, so a check that was recorded before its
        instance died is not done twice; failing (not retrying) it means an instance that was
        only paused can finish nothing but its own, dead, job when it resumes."""
        stalled = self.app.config.cluster.stalled_after.total_seconds()
        manager = self.engine.job_manager
        requeued = []
        for job in await manager.get_stalled_jobs(queue=QUEUE, seconds_since_heartbeat=stalled):
            try:
                await manager.finish_job(job=job, status=Status.FAILED, delete_job=False)
            except ConnectorException:
                continue  # another instance got there first, or the job just ended
            name, slot = str(job.task_kwargs["name"]), int(str(job.task_kwargs["timestamp"]))
            log.warning("source %s: its instance stopped mid-check; checking it again", name)
            with contextlib.suppress(AlreadyEnqueued):
                await self._deferrer(name, slot).defer_async()
            requeued.append(name)
        return requeued

    def release_deliveries(self) -> int:
        """Put back the alerts a stopped instance was sending, to be sent by the live ones now
        rather than when its lease runs out (minutes); returns how many."""
        stalled = self.app.config.cluster.stalled_after.total_seconds()
        # The workers alive: a delivery claimed by any other is put back.
        alive: Select[Any] = (
            select(literal_column("id::text"))
            .select_from(table("procrastinate_workers"))
            .where(text(_ALIVE.format(":seconds")).bindparams(seconds=stalled))
        )
        with self.app.session_factory() as session, session.begin():
            released = release_claims(session, alive, self.app.clock())
        if released:
            log.warning("cluster: %d alert(s) a stopped instance was sending: sent again", released)
        return released

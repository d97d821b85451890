"""When each source is due and which task checks it: `figwatch run` on one instance (SQLite).

APScheduler's triggers say when a source is next due (its interval or cron, with its jitter); the
timetable keeps those times in a heap and, at each one, offers the source to the due-queue. A
fixed pool of check tasks, as many as the runner's in-flight limit, takes from that queue
earliest deadline first. A source's deadline is the latest start that keeps it on its schedule:
its last check + its interval + its jitter (its first check: counted from its due time; a cron
source: the time it was due + its jitter). So when the checks fall behind, as in a first pass
over thousands of new pages, the sources already checked are checked again in time before the
first checks of the rest. And a check waiting for a free slot never costs its source its next
run, as an APScheduler job waiting on the in-flight limit did: it counted as running, and its
next run was skipped.

A source is queued at most once. A due run that finds its source queued is served by the queued
check; one that finds it being checked is held and queued as soon as that check ends. Both are
counted as coalesced, none is lost. A check that starts more than LATE_TOLERANCE past its
deadline is counted as late and logged (one line per LATE_LOG_EVERY at most); how long after its
due time each check started goes to a histogram. `/metrics` exports all of it.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from pipeline.runner import SourceJob

if TYPE_CHECKING:
    from apscheduler.triggers.base import BaseTrigger

log = logging.getLogger(__name__)

# A check that starts within this of its deadline is not late: its own database read comes first.
LATE_TOLERANCE = timedelta(seconds=1)
LATE_LOG_EVERY = 60.0  # seconds between two log lines about late checks
DISPATCH_RETRY = 1.0  # seconds before the schedule is read again after an error
# Upper bounds of the lag histogram (seconds between a source's due time and its check's start).
LAG_BUCKETS = (0.1, 0.5, 1.0, 5.0, 15.0, 60.0, 300.0)


@dataclass(frozen=True, slots=True)
class Plan:
    """One source's schedule: what to check, when it is next due, how late it may start."""

    job: SourceJob
    trigger: BaseTrigger
    every: timedelta | None  # None: a cron source
    jitter: timedelta  # the most the trigger adds to each due time

    @property
    def name(self) -> str:
        return self.job.name

    def deadline(self, due: datetime, last_start: datetime | None) -> datetime:
        """The latest start of the run due at `due` that keeps the source on its schedule."""
        if self.every is None:
            return due + self.jitter
        return max(due, (last_start or due) + self.every + self.jitter)


@dataclass(order=True, frozen=True, slots=True)
class Due:
    """A due run of one source, waiting for a check task (ordered by deadline)."""

    deadline: datetime
    seq: int
    name: str = field(compare=False)
    due: datetime = field(compare=False)


@dataclass
class ScheduleStats:
    """Counts since start for `/metrics`, and for the summary line since its last one."""

    late: int = 0  # checks started past their deadline
    coalesced: int = 0  # due runs served by a check of their source queued, running or later
    lag_counts: list[int] = field(default_factory=lambda: [0] * (len(LAG_BUCKETS) + 1))
    lag_sum: float = 0.0
    queued: Callable[[], int] = lambda: 0  # due sources waiting for a check task now
    checking: Callable[[], int] = lambda: 0  # checks running now
    _reported: tuple[int, int] = (0, 0)  # late, coalesced at the last summary line

    @property
    def started(self) -> int:
        """Checks started (each one's lag is in one bucket)."""
        return sum(self.lag_counts)

    def lag(self, seconds: float) -> None:
        self.lag_sum += seconds
        self.lag_counts[next((i for i, b in enumerate(LAG_BUCKETS) if seconds <= b), -1)] += 1

    def since_last(self) -> str:
        """'; 3 late checks, 1 coalesced run' since the last call ('' when none)."""
        late, coalesced = self.late - self._reported[0], self.coalesced - self._reported[1]
        self._reported = (self.late, self.coalesced)
        parts = [f"{late} late checks"] if late else []
        parts += [f"{coalesced} coalesced runs"] if coalesced else []
        return f"; {', '.join(parts)}" if parts else ""


class Timetable:
    """Every scheduled source's plan and its next due time (a heap; removal leaves stale entries
    behind, skipped when they come up)."""

    def __init__(self) -> None:
        self._plans: dict[str, Plan] = {}
        self._heap: list[tuple[datetime, int, str]] = []
        self._current: dict[str, int] = {}  # the heap entry that is each source's
        self._seq = itertools.count()

    def __len__(self) -> int:
        return len(self._plans)

    def plan(self, name: str) -> Plan | None:
        return self._plans.get(name)

    def add(self, plan: Plan, first: datetime) -> None:
        """Schedule `plan`'s source (anew, if it was), first due at `first`."""
        self._plans[plan.name] = plan
        self._push(plan.name, first)
        if len(self._heap) > 2 * len(self._plans) + 64:  # many reloads: drop the stale entries
            self._heap = [e for e in self._heap if self._current.get(e[2]) == e[1]]
            heapq.heapify(self._heap)

    def remove(self, name: str) -> None:
        self._plans.pop(name, None)
        self._current.pop(name, None)

    def next_due(self) -> datetime | None:
        while self._heap and self._current.get(self._heap[0][2]) != self._heap[0][1]:
            heapq.heappop(self._heap)
        return self._heap[0][0] if self._heap else None

    def pop_due(self, now: datetime) -> list[tuple[str, datetime, int]]:
        """The sources due at `now`: each one's due time and how many of its runs after that
        one are past too (after a stall: one offer serves them all), each rescheduled to its
        first due time after `now`."""
        out = []
        while (due := self.next_due()) is not None and due <= now:
            _due, _seq, name = heapq.heappop(self._heap)
            trigger, missed = self._plans[name].trigger, 0
            after = trigger.get_next_fire_time(due, now)
            while after is not None and after <= now:
                missed += 1
                after = trigger.get_next_fire_time(after, now)
            out.append((name, due, missed))
            if after is None:  # the trigger ended
                self.remove(name)
            else:
                self._push(name, after)
        return out

    def _push(self, name: str, due: datetime) -> None:
        seq = next(self._seq)
        self._current[name] = seq
        heapq.heappush(self._heap, (due, seq, name))


class DueQueue:
    """Due runs waiting for a check task, earliest deadline first, each source at most once."""

    def __init__(self) -> None:
        self._queue: asyncio.PriorityQueue[Due] = asyncio.PriorityQueue()
        self._queued: set[str] = set()
        self._checking: set[str] = set()
        self._held: dict[str, datetime] = {}  # a due time that came while its source was checked

    def __len__(self) -> int:
        return self._queue.qsize()

    def offer(self, item: Due) -> bool:
        """Queue `item`; False when its source is queued or being checked already (coalesced:
        the queued check serves it; one being checked is run again once it ends)."""
        if item.name in self._queued:
            return False
        if item.name in self._checking:
            self._held.setdefault(item.name, item.due)
            return False
        self._queued.add(item.name)
        self._queue.put_nowait(item)
        return True

    async def take(self) -> Due:
        item = await self._queue.get()
        self._queued.discard(item.name)
        self._checking.add(item.name)
        return item

    def done(self, name: str) -> datetime | None:
        """`name`'s check ended; the due time held for it meanwhile, if one came."""
        self._checking.discard(name)
        return self._held.pop(name, None)


class Dispatcher:
    """The timetable, the due-queue and the pool of check tasks between them."""

    def __init__(
        self,
        check: Callable[[SourceJob], Awaitable[None]],
        *,
        tasks: int,
        clock: Callable[[], datetime],
    ) -> None:
        self.check = check
        self.clock = clock
        self.timetable = Timetable()
        self.queue = DueQueue()
        self.stats = ScheduleStats(
            queued=lambda: len(self.queue), checking=lambda: len(self._checking)
        )
        self._size = tasks
        self._seq = itertools.count()
        self._last_start: dict[str, datetime] = {}
        self._wake = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._checking: set[asyncio.Task[None]] = set()
        self._closed = False
        self._late_since_log = 0
        self._late_logged_at = float("-inf")

    def add(self, plan: Plan, first: datetime) -> None:
        """Schedule `plan`'s source (anew, if it was), first due at `first`."""
        self.timetable.add(plan, first)
        self._wake.set()

    def remove(self, name: str) -> None:
        """Schedule `name` no more; a check of it in flight runs to its end, a queued one is
        dropped."""
        self.timetable.remove(name)
        self._last_start.pop(name, None)

    def start(self) -> None:
        loop = asyncio.get_running_loop()
        self._tasks = [loop.create_task(self._dispatch(), name="figwatch-timetable")]
        self._tasks += [
            loop.create_task(self._check_loop(), name=f"figwatch-check-{i}")
            for i in range(self._size)
        ]

    def close(self) -> None:
        """Offer nothing more and start no further check: a queued one never starts, and the
        idle check tasks end; those checking end with their check (see `wait_closed`)."""
        self._closed = True
        for task in self._tasks:
            if task not in self._checking:
                task.cancel()

    async def wait_closed(self) -> None:
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _dispatch(self) -> None:
        while True:
            self._wake.clear()
            try:
                for name, due, missed in self.timetable.pop_due(self.clock()):
                    self.stats.coalesced += missed
                    self._offer(name, due)
            except Exception:  # a bug here must not end all scheduling without a word
                log.exception("schedule: cannot tell which sources are due; trying again")
                await asyncio.sleep(DISPATCH_RETRY)
                continue
            await self._sleep_until(self.timetable.next_due())

    async def _sleep_until(self, when: datetime | None) -> None:
        """Until `when` (None: no source is scheduled) or until a source is added."""
        seconds = None if when is None else max((when - self.clock()).total_seconds(), 0.0)
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await self._wake.wait()

    def _offer(self, name: str, due: datetime) -> None:
        plan = self.timetable.plan(name)
        if plan is None:  # removed since it was due
            return
        deadline = plan.deadline(due, self._last_start.get(name))
        if not self.queue.offer(Due(deadline, next(self._seq), name, due)):
            self.stats.coalesced += 1
            log.debug("source %s: due while queued or being checked; coalesced", name)

    async def _check_loop(self) -> None:
        task = asyncio.current_task()
        assert task is not None
        while not self._closed:
            item = await self.queue.take()
            plan = self.timetable.plan(item.name)
            if plan is None:  # removed since it was queued
                self.queue.done(item.name)
                continue
            self._checking.add(task)
            self._started(item)
            try:
                await self.check(plan.job)
            except Exception:  # a bug in one check must not end the task that runs them
                log.exception("source %s: the check failed", item.name)
            finally:
                self._checking.discard(task)
                held = self.queue.done(item.name)
                if held is not None and not self._closed:
                    self._offer(item.name, held)

    def _started(self, item: Due) -> None:
        now = self.clock()
        self.stats.lag(max((now - item.due).total_seconds(), 0.0))
        self._last_start[item.name] = now
        if now > item.deadline + LATE_TOLERANCE:
            self.stats.late += 1
            self._report_late(item, now)

    def _report_late(self, item: Due, now: datetime) -> None:
        """Log a late check, at most once per LATE_LOG_EVERY (saying how many were not logged)."""
        self._late_since_log += 1
        tick = time.monotonic()
        if tick - self._late_logged_at < LATE_LOG_EVERY:
            return
        more = self._late_since_log - 1
        log.warning(
            "source %s checked %.1fs past its schedule (%.1fs after it was due)%s; "
            "%d due sources waiting, %d checks running",
            item.name,
            (now - item.deadline).total_seconds(),
            (now - item.due).total_seconds(),
            f" and {more} more late checks since the last such line" if more else "",
            len(self.queue),
            len(self._checking),
        )
        self._late_since_log = 0
        self._late_logged_at = tick

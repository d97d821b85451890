"""The timetable and the due-queue of `figwatch run`, with APScheduler's own triggers."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from pipeline.config import Config
from pipeline.runner import SourceJob
from pipeline.service import plan_for
from pipeline.timetable import LAG_BUCKETS, Due, DueQueue, Plan, ScheduleStats, Timetable

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def plan(name: str, seconds: int = 60, jitter: int = 0) -> Plan:
    trigger = IntervalTrigger(seconds=seconds, timezone=UTC, jitter=jitter or None)
    return Plan(
        SourceJob(name, f"http://example.org/{name}"),
        trigger,
        timedelta(seconds=seconds),
        timedelta(seconds=jitter),
    )


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def test_due_sources_come_in_due_order_and_each_is_rescheduled_from_its_due_time() -> None:
    table = Timetable()
    table.add(plan("b"), at(5))
    table.add(plan("a"), at(2))
    table.add(plan("c"), at(30))
    assert table.pop_due(at(10)) == [("a", at(2), 0), ("b", at(5), 0)]
    assert table.pop_due(at(10)) == []
    assert table.next_due() == at(30)
    # a's next run is a minute after it was due, not after it was popped
    assert table.pop_due(at(62)) == [("c", at(30), 0), ("a", at(62), 0)]


def test_a_timetable_behind_by_several_intervals_offers_a_source_once_for_all_it_missed() -> None:
    """After a stall (a suspended laptop, a blocked loop) a source due every 10 s that is 25 s
    behind is offered once, with its two later missed runs counted, and is next due at its
    first due time after now: not offered three times over."""
    table = Timetable()
    table.add(plan("a", seconds=10), at(0))
    table.add(plan("b", seconds=60), at(20))
    assert table.pop_due(at(25)) == [("a", at(0), 2), ("b", at(20), 0)]
    assert table.next_due() == at(30)
    assert table.pop_due(at(30)) == [("a", at(30), 0)]


def test_removed_and_rescheduled_sources_leave_no_stale_due_times() -> None:
    table = Timetable()
    table.add(plan("a"), at(1))
    table.add(plan("b"), at(2))
    table.remove("a")
    table.add(plan("b", seconds=5), at(3))  # rescheduled: the due time at 2 s no longer counts
    assert table.pop_due(at(9)) == [("b", at(3), 1)]
    assert table.plan("a") is None and len(table) == 1


def test_many_reloads_keep_the_heap_bounded() -> None:
    table = Timetable()
    for i in range(1000):
        table.add(plan("a"), at(i))
    assert len(table._heap) <= 2 * len(table) + 65
    assert table.pop_due(at(999)) == [("a", at(999), 0)]


def test_deadline_is_the_last_check_plus_interval_and_jitter() -> None:
    p = plan("a", seconds=60, jitter=15)
    assert p.deadline(at(70), last_start=at(3)) == at(78)
    assert p.deadline(at(70), last_start=None) == at(145)  # first check: from its due time
    cron = Plan(SourceJob("c", "http://example.org/c"), CronTrigger(), None, timedelta(seconds=9))
    assert cron.deadline(at(70), last_start=at(3)) == at(79)  # cron: its due time + jitter


def test_plan_for_a_source_takes_its_interval_and_the_jitter_its_trigger_applies() -> None:
    config = Config.model_validate(
        {
            "defaults": {"every": "60s", "jitter": "30s"},
            "sources": [
                {"name": "a", "url": "http://example.org/a"},
                {"name": "b", "url": "http://example.org/b", "every": "2s"},
                {"name": "c", "url": "http://example.org/c", "cron": "*/5 * * * *"},
            ],
        }
    )
    a, b, c = (plan_for(config, s) for s in config.sources)
    assert (a.every, a.jitter) == (timedelta(seconds=60), timedelta(seconds=15))  # a quarter
    assert (b.every, b.jitter) == (timedelta(seconds=2), timedelta(0))  # under a second: none
    assert (c.every, c.jitter) == (None, timedelta(seconds=15))


def test_the_queue_gives_the_earliest_deadline_first_and_each_source_once() -> None:
    async def go() -> list[str]:
        queue = DueQueue()
        assert queue.offer(Due(at(50), 1, "first-check", at(0)))
        assert queue.offer(Due(at(20), 2, "recheck", at(5)))
        assert not queue.offer(Due(at(30), 3, "recheck", at(6)))  # queued already: coalesced
        assert len(queue) == 2
        return [(await queue.take()).name, (await queue.take()).name]

    assert asyncio.run(go()) == ["recheck", "first-check"]


def test_a_due_time_that_comes_during_its_check_is_held_until_the_check_ends() -> None:
    async def go() -> None:
        queue = DueQueue()
        queue.offer(Due(at(10), 1, "a", at(0)))
        await queue.take()
        assert not queue.offer(Due(at(20), 2, "a", at(5)))
        assert not queue.offer(Due(at(30), 3, "a", at(8)))  # held already: one run for both
        assert len(queue) == 0
        assert queue.done("a") == at(5)
        assert queue.done("a") is None
        assert queue.offer(Due(at(40), 4, "a", at(9)))  # no longer checked: queued again

    asyncio.run(go())


def test_lag_histogram_and_the_summary_part() -> None:
    stats = ScheduleStats()
    for seconds in (0.0, 0.3, 2.0, 1000.0):
        stats.lag(seconds)
    assert stats.started == 4 and stats.lag_sum == 1002.3
    assert stats.lag_counts[LAG_BUCKETS.index(0.1)] == 1
    assert stats.lag_counts[LAG_BUCKETS.index(0.5)] == 1
    assert stats.lag_counts[LAG_BUCKETS.index(5.0)] == 1
    assert stats.lag_counts[-1] == 1  # over the last bucket
    assert stats.since_last() == ""
    stats.late, stats.coalesced = 3, 1
    assert stats.since_last() == "; 3 late checks, 1 coalesced runs"
    stats.coalesced = 4
    assert stats.since_last() == "; 3 coalesced runs"

"""The parts of cluster mode, each on its own: the fencing token, a check it overtook, the
slots of a schedule, the instance in `figwatch sources`, the alerts of a stopped instance. The
whole of it, three processes on one PostgreSQL database, is in test_cluster.py."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlmodel import col, select

from alerts.outbox import CLAIMER_GONE
from pipeline.cluster import Cluster, Slots, slots_for
from pipeline.config import Config
from pipeline.demo.sinks import SmtpSink, WebhookSink
from pipeline.runner import SourceJob
from pipeline.tracker import source_health
from pipeline.viewcommands import sources_table
from storage import repository as repo
from storage.db import make_engine, session_factory
from storage.models import Change, Delivery, Fetch
from tests.e2e.conftest import Clock
from tests.e2e.test_pipeline import INTRO, app_for, config_for, serve, toll
from tests.servers import LoopbackServer

T0 = datetime(2025, 1, 14, 9, 0, tzinfo=UTC)


def test_a_fence_is_raised_per_check_and_refused_once_the_slot_was_fetched(
    database_url: str,
) -> None:
    factory = session_factory(make_engine(database_url))

    def take(since: datetime) -> int | None:
        with factory() as session, session.begin():
            return repo.take_fence(session=session, name="a", url="u", since=since, now=T0)

    assert take(T0) == 1  # the source row is made on the way
    assert take(T0) == 2  # a takeover of the same slot raises it again
    with factory() as session, session.begin():
        source = repo.source_by_name(session=session, name="a")
        assert source is not None and source.id is not None
        session.add(Fetch(source_id=source.id, started_at=T0 + timedelta(seconds=3), outcome="x"))
    assert take(T0) is None  # fetched in this slot already: nothing to do
    assert take(T0 + timedelta(seconds=10)) == 3  # the next slot
    with factory() as session, session.begin():
        assert source.id is not None
        assert repo.fence_holds(session=session, source_id=source.id, fence=3)
        assert not repo.fence_holds(session=session, source_id=source.id, fence=2)


def test_a_check_whose_fence_was_overtaken_records_nothing_and_alerts_nothing(
    database_url: str, site: LoopbackServer, smtp: SmtpSink, hook: WebhookSink, clock: Clock
) -> None:
    config = config_for(database_url, site, smtp, hook, defaults={"alert_on_first_check": True})
    with app_for(config, clock) as (app, loop):
        serve(site, [INTRO, toll(12, 30)], updated="09:00")
        [job] = app.jobs()
        with app.session_factory() as session, session.begin():
            late = repo.take_fence(session=session, name=job.name, url=job.url, since=T0, now=T0)
            newer = repo.take_fence(session=session, name=job.name, url=job.url, since=T0, now=T0)
        assert late is not None and newer == late + 1
        stale = loop.run_until_complete(app.runner.check(dataclasses.replace(job, fence=late)))
        assert stale.outcome == "superseded"
        with app.session_factory() as session:
            assert session.exec(select(Fetch)).all() == []
            assert session.exec(select(Change)).all() == []
            assert session.exec(select(Delivery)).all() == []
        fresh = loop.run_until_complete(app.runner.check(dataclasses.replace(job, fence=newer)))
        assert (fresh.outcome, fresh.figures) == ("changed", 2)
        with app.session_factory() as session:
            [fetch] = session.exec(select(Fetch)).all()
            assert fetch.instance == app.runner.instance and ":" in (fetch.instance or "")
            assert len(session.exec(select(Change).where(col(Change.baseline).is_(False))).all())


def test_slots_of_an_interval_are_spread_and_the_same_on_every_instance() -> None:
    config = Config.model_validate(
        {
            "database": "postgresql+psycopg://db/x",
            "defaults": {"every": "10m"},
            "sources": [{"name": f"s{i}", "url": f"https://example.org/{i}"} for i in range(50)],
        }
    )
    slots = [slots_for(config, s) for s in config.sources]
    assert slots == [slots_for(config, s) for s in config.sources]  # no randomness
    assert len({s.offset for s in slots}) > 40  # spread over the interval, not all at :00
    at = T0.timestamp() + 123.4
    for s in slots:
        latest = s.latest(at)
        assert latest <= at < s.following(latest) == latest + 600
        assert (latest - s.offset) % 600 == 0


def test_slots_of_a_cron_are_its_times_in_utc() -> None:
    weekdays = Slots(None, "30 7 * * 1-5")  # 07:30 UTC, Monday to Friday; 2025-01-14 a Tuesday
    latest = weekdays.latest(T0.timestamp())
    assert datetime.fromtimestamp(latest, UTC) == datetime(2025, 1, 14, 7, 30, tzinfo=UTC)
    friday = datetime(2025, 1, 17, 7, 30, tzinfo=UTC)
    monday = weekdays.following(int(friday.timestamp()))
    assert datetime.fromtimestamp(monday, UTC) == datetime(2025, 1, 20, 7, 30, tzinfo=UTC)
    assert weekdays.latest(friday.timestamp()) == int(friday.timestamp())  # a slot is its own
    assert weekdays.latest(friday.timestamp() - 0.5) < int(friday.timestamp())  # not yet


def test_sources_names_the_instance_when_several_share_the_checks(database_url: str) -> None:
    factory = session_factory(make_engine(database_url))
    with factory() as session, session.begin():
        for name, instance in (("a", "host-1:10"), ("b", "host-2:20")):
            source = repo.lock_source(session=session, name=name, url=f"https://x/{name}", now=T0)
            assert source.id is not None
            session.add(Fetch(source_id=source.id, started_at=T0, outcome="unchanged",
                              instance=instance))  # fmt: skip
    with factory() as session:
        health = source_health(session=session)
    assert [h.last_instance for h in health] == ["host-1:10", "host-2:20"]
    table = sources_table(health, now=T0)
    assert table.splitlines()[0].split()[-1] == "instance"
    assert "host-2:20" in table.splitlines()[3]
    alone = sources_table(health[:1], now=T0)
    assert "instance" not in alone  # one instance: nothing to tell apart


# Cluster mode runs on PostgreSQL only: procrastinate's worker table says who is alive.
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_the_alerts_a_stopped_instance_was_sending_are_put_back_for_the_live_ones(
    database_url: str, site: LoopbackServer, smtp: SmtpSink, hook: WebhookSink, clock: Clock
) -> None:
    config = config_for(database_url, site, smtp, hook)
    with app_for(config, clock) as (app, _loop):
        cluster = Cluster(app, _never_checks, grace=1.0)
        assert app.claimer() is None  # no worker registered yet: leases only
        with app.session_factory() as session, session.begin():
            beats = text(
                "INSERT INTO procrastinate_workers (last_heartbeat) "
                "VALUES (now()), (now() - interval '1 hour') RETURNING id"
            )
            live, stalled = (str(worker) for worker in session.execute(beats).scalars())
            # Each holds a lease of minutes: a live worker, a stalled one, one whose row the
            # others already pruned, and a drain that named no claimer.
            holders = (live, stalled, "999999", None)
            for holder in holders:
                session.add(
                    Delivery(
                        channel="desk-hook", status="sending", attempts=1, claimed_by=holder,
                        next_attempt_at=T0 + timedelta(minutes=4), created_at=T0,
                    )
                )  # fmt: skip
        assert cluster.release_deliveries() == 2
        with app.session_factory() as session:
            after = {d.claimed_by: d for d in session.exec(select(Delivery))}
    assert [after[holder].status for holder in holders] == [
        "sending", "pending", "pending", "sending"
    ]  # fmt: skip
    assert after[stalled].next_attempt_at == clock() and after[stalled].attempts == 1
    assert after[stalled].last_error == CLAIMER_GONE


async def _never_checks(job: SourceJob) -> None:
    raise AssertionError(f"no check runs here: {job.name}")

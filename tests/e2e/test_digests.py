"""Digests over real checks: the clock is moved by hand, nothing sleeps."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlmodel import select

from alerts.digest import close_digests, period_end
from pipeline.demo.sinks import SmtpSink, WebhookSink
from pipeline.service import digest_ends
from storage.models import Delivery, Digest
from tests.e2e.conftest import Clock
from tests.e2e.test_alert_rules import INTRO, MISSING, check, config, hook_at, serve, toll
from tests.e2e.test_pipeline import app_for
from tests.servers import LoopbackServer


def test_period_ends_every_hour_and_daily_in_a_time_zone() -> None:
    at = datetime(2025, 1, 14, 9, 40, tzinfo=UTC)
    assert period_end(at, every=timedelta(hours=1)) == datetime(2025, 1, 14, 9, tzinfo=UTC)
    kyiv = {"at": "07:00", "zone": "Europe/Kyiv"}  # UTC+2 in January
    assert period_end(at, **kyiv) == datetime(2025, 1, 14, 5, tzinfo=UTC)
    early = datetime(2025, 1, 14, 4, 59, tzinfo=UTC)
    assert period_end(early, **kyiv) == datetime(2025, 1, 13, 5, tzinfo=UTC)


def digest_alerts(hook: WebhookSink, smtp: SmtpSink) -> list[dict[str, Any]]:
    return [
        {"type": "webhook", "name": "hourly", "url": hook_at(hook, "hourly"), "digest": "1h"},
        {"type": "webhook", "name": "live", "url": hook_at(hook, "live")},
        {"type": "email", "name": "daily", "smtp": smtp.url, "starttls": "off",
         "from": "figwatch@localhost", "to": ["desk@localhost"],
         "digest": "daily 07:00 Europe/Kyiv"},
    ]  # fmt: skip


def test_an_hourly_digest_groups_the_hours_changes_once_and_an_empty_hour_sends_nothing(
    database_url: str, site: LoopbackServer, hook: WebhookSink, smtp: SmtpSink, clock: Clock
) -> None:
    cfg = config(database_url, site, digest_alerts(hook, smtp))
    with app_for(cfg, clock) as (app, loop):
        serve(site, [INTRO, toll(10, 30)], updated="09:10")
        check(app, loop)  # 09:10, baseline
        clock.advance(minutes=10)
        serve(site, [INTRO, toll(12, 30)], updated="09:20")
        result = check(app, loop)
        tallies = loop.run_until_complete(app.deliver(result.alerted, within=timedelta(0)))
        assert {t.channel: (t.sent, t.held) for t in tallies} == {
            "daily": (0, 1), "hourly": (0, 1), "live": (1, 0),
        }  # fmt: skip
        clock.advance(minutes=20)
        serve(site, [INTRO, toll(15, 31), MISSING], updated="09:40")
        check(app, loop)
        assert [r.path for r in hook.requests] == ["/live", "/live", "/live", "/live"]
        clock.advance(minutes=25)  # 10:05: the 09:00-10:00 period has ended
        check(app, loop)
        check(app, loop)  # a second look in the same period makes no second digest
        clock.advance(hours=1)  # 11:05: an hour with nothing held sends nothing
        check(app, loop)
    digests = [r.json for r in hook.requests if r.path == "/hourly"]
    assert len(digests) == 1
    [digest] = digests
    assert digest["type"] == "digest" and digest["detected_at"] == "2025-01-14T10:00:00Z"
    assert [(c["type"], (c["previous"] or {}).get("value"), c["figure"]["value"])
            for c in digest["changes"]] == [
        ("figure.changed", 10, 12),
        ("figure.changed", 12, 15),
        ("figure.changed", 30, 31),
        ("figure.new", None, 4),
    ]  # fmt: skip
    assert smtp.messages == []  # the daily digest closes at 07:00 Kyiv time


def test_a_daily_digest_mail_groups_by_subject(
    database_url: str, site: LoopbackServer, hook: WebhookSink, smtp: SmtpSink, clock: Clock
) -> None:
    cfg = config(database_url, site, digest_alerts(hook, smtp))
    with app_for(cfg, clock) as (app, loop):
        serve(site, [INTRO, toll(10, 30)], updated="09:10")
        check(app, loop)
        clock.advance(hours=2)
        serve(site, [INTRO, toll(12, 30), MISSING], updated="11:10")
        check(app, loop)
        clock.now = datetime(2025, 1, 15, 5, 1, tzinfo=UTC)  # 07:01 in Kyiv
        check(app, loop)
    [mail] = smtp.wait_for(1)
    assert mail["Subject"].startswith("[figwatch] Digest: 2 alerts")
    text = mail.get_body(("plain",)).get_content()
    assert "civilians" in text and "at least 10 \u2192 at least 12 (+2)" in text
    assert "new: 4" in text


def test_two_processes_closing_one_period_make_one_digest(
    database_url: str, site: LoopbackServer, hook: WebhookSink, smtp: SmtpSink, clock: Clock
) -> None:
    cfg = config(database_url, site, digest_alerts(hook, smtp))
    with app_for(cfg, clock) as (one, loop), app_for(cfg, clock) as (two, loop2):
        serve(site, [INTRO, toll(10, 30)], updated="09:10")
        check(one, loop)
        clock.advance(minutes=10)
        serve(site, [INTRO, toll(12, 30)], updated="09:20")
        loop.run_until_complete(one.runner.check_all(one.jobs()))
        clock.advance(hours=1)
        ends = {"hourly": digest_ends(cfg, clock())["hourly"]}
        # Another process made this period's digest between our count and our insert: ours
        # fails on the unique (channel, period_end) and is rolled back.
        with one.session_factory() as session, session.begin():
            session.add(Digest(channel="hourly", period_end=ends["hourly"], created_at=clock()))
        assert close_digests(one.session_factory, ends=ends, now=clock()) == []
        with one.session_factory() as session, session.begin():
            session.delete(session.exec(select(Digest)).one())
        with ThreadPoolExecutor(2) as pool:
            made = list(
                pool.map(
                    lambda app: close_digests(app.session_factory, ends=ends, now=clock()),
                    [one, two],
                )
            )
        assert sorted(len(m) for m in made) == [0, 1]
        loop.run_until_complete(one.drain())
        loop2.run_until_complete(two.drain())
        with one.session_factory() as session:
            rows = session.exec(select(Delivery).where(Delivery.channel == "hourly")).all()
    assert sorted(r.status for r in rows) == ["digested", "sent"]
    assert [r.path for r in hook.requests].count("/hourly") == 1


def test_the_service_gets_a_digest_job_only_with_a_digest_channel(
    database_url: str, site: LoopbackServer, hook: WebhookSink, smtp: SmtpSink, clock: Clock
) -> None:
    from apscheduler.schedulers.asyncio import AsyncIOScheduler

    from pipeline.service import add_digest_job

    async def drain() -> None:
        return None

    for alerts, jobs in (
        (digest_alerts(hook, smtp), ["digests"]),
        ([{"type": "webhook", "name": "live", "url": hook.url}], []),
    ):
        with app_for(config(database_url, site, alerts), clock) as (app, _loop):
            scheduler = AsyncIOScheduler(timezone=UTC)
            add_digest_job(scheduler, app, drain)
            assert [job.id for job in scheduler.get_jobs()] == jobs

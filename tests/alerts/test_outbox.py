"""The outbox on a real SQLite file: enqueue, claim, deliver, retry, dead, leases, concurrency."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import literal
from sqlmodel import Session, select

from alerts.channels import Channel, TransientDelivery, WebhookChannel
from alerts.message import AlertMessage
from alerts.outbox import DrainReport, drain, enqueue, release_claims, retry_delay
from storage.models import Change, Delivery
from tests.alerts.conftest import Clock, Receiver

Sessions = Callable[[], Session]
AddChange = Callable[..., Change]


def queue(sessions: Sessions, change: Change, clock: Clock, *channels: str) -> None:
    with sessions() as session:
        enqueue(session=session, change=change, channels=channels or ("hook",), now=clock())
        session.commit()


def rows(sessions: Sessions) -> list[Delivery]:
    with sessions() as session:
        return list(session.exec(select(Delivery).order_by(Delivery.id)))  # type: ignore[arg-type]


def hook(receiver: Receiver, clock: Clock) -> dict[str, Channel]:
    return {"hook": WebhookChannel("hook", receiver.url, timeout=5, now=clock)}


def test_enqueue_adds_one_row_per_channel_and_does_not_commit(
    sessions: Sessions, add_change: AddChange, clock: Clock
) -> None:
    change = add_change()
    with sessions() as session:
        enqueue(session=session, change=change, channels=["a", "b", "a"], now=clock())
        session.rollback()  # the caller owns the transaction: nothing is written by enqueue
    assert rows(sessions) == []
    queue(sessions, change, clock, "a", "b", "a")
    got = rows(sessions)
    assert [(d.channel, d.status, d.attempts) for d in got] == [
        ("a", "pending", 0),
        ("b", "pending", 0),
    ]
    assert all(d.change_id == change.id and d.next_attempt_at == clock() for d in got)


def test_500_500_200_sends_once_with_backoff(
    sessions: Sessions, add_change: AddChange, clock: Clock, receiver: Receiver
) -> None:
    change = add_change()
    queue(sessions, change, clock)
    receiver.script = [500, 500]
    channels = hook(receiver, clock)
    start = clock()

    assert drain(sessions, channels=channels, now=clock) == DrainReport(0, 1, 0, 1)
    [row] = rows(sessions)
    assert (row.status, row.attempts, row.last_error) == (
        "pending",
        1,
        "HTTP 500 Internal Server Error",
    )
    assert row.next_attempt_at == start + timedelta(seconds=30)

    clock.advance(timedelta(seconds=29))  # not yet due: nothing is sent
    assert drain(sessions, channels=channels, now=clock) == DrainReport(0, 0, 0, 1)
    assert len(receiver.requests) == 1

    clock.advance(timedelta(seconds=1))
    assert drain(sessions, channels=channels, now=clock).retried == 1
    [row] = rows(sessions)
    assert row.attempts == 2 and row.next_attempt_at == clock() + timedelta(seconds=60)

    clock.advance(timedelta(seconds=60))
    delivered: list[tuple[str, str]] = []
    report = drain(
        sessions,
        channels=channels,
        now=clock,
        on_delivered=lambda m, c: delivered.append((m.id, c)),
    )
    assert report == DrainReport(sent=1, retried=0, dead=0, pending_left=0)
    [row] = rows(sessions)
    assert (row.status, row.attempts, row.sent_at) == ("sent", 3, clock())
    assert [r.status for r in receiver.requests] == [500, 500, 200]
    assert len(receiver.ok) == 1
    assert delivered == [(f"fw_chg_{change.id}", "hook")]
    assert {r.headers["webhook-id"] for r in receiver.requests} == {f"fw_chg_{change.id}"}
    assert json.loads(receiver.ok[0].body)["previous"]["value"] == 3000

    clock.advance(timedelta(hours=2))  # a sent row is never sent again
    assert drain(sessions, channels=channels, now=clock) == DrainReport(0, 0, 0, 0)
    assert len(receiver.requests) == 3


def test_404_is_dead_at_once(
    sessions: Sessions, add_change: AddChange, clock: Clock, receiver: Receiver
) -> None:
    queue(sessions, add_change(), clock)
    receiver.script = [404]
    dead: list[tuple[str, str, str]] = []
    report = drain(
        sessions,
        channels=hook(receiver, clock),
        now=clock,
        on_dead=lambda m, c, why: dead.append((m.type, c, why)),
    )
    assert report == DrainReport(sent=0, retried=0, dead=1, pending_left=0)
    [row] = rows(sessions)
    assert (row.status, row.attempts, row.last_error) == ("dead", 1, "HTTP 404 Not Found")
    assert dead == [("figure.changed", "hook", "HTTP 404 Not Found")]
    clock.advance(timedelta(days=1))
    drain(sessions, channels=hook(receiver, clock), now=clock)
    assert len(receiver.requests) == 1


def test_attempts_run_out(
    sessions: Sessions, add_change: AddChange, clock: Clock, receiver: Receiver
) -> None:
    queue(sessions, add_change(), clock)
    receiver.script = [503, 503, 503]
    reports = []
    for _ in range(3):
        reports.append(drain(sessions, channels=hook(receiver, clock), now=clock, max_attempts=3))
        clock.advance(timedelta(hours=1))
    assert [(r.retried, r.dead) for r in reports] == [(1, 0), (1, 0), (0, 1)]
    [row] = rows(sessions)
    assert (row.status, row.attempts) == ("dead", 3)


def test_backoff_doubles_and_is_capped() -> None:
    base = timedelta(seconds=30)
    assert [retry_delay(n, base) for n in (1, 2, 3)] == [base, base * 2, base * 4]
    assert retry_delay(20, base) == timedelta(hours=1)


def test_retry_after_lengthens_the_wait(
    sessions: Sessions, add_change: AddChange, clock: Clock, receiver: Receiver
) -> None:
    queue(sessions, add_change(), clock)
    receiver.script = [429]
    receiver.extra_headers = {"Retry-After": "600"}
    drain(sessions, channels=hook(receiver, clock), now=clock)
    [row] = rows(sessions)
    assert row.next_attempt_at == clock() + timedelta(seconds=600)


def test_expired_lease_is_claimed_again(
    sessions: Sessions, add_change: AddChange, clock: Clock, receiver: Receiver
) -> None:
    first, second = add_change(), add_change()
    queue(sessions, first, clock)
    queue(sessions, second, clock)
    with sessions() as session:  # two drainers died mid-send, one long ago, one just now
        for delivery in session.exec(select(Delivery)):
            delivery.status = "sending"
            delivery.attempts = 1
            late = delivery.change_id == first.id
            delivery.next_attempt_at = clock() + timedelta(seconds=-1 if late else 240)
            session.add(delivery)
        session.commit()
    report = drain(sessions, channels=hook(receiver, clock), now=clock)
    assert report == DrainReport(sent=1, retried=0, dead=0, pending_left=1)
    by_change: dict[int | None, Delivery] = {d.change_id: d for d in rows(sessions)}
    assert (by_change[first.id].status, by_change[first.id].attempts) == ("sent", 2)
    assert by_change[second.id].status == "sending"  # its lease still runs: left alone
    assert [r.headers["webhook-id"] for r in receiver.requests] == [f"fw_chg_{first.id}"]


def test_the_rows_of_a_stopped_claimer_are_put_back_at_once(
    sessions: Sessions, add_change: AddChange, clock: Clock, receiver: Receiver
) -> None:
    sent_by_w7 = add_change()
    queue(sessions, sent_by_w7, clock)
    drain(sessions, channels=hook(receiver, clock), now=clock, claimer="w7")
    assert [(d.status, d.claimed_by) for d in rows(sessions)] == [("sent", "w7")]
    # Three senders hold a lease of minutes on a row each; one of them has stopped.
    holders = {add_change().id: holder for holder in ("stopped", "live", None)}
    with sessions() as session:
        for change_id, holder in holders.items():
            session.add(
                Delivery(
                    change_id=change_id, channel="hook", status="sending", attempts=1,
                    next_attempt_at=clock() + timedelta(minutes=4), created_at=clock(),
                    claimed_by=holder,
                )
            )  # fmt: skip
        session.commit()
    with sessions() as session, session.begin():
        assert release_claims(session, select(literal("live")), clock()) == 1
    report = drain(sessions, channels=hook(receiver, clock), now=clock, claimer="w8")
    assert report == DrainReport(sent=1, retried=0, dead=0, pending_left=2)
    after = {d.change_id: d for d in rows(sessions)}
    stopped, live, unnamed = (after[change_id] for change_id in holders)
    assert (stopped.status, stopped.attempts, stopped.claimed_by) == ("sent", 2, "w8")
    assert (live.status, live.claimed_by) == ("sending", "live")  # its lease still runs
    assert (unnamed.status, unnamed.claimed_by) == ("sending", None)  # only its lease frees it
    assert receiver.requests[-1].headers["webhook-id"] == f"fw_chg_{stopped.change_id}"


class Reentrant:
    """A channel that, while delivering, lets a second drainer run at the same instant."""

    def __init__(self, inner: Channel, second_drain: Callable[[], DrainReport]) -> None:
        self.name = inner.name
        self.inner = inner
        self.second_drain = second_drain
        self.inner_reports: list[DrainReport] = []

    def deliver(self, message: AlertMessage) -> None:
        self.inner_reports.append(self.second_drain())
        self.inner.deliver(message)


def test_a_second_drain_at_the_same_now_claims_nothing(
    sessions: Sessions, add_change: AddChange, clock: Clock, receiver: Receiver
) -> None:
    queue(sessions, add_change(), clock)
    plain = hook(receiver, clock)
    wrapper = Reentrant(plain["hook"], lambda: drain(sessions, channels=plain, now=clock))
    report = drain(sessions, channels={"hook": wrapper}, now=clock)
    assert report.sent == 1
    assert wrapper.inner_reports == [DrainReport(sent=0, retried=0, dead=0, pending_left=1)]
    assert len(receiver.requests) == 1
    assert drain(sessions, channels=plain, now=clock) == DrainReport(0, 0, 0, 0)
    assert len(receiver.requests) == 1


def test_concurrent_drains_send_each_change_once(
    sessions: Sessions, add_change: AddChange, clock: Clock, receiver: Receiver
) -> None:
    changes = [add_change() for _ in range(12)]
    for change in changes:
        queue(sessions, change, clock)
    reports: list[DrainReport] = []
    errors: list[BaseException] = []
    gate = threading.Barrier(3)

    def run() -> None:
        try:
            gate.wait(timeout=10)
            reports.append(drain(sessions, channels=hook(receiver, clock), now=clock))
        except BaseException as e:  # noqa: BLE001 - surfaced by the assertion below
            errors.append(e)

    threads = [threading.Thread(target=run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert sum(r.sent for r in reports) == 12
    ids = sorted(r.headers["webhook-id"] for r in receiver.requests)
    assert ids == sorted(f"fw_chg_{c.id}" for c in changes)
    assert {d.status for d in rows(sessions)} == {"sent"}


def test_unconfigured_channel_waits_without_blocking_others(
    sessions: Sessions, add_change: AddChange, clock: Clock, receiver: Receiver
) -> None:
    queue(sessions, add_change(), clock, "gone", "hook")
    report = drain(sessions, channels=hook(receiver, clock), now=clock, limit=1)
    assert report == DrainReport(sent=1, retried=0, dead=0, pending_left=1)
    by_channel = {d.channel: d for d in rows(sessions)}
    assert by_channel["gone"].status == "pending"
    assert by_channel["gone"].last_error == "channel not configured"
    assert by_channel["gone"].attempts == 0
    assert by_channel["hook"].status == "sent"


class Broken:
    name = "hook"

    def deliver(self, message: AlertMessage) -> None:
        raise RuntimeError("bug in a channel")


class Flaky:
    name = "hook"

    def deliver(self, message: AlertMessage) -> None:
        raise TransientDelivery("hook", "timeout")


def test_a_channel_bug_is_retried_not_fatal(
    sessions: Sessions, add_change: AddChange, clock: Clock
) -> None:
    queue(sessions, add_change(), clock)
    report = drain(sessions, channels={"hook": Broken()}, now=clock)
    assert report.retried == 1
    [row] = rows(sessions)
    assert (row.status, row.last_error) == ("pending", "unexpected RuntimeError")


def test_transient_failures_warn_only_once_they_repeat(
    sessions: Sessions, add_change: AddChange, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    queue(sessions, add_change(), clock)
    levels: list[list[int]] = []
    for _ in range(2):
        caplog.clear()
        with caplog.at_level(logging.INFO, logger="alerts.outbox"):
            drain(sessions, channels={"hook": Flaky()}, now=clock)
        levels.append([r.levelno for r in caplog.records if r.name == "alerts.outbox"])
        clock.advance(timedelta(hours=1))
    assert levels == [[logging.INFO], [logging.WARNING]]


def test_callback_errors_do_not_undo_a_delivery(
    sessions: Sessions, add_change: AddChange, clock: Clock, receiver: Receiver
) -> None:
    queue(sessions, add_change(), clock)

    def explode(*_: Any) -> None:
        raise ValueError("reporting hook failed")

    report = drain(sessions, channels=hook(receiver, clock), now=clock, on_delivered=explode)
    assert report.sent == 1
    assert rows(sessions)[0].status == "sent"


class RacingSession(Session):
    """Runs `race` once, right after the claim query has read its rows and before it updates
    them: the moment another process could claim the same rows."""

    race: Callable[[], object] | None = None

    def execute(self, statement: Any, *args: Any, **kwargs: Any) -> Any:
        result = super().execute(statement, *args, **kwargs)
        names = [c["name"] for c in getattr(statement, "column_descriptions", [])]
        if names[:4] == ["id", "channel", "attempts", "change_id"] and RacingSession.race:
            race, RacingSession.race = RacingSession.race, None
            frozen = result.freeze()  # read every row first: an open cursor would hold a lock
            race()
            return frozen()
        return result


def test_a_drain_that_loses_the_claim_race_sends_nothing(
    engine: Any, sessions: Sessions, add_change: AddChange, clock: Clock, receiver: Receiver
) -> None:
    queue(sessions, add_change(), clock)
    channels = hook(receiver, clock)
    rival: list[DrainReport] = []
    RacingSession.race = lambda: rival.append(drain(sessions, channels=channels, now=clock))
    try:
        mine = drain(
            lambda: RacingSession(engine, expire_on_commit=False), channels=channels, now=clock
        )
    finally:
        RacingSession.race = None
    assert rival == [DrainReport(sent=1, retried=0, dead=0, pending_left=0)]
    assert mine == DrainReport(sent=0, retried=0, dead=0, pending_left=0)
    assert len(receiver.requests) == 1
    [row] = rows(sessions)
    assert (row.status, row.attempts) == ("sent", 1)


def test_no_channels_configured_leaves_everything_pending(
    sessions: Sessions, add_change: AddChange, clock: Clock
) -> None:
    queue(sessions, add_change(), clock, "a", "b")
    assert drain(sessions, channels={}, now=clock) == DrainReport(0, 0, 0, 2)
    assert {(d.status, d.last_error) for d in rows(sessions)} == {
        ("pending", "channel not configured")
    }


def test_a_broken_change_row_is_dead_and_does_not_block_the_rest(
    sessions: Sessions, add_change: AddChange, clock: Clock, receiver: Receiver
) -> None:
    broken, fine = add_change("renamed"), add_change()
    queue(sessions, broken, clock)
    queue(sessions, fine, clock)
    report = drain(sessions, channels=hook(receiver, clock), now=clock)
    assert report == DrainReport(sent=1, retried=0, dead=1, pending_left=0)
    by_change: dict[int | None, Delivery] = {d.change_id: d for d in rows(sessions)}
    assert by_change[broken.id].status == "dead"
    assert (by_change[broken.id].last_error or "").startswith("cannot build alert")
    assert [r.headers["webhook-id"] for r in receiver.requests] == [f"fw_chg_{fine.id}"]


class Slow:
    """Each delivery takes 4 minutes of the injected clock; the second one lets a rival run."""

    def __init__(self, inner: Channel, clock: Clock, rival: Callable[[], DrainReport]) -> None:
        self.name = inner.name
        self.inner, self.clock, self.rival = inner, clock, rival
        self.calls = 0

    def deliver(self, message: AlertMessage) -> None:
        self.calls += 1
        self.clock.advance(timedelta(minutes=4))
        if self.calls == 2:
            self.rival()
        self.inner.deliver(message)


def test_a_lease_covers_one_delivery_not_a_whole_batch(
    sessions: Sessions, add_change: AddChange, clock: Clock, receiver: Receiver
) -> None:
    # Three 4-minute deliveries outlast a 5-minute lease taken for the batch at the start; each
    # row is claimed just before its own delivery, so a rival never takes a row still in hand.
    changes = [add_change() for _ in range(3)]
    for change in changes:
        queue(sessions, change, clock)
    plain = hook(receiver, clock)
    slow = Slow(plain["hook"], clock, lambda: drain(sessions, channels=plain, now=clock))
    drain(sessions, channels={"hook": slow}, now=clock, lease=timedelta(minutes=5))
    ids = sorted(r.headers["webhook-id"] for r in receiver.requests)
    assert ids == sorted(f"fw_chg_{c.id}" for c in changes)  # each exactly once
    assert {d.status for d in rows(sessions)} == {"sent"}

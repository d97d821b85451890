"""The alert outbox: Delivery rows written with the change, drained to the channels.

Why an outbox: the Delivery row is committed in the same transaction as the change it
announces, so a change is never recorded without its alert, nor alerted without being recorded.
`drain` then delivers each row at least once per (change, channel) and, barring a crash between
a receiver's "accepted" and our commit, exactly once:

1. claim the next due row in a short transaction, with a conditional UPDATE that only one
   drainer can win (status pending, or sending with an expired lease; next_attempt_at <= now),
   moving it to status "sending" with a lease (next_attempt_at = now + lease) and attempts + 1.
   One row at a time, just before its delivery: the lease must outlast one delivery (a channel
   timeout or two), never a whole batch;
2. deliver outside any transaction;
3. record the outcome in its own short transaction: sent, pending again with exponential backoff
   (transient), or dead (permanent, or attempts used up).

A process that dies mid-send leaves its rows "sending"; once the lease runs out another drain
claims them again. A drain may name its `claimer` (cluster mode: the instance's worker id); then
`release_claims` puts back at once the rows of claimers known to be dead.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, and_, func, or_, select, update
from sqlmodel import Session, col

from alerts.channels.base import Channel, DeliveryError, PermanentDelivery, TransientDelivery
from alerts.digest import digest_message
from alerts.message import AlertMessage, message_for
from storage.models import Change, Delivery, Source

log = logging.getLogger(__name__)

PENDING, SENDING, SENT, DEAD = "pending", "sending", "sent", "dead"
HELD, DIGESTED = "held", "digested"  # a digest channel's alert: waiting for / part of a digest
NOT_CONFIGURED = "channel not configured"
CLAIMER_GONE = "its sender stopped mid-send; to be sent again"
BACKOFF_CAP = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class DrainReport:
    """What one drain did: rows sent, put back for a retry, given up; rows still waiting."""

    sent: int
    retried: int
    dead: int
    pending_left: int


@dataclass(frozen=True, slots=True)
class _Claim:
    delivery_id: int
    channel: str
    attempts: int  # after this claim: identifies our lease when we record the outcome
    message: AlertMessage | None  # None: the row could not be made into an alert (now dead)


def enqueue(
    *,
    session: Session,
    change: Change,
    channels: Iterable[str],
    now: datetime,
    held: Iterable[str] = (),
) -> None:
    """Add one pending Delivery per channel name for `change`, due at `now`. Does not commit.

    Channels named in `held` (digest channels) get a "held" row instead: `alerts.digest` sends
    it as part of the channel's next digest. Flushes first when the change has no id yet.
    Duplicate names are added once. Raises ValueError for a naive `now`.
    """
    holding = set(held)
    if now.tzinfo is None:
        raise ValueError("naive datetime; pass UTC-aware times")
    if change.id is None:
        session.flush()
    assert change.id is not None
    for name in dict.fromkeys(channels):
        session.add(
            Delivery(
                change_id=change.id,
                channel=name,
                status=HELD if name in holding else PENDING,
                attempts=0,
                next_attempt_at=now,
                created_at=now,
            )
        )


def retry_delay(attempts: int, backoff: timedelta) -> timedelta:
    """The wait after failed attempt number `attempts` (1-based): backoff doubling, capped at 1h."""
    return min(backoff * 2 ** max(attempts - 1, 0), BACKOFF_CAP)


def drain(
    session_factory: Callable[[], Session],
    *,
    channels: Mapping[str, Channel],
    now: Callable[[], datetime],
    max_attempts: int = 8,
    backoff: timedelta = timedelta(seconds=30),
    lease: timedelta = timedelta(minutes=5),
    on_delivered: Callable[[AlertMessage, str], None] | None = None,
    on_dead: Callable[[AlertMessage, str, str], None] | None = None,
    limit: int | None = 100,
    stop: threading.Event | None = None,
    claimer: str | None = None,
) -> DrainReport:
    """Deliver the due outbox rows once each (up to `limit` per channel); return what happened.

    Each channel drains in its own thread, so a slow or dead receiver holds up only its own
    alerts. Safe to run beside another drain (another thread, `figwatch check` beside
    `figwatch run`, another host on PostgreSQL): a row is claimed by one of them only. Rows of
    channels that are not configured stay pending, marked "channel not configured". Once `stop`
    is set, no further row is claimed. Callback errors are logged and do not change a row's
    outcome. Each claimed row records `claimer` (see `release_claims`). Raises ValueError when
    `lease` does not outlive a channel's `deadline` (two
    drainers could then send one alert at once); otherwise only database errors.
    """
    longest = max((deadline_of(c) for c in channels.values()), default=0.0)
    if lease.total_seconds() <= longest:
        raise ValueError(f"lease ({lease}) must outlive every delivery attempt ({longest:g}s)")
    with session_factory() as session, session.begin():
        _mark_unconfigured(session, list(channels), now())

    def lane(name: str) -> tuple[int, int, int]:
        return _drain_channel(
            session_factory,
            name,
            channels[name],
            now=now,
            max_attempts=max_attempts,
            backoff=backoff,
            lease=lease,
            on_delivered=on_delivered,
            on_dead=on_dead,
            limit=limit,
            stop=stop,
            claimer=claimer,
        )

    if len(channels) <= 1:
        counts = [lane(name) for name in channels]
    else:
        with ThreadPoolExecutor(len(channels), thread_name_prefix="figwatch-drain") as pool:
            counts = list(pool.map(lane, channels))
    sent, retried, dead = (
        (sum(column) for column in zip(*counts, strict=True)) if counts else (0, 0, 0)
    )
    with session_factory() as session:
        left = session.scalar(
            select(func.count())
            .select_from(Delivery)
            .where(col(Delivery.status).in_([PENDING, SENDING]))
        )
    return DrainReport(sent=sent, retried=retried, dead=dead, pending_left=int(left or 0))


def deadline_of(channel: Channel) -> float:
    """The longest one delivery attempt of `channel` may take, in seconds (0: not said)."""
    return float(getattr(channel, "deadline", 0.0))


def _drain_channel(
    session_factory: Callable[[], Session],
    name: str,
    channel: Channel,
    *,
    now: Callable[[], datetime],
    max_attempts: int,
    backoff: timedelta,
    lease: timedelta,
    on_delivered: Callable[[AlertMessage, str], None] | None,
    on_dead: Callable[[AlertMessage, str, str], None] | None,
    limit: int | None,
    stop: threading.Event | None,
    claimer: str | None,
) -> tuple[int, int, int]:
    """Deliver one channel's due rows, one at a time; return (sent, retried, dead)."""
    sent = retried = dead = claimed = 0
    # Rows this drain tried that may still look due (put back for a retry, or a lease lost):
    # never claimed twice in one drain. Sent and dead rows need no exclusion, so this set stays
    # small even when a drain sends thousands of rows.
    again: set[int] = set()
    # One row at a time: a lease then only has to outlast one delivery, not a whole batch.
    while limit is None or claimed < limit:
        if stop is not None and stop.is_set():
            break
        claim = _claim_next(session_factory, [name], now(), lease, again, claimer)
        if claim is None:
            break
        claimed += 1
        if claim.message is None:  # the row cannot become an alert: never retried
            dead += 1
            continue
        again.add(claim.delivery_id)
        error = _deliver(channel, claim.message)
        moment = now()
        if error is None:
            if _finish(session_factory, claim, status=SENT, sent_at=moment):
                again.discard(claim.delivery_id)
                sent += 1
                _call(on_delivered, claim.message, claim.channel)
            continue
        give_up = isinstance(error, PermanentDelivery) or claim.attempts >= max_attempts
        if give_up:
            if _finish(session_factory, claim, status=DEAD, last_error=error.reason):
                again.discard(claim.delivery_id)
                dead += 1
                log.error(
                    "alert %s to channel %s is dead after %d attempt(s): %s",
                    claim.message.id,
                    claim.channel,
                    claim.attempts,
                    error.reason,
                )
                _call(on_dead, claim.message, claim.channel, error.reason)
            continue
        delay = retry_delay(claim.attempts, backoff)
        if isinstance(error, TransientDelivery) and error.retry_after is not None:
            delay = max(delay, min(error.retry_after, BACKOFF_CAP))
        if _finish(
            session_factory,
            claim,
            status=PENDING,
            next_attempt_at=moment + delay,
            last_error=error.reason,
        ):
            retried += 1
            # urlwatch's rule: one blip is noise, a repeat is news.
            level = logging.WARNING if claim.attempts >= 2 else logging.INFO
            log.log(
                level,
                "alert %s to channel %s failed (attempt %d, retry in %ds): %s",
                claim.message.id,
                claim.channel,
                claim.attempts,
                int(delay.total_seconds()),
                error.reason,
            )
    return sent, retried, dead


CANDIDATES = 8  # rows read per claim attempt, so losing a race to another drainer is cheap


def _claim_next(
    session_factory: Callable[[], Session],
    names: list[str],
    moment: datetime,
    lease: timedelta,
    seen: set[int],
    claimer: str | None,
) -> _Claim | None:
    """Claim the next due row of a configured channel in one short transaction, or None.

    A row that cannot be made into an alert (a broken change row) is marked dead here, with
    its reason, and returned with `message=None`.
    """
    claimable = or_(
        col(Delivery.status) == PENDING,
        col(Delivery.status) == SENDING,  # a lease that ran out: its drainer died mid-send
    )
    due = and_(claimable, col(Delivery.next_attempt_at) <= moment)
    with session_factory() as session, session.begin():
        rows = session.execute(
            select(
                col(Delivery.id),
                col(Delivery.channel),
                col(Delivery.attempts),
                col(Delivery.change_id),
                col(Delivery.digest_id),
            )
            .where(due, col(Delivery.channel).in_(names), col(Delivery.id).not_in(seen))
            .order_by(col(Delivery.next_attempt_at), col(Delivery.id))
            .limit(CANDIDATES)
        ).all()
        for delivery_id, channel, attempts, change_id, digest_id in rows:
            won = session.execute(
                update(Delivery)
                .where(col(Delivery.id) == delivery_id, due)
                .values(
                    status=SENDING,
                    next_attempt_at=moment + lease,
                    attempts=col(Delivery.attempts) + 1,
                    claimed_by=claimer,
                )
                .execution_options(synchronize_session=False)
            )
            if won.rowcount != 1:  # type: ignore[attr-defined]
                continue  # another drainer got there first
            try:
                message = _message(session, change_id, digest_id)
            except (LookupError, ValueError) as e:
                log.error("delivery %s is dead: cannot build its alert: %s", delivery_id, e)
                session.execute(
                    update(Delivery)
                    .where(col(Delivery.id) == delivery_id)
                    .values(status=DEAD, last_error=f"cannot build alert: {e}"[:300])
                    .execution_options(synchronize_session=False)
                )
                message = None
            return _Claim(delivery_id, channel, attempts + 1, message)
    return None


def release_claims(session: Session, alive: Select[Any], moment: datetime) -> int:
    """Put back to pending, due at `moment`, the rows being sent by a claimer not among `alive`
    (a query of the claimers still running): their process died mid-send, and waiting out the
    lease would hold their alerts for minutes. Rows claimed by no one named keep their lease.
    Returns the rows put back; does not commit.

    A claimer only paused, not dead, may still finish its send when it resumes: the alert then
    goes out twice (each carries its webhook-id for the receiver to drop the repeat), and that
    claimer's outcome is not recorded, its lease being lost."""
    result = session.execute(
        update(Delivery)
        .where(
            col(Delivery.status) == SENDING,
            col(Delivery.claimed_by).is_not(None),
            col(Delivery.claimed_by).not_in(alive),
        )
        .values(status=PENDING, next_attempt_at=moment, last_error=CLAIMER_GONE)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def _message(session: Session, change_id: int | None, digest_id: int | None) -> AlertMessage:
    if change_id is None:
        if digest_id is None:
            raise LookupError("delivery has neither a change nor a digest")
        return digest_message(session, digest_id)
    change = session.get(Change, change_id)
    source = session.get(Source, change.source_id) if change is not None else None
    if change is None or source is None:
        raise LookupError(f"change {change_id} or its source is missing")
    return message_for(change, source)


def _mark_unconfigured(session: Session, names: list[str], moment: datetime) -> None:
    """Note on rows of channels no longer configured why they wait; free their stale leases."""
    session.execute(
        update(Delivery)
        .where(
            col(Delivery.channel).not_in(names),
            or_(
                col(Delivery.status) == PENDING,
                and_(col(Delivery.status) == SENDING, col(Delivery.next_attempt_at) <= moment),
            ),
            or_(col(Delivery.last_error).is_(None), col(Delivery.last_error) != NOT_CONFIGURED),
        )
        .values(status=PENDING, last_error=NOT_CONFIGURED)
        .execution_options(synchronize_session=False)
    )


def _deliver(channel: Channel, message: AlertMessage) -> DeliveryError | None:
    """Deliver one claimed message; a failure comes back as a DeliveryError, never raised."""
    try:
        channel.deliver(message)
    except DeliveryError as e:
        return e
    except Exception as e:  # noqa: BLE001 - a channel bug must not stop the other deliveries
        log.exception("channel %s raised %s; treating it as transient", channel.name, type(e))
        return TransientDelivery(channel.name, f"unexpected {type(e).__name__}")
    return None


def _finish(
    session_factory: Callable[[], Session],
    claim: _Claim,
    *,
    status: str,
    sent_at: datetime | None = None,
    next_attempt_at: datetime | None = None,
    last_error: str | None = None,
) -> bool:
    """Record the outcome, if the lease is still ours (same status and attempts); say if it was."""
    values: dict[str, object] = {"status": status}
    if sent_at is not None:
        values["sent_at"] = sent_at
    if next_attempt_at is not None:
        values["next_attempt_at"] = next_attempt_at
    if last_error is not None:
        values["last_error"] = last_error
    with session_factory() as session, session.begin():
        result = session.execute(
            update(Delivery)
            .where(
                col(Delivery.id) == claim.delivery_id,
                col(Delivery.status) == SENDING,
                col(Delivery.attempts) == claim.attempts,
            )
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        owned = result.rowcount == 1  # type: ignore[attr-defined]
    if not owned:
        log.warning(
            "delivery %s to channel %s: lease lost before the outcome was recorded (%s)",
            claim.delivery_id,
            claim.channel,
            status,
        )
    return owned


def _call(callback: Callable[..., None] | None, *args: object) -> None:
    if callback is None:
        return
    try:
        callback(*args)
    except Exception:  # noqa: BLE001 - a reporting hook must not undo a delivery
        log.exception("outbox callback %s failed", getattr(callback, "__name__", callback))

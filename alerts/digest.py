"""Digests: a channel's alerts collected into one message per period.

A digest channel's outbox rows are written "held". When a period has ended, `close_digests`
makes, in one transaction: a `digest` row (unique per channel and period end, so of two
processes closing the same period one wins and the other's insert fails and is rolled back),
the held rows marked "digested" with its id, and ONE pending outbox row for the digest itself,
which the outbox then delivers exactly once like any alert. Held rows of earlier periods (the
service was down) go into the next digest; a period with nothing held sends nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from alerts.message import AlertMessage, message_for
from storage.models import Change, Delivery, Digest, Source

log = logging.getLogger(__name__)

HELD, DIGESTED, PENDING = "held", "digested", "pending"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def period_end(
    moment: datetime, *, every: timedelta | None = None, at: str | None = None, zone: str = "UTC"
) -> datetime:
    """The latest period boundary at or before `moment`: a multiple of `every` since the epoch
    (UTC), or the last `at` ("07:00") in time zone `zone`."""
    if every is not None:
        step = int(every.total_seconds())
        seconds = int((moment - EPOCH).total_seconds())
        return EPOCH + timedelta(seconds=seconds - seconds % step)
    assert at is not None
    tz = ZoneInfo(zone)
    local = moment.astimezone(tz)
    hour, minute = (int(p) for p in at.split(":"))
    boundary = datetime.combine(local.date(), time(hour, minute), tzinfo=tz)
    if boundary > local:
        boundary = datetime.combine(local.date() - timedelta(days=1), time(hour, minute), tzinfo=tz)
    return boundary.astimezone(UTC)


def close_digests(
    session_factory: Callable[[], Session], *, ends: Mapping[str, datetime], now: datetime
) -> list[int]:
    """Make the digest of each channel whose held alerts are older than its period end
    (`ends`: channel -> the end of its last finished period). Returns the new digests' ids."""
    made: list[int] = []
    for channel, end in ends.items():
        try:
            with session_factory() as session, session.begin():
                digest_id = _close(session, channel, end, now)
        except IntegrityError:  # another process made this period's digest first
            log.debug("digest of %s for %s: made elsewhere", channel, end)
            continue
        if digest_id is not None:
            made.append(digest_id)
    return made


def _close(session: Session, channel: str, end: datetime, now: datetime) -> int | None:
    waiting = session.scalar(
        select(func.count())
        .select_from(Delivery)
        .where(
            col(Delivery.channel) == channel,
            col(Delivery.status) == HELD,
            col(Delivery.created_at) < end,
        )
    )
    if not waiting:
        return None
    digest = Digest(channel=channel, period_end=end, created_at=now)
    session.add(digest)
    session.flush()  # the unique (channel, period_end) decides here
    assert digest.id is not None
    session.execute(
        update(Delivery)
        .where(
            col(Delivery.channel) == channel,
            col(Delivery.status) == HELD,
            col(Delivery.created_at) < end,
        )
        .values(status=DIGESTED, digest_id=digest.id)
        .execution_options(synchronize_session=False)
    )
    session.add(
        Delivery(
            change_id=None, digest_id=digest.id, channel=channel, status=PENDING, attempts=0,
            next_attempt_at=now, created_at=now,
        )
    )  # fmt: skip
    log.info("digest %s of channel %s: %d alerts until %s", digest.id, channel, waiting, end)
    return digest.id


def digest_message(session: Session, digest_id: int) -> AlertMessage:
    """The alert of one digest: its alerts, oldest first. Raises LookupError when it is gone."""
    digest = session.get(Digest, digest_id)
    if digest is None:
        raise LookupError(f"digest {digest_id} is missing")
    rows = session.exec(
        select(Change, Source)
        .join(Delivery, col(Delivery.change_id) == col(Change.id))
        .join(Source, col(Source.id) == col(Change.source_id))
        .where(col(Delivery.digest_id) == digest_id, col(Delivery.channel) == digest.channel)
        .order_by(col(Change.detected_at), col(Change.id))
    ).all()
    items = tuple(message_for(change, source) for change, source in rows)
    sources = sorted({i.source for i in items})
    return AlertMessage(
        id=f"fw_dig_{digest_id}",
        type="digest",
        source=", ".join(sources),
        url="",
        figure=None,
        previous=None,
        detected_at=digest.period_end,
        change_id=None,
        items=items,
    )

"""The delivery log: what the outbox holds, for `figwatch alerts log`, and requeueing failed rows
for `figwatch alerts retry`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, update
from sqlmodel import Session, col, select

from alerts.message import TYPES, iso_utc
from alerts.outbox import DEAD, PENDING, SENDING
from storage.models import Change, Delivery, Source


@dataclass(frozen=True, slots=True)
class LogEntry:
    """One outbox row: its channel, what it announces, attempts, last error and times."""

    id: int
    channel: str
    status: str
    type: str  # figure.changed, source.failing, digest, ...
    source: str | None
    change_id: int | None
    digest_id: int | None
    attempts: int
    last_error: str | None
    created_at: datetime
    next_attempt_at: datetime | None  # when pending: the next try
    sent_at: datetime | None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "channel": self.channel, "status": self.status, "type": self.type,
            "source": self.source, "change_id": self.change_id, "digest_id": self.digest_id,
            "attempts": self.attempts, "last_error": self.last_error,
            "created_at": iso_utc(self.created_at),
            "next_attempt_at": iso_utc(self.next_attempt_at) if self.next_attempt_at else None,
            "sent_at": iso_utc(self.sent_at) if self.sent_at else None,
        }  # fmt: skip


def entries(
    *,
    session: Session,
    status: str | None = None,
    channel: str | None = None,
    limit: int | None = None,
) -> list[LogEntry]:
    """Outbox rows, oldest first (the newest `limit`); `status` pending includes "sending"."""
    query = (
        select(Delivery, Change.kind, Source.name)
        .join(Change, col(Change.id) == col(Delivery.change_id), isouter=True)
        .join(Source, col(Source.id) == col(Change.source_id), isouter=True)
        .order_by(col(Delivery.id).desc())
    )
    if status is not None:
        wanted = [PENDING, SENDING] if status == PENDING else [status]
        query = query.where(col(Delivery.status).in_(wanted))
    if channel is not None:
        query = query.where(col(Delivery.channel) == channel)
    if limit is not None:
        query = query.limit(limit)
    out = []
    for row, kind, source in session.exec(query).all():
        assert row.id is not None
        pending = row.status in (PENDING, SENDING)
        out.append(
            LogEntry(
                id=row.id, channel=row.channel,
                status=PENDING if row.status == SENDING else row.status,
                type="digest" if row.change_id is None else TYPES.get(kind or "", kind or "?"),
                source=source, change_id=row.change_id, digest_id=row.digest_id,
                attempts=row.attempts, last_error=row.last_error, created_at=row.created_at,
                next_attempt_at=row.next_attempt_at if pending else None, sent_at=row.sent_at,
            )
        )  # fmt: skip
    return out[::-1]


def requeue(*, session: Session, ids: Sequence[int] = (), dead: bool = False, now: datetime) -> int:
    """Make dead rows (all with `dead`, or those of `ids`) pending again, due `now`, with their
    attempts reset; pending rows among `ids` become due now. Sent rows are never resent.
    Returns how many rows were requeued. Does not commit."""
    if not ids and not dead:
        return 0
    where: list[ColumnElement[bool]] = [col(Delivery.status).in_([DEAD, PENDING])]
    if ids:
        where.append(col(Delivery.id).in_(list(ids)))
    else:
        where.append(col(Delivery.status) == DEAD)
    result = session.execute(
        update(Delivery)
        .where(*where)
        .values(status=PENDING, attempts=0, next_attempt_at=now)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]

"""What became of the alerts of some changes, per channel: for `figwatch check`'s report."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace
from datetime import datetime

from sqlmodel import Session, col, select

from storage.models import Delivery

SENT, DEAD = "sent", "dead"
HELD, DIGESTED = "held", "digested"
_CHUNK = 500  # ids per IN (...) list: well under every database's limit on bound parameters


@dataclass(frozen=True, slots=True)
class ChannelTally:
    """One channel's deliveries of the changes asked about."""

    channel: str
    sent: int = 0
    pending: int = 0  # pending or being sent: a later drain will try again
    dead: int = 0
    next_attempt_at: datetime | None = None  # the earliest retry of a pending one
    last_error: str | None = None
    held: int = 0  # waiting for the channel's next digest (not a delivery failure)

    @property
    def settled(self) -> bool:
        return self.pending == 0


def tally(*, session: Session, change_ids: Collection[int]) -> list[ChannelTally]:
    """The deliveries of `change_ids`, counted per channel, by channel name."""
    rows: list[Delivery] = []
    ids = sorted(change_ids)
    for at in range(0, len(ids), _CHUNK):
        chunk = ids[at : at + _CHUNK]
        rows += session.exec(select(Delivery).where(col(Delivery.change_id).in_(chunk))).all()
    return count(rows)


def count(rows: Iterable[Delivery]) -> list[ChannelTally]:
    tallies: dict[str, ChannelTally] = {}
    for row in rows:
        t = tallies.get(row.channel) or ChannelTally(row.channel)
        if row.status == SENT:
            t = replace(t, sent=t.sent + 1)
        elif row.status == DEAD:
            t = replace(t, dead=t.dead + 1, last_error=row.last_error or t.last_error)
        elif row.status in (HELD, DIGESTED):
            t = replace(t, held=t.held + 1)
        else:
            due = row.next_attempt_at
            earliest = min(due, t.next_attempt_at) if t.next_attempt_at else due
            t = replace(
                t,
                pending=t.pending + 1,
                next_attempt_at=earliest,
                last_error=row.last_error or t.last_error,
            )
        tallies[row.channel] = t
    return [tallies[name] for name in sorted(tallies)]

"""The tables: sources, fetches, article versions, observations, current figures, changes, outbox.

All timestamps are UTC-aware on the way in and out (`UTCDateTime`), on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    true,
)
from sqlalchemy.types import DateTime, TypeDecorator
from sqlmodel import Field, SQLModel


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as UTC; returns them aware (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; pass UTC-aware times")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _ts(*, nullable: bool = False, index: bool = False) -> Any:
    return Field(default=None, sa_column=Column(UTCDateTime(), nullable=nullable, index=index))


class Source(SQLModel, table=True):
    """A configured page, by its config name."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_column=Column(String(200), unique=True, nullable=False))
    url: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = _ts()
    # The fencing token of cluster mode (migration 0005): raised by each check that starts; a
    # check's result is recorded only while its token is still the newest (pipeline/cluster.py).
    fence: int = Field(default=0, sa_column=Column(BigInteger, nullable=False, server_default="0"))


class Document(SQLModel, table=True):
    """One version of a source's article text, zlib-compressed, kept for re-extraction."""

    __table_args__ = (UniqueConstraint("source_id", "text_hash"),)

    id: int | None = Field(default=None, primary_key=True)
    source_id: int = Field(foreign_key="source.id", index=True)
    text_hash: str = Field(sa_column=Column(String(64), nullable=False))
    text_z: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    title: str | None = Field(default=None, sa_column=Column(Text))
    created_at: datetime = _ts()


class Fetch(SQLModel, table=True):
    """Every fetch attempt: its outcome, timing and error, even when nothing changed."""

    __tablename__ = "fetch_log"  # FETCH is a reserved word in PostgreSQL
    # A source's newest fetches, found without reading its history (migration 0004).
    __table_args__ = (Index("ix_fetch_log_source_id_id", "source_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    source_id: int = Field(foreign_key="source.id", index=True)
    started_at: datetime = _ts(index=True)
    duration_ms: int = 0
    # 'changed' | 'unchanged' (same text) | 'not_modified' (304 or same body) | 'error'
    outcome: str = Field(sa_column=Column(String(20), nullable=False))
    status_code: int | None = None
    final_url: str | None = Field(default=None, sa_column=Column(Text))
    error_kind: str | None = Field(default=None, sa_column=Column(String(40)))
    error: str | None = Field(default=None, sa_column=Column(Text))
    etag: str | None = Field(default=None, sa_column=Column(Text))
    last_modified: str | None = Field(default=None, sa_column=Column(Text))
    body_hash: str | None = Field(default=None, sa_column=Column(String(64)))
    body_bytes: int | None = None
    document_id: int | None = Field(default=None, foreign_key="document.id")
    # Which figwatch instance made the fetch: `[cluster] instance`, else host:pid (0005).
    instance: str | None = Field(default=None, sa_column=Column(String(200)))


class Observation(SQLModel, table=True):
    """One figure as one fetch saw it, with its evidence sentence."""

    id: int | None = Field(default=None, primary_key=True)
    fetch_id: int = Field(foreign_key="fetch_log.id", index=True)
    source_id: int = Field(foreign_key="source.id", index=True)
    key: str = Field(sa_column=Column(Text, nullable=False))
    category: str = Field(sa_column=Column(String(20), nullable=False))
    value: int = Field(sa_column=Column(BigInteger, nullable=False))
    value_max: int | None = Field(default=None, sa_column=Column(BigInteger))
    qualifier: str = Field(sa_column=Column(String(20), nullable=False))
    subject: str | None = Field(default=None, sa_column=Column(Text))
    claimant: str | None = Field(default=None, sa_column=Column(Text))
    sentence: str = Field(sa_column=Column(Text, nullable=False))
    start: int = 0
    end: int = 0
    rule: str = Field(default="", sa_column=Column(String(80), nullable=False))
    observed_at: datetime = _ts()


class CurrentFigure(SQLModel, table=True):
    """A source's figure as last seen, by identity key; `active` is false once removed."""

    __tablename__ = "current_figure"
    __table_args__ = (UniqueConstraint("source_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    source_id: int = Field(foreign_key="source.id", index=True)
    key: str = Field(sa_column=Column(Text, nullable=False))
    category: str = Field(sa_column=Column(String(20), nullable=False))
    value: int = Field(sa_column=Column(BigInteger, nullable=False))
    value_max: int | None = Field(default=None, sa_column=Column(BigInteger))
    qualifier: str = Field(sa_column=Column(String(20), nullable=False))
    subject: str | None = Field(default=None, sa_column=Column(Text))
    claimant: str | None = Field(default=None, sa_column=Column(Text))
    sentence: str = Field(sa_column=Column(Text, nullable=False))
    active: bool = True
    # False for a value recorded without an alert (pipeline.diff.Known.announced), 0007
    announced: bool = Field(
        default=True, sa_column=Column(Boolean, nullable=False, server_default=true())
    )
    observation_id: int | None = Field(default=None, foreign_key="observation.id")
    updated_at: datetime = _ts()


class Change(SQLModel, table=True):
    """One change of one figure: new, changed (old -> new) or removed."""

    id: int | None = Field(default=None, primary_key=True)
    source_id: int = Field(foreign_key="source.id", index=True)
    fetch_id: int = Field(foreign_key="fetch_log.id", index=True)
    key: str = Field(sa_column=Column(Text, nullable=False))
    kind: str = Field(sa_column=Column(String(20), nullable=False))  # new | changed | removed
    category: str = Field(sa_column=Column(String(20), nullable=False))
    subject: str | None = Field(default=None, sa_column=Column(Text))
    claimant: str | None = Field(default=None, sa_column=Column(Text))
    old_value: int | None = Field(default=None, sa_column=Column(BigInteger))
    old_value_max: int | None = Field(default=None, sa_column=Column(BigInteger))
    old_qualifier: str | None = Field(default=None, sa_column=Column(String(20)))
    old_sentence: str | None = Field(default=None, sa_column=Column(Text))
    new_value: int | None = Field(default=None, sa_column=Column(BigInteger))
    new_value_max: int | None = Field(default=None, sa_column=Column(BigInteger))
    new_qualifier: str | None = Field(default=None, sa_column=Column(String(20)))
    new_sentence: str | None = Field(default=None, sa_column=Column(Text))
    baseline: bool = False  # set by a source's first check: recorded, not alerted
    detected_at: datetime = _ts(index=True)


class Digest(SQLModel, table=True):
    """One digest of one channel: the alerts held for it until `period_end`. Unique per
    (channel, period_end), so two drainers closing the same period make one digest."""

    __table_args__ = (UniqueConstraint("channel", "period_end"),)

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(sa_column=Column(String(200), nullable=False))
    period_end: datetime = _ts()
    created_at: datetime = _ts()


class AlertState(SQLModel, table=True):
    """Confirmation state of one figure for one channel with `confirm` > 1: the value last
    alerted (or taken as known), the value waiting to be confirmed, how many consecutive checks
    saw it, and the change that announced it. Values are signatures ("value|max|qualifier",
    "" = not stated)."""

    __tablename__ = "alert_state"
    __table_args__ = (UniqueConstraint("source_id", "key", "channel"),)

    id: int | None = Field(default=None, primary_key=True)
    source_id: int = Field(foreign_key="source.id", index=True)
    key: str = Field(sa_column=Column(Text, nullable=False))
    channel: str = Field(sa_column=Column(String(200), nullable=False))
    alerted: str = Field(sa_column=Column(Text, nullable=False))
    pending: str | None = Field(default=None, sa_column=Column(Text))
    seen: int = 0
    change_id: int | None = Field(default=None, foreign_key="change.id")
    updated_at: datetime = _ts()


class Delivery(SQLModel, table=True):
    """The outbox: one row per (change, channel), written in the check's transaction; or one
    row per digest (`change_id` null, `digest_id` set). A digest channel's alerts wait as
    status "held" until their digest is made, then become "digested" (their `digest_id`)."""

    __table_args__ = (UniqueConstraint("change_id", "channel"),)

    id: int | None = Field(default=None, primary_key=True)
    change_id: int | None = Field(default=None, foreign_key="change.id", index=True)
    digest_id: int | None = Field(default=None, foreign_key="digest.id", index=True)
    channel: str = Field(sa_column=Column(String(200), nullable=False))
    status: str = Field(
        sa_column=Column(String(20), nullable=False, index=True)
    )  # pending|sending|sent|dead|held|digested
    attempts: int = 0
    next_attempt_at: datetime = _ts(index=True)
    last_error: str | None = Field(default=None, sa_column=Column(Text))
    sent_at: datetime | None = _ts(nullable=True)
    created_at: datetime = _ts()
    # Who holds (or last held) the lease: in cluster mode the claiming instance's worker id, so
    # the others can put back at once the rows of an instance that died mid-send (0006).
    claimed_by: str | None = Field(default=None, sa_column=Column(String(200), nullable=True))

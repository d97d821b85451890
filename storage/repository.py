"""Reads and writes of the check and history; the caller owns the transaction (no commits here)."""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, update
from sqlalchemy import select as columns
from sqlmodel import Session, col, select

from storage import hotpath
from storage.models import (
    Change,
    CurrentFigure,
    Delivery,
    Document,
    Fetch,
    Source,
)


def source_by_name(*, session: Session, name: str) -> Source | None:
    return session.exec(select(Source).where(Source.name == name)).first()


def lock_source(*, session: Session, name: str, url: str, now: datetime) -> Source:
    """Get or create the source row and take the write lock on it for this transaction (see
    `storage.hotpath.lock_source_id`); the row itself."""
    source_id, _fence = hotpath.lock_source_id(session=session, name=name, url=url, now=now)
    source = session.get(Source, source_id, populate_existing=True)
    assert source is not None
    return source


def take_fence(
    *, session: Session, name: str, url: str, since: datetime, now: datetime
) -> int | None:
    """Start a check of source `name` in cluster mode: raise its fencing token and return it, or
    None when the source has been fetched at or after `since` (its slot is done already).

    The source row is locked first, and only then is the fetch looked for, in a statement of its
    own: under READ COMMITTED a statement sees what was committed before it started, so a check
    of this slot that was recording while we waited for the lock is seen, not missed.
    """
    dialect = session.get_bind().dialect.name
    insert = hotpath.dialect_insert(dialect)
    session.execute(
        insert(Source)
        .values(name=name, url=url, created_at=now)
        .on_conflict_do_nothing(index_elements=["name"])
    )
    session.exec(select(Source.id).where(Source.name == name).with_for_update()).one()
    done = select(Fetch.id).where(Fetch.source_id == Source.id, col(Fetch.started_at) >= since)
    raised = session.execute(
        update(Source)
        .where(col(Source.name) == name, ~done.exists())
        .values(fence=col(Source.fence) + 1)
        .returning(col(Source.fence))
    ).scalar()
    return None if raised is None else int(raised)


def fence_holds(*, session: Session, source_id: int, fence: int) -> bool:
    """Whether `fence` is still the source's newest token; the row stays share-locked until the
    transaction ends, so no newer check can start until what this one records is committed."""
    current = session.exec(
        select(Source.fence).where(Source.id == source_id).with_for_update(read=True)
    ).one()
    return current == fence


@dataclass(frozen=True, slots=True)
class LastGood:
    """A source's newest fetch that got a page: its validators for the conditional GET."""

    outcome: str
    etag: str | None
    last_modified: str | None
    body_hash: str | None


@dataclass(frozen=True, slots=True)
class CheckState:
    """What a check needs to know before it fetches: the source's id and URL, its last good
    fetch, the text hash of its latest document, and whether its newest fetch failed (only
    then can a good fetch be a recovery). Plain values: a pass reads thousands at once, and ORM
    objects cost a validation and the session's bookkeeping each."""

    source_id: int
    url: str
    last_good: LastGood | None
    text_hash: str | None
    last_failed: bool


STATE_CHUNK = 500  # names per query: well under SQLite's limit of bound parameters


def check_states(*, session: Session, names: Sequence[str]) -> dict[str, CheckState]:
    """The CheckState of each source in `names` that exists, by name: two queries per
    STATE_CHUNK names, whatever their number (a pass over thousands of sources reads its
    state at once, not one query per source)."""
    newest = select(func.max(Fetch.id)).where(Fetch.source_id == Source.id).scalar_subquery()
    newest_good = (
        select(func.max(Fetch.id))
        .where(Fetch.source_id == Source.id, Fetch.outcome != "error")
        .scalar_subquery()
    )
    newest_text = (
        select(Document.text_hash)
        .join(Fetch, col(Fetch.document_id) == Document.id)
        .where(Fetch.source_id == Source.id)
        .order_by(col(Fetch.id).desc())
        .limit(1)
        .scalar_subquery()
    )
    out: dict[str, CheckState] = {}
    for at in range(0, len(names), STATE_CHUNK):
        chunk = list(names[at : at + STATE_CHUNK])
        rows = session.execute(
            columns(
                col(Source.id), col(Source.name), col(Source.url), newest, newest_good, newest_text
            ).where(col(Source.name).in_(chunk))
        ).all()
        good_ids = [row[4] for row in rows if row[4] is not None]
        fetched = (
            session.execute(
                columns(
                    col(Fetch.id),
                    col(Fetch.outcome),
                    col(Fetch.etag),
                    col(Fetch.last_modified),
                    col(Fetch.body_hash),
                ).where(col(Fetch.id).in_(good_ids))
            ).all()
            if good_ids
            else []
        )
        goods = {fetch_id: LastGood(*values) for fetch_id, *values in fetched}
        for source_id, name, url, newest_id, good_id, digest in rows:
            last_good = goods.get(good_id) if good_id is not None else None
            failed = newest_id is not None and newest_id != good_id
            out[name] = CheckState(source_id, url, last_good, digest, failed)
    return out


def last_good_fetch(*, session: Session, source_id: int) -> Fetch | None:
    """The newest fetch that got a page (not an error): its validators drive the conditional GET."""
    return session.exec(
        select(Fetch)
        .where(Fetch.source_id == source_id, Fetch.outcome != "error")
        .order_by(col(Fetch.id).desc())
        .limit(1)
    ).first()


def recent_outcomes(*, session: Session, source_id: int, limit: int = 10) -> list[str]:
    """The outcomes of the source's newest fetches, newest first."""
    rows = session.exec(
        select(Fetch.outcome)
        .where(Fetch.source_id == source_id)
        .order_by(col(Fetch.id).desc())
        .limit(limit)
    ).all()
    return list(rows)


def current_figures(*, session: Session, source_id: int) -> list[CurrentFigure]:
    """All figure states of the source, active and removed, by key."""
    return list(session.exec(select(CurrentFigure).where(CurrentFigure.source_id == source_id)))


def latest_reading(*, session: Session, source_id: int) -> tuple[Document, int] | None:
    """The article text the source's page showed last, with the id of the fetch that read it."""
    row = session.exec(
        select(Document, Fetch.id)
        .join(Fetch, col(Fetch.document_id) == Document.id)
        .where(Fetch.source_id == source_id)
        .order_by(col(Fetch.id).desc())
        .limit(1)
    ).first()
    if row is None or row[1] is None:
        return None
    return row[0], row[1]


def store_document(
    *, session: Session, source_id: int, text: str, title: str | None, now: datetime
) -> Document:
    """Keep this version of the article text, compressed; an identical earlier version is reused."""
    document_id = hotpath.store_document_id(
        session=session, source_id=source_id, text=text, title=title, now=now
    )
    document = session.get(Document, document_id)
    assert document is not None
    return document


def document_text(document: Document) -> str:
    return zlib.decompress(document.text_z).decode("utf-8")


def changes(
    *, session: Session, source: str | None = None, limit: int | None = None
) -> Sequence[tuple[Change, Source]]:
    """Recorded changes, oldest first, with their source."""
    query = select(Change, Source).join(Source, col(Change.source_id) == Source.id)
    if source is not None:
        query = query.where(Source.name == source)
    query = query.order_by(col(Change.detected_at), col(Change.id))
    rows = list(session.exec(query).all())
    return rows[-limit:] if limit else rows


def active_figures(
    *, session: Session, source: str | None = None
) -> Sequence[tuple[CurrentFigure, Source]]:
    query = (
        select(CurrentFigure, Source)
        .join(Source, col(CurrentFigure.source_id) == Source.id)
        .where(col(CurrentFigure.active).is_(True))
    )
    if source is not None:
        query = query.where(Source.name == source)
    return list(session.exec(query.order_by(Source.name, col(CurrentFigure.id))).all())


def deliveries(*, session: Session, change_id: int) -> list[Delivery]:
    return list(session.exec(select(Delivery).where(Delivery.change_id == change_id)))

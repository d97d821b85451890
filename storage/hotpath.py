"""The reads and writes of a check's hot path as Core statements built once, executed on the
session's connection: no unit of work, no ORM objects, no statement built per call. A pass over
thousands of changed pages runs these thousands of times; the ORM's cost per row (building
the statement, coercing its values, flushing objects) was most of a check's database time.

The caller owns the transaction, as for storage.repository.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Insert, Row, Table, bindparam, insert, select, update
from sqlmodel import Session, SQLModel

from storage.models import Change, CurrentFigure, Document, Fetch, Observation, Source
from storage.texthash import pack_text, text_hash


def _table(model: type[SQLModel]) -> Table:
    return model.__table__  # type: ignore[attr-defined, no-any-return]


SOURCE, DOCUMENT, FETCH, OBSERVATION, CURRENT, CHANGE = (
    _table(m) for m in (Source, Document, Fetch, Observation, CurrentFigure, Change)
)
_DOCUMENT_ID = select(DOCUMENT.c.id).where(
    DOCUMENT.c.source_id == bindparam("source_id"), DOCUMENT.c.text_hash == bindparam("digest")
)
_CURRENT_OF = select(CURRENT).where(CURRENT.c.source_id == bindparam("source_id"))
_CHANGED_ONCE = (
    select(FETCH.c.id)
    .where(FETCH.c.source_id == bindparam("source_id"), FETCH.c.outcome == "changed")
    .limit(1)
)
_UPDATE_CURRENT = update(CURRENT).where(CURRENT.c.id == bindparam("row_id"))


def dialect_insert(dialect: str) -> Callable[[Any], Any]:
    """The `insert` of `dialect` (PostgreSQL's, else SQLite's), which has ON CONFLICT; its
    module is imported here, so a SQLite database never loads the PostgreSQL dialect."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as postgresql_insert

        return postgresql_insert
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert


@functools.cache
def _upsert_source(dialect: str) -> Insert:
    statement = dialect_insert(dialect)(SOURCE)
    return statement.on_conflict_do_update(
        index_elements=["name"], set_={"url": statement.excluded.url}
    ).returning(SOURCE.c.id, SOURCE.c.fence)


@functools.cache
def _insert_one(table: Table) -> Insert:
    return insert(table).returning(table.c.id)


@functools.cache
def _insert_many(table: Table) -> Insert:
    return insert(table).returning(table.c.id, sort_by_parameter_order=True)


def lock_source_id(*, session: Session, name: str, url: str, now: datetime) -> tuple[int, int]:
    """Get or create the source row and take the write lock on it for this transaction; its id
    and fencing token, in one statement.

    The upsert (an insert, or an UPDATE of the URL when the row exists, also when another
    process has just added it) makes SQLite take its write lock and PostgreSQL lock the row
    until the transaction ends, so two processes checking one source diff one after the other,
    never against the same stale state.
    """
    connection = session.connection()
    params = {"name": name, "url": url, "created_at": now}
    row = connection.execute(_upsert_source(connection.dialect.name), params).one()
    return int(row[0]), int(row[1])


def has_baseline(*, session: Session, source_id: int) -> bool:
    """Whether the source ever had a page whose figures were recorded (rows the session holds
    unflushed are not seen)."""
    found = session.connection().execute(_CHANGED_ONCE, {"source_id": source_id}).first()
    return found is not None


def store_document_id(
    *,
    session: Session,
    source_id: int,
    text: str,
    title: str | None,
    now: datetime,
    digest: str | None = None,
    packed: bytes | None = None,
) -> int:
    """Keep this version of the article text, compressed, and return its row's id; an identical
    earlier version of the source is reused. `digest` and `packed`, when the caller has them
    (a parsing worker made them), are `text_hash(text)` and `pack_text(text)`."""
    if digest is None:
        digest = text_hash(text)
    connection = session.connection()
    existing = connection.execute(_DOCUMENT_ID, {"source_id": source_id, "digest": digest})
    found = existing.scalar()
    if found is not None:
        return int(found)
    row = {
        "source_id": source_id,
        "text_hash": digest,
        "text_z": pack_text(text) if packed is None else packed,
        "title": title,
        "created_at": now,
    }
    return insert_values(session=session, table=DOCUMENT, rows=[row])[0]


def insert_values(*, session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> list[int]:
    """Insert `rows` (each with every column but id) in one statement; their ids, in order."""
    if not rows:
        return []
    connection = session.connection()
    if len(rows) == 1:
        return [int(connection.execute(_insert_one(table), rows[0]).scalar_one())]
    result = connection.execute(_insert_many(table), list(rows))
    return [int(i) for i in result.scalars().all()]


def insert_fetch(*, session: Session, fetch: Fetch) -> int:
    """Insert `fetch` (a new row); set and return its id. The object is not added to the
    session."""
    fetch.id = insert_values(session=session, table=FETCH, rows=[row_values(fetch)])[0]
    return fetch.id


_INSERT_FETCH = insert(FETCH)


def fetch_values(
    *,
    source_id: int,
    started_at: datetime,
    outcome: str,
    duration_ms: int = 0,
    status_code: int | None = None,
    final_url: str | None = None,
    etag: str | None = None,
    last_modified: str | None = None,
    body_hash: str | None = None,
    body_bytes: int | None = None,
    instance: str | None = None,
) -> dict[str, Any]:
    """The columns of a new fetch_log row of a good check (every column but id), for
    `insert_fetches`: a plain dict, where a Fetch object costs a pydantic validation and the
    ORM's attribute bookkeeping (about a fifth of an unchanged page's check)."""
    return {
        "source_id": source_id, "started_at": started_at, "duration_ms": duration_ms,
        "outcome": outcome, "status_code": status_code, "final_url": final_url,
        "error_kind": None, "error": None, "etag": etag, "last_modified": last_modified,
        "body_hash": body_hash, "body_bytes": body_bytes, "document_id": None,
        "instance": instance,
    }  # fmt: skip


def insert_fetches(*, session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Insert new fetch rows (`fetch_values`) in one statement (executemany), without reading
    their ids back: a pass's unchanged pages."""
    if rows:
        session.connection().execute(_INSERT_FETCH, list(rows))


def row_values(fetch: Fetch) -> dict[str, Any]:
    """A Fetch object's column values, every column but id."""
    return {c.name: getattr(fetch, c.name) for c in FETCH.columns if c.name != "id"}


def current_figure_rows(*, session: Session, source_id: int) -> list[Row[Any]]:
    """The source's current figures (storage.repository.current_figures) as plain rows."""
    return list(session.connection().execute(_CURRENT_OF, {"source_id": source_id}).all())


def update_current(*, session: Session, rows: Sequence[tuple[int, dict[str, Any]]]) -> None:
    """UPDATE current figures by id, in the order given: (id, the columns to set)."""
    connection = session.connection()
    for row_id, values in rows:
        connection.execute(_UPDATE_CURRENT, {"row_id": row_id, **values})

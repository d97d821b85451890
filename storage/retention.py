"""Retention: old fetch rows and superseded article versions are deleted; evidence never is.

A check writes a `fetch_log` row every time (4 M rows a day at 500 sources every 10 s). What is
kept whatever its age:
- a fetch that an observation or a change refers to (the evidence of a figure or an alert);
- each source's newest fetch, newest fetch that got a page (its validators drive the
  conditional GET) and newest fetch with an article text (the text the next check diffs with);
- an article version (`document`) that a kept fetch still refers to.
The caller owns the transaction: one call deletes one batch.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, delete, exists, func, not_, select
from sqlmodel import Session, col

from storage.models import Change, Document, Fetch, Observation


@dataclass(frozen=True, slots=True)
class Pruned:
    fetches: int
    documents: int


def prune_batch(*, session: Session, before: datetime, limit: int = 5_000) -> Pruned:
    """Delete up to `limit` fetch rows started before `before` that nothing needs, then the
    article versions created before `before` that no fetch refers to any more."""
    if before.tzinfo is None:
        raise ValueError("naive datetime; pass UTC-aware times")
    newest = [
        select(func.max(Fetch.id)).group_by(col(Fetch.source_id)),
        select(func.max(Fetch.id))
        .where(col(Fetch.outcome) != "error")
        .group_by(col(Fetch.source_id)),
        select(func.max(Fetch.id))
        .where(col(Fetch.document_id).is_not(None))
        .group_by(col(Fetch.source_id)),
    ]
    doomed = (
        select(col(Fetch.id))
        .where(
            col(Fetch.started_at) < before,
            not_(exists().where(col(Observation.fetch_id) == Fetch.id)),
            not_(exists().where(col(Change.fetch_id) == Fetch.id)),
            *(col(Fetch.id).not_in(query.scalar_subquery()) for query in newest),
        )
        .limit(limit)
    )
    ids = list(session.scalars(doomed))
    if ids:
        session.execute(delete(Fetch).where(col(Fetch.id).in_(ids)))
    orphans = select(col(Document.id)).where(
        and_(
            col(Document.created_at) < before,
            not_(exists().where(col(Fetch.document_id) == Document.id)),
        )
    )
    documents = list(session.scalars(orphans.limit(limit)))
    if documents:
        session.execute(delete(Document).where(col(Document.id).in_(documents)))
    return Pruned(fetches=len(ids), documents=len(documents))

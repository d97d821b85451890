"""Upkeep of the database: retention, batch by batch, each batch its own short transaction."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from sqlmodel import Session

from storage.retention import Pruned, prune_batch

log = logging.getLogger(__name__)

BATCH = 5_000  # rows a transaction deletes: short enough never to hold up a check for long


def prune(session_factory: Callable[[], Session], *, before: datetime) -> Pruned:
    """Delete the fetch rows and article versions older than `before` that nothing needs.

    Raises SQLAlchemyError when the database fails (what was deleted before stays deleted).
    """
    fetches = documents = 0
    while True:
        with session_factory() as session, session.begin():
            batch = prune_batch(session=session, before=before, limit=BATCH)
        fetches, documents = fetches + batch.fetches, documents + batch.documents
        if batch.fetches < BATCH and batch.documents < BATCH:
            break
    if fetches or documents:
        log.info(
            "retention: deleted %d fetch rows and %d article versions older than %s",
            fetches,
            documents,
            f"{before:%Y-%m-%d %H:%M} UTC",
        )
    return Pruned(fetches=fetches, documents=documents)

"""`figwatch reprocess`: the stored article texts read again by the extractor as it is now.

Each source's current text (what its page showed at its last check) is read again; the figures
are diffed with the source's current figures as a check would. With `dry_run` nothing is written;
otherwise the new reading is recorded against the fetch that read that text (no page is fetched),
its changes marked as not alerted unless `alert` is asked for, then alerted like a check's.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from pipeline.alerting import queue
from pipeline.diff import FigureChange, diff, keyed
from pipeline.figures import find_figures
from pipeline.recording import Recorded, known, record_figures
from pipeline.runner import SourceJob
from storage import repository as repo


@dataclass(frozen=True, slots=True)
class Reread:
    """One source's text read again: what would change (or did), and the alerts queued."""

    source: str
    figures: int
    changes: tuple[FigureChange, ...]
    alerted: tuple[int, ...] = ()
    recorded: bool = False
    missing: bool = False  # no stored text: the source was never read


def reprocess(
    session_factory: Callable[[], Session],
    job: SourceJob,
    *,
    aliases: Mapping[str, str],
    now: datetime,
    dry_run: bool,
    alert: bool,
) -> Reread:
    """Read `job`'s stored current text again; record the difference unless `dry_run`.

    The source row is locked as a check locks it, so a check of the same source never diffs at
    the same time. Raises SQLAlchemyError when the database fails (nothing is recorded).
    """
    with session_factory() as session, session.begin():
        source = repo.source_by_name(session=session, name=job.name)
        if source is None or source.id is None:
            return Reread(job.name, 0, (), missing=True)
        if not dry_run:
            source = repo.lock_source(session=session, name=job.name, url=source.url, now=now)
        assert source.id is not None
        reading = repo.latest_reading(session=session, source_id=source.id)
        if reading is None:
            return Reread(job.name, 0, (), missing=True)
        document, fetch_id = reading
        figures = keyed(find_figures(repo.document_text(document), aliases=dict(aliases)))
        if dry_run:
            rows = repo.current_figures(session=session, source_id=source.id)
            changes = diff({r.key: known(r) for r in rows}, figures)
            return Reread(job.name, len(figures), tuple(c for c in changes if c.alerts))
        recorded: Recorded = record_figures(
            session=session, source=job.name, source_id=source.id, fetch_id=fetch_id,
            figures=figures, flood_limit=job.flood_limit, silent=not alert, now=now,
        )  # fmt: skip
        queued = queue(
            session=session, source_id=source.id, source=job.name,
            rows=list(recorded.to_alert), channels=job.channels if alert else (),
            rules=job.rules, aliases=aliases, now=now, confirming=not recorded.flood,
        )  # fmt: skip
    alerted = tuple(dict.fromkeys(change for change, _ in queued))
    return Reread(job.name, len(figures), recorded.changes, alerted=alerted, recorded=True)


def describe(change: FigureChange) -> str:
    """One line for a change: "changed killed, civilians (per governor): at least 12 → 19"."""
    from pipeline.history import amount

    old, new = change.old, change.new
    side = new or old
    assert side is not None
    category = side.category if isinstance(side.category, str) else side.category.value
    who = ", ".join(filter(None, [category, side.subject]))
    if side.claimant:
        who += f" (per {side.claimant})"
    before = amount(old.value, old.value_max, old.qualifier) if old and change.kind != "new" else ""
    after = amount(new.value, new.value_max, new.qualifier.value) if new else ""
    values = " → ".join(filter(None, [before or "(none)", after or "(none)"]))
    return f"{change.kind:8} {who}: {values}"

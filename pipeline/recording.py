"""What a new reading of a page writes: its observations, the changes to the source's current
figures, and the outbox rows of the alerts. The caller owns the transaction and the fetch row.

Used by a check (a new page version) and by `figwatch reprocess` (a stored text read again).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from sqlalchemy import Row
from sqlalchemy.orm import make_transient_to_detached
from sqlmodel import Session

from alerts.message import FLOOD, SILENT
from pipeline.alerting import health_row
from pipeline.diff import FigureChange, Known, align, diff_aligned
from pipeline.figures import Figure
from storage import hotpath
from storage.models import Change, CurrentFigure

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Recorded:
    """What one reading recorded: the figure changes, and the change rows to alert (the
    figures' changes, or one flood row, or one source.silent row), flushed, not yet queued."""

    changes: tuple[FigureChange, ...]
    to_alert: tuple[Change, ...]
    flood: bool


def record_figures(
    *,
    session: Session,
    source: str,
    source_id: int,
    fetch_id: int,
    figures: Mapping[str, Figure],
    flood_limit: int,
    silent: bool,
    now: datetime,
) -> Recorded:
    """Record `figures` (by identity key) as the source's reading at `fetch_id`, and diff them
    with its current figures. Unless `silent`, the changes are to be alerted, but above
    `flood_limit` changes one flood row instead, and for a page that stated figures and now
    states none one source.silent row instead. Does not commit; queues nothing.

    The rows are written with Core statements (one INSERT per table), not the unit of work:
    this runs once per new page version, thousands of times a pass. The change rows to alert
    come back as ORM objects in the session, with their ids, as after a flush."""
    rows = {r.key: r for r in hotpath.current_figure_rows(session=session, source_id=source_id)}
    previous = {k: known(r) for k, r in rows.items()}
    figures = align(previous, figures)  # the keys the observations are stored under
    keys = list(figures)
    observation_ids = dict(
        zip(
            keys,
            hotpath.insert_values(
                session=session,
                table=hotpath.OBSERVATION,
                rows=[_observation(figures[k], k, source_id, fetch_id, now) for k in keys],
            ),
            strict=True,
        )
    )
    changes = diff_aligned(previous, figures)
    # One page stating hundreds of new figures (a table, a broken page) must not send
    # hundreds of alerts to every channel: the changes are recorded, one alert says so.
    flood = not silent and sum(c.alerts for c in changes) > flood_limit
    # A page that stated figures and now states none: its layout probably changed.
    went_silent = not figures and any(r.active for r in rows.values())
    _apply(changes, rows, observation_ids, session, source_id, now)
    changed = [
        _change_values(c, source_id, fetch_id, baseline=silent, now=now)
        for c in changes
        if c.alerts
    ]
    change_ids = hotpath.insert_values(session=session, table=hotpath.CHANGE, rows=changed)
    to_alert: list[Change] = []
    if went_silent and not silent:
        note = f"the page fetched fine but states no figures ({len(changed)} no longer stated)"
        to_alert = [
            health_row(source_id=source_id, fetch_id=fetch_id, kind=SILENT, note=note,
                       count=None, now=now)
        ]  # fmt: skip
    elif flood:
        to_alert = [
            health_row(source_id=source_id, fetch_id=fetch_id, kind=FLOOD, note=None,
                       count=len(changed), now=now)
        ]  # fmt: skip
        log.warning(
            "source %s: %d figure changes in one check; one flood alert sent instead",
            source,
            len(changed),
        )
    elif not silent:
        pairs = zip(changed, change_ids, strict=True)
        to_alert = [_persistent(session, values, row_id) for values, row_id in pairs]
    if went_silent or flood:
        session.add_all(to_alert)
        session.flush()
    return Recorded(
        changes=tuple(c for c in changes if c.alerts),
        to_alert=tuple(to_alert),
        flood=flood and not went_silent,
    )


_KNOWN = tuple(f.name for f in fields(Known))


def known(row: CurrentFigure | Row[Any]) -> Known:
    """A current figure (an ORM row or a plain row) as the diff knows it: Known's fields are
    columns of current_figure."""
    return Known(**{name: getattr(row, name) for name in _KNOWN})


def _statement(f: Figure) -> dict[str, Any]:
    """The columns of what a figure states, as an observation and a current figure keep them."""
    return {
        "value": f.value,
        "value_max": f.value_max,
        "qualifier": f.qualifier.value,
        "subject": f.subject,
        "claimant": f.claimant,
        "sentence": f.sentence,
    }


def _observation(
    f: Figure, key: str, source_id: int, fetch_id: int, now: datetime
) -> dict[str, Any]:
    return {
        "fetch_id": fetch_id,
        "source_id": source_id,
        "key": key,
        "category": f.category.value,
        **_statement(f),
        "start": f.start,
        "end": f.end,
        "rule": f.rule,
        "observed_at": now,
    }


def _persistent(session: Session, values: dict[str, Any], row_id: int) -> Change:
    """The Change row inserted with `values` as `row_id`, as a persistent object of the session
    (no second INSERT when the alerting adds it)."""
    row = Change(id=row_id, **values)
    make_transient_to_detached(row)
    session.add(row)
    return row


def _change_values(
    change: FigureChange, source_id: int, fetch_id: int, *, baseline: bool, now: datetime
) -> dict[str, Any]:
    """The columns of the Change row of `change`."""
    old = change.old if change.kind != "new" else None
    new = change.new
    ref = new if new is not None else change.old
    assert ref is not None
    category = ref.category if isinstance(ref.category, str) else ref.category.value
    return {
        "source_id": source_id,
        "fetch_id": fetch_id,
        "key": change.key,
        "kind": change.kind,
        "category": str(category),
        "subject": ref.subject,
        "claimant": ref.claimant,
        "old_value": old.value if old else None,
        "old_value_max": old.value_max if old else None,
        "old_qualifier": old.qualifier if old else None,
        "old_sentence": old.sentence if old else None,
        "new_value": new.value if new else None,
        "new_value_max": new.value_max if new else None,
        "new_qualifier": new.qualifier.value if new else None,
        "new_sentence": new.sentence if new else None,
        "baseline": baseline,
        "detected_at": now,
    }


def _apply(
    changes: list[FigureChange],
    rows: Mapping[str, Row[Any]],
    observation_ids: Mapping[str, int],
    session: Session,
    source_id: int,
    now: datetime,
) -> None:
    """Bring the source's current figures up to date with `changes`: the UPDATEs first, by
    row id, then the INSERTs (the order of the unit of work this replaces, so a key that moves
    away frees it for a new figure in the same reading)."""
    updates: list[tuple[int, dict[str, Any]]] = []
    inserts: list[dict[str, Any]] = []
    for change in changes:
        row = rows.get(change.old_key or change.key)
        if change.new is None:  # removed or retired
            assert row is not None
            updates.append((row.id, {"active": False, "updated_at": now}))
            continue
        new = change.new
        assert new is not None
        values = {
            "key": change.key,
            **_statement(new),
            "active": True,
            "announced": change.announces,
            "observation_id": observation_ids[change.key],
            "updated_at": now,
        }
        if row is None:
            inserts.append({"source_id": source_id, "category": new.category.value, **values})
        else:
            updates.append((row.id, values))
    hotpath.update_current(session=session, rows=sorted(updates, key=lambda u: u[0]))
    hotpath.insert_values(session=session, table=hotpath.CURRENT, rows=inserts)

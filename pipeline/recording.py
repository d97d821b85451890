"""What a new reading of a page writes: its observations, the changes to the source's current
figures, and the outbox rows of the alerts. The caller owns the transaction and the fetch row.

Used by a check (a new page version) and by `figwatch reprocess` (a stored text read again).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from alerts.message import FLOOD, SILENT
from pipeline.alerting import health_row
from pipeline.diff import FigureChange, Known, diff
from pipeline.figures import Figure
from storage import repository as repo
from storage.models import Change, CurrentFigure, Observation

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
    states none one source.silent row instead. Does not commit; queues nothing."""
    observations = {
        key: Observation(
            fetch_id=fetch_id,
            source_id=source_id,
            key=key,
            category=f.category.value,
            value=f.value,
            value_max=f.value_max,
            qualifier=f.qualifier.value,
            subject=f.subject,
            claimant=f.claimant,
            sentence=f.sentence,
            start=f.start,
            end=f.end,
            rule=f.rule,
            observed_at=now,
        )
        for key, f in figures.items()
    }
    session.add_all(observations.values())
    session.flush()
    rows = {r.key: r for r in repo.current_figures(session=session, source_id=source_id)}
    changes = diff({k: known(r) for k, r in rows.items()}, figures)
    # One page stating hundreds of new figures (a table, a broken page) must not send
    # hundreds of alerts to every channel: the changes are recorded, one alert says so.
    flood = not silent and sum(c.kind != "moved" for c in changes) > flood_limit
    # A page that stated figures and now states none: its layout probably changed.
    went_silent = not figures and any(r.active for r in rows.values())
    changed: list[Change] = []
    for change in changes:
        state = rows.get(change.old_key or change.key)
        _apply(change, state, observations.get(change.key), session, source_id, now)
        if change.kind != "moved":
            changed.append(_change_row(change, source_id, fetch_id, baseline=silent, now=now))
    session.add_all(changed)
    to_alert: list[Change] = [] if silent else changed
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
    session.add_all(to_alert)
    session.flush()
    return Recorded(
        changes=tuple(c for c in changes if c.kind != "moved"),
        to_alert=tuple(to_alert),
        flood=flood and not went_silent,
    )


def known(row: CurrentFigure) -> Known:
    return Known(
        key=row.key,
        category=row.category,
        value=row.value,
        value_max=row.value_max,
        qualifier=row.qualifier,
        subject=row.subject,
        claimant=row.claimant,
        sentence=row.sentence,
        active=row.active,
    )


def _change_row(
    change: FigureChange, source_id: int, fetch_id: int, *, baseline: bool, now: datetime
) -> Change:
    old = change.old if change.kind != "new" else None
    new = change.new
    ref = new if new is not None else change.old
    assert ref is not None
    category = ref.category if isinstance(ref.category, str) else ref.category.value
    return Change(
        source_id=source_id,
        fetch_id=fetch_id,
        key=change.key,
        kind=change.kind,
        category=str(category),
        subject=ref.subject,
        claimant=ref.claimant,
        old_value=old.value if old else None,
        old_value_max=old.value_max if old else None,
        old_qualifier=old.qualifier if old else None,
        old_sentence=old.sentence if old else None,
        new_value=new.value if new else None,
        new_value_max=new.value_max if new else None,
        new_qualifier=new.qualifier.value if new else None,
        new_sentence=new.sentence if new else None,
        baseline=baseline,
        detected_at=now,
    )


def _apply(
    change: FigureChange,
    row: CurrentFigure | None,
    observation: Observation | None,
    session: Session,
    source_id: int,
    now: datetime,
) -> None:
    """Bring the source's current figure for `change.key` up to date."""
    if change.kind == "removed":
        assert row is not None
        row.active = False
        row.updated_at = now
        session.add(row)
        return
    new = change.new
    assert new is not None and observation is not None
    if row is None:
        row = CurrentFigure(
            source_id=source_id,
            key=change.key,
            category=new.category.value,
            value=new.value,
            qualifier=new.qualifier.value,
            sentence=new.sentence,
            updated_at=now,
        )
    row.key = change.key
    row.value, row.value_max, row.qualifier = new.value, new.value_max, new.qualifier.value
    row.subject, row.claimant, row.sentence = new.subject, new.claimant, new.sentence
    row.active, row.observation_id, row.updated_at = True, observation.id, now
    session.add(row)

"""What a new reading of a page writes: its observations, the changes to the source's current
figures, and the outbox rows of the alerts. The caller owns the transaction and the fetch row.

Used by a check (a new page version) and by `figwatch reprocess` (a stored text read again).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from alerts.message import FLOOD
from alerts.outbox import enqueue
from pipeline.diff import FigureChange, Known, diff
from pipeline.figures import Figure
from storage import repository as repo
from storage.models import Change, CurrentFigure, Observation

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Recorded:
    """What one reading recorded: the figure changes, and the changes alerted (their ids)."""

    changes: tuple[FigureChange, ...]
    alerted: tuple[int, ...]


def record_figures(
    *,
    session: Session,
    source: str,
    source_id: int,
    fetch_id: int,
    figures: Mapping[str, Figure],
    channels: Sequence[str],
    flood_limit: int,
    silent: bool,
    now: datetime,
) -> Recorded:
    """Record `figures` (by identity key) as the source's reading at `fetch_id`; diff them with
    its current figures; queue one alert per change and channel unless `silent`; above
    `flood_limit` changes, one flood alert instead. Does not commit."""
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
    alerting = not silent and bool(channels)
    # One page stating hundreds of new figures (a table, a broken page) must not send
    # hundreds of alerts to every channel: the changes are recorded, one alert says so.
    flood = alerting and sum(c.kind != "moved" for c in changes) > flood_limit
    alerted: list[Change] = []
    recorded = 0
    for change in changes:
        state = rows.get(change.old_key or change.key)
        _apply(change, state, observations.get(change.key), session, source_id, now)
        if change.kind == "moved":
            continue
        row = _change_row(change, source_id, fetch_id, baseline=silent, now=now)
        session.add(row)
        recorded += 1
        if alerting and not flood:
            alerted.append(row)
    if flood:
        alerted = [_flood_row(source_id, fetch_id, recorded, now)]
        session.add(alerted[0])
        log.warning(
            "source %s: %d figure changes in one check; one flood alert sent instead",
            source,
            recorded,
        )
    session.flush()
    for row in alerted:
        enqueue(session=session, change=row, channels=channels, now=now)
    return Recorded(
        changes=tuple(c for c in changes if c.kind != "moved"),
        alerted=tuple(row.id for row in alerted if row.id is not None),
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


def _flood_row(source_id: int, fetch_id: int, count: int, now: datetime) -> Change:
    """The change row of a flood: `new_value` holds how many figure changes the check found."""
    return Change(
        source_id=source_id,
        fetch_id=fetch_id,
        key="",
        kind=FLOOD,
        category="",
        new_value=count,
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

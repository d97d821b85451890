"""Which outbox rows a check writes: routing, thresholds, confirmation, digests, source health.

The runner calls these inside its check transaction, so the rows they add commit with the
check or not at all; the outbox then delivers each exactly once. Confirmation (`confirm` = K > 1)
keeps per (source, figure key, channel) state in the `alert_state` table:

- the value last alerted (`alerted`), a value waiting (`pending`) and the consecutive checks that
  saw it (`seen`), with the change row that first announced it;
- a check that sees the alerted value again drops the pending one (a flip A, B, A, B never
  holds for K checks, so it sends nothing after A was alerted);
- once a pending value was seen by K checks in a row, that change row is enqueued for the channel
  and becomes the alerted value (A -> B -> A after confirmation is two alerts).

Checks that fetched the same text (unchanged, not modified) count as checks that saw the same
values; failed checks count for nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from alerts.message import FLOOD, HEALTH, RECOVERED, TYPES
from alerts.outbox import enqueue
from pipeline.routing import Candidate, ChannelRules, selects
from storage import hotpath
from storage import repository as repo
from storage.models import AlertState, Change, Fetch

_AT_ONCE = frozenset((*HEALTH, FLOOD))  # kinds never held back by confirmation


def rules_of(channels: Iterable[str], rules: Iterable[ChannelRules]) -> list[ChannelRules]:
    """One ChannelRules per channel name (a name with none given: everything, at once)."""
    known = {r.name: r for r in rules}
    return [known.get(name) or ChannelRules(name) for name in dict.fromkeys(channels)]


def candidate(row: Change, source: str, *, old_value: int | None = None) -> Candidate:
    """What routing sees of a Change row (`old_value` overrides the row's, for confirmation)."""
    return Candidate(
        source=source,
        kind=TYPES.get(row.kind, row.kind),
        category=row.category,
        subject=row.subject,
        claimant=row.claimant,
        old_value=row.old_value if old_value is None else old_value,
        new_value=row.new_value,
    )


def signature(value: int | None, value_max: int | None, qualifier: str | None) -> str:
    """A figure's value as confirmation compares it; "" when the figure is not stated."""
    return (
        "" if value is None else f"{value}|{value_max if value_max is not None else ''}|{qualifier}"
    )


def _value(sig: str) -> int | None:
    return int(sig.split("|", 1)[0]) if sig else None


def _add(session: Session, row: Change, rules: ChannelRules, now: datetime) -> None:
    held = [rules.name] if rules.digest is not None else []
    enqueue(session=session, change=row, channels=[rules.name], now=now, held=held)


def route(
    *,
    session: Session,
    source_id: int,
    source: str,
    rows: list[Change],
    channels: list[ChannelRules],
    aliases: Mapping[str, str],
    now: datetime,
    confirming: bool = True,
) -> list[tuple[int, str]]:
    """Enqueue `rows` (flushed Change rows of one check) for the channels that select them.

    Channels with confirm > 1 get figure changes through their confirmation state (and health
    or flood rows at once); `confirming` false (a flood) leaves that state alone. Returns the
    (change id, channel) of each outbox row added.
    """
    alerted: list[tuple[int, str]] = []
    for rules in channels:
        figure_rows = [r for r in rows if r.kind not in _AT_ONCE]
        now_rows = rows if rules.confirm <= 1 else [r for r in rows if r.kind in _AT_ONCE]
        for row in now_rows:
            if selects(rules, candidate(row, source), aliases):
                _add(session, row, rules, now)
                assert row.id is not None
                alerted.append((row.id, rules.name))
        if rules.confirm > 1 and confirming:
            alerted += _confirm(session, source_id, source, figure_rows, rules, aliases, now)
    return alerted


def _confirm(
    session: Session,
    source_id: int,
    source: str,
    rows: list[Change],
    rules: ChannelRules,
    aliases: Mapping[str, str],
    now: datetime,
) -> list[tuple[int, str]]:
    """Advance `rules.name`'s confirmation state by one check whose changes are `rows`."""
    states = {
        s.key: s
        for s in session.exec(
            select(AlertState).where(
                col(AlertState.source_id) == source_id, col(AlertState.channel) == rules.name
            )
        )
    }
    changed: set[str] = set()
    for row in rows:
        old = signature(row.old_value, row.old_value_max, row.old_qualifier)
        new = signature(row.new_value, row.new_value_max, row.new_qualifier)
        state = states.get(row.key)
        if state is None:
            state = AlertState(
                source_id=source_id, key=row.key, channel=rules.name, alerted=old, updated_at=now
            )
            states[row.key] = state
        if new == state.alerted:
            state.pending, state.seen, state.change_id = None, 0, None
        else:
            state.pending, state.seen, state.change_id = new, 1, row.id
        state.updated_at = now
        changed.add(row.key)
        session.add(state)
    alerted: list[tuple[int, str]] = []
    for key, state in states.items():
        if state.pending is None:
            continue
        if key not in changed:  # the same value as the last check: one more sighting
            state.seen += 1
            state.updated_at = now
            session.add(state)
        if state.seen < rules.confirm or state.change_id is None:
            continue
        announced = session.get(Change, state.change_id)
        if announced is not None and selects(
            rules, candidate(announced, source, old_value=_value(state.alerted)), aliases
        ):
            _add(session, announced, rules, now)
            alerted.append((state.change_id, rules.name))
        state.alerted, state.pending, state.seen, state.change_id = state.pending, None, 0, None
    return alerted


def queue(
    *,
    session: Session,
    source_id: int,
    source: str,
    rows: list[Change],
    channels: tuple[str, ...],
    rules: tuple[ChannelRules, ...],
    aliases: Mapping[str, str],
    now: datetime,
    confirming: bool = True,
) -> list[tuple[int, str]]:
    """Add `rows` (this check's alert rows) and route them, and the confirmations, to the
    source's `channels`; return the (change id, channel) of each outbox row added."""
    if not channels:
        return []
    session.add_all(rows)
    session.flush()
    return route(
        session=session, source_id=source_id, source=source, rows=rows,
        channels=rules_of(channels, rules), aliases=aliases, now=now, confirming=confirming,
    )  # fmt: skip


def add_good_fetch(
    *, session: Session, source_id: int, fetch: Fetch, fail_after: int, after_error: bool = True
) -> list[Change]:
    """Add `fetch` (a good one; its id is set); return a source.recovered row when the
    `fail_after` checks before it all failed (a source.failing alert went out). `after_error`
    false: the caller knows the check before it did not fail, so there is nothing to look up."""
    fetch.id, rows = add_good_fetch_values(
        session=session, source_id=source_id, values=hotpath.row_values(fetch),
        fail_after=fail_after, after_error=after_error,
    )  # fmt: skip
    return rows


def add_good_fetch_values(
    *,
    session: Session,
    source_id: int,
    values: dict[str, Any],
    fail_after: int,
    after_error: bool = True,
) -> tuple[int, list[Change]]:
    """`add_good_fetch` for a fetch row given as its column values (every column but id): no
    ORM object is built for it. Its id, and the source.recovered row if any."""
    before = (
        repo.recent_outcomes(session=session, source_id=source_id, limit=fail_after)
        if after_error
        else []
    )
    # One INSERT, no unit of work.
    fetch_id = hotpath.insert_values(session=session, table=hotpath.FETCH, rows=[values])[0]
    if len(before) < fail_after or any(o != "error" for o in before):
        return fetch_id, []
    note = f"checked fine again after {fail_after} or more failed checks"
    return fetch_id, [
        health_row(
            source_id=source_id, fetch_id=fetch_id, kind=RECOVERED, note=note, count=None,
            now=values["started_at"],
        )
    ]  # fmt: skip


def health_row(
    *, source_id: int, fetch_id: int, kind: str, note: str | None, count: int | None, now: datetime
) -> Change:
    """The Change row of an event of the whole source (failing, recovered, silent, flood):
    `new_value` holds its count (the failure streak, the changes of a flood), `new_sentence`
    the detail."""
    return Change(
        source_id=source_id,
        fetch_id=fetch_id,
        key="",
        kind=kind,
        category="",
        new_value=count,
        new_sentence=note,
        detected_at=now,
    )

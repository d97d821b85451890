"""The queries behind `figwatch sources`, `figures`, `report` and the status page.

Pure reads of the review views (migration 0002, described in `storage.views`) into frozen
dataclasses; the caller owns the session. Nothing here writes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from alerts.redact import mask_url, mask_urls_in
from storage import views


@dataclass(frozen=True, slots=True)
class Filters:
    """What `figures`, `history` and the report show; None means any. Text matches ignore case
    and match a part ("korean" finds "North Korean soldiers")."""

    subject: str | None = None
    category: str | None = None
    claimant: str | None = None
    source: str | None = None
    since: datetime | None = None

    def admits(
        self, *, source: str, category: str, subject: str | None, claimant: str | None, key: str
    ) -> bool:
        _, subject_key, claimant_key = split_key(key)
        return (
            (self.source is None or source == self.source)
            and (self.category is None or category == self.category)
            and _part(self.subject, subject, subject_key)
            and _part(self.claimant, claimant, claimant_key)
        )


NO_FILTERS = Filters()


def _part(wanted: str | None, *texts: str | None) -> bool:
    if wanted is None:
        return True
    needle = wanted.casefold()
    return any(needle in (t or "").casefold() for t in texts)


def split_key(key: str) -> tuple[str, str, str]:
    """(category, subject key, claimant key) of a figure key; a '#2' repeat suffix is dropped."""
    parts = key.split("#", 1)[0].split("|", 2)
    parts += [""] * (3 - len(parts))
    return parts[0], parts[1], parts[2]


def identity(key: str) -> str:
    """A figure's identity across sources: its key without the repeat suffix."""
    return key.split("#", 1)[0]


# --- sources -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SourceHealth:
    """One source's health, from the `source_health` view and (when known) its config."""

    name: str
    url: str
    schedule: str | None  # "every 15m", "cron */10 * * * *"; None when not known
    enabled: bool
    configured: bool  # in the config (true for all when no config is at hand)
    last_check_at: datetime | None
    last_outcome: str | None
    last_status: int | None
    failures_in_a_row: int
    last_error_at: datetime | None
    last_error_kind: str | None
    last_error: str | None
    last_change_at: datetime | None
    figures_now: int
    last_instance: str | None = None  # the figwatch instance that made the last fetch

    @property
    def trouble(self) -> bool:
        """Failing now, or configured and never checked."""
        return self.failures_in_a_row > 0 or (self.enabled and self.last_check_at is None)

    @property
    def state(self) -> str:
        """One word: failing; new (configured, never checked); off (disabled); gone (checked
        once, no longer in the config); else ok."""
        if self.failures_in_a_row:
            return "failing"
        if not self.configured:
            return "gone"
        if not self.enabled:
            return "off"
        return "ok" if self.last_check_at is not None else "new"


@dataclass(frozen=True, slots=True)
class Configured:
    """What the config says of a source: its URL and schedule."""

    url: str
    schedule: str
    enabled: bool = True


def source_health(
    *, session: Session, configured: Mapping[str, Configured] | None = None
) -> list[SourceHealth]:
    """Every source the database or the config knows, sources in trouble first.

    Trouble is failures in a row (most first), then configured sources never checked; the rest
    by name. Without `configured` (no config at hand), schedules are unknown.
    """
    known = configured is not None
    configured = configured or {}
    rows = {r["source"]: r for r in _rows(session, select(views.source_health))}
    out = []
    for name in sorted(set(rows) | set(configured)):
        row = rows.get(name, {})
        conf = configured.get(name)
        out.append(
            SourceHealth(
                name=name,
                url=mask_url(conf.url if conf else row["url"]),
                schedule=conf.schedule if conf else None,
                enabled=conf.enabled if conf else not known,
                configured=conf is not None or not known,
                last_check_at=row.get("last_check_at"),
                last_outcome=row.get("last_outcome"),
                last_status=row.get("last_status"),
                failures_in_a_row=int(row.get("failures_in_a_row") or 0),
                last_error_at=row.get("last_error_at"),
                last_error_kind=row.get("last_error_kind"),
                last_error=mask_urls_in(row["last_error"]) if row.get("last_error") else None,
                last_change_at=row.get("last_change_at"),
                figures_now=int(row.get("figures_now") or 0),
                last_instance=row.get("last_instance"),
            )
        )
    out.sort(key=lambda s: (-s.failures_in_a_row, not s.trouble, s.name))
    return out


# --- figures -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Reading:
    """One source's latest statement of a figure, and the value it held before."""

    source: str
    url: str
    key: str
    category: str
    value: int
    value_max: int | None
    qualifier: str
    subject: str | None
    claimant: str | None
    sentence: str
    updated_at: datetime  # since when the source states this value
    last_seen_at: datetime | None  # the source's newest page that still states it
    previous_value: int | None
    previous_value_max: int | None
    previous_qualifier: str | None

    @property
    def identity(self) -> str:
        return identity(self.key)


@dataclass(frozen=True, slots=True)
class Group:
    """The figures of one category and subject (as the aliases normalise it), across sources
    and claimants: the same group of people, side by side."""

    category: str
    subject: str | None  # as the newest statement words it
    readings: tuple[Reading, ...]


def latest_figures(*, session: Session, filters: Filters = NO_FILTERS) -> list[Reading]:
    """The latest value of every figure identity on every source, by identity then source."""
    query = select(views.latest_figure)
    if filters.since is not None:
        query = query.where(views.latest_figure.c.updated_at >= filters.since)
    readings = [
        Reading(**{f.name: row[f.name] for f in fields(Reading)})
        for row in _rows(session, query)
        if filters.admits(
            source=row["source"],
            category=row["category"],
            subject=row["subject"],
            claimant=row["claimant"],
            key=row["key"],
        )
    ]
    readings.sort(key=lambda r: (split_key(r.key), r.source, r.key))
    return readings


def groups(readings: Iterable[Reading]) -> list[Group]:
    """Readings gathered by (category, subject key), in the order given."""
    gathered: dict[tuple[str, str], list[Reading]] = {}
    for r in readings:
        gathered.setdefault(split_key(r.key)[:2], []).append(r)
    out = []
    for (category, _), rs in gathered.items():
        newest = max(rs, key=lambda r: r.updated_at)
        out.append(Group(category, newest.subject, tuple(rs)))
    return out


# --- timelines and the change log ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Point:
    """One reading of a figure: what one page version stated."""

    at: datetime
    source: str
    url: str
    title: str | None
    value: int
    value_max: int | None
    qualifier: str
    subject: str | None
    claimant: str | None
    sentence: str


@dataclass(frozen=True, slots=True)
class Timeline:
    """Every reading of one figure identity, oldest first, from every source."""

    identity: str
    category: str
    subject: str | None
    claimant: str | None
    points: tuple[Point, ...]


def timelines(*, session: Session, filters: Filters = NO_FILTERS) -> list[Timeline]:
    """The readings of each figure identity, by category and subject.

    A reading that repeats its source's previous value of the identity is left out: the point
    is when (and in which sentence) the source first stated that value, and it holds until the
    source states another.
    """
    t = views.figure_timeline
    query = select(t).order_by(t.c.observed_at, t.c.id)
    if filters.since is not None:
        query = query.where(t.c.observed_at >= filters.since)
    gathered: dict[str, list[Point]] = {}
    held: dict[tuple[str, str], tuple[int, int | None, str]] = {}
    for row in _rows(session, query):
        if not filters.admits(
            source=row["source"],
            category=row["category"],
            subject=row["subject"],
            claimant=row["claimant"],
            key=row["key"],
        ):
            continue
        ident = identity(row["key"])
        value = (row["value"], row["value_max"], row["qualifier"])
        if held.get((ident, row["source"])) == value:
            continue
        held[(ident, row["source"])] = value
        gathered.setdefault(ident, []).append(
            Point(
                at=row["observed_at"],
                source=row["source"],
                url=row["url"],
                title=row["title"],
                value=row["value"],
                value_max=row["value_max"],
                qualifier=row["qualifier"],
                subject=row["subject"],
                claimant=row["claimant"],
                sentence=row["sentence"],
            )
        )
    out = [
        Timeline(ident, split_key(ident)[0], pts[-1].subject, pts[-1].claimant, tuple(pts))
        for ident, pts in gathered.items()
    ]
    out.sort(key=lambda tl: split_key(tl.identity))
    return out


@dataclass(frozen=True, slots=True)
class LogEntry:
    """One change of one figure, with its evidence sentence and the page it was read on."""

    detected_at: datetime
    source: str
    url: str
    kind: str
    baseline: bool
    key: str
    category: str
    subject: str | None
    claimant: str | None
    old_value: int | None
    old_value_max: int | None
    old_qualifier: str | None
    new_value: int | None
    new_value_max: int | None
    new_qualifier: str | None
    sentence: str | None


def change_log(
    *, session: Session, filters: Filters = NO_FILTERS, limit: int | None = None
) -> list[LogEntry]:
    """Recorded changes, oldest first (the newest `limit` when given)."""
    c = views.change_log
    query = select(c).order_by(c.c.detected_at, c.c.id)
    if filters.since is not None:
        query = query.where(c.c.detected_at >= filters.since)
    entries = [
        LogEntry(**{f.name: row[f.name] for f in fields(LogEntry)})
        for row in _rows(session, query)
        if filters.admits(
            source=row["source"],
            category=row["category"],
            subject=row["subject"],
            claimant=row["claimant"],
            key=row["key"],
        )
    ]
    return entries[-limit:] if limit else entries


def _rows(session: Session, query: Any) -> Sequence[Mapping[str, Any]]:
    """The rows of a view, each URL masked: nothing read here may show a credential."""
    rows = []
    for mapping in session.connection().execute(query).mappings():
        row = dict(mapping)
        if row.get("url"):
            row["url"] = mask_url(row["url"])
        rows.append(row)
    return rows

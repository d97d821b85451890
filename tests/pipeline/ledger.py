"""A hand-written history in a real database, for the tracker, report and status tests.

Rows are written the way the runner writes them (fetch, observations, current figures, changes),
with times given, so each view's answer is known in advance.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session, select

from storage.models import Change, CurrentFigure, Fetch, Observation, Source

T0 = datetime(2025, 1, 10, 8, 0, tzinfo=UTC)


class Ledger:
    """Writes checks of sources into `engine`, one transaction each."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def _source(self, session: Session, name: str, url: str, at: datetime) -> Source:
        source = session.exec(select(Source).where(Source.name == name)).first()
        if source is None:
            source = Source(name=name, url=url, created_at=at)
            session.add(source)
            session.flush()
        return source

    def error(self, name: str, at: datetime, message: str, *, status: int | None = 503) -> None:
        with Session(self.engine) as session, session.begin():
            source = self._source(session, name, f"https://{name}.example/news", at)
            session.add(
                Fetch(
                    source_id=source.id,
                    started_at=at,
                    outcome="error",
                    status_code=status,
                    error_kind="http",
                    error=message,
                    duration_ms=40,
                )
            )

    def same(self, name: str, at: datetime) -> None:
        with Session(self.engine) as session, session.begin():
            source = self._source(session, name, f"https://{name}.example/news", at)
            session.add(
                Fetch(source_id=source.id, started_at=at, outcome="unchanged", status_code=200)
            )

    def page(
        self,
        name: str,
        at: datetime,
        figures: list[tuple[str, int, str, str | None, str | None, str]],
        *,
        url: str | None = None,
        qualifier: str = "exact",
        value_max: int | None = None,
    ) -> None:
        """A new page version stating `figures` (key, value, category, subject, claimant,
        sentence); changes are worked out against the source's current figures."""
        with Session(self.engine) as session, session.begin():
            source = self._source(session, name, url or f"https://{name}.example/news", at)
            first = session.exec(select(Fetch).where(Fetch.source_id == source.id)).first()
            fetch = Fetch(
                source_id=source.id,
                started_at=at,
                outcome="changed",
                status_code=200,
                duration_ms=120,
                final_url=url,
            )
            session.add(fetch)
            session.flush()
            for key, value, category, subject, claimant, sentence in figures:
                obs = Observation(
                    fetch_id=fetch.id,
                    source_id=source.id,
                    key=key,
                    category=category,
                    value=value,
                    value_max=value_max,
                    qualifier=qualifier,
                    subject=subject,
                    claimant=claimant,
                    sentence=sentence,
                    observed_at=at,
                )
                session.add(obs)
                session.flush()
                row = session.exec(
                    select(CurrentFigure).where(
                        CurrentFigure.source_id == source.id, CurrentFigure.key == key
                    )
                ).first()
                old = row.value if row is not None else None
                if row is None:
                    row = CurrentFigure(
                        source_id=source.id,
                        key=key,
                        category=category,
                        value=value,
                        qualifier=qualifier,
                        sentence=sentence,
                        updated_at=at,
                    )
                elif row.value == value:
                    continue
                row.value, row.value_max, row.qualifier = value, value_max, qualifier
                row.subject, row.claimant, row.sentence = subject, claimant, sentence
                row.observation_id, row.updated_at, row.active = obs.id, at, True
                session.add(row)
                session.add(
                    Change(
                        source_id=source.id,
                        fetch_id=fetch.id,
                        key=key,
                        kind="new" if old is None else "changed",
                        category=category,
                        subject=subject,
                        claimant=claimant,
                        old_value=old,
                        old_qualifier="exact" if old is not None else None,
                        new_value=value,
                        new_value_max=value_max,
                        new_qualifier=qualifier,
                        new_sentence=sentence,
                        baseline=first is None,
                        detected_at=at,
                    )
                )


def standard(engine: Engine) -> Ledger:
    """Two sources stating one toll (the same identity), one of them now failing; a third
    source stating another figure through a URL with a token."""
    ledger = Ledger(engine)
    key = "killed|soldiers|ministry"
    said = "The ministry said {} soldiers were killed."
    ledger.page("alpha", T0, [(key, 10, "killed", "soldiers", "ministry", said.format(10))])
    ledger.page(
        "beta",
        T0 + timedelta(hours=1),
        [(key, 11, "killed", "soldiers", "Ministry", said.format(11))],
    )
    ledger.page(
        "alpha",
        T0 + timedelta(days=1),
        [(key, 12, "killed", "soldiers", "ministry", said.format(12))],
    )
    ledger.same("beta", T0 + timedelta(days=1, hours=1))
    ledger.error("alpha", T0 + timedelta(days=2), "HTTP 503 from the server")
    ledger.error("alpha", T0 + timedelta(days=2, hours=1), "HTTP 502 from the server", status=502)
    ledger.page(
        "gamma",
        T0 + timedelta(days=3),
        [
            (
                "wounded|villagers|",
                30,
                "wounded",
                "villagers",
                None,
                "More than 30 villagers were wounded.",
            )
        ],
        url="https://gamma.example/news?id=7&token=s3cret",
        qualifier="more_than",
    )
    return ledger

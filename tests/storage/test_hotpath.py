"""The Core statements of a check's hot path, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from storage import hotpath
from storage.models import Fetch, Observation, Source

NOW = datetime(2025, 3, 2, 8, 0, tzinfo=UTC)


def test_lock_source_id_creates_once_follows_the_url_and_returns_the_fence(
    engine: Engine,
) -> None:
    with Session(engine) as session, session.begin():
        first = hotpath.lock_source_id(session=session, name="s", url="https://a.example/", now=NOW)
    with Session(engine) as session, session.begin():
        session.get(Source, first[0]).fence = 7  # type: ignore[union-attr]
    with Session(engine) as session, session.begin():
        again = hotpath.lock_source_id(session=session, name="s", url="https://b.example/", now=NOW)
    assert again == (first[0], 7)
    assert first[1] == 0
    with Session(engine) as session:
        [source] = session.exec(select(Source)).all()
    assert source.url == "https://b.example/" and source.created_at == NOW


def test_insert_values_gives_the_ids_in_the_order_of_the_rows(engine: Engine) -> None:
    # Several rows go in one statement: the ids must pair with their rows, whatever order
    # the database hands them back in.
    with Session(engine) as session, session.begin():
        source_id, _ = hotpath.lock_source_id(session=session, name="s", url="u", now=NOW)
        fetch_id = hotpath.insert_values(
            session=session,
            table=hotpath.FETCH,
            rows=[{"source_id": source_id, "started_at": NOW, "duration_ms": 1,
                   "outcome": "changed"}],
        )[0]  # fmt: skip
        rows = [
            {"fetch_id": fetch_id, "source_id": source_id, "key": f"k{i}", "category": "killed",
             "value": 100 - i, "value_max": None, "qualifier": "exact", "subject": None,
             "claimant": None, "sentence": f"sentence {i}", "start": i, "end": i + 1,
             "rule": "r", "observed_at": NOW}
            for i in range(25)
        ]  # fmt: skip
        ids = hotpath.insert_values(session=session, table=hotpath.OBSERVATION, rows=rows)
    assert len(set(ids)) == 25
    with Session(engine) as session:
        stored = {
            o.id: o.key for o in session.exec(select(Observation).order_by(col(Observation.id)))
        }
    assert [stored[i] for i in ids] == [f"k{i}" for i in range(25)]


def test_store_document_id_reuses_an_identical_text_of_the_same_source(engine: Engine) -> None:
    with Session(engine) as session, session.begin():
        a, _ = hotpath.lock_source_id(session=session, name="a", url="u", now=NOW)
        b, _ = hotpath.lock_source_id(session=session, name="b", url="v", now=NOW)
        one = hotpath.store_document_id(session=session, source_id=a, text="t", title=None, now=NOW)
        two = hotpath.store_document_id(session=session, source_id=a, text="t", title=None, now=NOW)
        other = hotpath.store_document_id(
            session=session, source_id=b, text="t", title=None, now=NOW
        )
        changed = hotpath.store_document_id(
            session=session, source_id=a, text="t2", title=None, now=NOW
        )
    assert one == two
    assert len({one, other, changed}) == 3


def test_insert_fetches_writes_every_row_with_its_columns(engine: Engine) -> None:
    with Session(engine) as session, session.begin():
        source_id, _ = hotpath.lock_source_id(session=session, name="s", url="u", now=NOW)
    rows = [
        hotpath.fetch_values(
            source_id=source_id, started_at=NOW, duration_ms=i, outcome="not_modified",
            status_code=304, etag=f'"e{i}"', last_modified="Sun, 02 Mar 2025 08:00:00 GMT",
            body_hash=f"{i:064x}", body_bytes=0, instance="host:1",
        )
        for i in range(3)
    ]  # fmt: skip
    with Session(engine) as session, session.begin():
        hotpath.insert_fetches(session=session, rows=rows)
        hotpath.insert_fetches(session=session, rows=[])
    with Session(engine) as session:
        stored = session.exec(select(Fetch).order_by(col(Fetch.id))).all()
    assert [(f.duration_ms, f.etag, f.body_hash, f.started_at) for f in stored] == [
        (i, f'"e{i}"', f"{i:064x}", NOW) for i in range(3)
    ]
    assert {(f.outcome, f.status_code, f.instance, f.error) for f in stored} == {
        ("not_modified", 304, "host:1", None)
    }
    # Every column of the table but id: an executemany takes one set of keys for all rows.
    assert set(rows[0]) == {c.name for c in hotpath.FETCH.columns} - {"id"}


def test_has_baseline_only_after_a_changed_fetch(engine: Engine) -> None:
    with Session(engine) as session, session.begin():
        source_id, _ = hotpath.lock_source_id(session=session, name="s", url="u", now=NOW)
        assert not hotpath.has_baseline(session=session, source_id=source_id)
        for outcome in ("error", "not_modified"):
            hotpath.insert_fetch(
                session=session, fetch=Fetch(source_id=source_id, started_at=NOW, outcome=outcome)
            )
        assert not hotpath.has_baseline(session=session, source_id=source_id)
        hotpath.insert_fetch(
            session=session, fetch=Fetch(source_id=source_id, started_at=NOW, outcome="changed")
        )
        assert hotpath.has_baseline(session=session, source_id=source_id)
        assert not hotpath.has_baseline(session=session, source_id=source_id + 1)

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect
from sqlmodel import Session, select

from storage import hotpath
from storage import repository as repo
from storage.db import DatabaseError, make_engine, migrate
from storage.models import Fetch, Source

NOW = datetime(2025, 1, 14, 9, 10, tzinfo=UTC)


def test_migrations_create_every_table_and_are_idempotent(engine: Engine) -> None:
    migrate(engine)  # a second run is a no-op
    tables = set(inspect(engine).get_table_names())
    assert {
        "source",
        "fetch_log",
        "document",
        "observation",
        "current_figure",
        "change",
        "delivery",
    } <= tables


def test_timestamps_come_back_utc_aware(engine: Engine) -> None:
    kyiv = timezone(timedelta(hours=2))
    with Session(engine) as session, session.begin():
        session.add(Source(name="a", url="https://example.org/", created_at=NOW.astimezone(kyiv)))
    with Session(engine) as session:
        source = session.exec(select(Source)).one()
    assert source.created_at == NOW
    assert source.created_at.utcoffset() == timedelta(0)


def test_naive_timestamp_is_refused(engine: Engine) -> None:
    with pytest.raises(Exception, match="naive datetime"), Session(engine) as session:
        session.add(Source(name="a", url="u", created_at=datetime(2025, 1, 1)))
        session.commit()


def test_lock_source_creates_once_and_follows_url(engine: Engine) -> None:
    with Session(engine, expire_on_commit=False) as session, session.begin():
        first = repo.lock_source(session=session, name="s", url="https://a.example/", now=NOW)
    with Session(engine) as session, session.begin():
        again = repo.lock_source(session=session, name="s", url="https://b.example/", now=NOW)
        assert again.id == first.id
    with Session(engine) as session:
        assert session.exec(select(Source)).one().url == "https://b.example/"


def test_documents_are_compressed_and_deduplicated(engine: Engine) -> None:
    text = "Ukrainian text: загинули щонайменше 12 людей.\n\n" * 200
    with Session(engine) as session, session.begin():
        source = repo.lock_source(session=session, name="s", url="u", now=NOW)
        assert source.id is not None
        one = repo.store_document(
            session=session, source_id=source.id, text=text, title="t", now=NOW
        )
        two = repo.store_document(
            session=session, source_id=source.id, text=text, title="t", now=NOW
        )
        assert one.id == two.id
        assert len(one.text_z) < len(text.encode()) / 10
        assert repo.document_text(one) == text


def test_last_good_fetch_skips_errors(engine: Engine) -> None:
    with Session(engine) as session, session.begin():
        source = repo.lock_source(session=session, name="s", url="u", now=NOW)
        assert source.id is not None
        session.add(Fetch(source_id=source.id, started_at=NOW, outcome="changed", etag='"v1"'))
        session.add(Fetch(source_id=source.id, started_at=NOW, outcome="error", error="boom"))
        session.flush()
        last = repo.last_good_fetch(session=session, source_id=source.id)
        assert last is not None and last.etag == '"v1"'
        assert repo.recent_outcomes(session=session, source_id=source.id) == ["error", "changed"]
        assert hotpath.has_baseline(session=session, source_id=source.id)


def test_bad_database_url_is_a_clear_error() -> None:
    with pytest.raises(DatabaseError, match="invalid database URL"):
        make_engine("not a url at all")


def test_sqlite_runs_in_wal_mode(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'wal.db'}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


def test_check_states_reads_many_sources_in_chunks(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(repo, "STATE_CHUNK", 2)  # five names: three chunks
    with Session(engine) as session, session.begin():
        ids = {}
        for name in ("fine", "failing", "new"):
            source = repo.lock_source(session=session, name=name, url=f"https://{name}/", now=NOW)
            assert source.id is not None
            ids[name] = source.id
        for name, outcomes in (("fine", ["error", "changed"]), ("failing", ["changed", "error"])):
            for outcome in outcomes:
                session.add(Fetch(source_id=ids[name], started_at=NOW, outcome=outcome,
                                  etag=f'"{name}"' if outcome != "error" else None))  # fmt: skip
    with Session(engine) as session:
        states = repo.check_states(
            session=session, names=["fine", "failing", "new", "unknown", "also-unknown"]
        )
    assert set(states) == {"fine", "failing", "new"}
    assert not states["fine"].last_failed and states["fine"].last_good is not None
    assert states["fine"].last_good.etag == '"fine"'
    assert states["failing"].last_failed and states["failing"].last_good is not None
    assert states["failing"].last_good.outcome == "changed"
    assert not states["new"].last_failed and states["new"].last_good is None
    assert states["new"].text_hash is None

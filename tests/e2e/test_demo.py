"""`figwatch demo` runs the real pipeline end to end; the README's SQL reads what it leaves."""

from __future__ import annotations

import io
import re
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from pipeline.demo.run import run_demo
from storage.db import make_engine

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_queries() -> list[str]:
    queries = re.findall(r"```sql\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    assert len(queries) == 5, "the README's 'Reviewing history' section changed: update this test"
    return queries


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, str, Path]:
    database = tmp_path_factory.mktemp("demo") / "figwatch-demo.db"
    out = io.StringIO()
    code = run_demo(database, out=out)
    return code, out.getvalue(), database


def test_demo_alerts_exactly_the_changes_the_site_made(demo: tuple[int, str, Path]) -> None:
    code, output, _ = demo
    assert code == 0, output
    assert "baseline (no alerts)" in output
    assert output.count("alert via demo-hook") == output.count("alert via demo-mail") > 0
    assert "MISMATCH" not in output


def test_readme_queries_read_the_demo_database(demo: tuple[int, str, Path]) -> None:
    _, _, database = demo
    current, changes, deliveries, timeline, errors = readme_queries()
    with sqlite3.connect(database) as db:
        assert db.execute(current).fetchall()
        changed = db.execute(changes).fetchall()
        assert changed and {row[2] for row in changed} <= {"new", "changed", "removed"}
        assert {row[1] for row in db.execute(deliveries).fetchall()} == {"sent"}
        assert db.execute(timeline).fetchall()
        assert db.execute(errors).fetchall() == []


def test_readme_queries_run_on_every_database(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            for query in readme_queries():
                conn.execute(text(query)).fetchall()
    finally:
        engine.dispose()

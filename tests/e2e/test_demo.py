"""`figwatch demo` runs the real pipeline end to end; the README's SQL reads what it leaves."""

from __future__ import annotations

import csv
import io
import json
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
    assert len(queries) == 9, "the README's 'Reviewing history' section changed: update this test"
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
    current, changes, deliveries, timeline, errors, *_views = readme_queries()
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


@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_history_prints_the_demo_changes(
    demo: tuple[int, str, Path], fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from pipeline.cli import main

    _, _, database = demo
    assert main(["history", "--database", f"sqlite:///{database}", "--format", fmt]) == 0
    out = capsys.readouterr().out
    if fmt == "json":
        rows = json.loads(out)
        assert {r["kind"] for r in rows} == {"new", "changed", "removed"}
        assert all(r["detected_at"].endswith("Z") for r in rows)
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out)))
        assert rows and rows[0].keys() >= {"source", "category", "old_value", "new_value"}
    else:
        assert "new (baseline)" in out and "changed" in out and "→" not in out


def test_history_of_current_figures_and_one_source(
    demo: tuple[int, str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    from pipeline.cli import main

    _, _, database = demo
    args = ["history", "--database", f"sqlite:///{database}", "--format", "json"]
    assert main([*args, "--current", "--source", "demo-saldera-aid-convoy"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows and {r["source"] for r in rows} == {"demo-saldera-aid-convoy"}
    assert {r["category"] for r in rows} <= {"killed", "wounded", "captured", "missing",
                                             "killed_or_wounded"}  # fmt: skip


def test_readme_view_queries_read_the_demo_database(demo: tuple[int, str, Path]) -> None:
    _, _, database = demo
    latest, timeline, log, health = readme_queries()[5:]
    with sqlite3.connect(database) as db:
        rows = db.execute(latest).fetchall()
        assert rows and any(row[5] is not None for row in rows)  # a previous value
        assert all(row[7].startswith("http://127.0.0.1:") for row in rows)
        assert {row[0] for row in db.execute(timeline).fetchall()}
        changes = db.execute(log).fetchall()
        assert changes and {row[2] for row in changes} <= {"new", "changed", "removed"}
        assert all(row[7] for row in changes if row[2] != "removed")  # evidence sentence
        sources = db.execute(health).fetchall()
        assert len(sources) == 3 and all(row[4] == 0 and row[7] > 0 for row in sources)

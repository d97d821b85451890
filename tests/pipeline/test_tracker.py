"""The tracker's reads of the review views, on SQLite and PostgreSQL, and their commands."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect
from sqlmodel import Session

from pipeline.tracker import (
    Configured,
    Filters,
    change_log,
    groups,
    latest_figures,
    source_health,
    timelines,
)
from tests.pipeline.ledger import T0, standard


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    standard(engine)
    with Session(engine) as session:
        yield session


def test_migration_creates_the_review_views(engine: Engine) -> None:
    views = set(inspect(engine).get_view_names())
    assert {"latest_figure", "figure_timeline", "change_log", "source_health"} <= views


def test_source_health_puts_failing_then_unchecked_sources_first(session: Session) -> None:
    configured = {
        "alpha": Configured("https://alpha.example/news", "every 15m"),
        "beta": Configured("https://beta.example/news", "every 1h"),
        "delta": Configured("https://delta.example/news", "cron */10 * * * *"),
    }
    health = source_health(session=session, configured=configured)
    assert [h.name for h in health] == ["alpha", "delta", "beta", "gamma"]
    alpha, delta, beta, gamma = health
    assert (alpha.state, alpha.failures_in_a_row, alpha.last_status) == ("failing", 2, 502)
    assert alpha.last_error == "HTTP 502 from the server"
    assert alpha.last_change_at == T0 + timedelta(days=1)
    assert alpha.figures_now == 1 and alpha.schedule == "every 15m"
    assert (delta.state, delta.last_check_at) == ("new", None)
    assert (beta.state, beta.last_outcome, beta.failures_in_a_row) == ("ok", "unchanged", 0)
    assert beta.last_check_at == T0 + timedelta(days=1, hours=1)
    assert beta.last_change_at == T0 + timedelta(hours=1)
    assert gamma.state == "gone" and gamma.schedule is None
    assert gamma.url == "https://gamma.example/news?id=7&token=***"


def test_latest_figures_put_one_identity_from_several_sources_side_by_side(
    session: Session,
) -> None:
    readings = latest_figures(session=session)
    assert [(r.source, r.value, r.previous_value) for r in readings] == [
        ("alpha", 12, 10),
        ("beta", 11, None),
        ("gamma", 30, None),
    ]
    alpha = readings[0]
    assert alpha.updated_at == T0 + timedelta(days=1)
    assert alpha.last_seen_at == T0 + timedelta(days=1)  # the errors since saw no page
    assert alpha.sentence == "The ministry said 12 soldiers were killed."
    [soldiers, villagers] = groups(readings)
    assert [r.source for r in soldiers.readings] == ["alpha", "beta"]
    assert villagers.readings[0].qualifier == "more_than"
    assert villagers.readings[0].url == "https://gamma.example/news?id=7&token=***"


@pytest.mark.parametrize(
    ("filters", "sources"),
    [
        (Filters(subject="SOLD"), ["alpha", "beta"]),
        (Filters(category="wounded"), ["gamma"]),
        (Filters(claimant="minis", source="beta"), ["beta"]),
        (Filters(since=T0 + timedelta(days=1)), ["alpha", "gamma"]),
        (Filters(claimant="nobody"), []),
    ],
)
def test_latest_figures_filters(session: Session, filters: Filters, sources: list[str]) -> None:
    assert [r.source for r in latest_figures(session=session, filters=filters)] == sources


def test_timelines_hold_every_reading_of_an_identity(session: Session) -> None:
    [soldiers, villagers] = timelines(session=session)
    assert soldiers.identity == "killed|soldiers|ministry"
    assert [(p.source, p.value) for p in soldiers.points] == [
        ("alpha", 10),
        ("beta", 11),
        ("alpha", 12),
    ]
    assert villagers.points[0].url.endswith("token=***")


def test_change_log_newest_with_evidence_and_link(session: Session) -> None:
    log = change_log(session=session)
    assert [(c.source, c.kind, c.baseline, c.old_value, c.new_value) for c in log] == [
        ("alpha", "new", True, None, 10),
        ("beta", "new", True, None, 11),
        ("alpha", "changed", False, 10, 12),
        ("gamma", "new", True, None, 30),
    ]
    assert log[2].sentence == "The ministry said 12 soldiers were killed."
    assert log[2].url == "https://alpha.example/news"
    assert [c.source for c in change_log(session=session, limit=1)] == ["gamma"]


def test_sources_and_figures_commands(
    database_url: str, engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    from pipeline.cli import main

    standard(engine)
    db = ["--database", database_url]
    assert main(["sources", *db]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[2].startswith("alpha") and "failing" in lines[2] and "error 502" in lines[2]
    assert "http: HTTP 502 from the server" in lines[3]
    assert max(len(line) for line in lines) <= 80
    assert main(["sources", *db, "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["name"] == "alpha" and rows[0]["failures_in_a_row"] == 2
    assert rows[-1]["url"].endswith("token=***")

    assert main(["figures", *db, "--subject", "soldiers"]) == 0
    out = capsys.readouterr().out
    assert "killed · soldiers" in out and out.lower().count("ministry") == 2
    assert max(len(line) for line in out.splitlines()) <= 80
    assert main(["figures", *db, "--format", "json", "--since", "2025-01-11"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["source"], r["value"], r["previous_value"]) for r in rows] == [
        ("alpha", 12, 10),
        ("gamma", 30, None),
    ]
    assert rows[0].keys() >= {"category", "value", "value_max", "qualifier", "subject",
                              "claimant", "sentence", "identity"}  # fmt: skip
    assert main(["figures", *db, "--format", "csv", "--category", "wounded"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("identity,source,url,") and "More than 30 villagers" in out


def test_downgrade_drops_the_views_and_upgrade_brings_them_back(engine: Engine) -> None:
    from alembic import command

    from storage.db import alembic_config, migrate

    command.downgrade(alembic_config(engine), "0001")
    assert not {"latest_figure", "source_health"} & set(inspect(engine).get_view_names())
    migrate(engine)
    assert {"latest_figure", "source_health"} <= set(inspect(engine).get_view_names())


def test_history_filters_and_fits_80_columns(
    database_url: str, engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    from pipeline.cli import main

    standard(engine)
    db = ["history", "--database", database_url]
    assert (
        main([*db, "--format", "json", "--claimant", "MINISTRY", "--since", "2025-01-10T08:30"])
        == 0
    )
    rows = json.loads(capsys.readouterr().out)
    assert [(r["source"], r["kind"], r["new_value"]) for r in rows] == [
        ("beta", "new", 11),
        ("alpha", "changed", 12),
    ]
    assert main([*db, "--format", "json", "--category", "wounded", "--limit", "5"]) == 0
    assert [r["source"] for r in json.loads(capsys.readouterr().out)] == ["gamma"]
    assert main([*db, "--format", "json", "--subject", "soldiers", "--limit", "1"]) == 0
    assert [r["new_value"] for r in json.loads(capsys.readouterr().out)] == [12]
    assert main([*db, "--current", "--format", "json", "--source", "alpha"]) == 0
    assert [r["value"] for r in json.loads(capsys.readouterr().out)] == [12]
    assert main(db) == 0
    lines = capsys.readouterr().out.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert lines[0].split() == ["detected", "source", "kind", "old", "new"]
    assert lines[6].split() == ["2025-01-11", "08:00", "alpha", "changed", "10", "12"]
    assert lines[7] == "  killed: soldiers (ministry)"


def test_source_health_masks_urls_quoted_in_errors(engine: Engine) -> None:
    from tests.pipeline.ledger import Ledger

    Ledger(engine).error("delta", T0, "network error fetching https://d.example/x?token=s3cret: x")
    with Session(engine) as session:
        [delta] = source_health(session=session)
    assert delta.last_error == "network error fetching https://d.example/x?token=***: x"


def test_timeline_keeps_the_first_reading_of_each_value(engine: Engine) -> None:
    from tests.pipeline.ledger import Ledger

    ledger = Ledger(engine)
    for hours, value in enumerate([10, 10, 10, 12, 12]):
        said = f"The ministry said {value} soldiers were killed (update {hours})."
        ledger.page("alpha", T0 + timedelta(hours=hours), [("killed|soldiers|ministry", value,
                    "killed", "soldiers", "ministry", said)])  # fmt: skip
    with Session(engine) as session:
        [timeline] = timelines(session=session)
    assert [(p.at, p.value) for p in timeline.points] == [
        (T0, 10),
        (T0 + timedelta(hours=3), 12),
    ]
    assert timeline.points[1].sentence.endswith("(update 3).")


def test_sources_reads_schedules_from_the_config(
    database_url: str, engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from pipeline.cli import main

    standard(engine)
    config = tmp_path / "figwatch.toml"
    config.write_text(
        f'database = "{database_url}"\n[defaults]\nevery = "15m"\n'
        '[[sources]]\nname = "alpha"\nurl = "https://alpha.example/news"\n'
        '[[sources]]\nname = "beta"\nurl = "https://beta.example/news"\nevery = "2h"\n'
        '[[sources]]\nname = "delta"\nurl = "https://delta.example/news?key=k3y"\n'
        'cron = "*/10 * * * *"\n',
        encoding="utf-8",
    )
    assert main(["--config", str(config), "sources", "--format", "json"]) == 0
    rows = {r["name"]: r for r in json.loads(capsys.readouterr().out)}
    assert [rows[n]["schedule"] for n in ("alpha", "beta", "delta")] == [
        "every 15m", "every 2h", "cron */10 * * * *",
    ]  # fmt: skip
    assert [rows[n]["state"] for n in ("alpha", "delta", "beta", "gamma")] == [
        "failing", "new", "ok", "gone",
    ]  # fmt: skip
    assert rows["delta"]["url"] == "https://delta.example/news?key=***"
    assert rows["gamma"]["configured"] is False


def test_csv_cells_a_spreadsheet_would_run_are_quoted() -> None:
    from pipeline.viewcommands import csv_text

    out = csv_text([{"sentence": '=HYPERLINK("http://x")', "value": -3, "subject": "+1 group"}])
    assert out.splitlines()[1] == '"\'=HYPERLINK(""http://x"")",-3,\'+1 group'

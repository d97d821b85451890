"""The command line as a new user meets it: options, messages, exit codes, files it leaves."""

from __future__ import annotations

import csv
import gc
import io
import logging
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from pipeline.cli import build_parser, main
from pipeline.history import render
from pipeline.words import plural
from storage.db import make_engine, migrate

SOURCE = '[[sources]]\nname = "s"\nurl = "https://a.example/"\n'
ALERTS = """
[[alerts]]
name = "hook"
type = "webhook"
url = "https://hooks.example.org/"
secret = "${UNSET_FIGWATCH_HOOK_SECRET}"

[[alerts]]
name = "mail"
type = "email"
smtp = "smtp://desk:${UNSET_FIGWATCH_SMTP_PASSWORD}@smtp.example.org:587"
from = "figwatch@example.org"
to = ["desk@example.org"]
"""


def write(path: Path, text: str, mode: int = 0o600) -> Path:
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)
    return path


def db_url(path: Path) -> str:
    return f"sqlite:///{path}"


# --------------------------------------------------------------------------- global options


@pytest.mark.parametrize("command", ["run", "check", "history", "demo", "extract", "eval"])
def test_global_options_work_before_and_after_the_subcommand(command: str) -> None:
    parser = build_parser()
    extra = ["gold.jsonl"] if command == "eval" else []
    for argv in (
        ["--config", "f.toml", "-v", command, *extra],
        [command, *extra, "--config", "f.toml", "-v"],
        ["-v", command, *extra, "--config", "f.toml"],
    ):
        args = parser.parse_args(argv)
        assert (args.config, args.verbose, args.quiet) == ("f.toml", True, False), argv
    args = parser.parse_args([command, *extra, "-q"])
    assert (args.config, args.verbose, args.quiet) == (None, False, True)


def test_global_options_reach_nested_subcommands() -> None:
    import argparse

    from pipeline.cli import _add_global_options_below, _global_options

    parser = argparse.ArgumentParser(prog="figwatch")
    _global_options(parser, sub=False)
    alerts = parser.add_subparsers(dest="command").add_parser("alerts")
    alerts.add_subparsers(dest="action").add_parser("test").add_argument("name")
    _add_global_options_below(parser)
    args = parser.parse_args(["-q", "alerts", "test", "desk", "--config", "f.toml"])
    assert (args.config, args.quiet, args.name) == ("f.toml", True, "desk")


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("figwatch ") and out.split()[1][0].isdigit()


def test_every_subcommand_has_a_description() -> None:
    parser = build_parser()
    [sub] = [a for a in parser._actions if a.dest == "command"]
    for name, command in sub.choices.items():  # type: ignore[union-attr]
        assert command.description, name
        assert command.format_help().count("\n\n") >= 1


def test_demo_takes_database_and_still_the_old_db() -> None:
    parser = build_parser()
    assert parser.parse_args(["demo", "--database", "a.db"]).database == "a.db"
    assert parser.parse_args(["demo", "--db", "b.db"]).database == "b.db"
    assert parser.parse_args(["demo"]).database == "figwatch-demo.db"
    [sub] = [a for a in parser._actions if a.dest == "command"]
    help_text = sub.choices["demo"].format_help()  # type: ignore[index]
    assert "--database" in help_text and "--db" not in help_text


# --------------------------------------------------------------------- config and database


def test_history_needs_no_alert_secrets(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "f.db"
    migrate(make_engine(db_url(db)))
    config = write(tmp_path / "f.toml", f'database = "{db_url(db)}"\n' + SOURCE + ALERTS)
    assert main(["--config", str(config), "history"]) == 0
    assert "(no changes recorded yet)" in capsys.readouterr().out
    # A command that alerts still needs them, and says which.
    assert main(["--config", str(config), "check"]) == 2
    err = capsys.readouterr().err
    assert "UNSET_FIGWATCH_HOOK_SECRET is not set" in err
    assert "UNSET_FIGWATCH_SMTP_PASSWORD is not set" in err


def test_history_still_reports_other_alert_problems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "f.db"
    bad = ALERTS.replace("https://hooks.example.org/", "hooks.example.org").replace(
        'to = ["desk@example.org"]', "to = []"
    )
    config = write(tmp_path / "f.toml", f'database = "{db_url(db)}"\n' + SOURCE + bad)
    assert main(["--config", str(config), "history"]) == 2
    err = capsys.readouterr().err
    assert "alerts[0].url: URL must start with" in err and "alerts[1].to: must not be empty" in err
    assert "UNSET_FIGWATCH" not in err


@pytest.mark.parametrize("command", ["run", "check"])
@pytest.mark.parametrize("body", ["", "[defaults]\nevery = '1h'\n", SOURCE + "enabled = false\n"])
def test_a_config_that_watches_nothing_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str, body: str
) -> None:
    db = tmp_path / "f.db"
    config = write(tmp_path / "f.toml", f'database = "{db_url(db)}"\n' + body)
    assert main(["--config", str(config), command]) == 2
    err = capsys.readouterr().err
    assert "nothing to watch" in err and "Traceback" not in err
    assert not db.exists()


@pytest.mark.parametrize("command", ["check", "history"])
def test_a_database_in_a_missing_directory_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    missing = tmp_path / "no" / "such" / "dir"
    config = write(tmp_path / "f.toml", f'database = "{db_url(missing / "t.db")}"\n' + SOURCE)
    assert main(["--config", str(config), command]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(missing) in err and "does not exist" in err, err
    assert not (tmp_path / "no").exists()  # no directory created


def test_a_database_under_a_file_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "afile").write_text("x")
    config = write(tmp_path / "f.toml", f'database = "{db_url(tmp_path / "afile" / "t.db")}"\n')
    assert main(["--config", str(config), "history"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "is not a directory" in err, err


def test_history_does_not_create_a_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "f.db"
    assert main(["history", "--database", db_url(db)]) == 2
    assert "no database at" in capsys.readouterr().err and not db.exists()


def test_history_of_an_unknown_source_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "f.db"
    engine = make_engine(db_url(db))
    migrate(engine)
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO source (name, url, created_at) VALUES "
            "('beta', 'https://b.example/', '2025-01-01'), ('alpha', 'https://a.example/', "
            "'2025-01-01')"
        )
    engine.dispose()
    assert main(["history", "--database", db_url(db), "--source", "nosuch"]) == 2
    err = capsys.readouterr().err
    assert "no source named 'nosuch'" in err and "alpha, beta" in err
    assert main(["history", "--database", db_url(db), "--source", "alpha"]) == 0


# ----------------------------------------------------------------------------- file modes


def test_a_new_sqlite_database_and_its_wal_files_are_private(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        db = tmp_path / "f.db"
        engine = make_engine(db_url(db))
        migrate(engine)
        with engine.connect() as conn:  # WAL mode: the -wal and -shm files exist while open
            conn.exec_driver_sql("SELECT 1")
            files = [db, Path(f"{db}-wal"), Path(f"{db}-shm")]
            assert all(f.exists() for f in files)
            modes = {f.name: stat.S_IMODE(f.stat().st_mode) for f in files}
        engine.dispose()
    finally:
        os.umask(old)
    assert modes == {"f.db": 0o600, "f.db-wal": 0o600, "f.db-shm": 0o600}


def test_an_existing_database_keeps_its_mode(tmp_path: Path) -> None:
    db = tmp_path / "f.db"
    migrate(make_engine(db_url(db)))
    db.chmod(0o640)
    migrate(make_engine(db_url(db)))
    assert stat.S_IMODE(db.stat().st_mode) == 0o640


@pytest.mark.parametrize(("mode", "warned"), [(0o644, True), (0o640, True), (0o600, False)])
def test_a_config_others_can_read_is_warned_about_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, mode: int, warned: bool
) -> None:
    db = tmp_path / "f.db"
    migrate(make_engine(db_url(db)))
    config = write(tmp_path / "f.toml", f'database = "{db_url(db)}"\n' + SOURCE, mode)
    with caplog.at_level(logging.WARNING, logger="figwatch"):
        assert main(["--config", str(config), "history"]) == 0
    found = [r for r in caplog.records if "can be read by other users" in r.getMessage()]
    assert len(found) == (1 if warned else 0)


# ------------------------------------------------------------------------------- output


def test_csv_cells_that_a_spreadsheet_would_run_are_escaped() -> None:
    rows: list[dict[str, Any]] = [
        {"sentence": '=HYPERLINK("https://evil.example/","12 killed")', "subject": "+1"},
        {"sentence": "-2+3", "subject": "@SUM(A1)"},
        {"sentence": "\tx", "subject": "\rY"},
        {"sentence": "12 killed, 30 wounded", "subject": "a-b"},
        {"sentence": "", "subject": None},
    ]
    out = list(
        csv.DictReader(
            io.StringIO(
                render([{**r, "value": -5} for r in rows], "csv", current=False), newline=""
            )
        )
    )
    assert [r["sentence"] for r in out] == [
        '\'=HYPERLINK("https://evil.example/","12 killed")',
        "'-2+3",
        "'\tx",
        "12 killed, 30 wounded",
        "",
    ]
    assert [r["subject"] for r in out] == ["'+1", "'@SUM(A1)", "'\rY", "a-b", ""]
    assert {r["value"] for r in out} == {"-5"}  # a number is no formula


def test_plural() -> None:
    assert [plural(n, "change") for n in (0, 1, 2, 1000)] == [
        "0 changes",
        "1 change",
        "2 changes",
        "1,000 changes",
    ]


def test_demo_runs_on_sqlite_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--database", "postgresql+psycopg://u@h/db"]) == 2
    assert "takes a SQLite file" in capsys.readouterr().err
    assert main(["demo", "--db", str(tmp_path / "no" / "d.db")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_extract_starts_without_the_database_and_config_modules(tmp_path: Path) -> None:
    """A one-shot `figwatch extract` imports neither SQLAlchemy nor pydantic nor httpx: they
    are most of the service's start-up time (`python -m bench.startup` prints it)."""
    text = tmp_path / "one.txt"
    text.write_text("At least 7 people were killed on Tuesday.\n")
    probe = (
        "import sys\nfrom pipeline.cli import main\n"
        f"code = main(['extract', {str(text)!r}])\n"
        "heavy = sorted(m for m in ('sqlalchemy', 'pydantic', 'httpx', 'alembic') "
        "if m in sys.modules)\n"
        "print('heavy:', ','.join(heavy) or '-', code)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    assert "killed" in done.stdout and "7" in done.stdout
    assert done.stdout.strip().splitlines()[-1] == "heavy: - 0"


def test_an_unchanged_check_loads_no_renderer_extractor_or_migrations(
    tmp_path: Path, http_server: Any
) -> None:
    """`figwatch check` over a page that did not change, with an email and a webhook channel
    configured: it imports neither Jinja2 (templates), the extractor's subject tables (routing
    by subject), alembic (the schema is current), lxml nor BeautifulSoup (nothing to parse),
    the PostgreSQL dialect (the database is SQLite), tqdm (no terminal to draw a progress
    bar on) nor APScheduler (`run`'s), and starts no parsing worker although one is configured
    (the source was read before: its page may well be unchanged). Each is loaded where it is
    needed, so a pass over unchanged pages starts fast."""
    url = http_server.add("/page", "<html><body><p>At least 7 people were killed.</p></body>")
    config = write(
        tmp_path / "figwatch.toml",
        f'database = "{db_url(tmp_path / "f.db")}"\n\n[fetch]\nworkers = 1\n\n'
        f'[[sources]]\nname = "s"\nurl = "{url}"\n{ALERTS}',
    )
    secrets = {"UNSET_FIGWATCH_HOOK_SECRET": "whsec_" + "A" * 32,
               "UNSET_FIGWATCH_SMTP_PASSWORD": "pw"}  # fmt: skip
    env = {**os.environ, **secrets}
    first = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "--config", str(config), "check"],
        capture_output=True, text=True, timeout=120, env=env,
    )  # fmt: skip
    assert first.returncode == 0, first.stderr
    assert "s: 1 figure" in first.stdout  # read and recorded: the baseline
    probe = (
        "import sys\nfrom pipeline import runner\nfrom pipeline.cli import main\n"
        "pools = []\nexecutor = runner.Runner._executor\n"
        "runner.Runner._executor = lambda self: pools.append(1) or executor(self)\n"
        f"code = main(['--config', {str(config)!r}, 'check'])\n"
        "heavy = sorted(m for m in ('jinja2', 'alembic', 'pipeline.figures.subjects', 'lxml', "
        "'bs4', 'sqlalchemy.dialects.postgresql', 'tqdm', 'apscheduler') if m in sys.modules)\n"
        "import gc\n"
        "print('gc:', gc.isenabled(), gc.get_freeze_count() > 0)\n"
        "print('heavy:', ','.join(heavy) or '-', 'pools:', len(pools), code)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, env=env
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert "s: not modified" in lines
    assert lines[-1] == "heavy: - pools: 0 0"
    # Start-up's objects were frozen out of the collector's sight, and the collector is on.
    assert lines[-2] == "gc: True True"


def test_a_check_that_fails_before_its_pass_leaves_the_garbage_collector_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write(tmp_path / "figwatch.toml", f'database = "{db_url(tmp_path / "f.db")}"\n')
    try:
        assert main(["--config", str(config), "check"]) == 2  # nothing to watch
        assert "nothing to watch" in capsys.readouterr().err
        assert gc.isenabled()
    finally:
        gc.enable()

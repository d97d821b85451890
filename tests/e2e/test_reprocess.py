"""`figwatch reprocess`: stored texts read again; the difference shown, recorded, or alerted."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import update
from sqlmodel import select

from pipeline.demo.sinks import SmtpSink, WebhookSink
from storage.db import make_engine, session_factory
from storage.models import Change, CurrentFigure, Delivery, Fetch, Observation
from tests.e2e.news import page
from tests.e2e.test_pipeline import INTRO, SECRET, toll
from tests.e2e.test_processes import write_config
from tests.servers import LoopbackServer


def figwatch(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "--config", str(config), *args],
        capture_output=True, text=True, timeout=120, env={**os.environ, "HOOK_SECRET": SECRET},
    )  # fmt: skip


def test_reprocess_shows_records_and_on_request_alerts_what_a_new_reading_changes(
    database_url: str, site: LoopbackServer, smtp: SmtpSink, hook: WebhookSink, tmp_path: Path
) -> None:
    config = write_config(tmp_path / "figwatch.toml", database_url, site, smtp, hook)
    site.add("/news/marden", page([INTRO, toll(12, 30)], updated="09:00"))
    assert figwatch(config, "check").returncode == 0  # the baseline: killed 12, wounded 30
    engine = make_engine(database_url)
    sessions = session_factory(engine)
    # An older extractor misread the page: say its killed figure was 11.
    with sessions() as session, session.begin():
        session.execute(
            update(CurrentFigure).where(CurrentFigure.category == "killed").values(value=11)
        )
        fetches = len(session.exec(select(Fetch)).all())

    dry = figwatch(config, "reprocess", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "marden: 2 figures, 1 change (dry run: nothing recorded)" in dry.stdout
    assert "changed  killed, civilians (per governor Ilse Brandt): at least 11 → at least 12" in (
        dry.stdout
    )
    with sessions() as session:
        assert len(session.exec(select(Change)).all()) == 2  # the baseline's, nothing more

    again = figwatch(config, "reprocess")
    assert again.returncode == 0, again.stderr
    assert "marden: 2 figures, 1 change (recorded, not alerted)" in again.stdout
    with sessions() as session:
        [change] = session.exec(select(Change).where(Change.kind == "changed")).all()
        assert (change.old_value, change.new_value, change.baseline) == (11, 12, True)
        [killed] = session.exec(
            select(CurrentFigure).where(CurrentFigure.category == "killed")
        ).all()
        assert killed.value == 12
        observation = session.get(Observation, killed.observation_id)
        assert observation is not None and observation.fetch_id == change.fetch_id
        assert len(session.exec(select(Fetch)).all()) == fetches  # no page was fetched
        assert session.exec(select(Delivery)).all() == []
    assert hook.requests == [] and smtp.messages == []
    assert "0 changes" in figwatch(config, "reprocess").stdout  # read again: nothing new

    with sessions() as session, session.begin():
        session.execute(
            update(CurrentFigure).where(CurrentFigure.category == "wounded").values(value=3)
        )
    alerted = figwatch(config, "reprocess", "--alert")
    assert alerted.returncode == 0, alerted.stdout + alerted.stderr
    assert "alerts to desk-hook: 1 delivered" in alerted.stdout
    [post] = hook.wait_for(1)
    assert (post.json["type"], post.json["previous"]["value"], post.json["figure"]["value"]) == (
        "figure.changed", 3, 30,
    )  # fmt: skip
    assert len(smtp.wait_for(1)) == 1
    engine.dispose()


def test_reprocess_of_a_source_never_read_says_so(
    database_url: str, site: LoopbackServer, smtp: SmtpSink, hook: WebhookSink, tmp_path: Path
) -> None:
    config = write_config(tmp_path / "figwatch.toml", database_url, site, smtp, hook)
    done = figwatch(config, "reprocess", "--source", "marden")
    assert done.returncode == 0 and "marden: no stored text (never read)" in done.stdout
    wrong = figwatch(config, "reprocess", "--source", "nope")
    assert wrong.returncode == 2 and "no source named 'nope'" in wrong.stderr

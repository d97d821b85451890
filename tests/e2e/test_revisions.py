"""Pages that change back and forth, and two processes on one fresh database."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from subprocess import PIPE

from sqlmodel import select

from pipeline.demo.sinks import SmtpSink, WebhookSink
from storage.db import make_engine, session_factory
from storage.models import Change, CurrentFigure, Fetch
from tests.e2e.conftest import Clock
from tests.e2e.news import page
from tests.e2e.test_pipeline import INTRO, app_for, check, config_for, serve, toll
from tests.servers import LoopbackServer


def test_a_page_that_changes_back_alerts_on_every_transition(
    database_url: str, site: LoopbackServer, smtp: SmtpSink, hook: WebhookSink, clock: Clock
) -> None:
    versions = {"A": [INTRO, toll(12, 30)], "B": [INTRO, toll(19, 30)]}
    config = config_for(database_url, site, smtp, hook)
    with app_for(config, clock) as (app, loop):
        outcomes = []
        for n, name in enumerate("ABABA"):
            clock.advance(minutes=10)
            serve(site, versions[name], updated="09:00")
            result = check(app, loop)
            outcomes.append((result.outcome, result.changes))
            with app.session_factory() as session:
                [killed] = session.exec(
                    select(CurrentFigure.value).where(CurrentFigure.category == "killed")
                ).all()
            assert killed == (12 if name == "A" else 19), f"version {n} ({name})"
        assert outcomes == [("changed", 2)] + [("changed", 1)] * 4
        assert [r.json["figure"]["value"] for r in hook.wait_for(4)] == [19, 12, 19, 12]
        with app.session_factory() as session:
            values = session.exec(select(Change.new_value).order_by(Change.id)).all()
        assert values == [12, 30, 19, 12, 19, 12]
        # the same version again is unchanged, not a change
        clock.advance(minutes=10)
        assert check(app, loop).outcome in ("unchanged", "not_modified")
        assert len(hook.requests) == 4


def test_processes_checking_at_once_on_a_fresh_database_never_fail_each_other(
    database_url: str, site: LoopbackServer, tmp_path: Path
) -> None:
    fresh = database_url
    if database_url.startswith("sqlite"):
        fresh = f"sqlite:///{tmp_path / 'fresh' / 'figwatch.db'}"  # not even migrated yet
        (tmp_path / "fresh").mkdir()
    names = [f"town{i}" for i in range(20)]
    for i, name in enumerate(names):
        site.add(f"/{name}", page([INTRO, toll(10 + i, 30)], updated="09:00"))
    config = tmp_path / "figwatch.toml"
    config.write_text(
        f'database = "{fresh}"\n'
        + "".join(f'[[sources]]\nname = "{n}"\nurl = "{site.url("/" + n)}"\n' for n in names),
        encoding="utf-8",
    )
    command = [sys.executable, "-m", "pipeline.cli", "--config", str(config), "check"]
    runs = [subprocess.Popen(command, stdout=PIPE, stderr=PIPE, text=True) for _ in range(6)]
    outputs = [run.communicate(timeout=90) for run in runs]
    for run, (out, err) in zip(runs, outputs, strict=True):
        assert run.returncode == 0, out + err
    engine = make_engine(fresh)
    with session_factory(engine)() as session:
        assert len(session.exec(select(Change)).all()) == 2 * len(names)  # each baseline once
        assert len(session.exec(select(Fetch)).all()) == 6 * len(names)
    engine.dispose()

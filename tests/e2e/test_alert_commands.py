"""`figwatch alerts test NAME`, `alerts log` and `alerts retry` against real receivers."""

from __future__ import annotations

import json
import socket
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.config import load_config
from pipeline.demo.sinks import SmtpSink, WebhookSink
from tests.e2e.conftest import Clock
from tests.e2e.test_alert_rules import INTRO, check, hook_at, serve, toll
from tests.e2e.test_pipeline import app_for
from tests.servers import LoopbackServer


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def write_config(tmp_path: Path, database_url: str, alerts: str, source: str = "") -> Path:
    path = tmp_path / "figwatch.toml"
    path.write_text(f'database = "{database_url}"\n{source}\n{alerts}', encoding="utf-8")
    path.chmod(0o600)
    return path


def hook_entry(name: str, url: str) -> str:
    return f'[[alerts]]\nname = "{name}"\ntype = "webhook"\nurl = "{url}"\n'


def test_alerts_test_exit_0_when_accepted_1_with_one_line_otherwise(
    tmp_path: Path,
    database_url: str,
    hook: WebhookSink,
    smtp: SmtpSink,
    capsys: pytest.CaptureFixture[str],
) -> None:
    port = closed_port()
    alerts = (
        hook_entry("ok", hook_at(hook, "ok"))
        + hook_entry("refused", f"http://127.0.0.1:{port}/x?token=s3cret")
        + hook_entry("nodns", "http://figwatch-test.invalid/hook")
        + hook_entry("denied", hook_at(hook, "denied?token=s3cret"))
        + f'[[alerts]]\nname = "mail"\ntype = "email"\nsmtp = "{smtp.url}"\nstarttls = "off"\n'
        'from = "figwatch@localhost"\nto = ["desk@localhost"]\n'
        f'[[alerts]]\nname = "chat"\ntype = "apprise"\n'
        f'url = "json://desk:pw-s3cret@127.0.0.1:{port}/"\n'
    )
    config = write_config(tmp_path, database_url, alerts)
    assert main(["alerts", "test", "ok", "--config", str(config)]) == 0
    [post] = hook.wait_for(1)
    assert post.json["type"] == "figure.changed" and post.json["source"] == "figwatch-test"
    assert "ok: sample alert accepted" in capsys.readouterr().out
    assert main(["alerts", "test", "mail", "--config", str(config)]) == 0
    assert "figwatch test alert" in smtp.wait_for(1)[0].get_body(("plain",)).get_content()

    expected = {
        "refused": "refused: not delivered: connection refused",
        "nodns": "nodns: not delivered: DNS: the host name does not resolve",
        "chat": "chat: not delivered: connection refused",
    }
    for name, line in expected.items():
        capsys.readouterr()
        assert main(["alerts", "test", name, "--config", str(config)]) == 1
        err = capsys.readouterr().err.strip()
        assert err == line
    hook.set_script([401])
    assert main(["alerts", "test", "denied", "--config", str(config)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("denied: not delivered: authentication failed: HTTP 401")
    assert err.endswith('{"ok": false}')
    assert "s3cret" not in err and len(err.splitlines()) == 1
    assert main(["alerts", "test", "nosuch", "--config", str(config)]) == 2


def test_alerts_log_lists_deliveries_and_retry_requeues_the_dead(
    tmp_path: Path,
    database_url: str,
    site: LoopbackServer,
    hook: WebhookSink,
    clock: Clock,
    capsys: pytest.CaptureFixture[str],
) -> None:
    source = f'[[sources]]\nname = "marden"\nurl = "{site.url("/news/marden")}"\n'
    alerts = hook_entry("desk", hook_at(hook, "desk")) + hook_entry("gone", hook_at(hook, "gone"))
    path = write_config(tmp_path, database_url, alerts, source)
    config = load_config(path, env={})
    with app_for(config, clock) as (app, loop):
        serve(site, [INTRO, toll(10, 30)], updated="09:00")
        check(app, loop)
        clock.advance(minutes=10)
        serve(site, [INTRO, toll(12, 30)], updated="09:10")
        hook.set_script([404])  # the first delivery is refused for good
        check(app, loop)
    capsys.readouterr()
    assert main(["alerts", "log", "--format", "json", "--config", str(path)]) == 0
    rows = json.loads(capsys.readouterr().out)
    # the two channels drain at once: which one met the 404 is up to the race
    assert sorted(r["channel"] for r in rows) == ["desk", "gone"]
    assert sorted((r["status"], r["type"], r["attempts"]) for r in rows) == [
        ("dead", "figure.changed", 1),
        ("sent", "figure.changed", 1),
    ]
    dead = [r for r in rows if r["status"] == "dead"]
    assert dead[0]["last_error"].startswith("HTTP 404") and dead[0]["source"] == "marden"
    assert main(["alerts", "log", "--status", "dead", "--config", str(path)]) == 0
    table = capsys.readouterr().out
    assert "HTTP 404" in table and "dead" in table and "sent" not in table.split("\n", 2)[2]
    assert main(["alerts", "retry", "--dead", "--config", str(path)]) == 0
    assert "requeued 1 delivery" in capsys.readouterr().out
    clock.now = datetime.now(UTC) + timedelta(minutes=1)  # requeued rows are due at wall time
    with app_for(config, clock) as (app, loop):
        report = loop.run_until_complete(app.drain())
    assert report.sent == 1
    assert (
        main(["alerts", "log", "--status", "dead", "--format", "json", "--config", str(path)]) == 0
    )
    assert json.loads(capsys.readouterr().out) == []
    assert main(["alerts", "retry", "--config", str(path)]) == 2

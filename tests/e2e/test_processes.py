"""figwatch as a user runs it: real processes, killed, stopped, or given a broken config."""

from __future__ import annotations

import fcntl
import os
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from sqlmodel import select

from pipeline.demo.sinks import SmtpSink, WebhookSink
from storage.db import make_engine, session_factory
from storage.models import Delivery, Fetch
from tests.e2e.news import page
from tests.e2e.test_pipeline import INTRO, SECRET, toll
from tests.servers import LoopbackServer

KILL_AFTER_COMMIT = """
import asyncio, os, signal, sys
from pathlib import Path
from pipeline.config import load_config
from pipeline.service import open_app

async def main():
    async with open_app(load_config(Path(sys.argv[1]), env=os.environ)) as app:
        [result] = await app.runner.check_all(app.jobs())
        assert result.alerts == 2, result
        os.kill(os.getpid(), signal.SIGKILL)  # committed, never delivered

asyncio.run(main())
"""


def write_config(
    path: Path,
    database_url: str,
    site: LoopbackServer,
    smtp: SmtpSink,
    hook: WebhookSink,
    every: str = "15m",
) -> Path:
    path.write_text(
        f"""
database = "{database_url}"

[[sources]]
name = "marden"
url = "{site.url("/news/marden")}"
every = "{every}"

[[alerts]]
name = "desk-hook"
type = "webhook"
url = "{hook.url}"
secret = "${{HOOK_SECRET}}"

[[alerts]]
name = "desk-mail"
type = "email"
smtp = "{smtp.url}"
starttls = "off"
from = "figwatch@localhost"
to = ["desk@localhost"]
""",
        encoding="utf-8",
    )
    return path


def figwatch(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pipeline.cli", *args],
        capture_output=True, text=True, timeout=timeout, env={**os.environ, "HOOK_SECRET": SECRET},
    )  # fmt: skip


def test_killed_between_commit_and_delivery_delivers_once_after_restart(
    database_url: str, site: LoopbackServer, smtp: SmtpSink, hook: WebhookSink, tmp_path: Path
) -> None:
    config = write_config(tmp_path / "figwatch.toml", database_url, site, smtp, hook)
    site.add("/news/marden", page([INTRO, toll(12, 30)], updated="09:00"))
    first = figwatch("--config", str(config), "check")
    assert first.returncode == 0, first.stderr
    assert "baseline" in first.stdout

    site.add("/news/marden", page([INTRO, toll(19, 30)], updated="09:10"))
    killed = subprocess.run(
        [sys.executable, "-c", KILL_AFTER_COMMIT, str(config)],
        capture_output=True, text=True, timeout=60, env={**os.environ, "HOOK_SECRET": SECRET},
    )  # fmt: skip
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert hook.requests == [] and smtp.messages == []
    engine = make_engine(database_url)
    with session_factory(engine)() as session:
        assert [d.status for d in session.exec(select(Delivery))] == ["pending", "pending"]

    for _ in range(2):  # the restart delivers; a further run sends nothing again
        again = figwatch("--config", str(config), "check")
        assert again.returncode == 0, again.stderr
    assert len(hook.wait_for(1)) == 1 and len(smtp.wait_for(1)) == 1
    assert hook.requests[0].json["figure"]["value"] == 19
    with session_factory(engine)() as session:
        assert [d.status for d in session.exec(select(Delivery))] == ["sent", "sent"]
    engine.dispose()


def test_broken_config_lists_every_problem_without_a_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "figwatch.toml"
    bad.write_text(
        """
database = "mysql://nope"
[defaults]
evrey = "15m"
[[sources]]
name = "a"
url = "not a url"
every = "15 minutes"
[[sources]]
name = "a"
url = "https://example.org/"
alerts = ["nowhere"]
[[alerts]]
name = "hook"
type = "webhook"
url = "https://hooks.example.org/"
secret = "${UNSET_FIGWATCH_SECRET}"
""",
        encoding="utf-8",
    )
    result = figwatch("--config", str(bad), "check")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    for path in ("database", "defaults.evrey", "sources[0].url", "sources[0].every",
                 "sources[1].name", "sources[1].alerts[0]", "alerts[0].secret"):  # fmt: skip
        assert path in result.stderr, (path, result.stderr)
    assert len(result.stderr.splitlines()) < 25


def test_missing_config_is_one_clear_line(tmp_path: Path) -> None:
    result = figwatch("--config", str(tmp_path / "nope.toml"), "check")
    assert result.returncode == 2
    assert "nope.toml" in result.stderr and "Traceback" not in result.stderr


def test_run_checks_on_schedule_and_finishes_a_check_in_flight_on_sigterm(
    site: LoopbackServer, smtp: SmtpSink, hook: WebhookSink, tmp_path: Path
) -> None:
    database = tmp_path / "run.db"
    config = write_config(tmp_path / "figwatch.toml", f"sqlite:///{database}", site, smtp, hook,
                          every="2s")  # fmt: skip
    body = page([INTRO, toll(12, 30)], updated="09:00").encode()
    in_flight = threading.Event()

    def slow_after_first(handler: BaseHTTPRequestHandler, server: LoopbackServer) -> None:
        if sum(r.path == "/news/marden" for r in server.requests) >= 2:  # not /robots.txt
            in_flight.set()
            time.sleep(1.5)  # a slow site: the service is stopped while this check waits
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    site.add("/news/marden", handler=slow_after_first)
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipeline.cli", "--config", str(config), "run"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "HOOK_SECRET": SECRET},
    )  # fmt: skip
    try:
        assert in_flight.wait(30), "the service did not check the source a second time"
        proc.send_signal(signal.SIGTERM)
        _, stderr = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, stderr
    assert "waiting up to" in stderr and "figwatch stopped" in stderr
    assert "Traceback" not in stderr and "abandoning" not in stderr
    engine = make_engine(f"sqlite:///{database}")
    with session_factory(engine)() as session:
        fetches = session.exec(select(Fetch).order_by(Fetch.id)).all()
    engine.dispose()
    outcomes = [f.outcome for f in fetches]
    assert fetches[-1].duration_ms >= 1400  # the slow answer is in the recorded timing
    # the check in flight at SIGTERM finished and was recorded (same body: not modified)
    pages = [r for r in site.requests if r.path == "/news/marden"]
    assert outcomes == ["changed"] + ["not_modified"] * (len(pages) - 1)


def test_check_of_an_unknown_source_names_the_configured_ones(
    site: LoopbackServer, smtp: SmtpSink, hook: WebhookSink, tmp_path: Path
) -> None:
    config = write_config(tmp_path / "figwatch.toml", f"sqlite:///{tmp_path / 'x.db'}", site,
                          smtp, hook)  # fmt: skip
    result = figwatch("--config", str(config), "check", "--source", "nope")
    assert result.returncode == 2
    assert "no source named 'nope' (configured: marden)" in result.stderr


def test_check_draws_progress_on_a_terminal_and_stays_quiet_in_a_pipe(
    site: LoopbackServer, tmp_path: Path
) -> None:
    config = tmp_path / "figwatch.toml"
    sources = "".join(
        f'\n[[sources]]\nname = "s{n}"\nurl = "{site.url(f"/news/s{n}")}"\n' for n in range(3)
    )
    config.write_text(f'database = "sqlite:///{tmp_path / "fw.db"}"\n{sources}', encoding="utf-8")
    for n in range(3):
        site.add(f"/news/s{n}", page([INTRO, toll(12 + n, 30)], updated="09:00"))
    command = [sys.executable, "-m", "pipeline.cli", "--config", str(config), "check"]

    piped = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert piped.returncode == 0, piped.stderr
    assert "check:" not in piped.stderr and "\r" not in piped.stderr
    assert piped.stdout.count("(baseline, no alerts)") == 3

    for n in range(3):  # changed pages, so the second pass does the whole work again
        site.add(f"/news/s{n}", page([INTRO, toll(20 + n, 30)], updated="09:10"))
    leader, follower = os.openpty()
    # A terminal of 0x0 (a new pty) draws an empty bar: give it 80 columns.
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    try:
        with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=follower, text=True) as proc:
            os.close(follower)
            drawn = _read_until_closed(leader, proc)
            stdout = proc.stdout.read() if proc.stdout else ""
    finally:
        os.close(leader)
    assert proc.returncode == 0, drawn
    assert "check:" in drawn and "0/3" in drawn, drawn
    assert "check:" not in stdout  # the bar stays on stderr, the report on stdout
    assert all(f"s{n}: 2 figures, 1 change" in stdout for n in range(3)), stdout


def _read_until_closed(leader: int, proc: subprocess.Popen[str]) -> str:
    """All the child wrote to its terminal; read as it comes so a full buffer cannot block it."""
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # EIO: the child closed its end of the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    proc.wait(timeout=60)
    return b"".join(chunks).decode(errors="replace")

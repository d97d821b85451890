"""`figwatch check` delivers what it queued before it exits; slow or dead receivers are bounded.

Real receivers on loopback: the webhook and SMTP sinks, a webhook that answers one byte at a
time, an SMTP server that trickles its banner, and ports where nothing listens.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from pipeline.config import Config
from pipeline.demo.sinks import SmtpSink, WebhookSink
from storage.models import Change, Delivery
from tests.e2e.conftest import Clock
from tests.e2e.test_pipeline import INTRO, app_for, check, serve, toll
from tests.servers import LoopbackServer, loopback_server

TRICKLE_EVERY = 0.5  # seconds between bytes from a trickling receiver


def hook_config(
    database_url: str, site: LoopbackServer, hooks: dict[str, str], **extra: Any
) -> Config:
    return Config.model_validate(
        {
            "database": database_url,
            "sources": [{"name": "marden", "url": site.url("/news/marden")}],
            "alerts": [{"type": "webhook", "name": n, "url": u} for n, u in hooks.items()],
            "outbox": {"backoff": "30s", "max_attempts": 5},
            **extra,
        }
    )


def free_port() -> int:
    """A loopback port where nothing listens (connections are refused at once)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def trickle(handler: BaseHTTPRequestHandler, server: LoopbackServer) -> None:
    """200 and its headers at once, then the body one byte at a time until released."""
    handler.send_response(200)
    handler.send_header("Content-Length", "1000")
    handler.end_headers()
    for _ in range(1000):
        if server.release.wait(TRICKLE_EVERY):
            return
        try:
            handler.wfile.write(b"x")
            handler.wfile.flush()
        except OSError:  # the client gave up: what this receiver is for
            return


@pytest.fixture
def trickling_hook() -> Iterator[LoopbackServer]:
    with loopback_server() as server:

        class Post(BaseHTTPRequestHandler):
            pass

        def do_post(self: BaseHTTPRequestHandler) -> None:
            self.rfile.read(int(self.headers["Content-Length"]))
            server.requests.append(None)  # type: ignore[arg-type]
            trickle(self, server)

        server.httpd.RequestHandlerClass.do_POST = do_post  # type: ignore[attr-defined]
        yield server


@pytest.fixture
def trickling_smtp() -> Iterator[int]:
    """An SMTP server that sends its banner one byte at a time; yields its port."""
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            threading.Thread(target=drip, args=(conn,), daemon=True).start()

    def drip(conn: socket.socket) -> None:
        with conn:
            for byte in b"220 slow.example ESMTP" * 50:
                if stop.wait(TRICKLE_EVERY):
                    return
                try:
                    conn.sendall(bytes([byte]))
                except OSError:
                    return

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join(5)
    listener.close()


def three_changes(site: LoopbackServer, app: Any, loop: Any, clock: Clock) -> None:
    serve(site, [INTRO, toll(12, 30), "Four people are missing, the mayor said."], updated="09:00")
    assert check(app, loop).baseline
    clock.advance(minutes=10)
    serve(site, [INTRO, toll(19, 31), "Five people are missing, the mayor said."], updated="09:10")


def test_check_delivers_every_alert_it_queued_to_every_channel(
    database_url: str, site: LoopbackServer, hook: WebhookSink, clock: Clock
) -> None:
    hooks = {f"hook-{i:02d}": hook.url for i in range(50)}
    with app_for(hook_config(database_url, site, hooks), clock) as (app, loop):
        three_changes(site, app, loop, clock)
        [result] = loop.run_until_complete(app.runner.check_all(app.jobs()))
        assert (result.changes, result.alerts) == (3, 150)
        tallies = loop.run_until_complete(
            app.deliver(result.alerted, within=app.config.outbox.check_wait)
        )
    assert len(hook.wait_for(150)) == 150
    assert [(t.channel, t.sent, t.pending, t.dead) for t in tallies] == [
        (name, 3, 0, 0) for name in sorted(hooks)
    ]


def test_check_retries_what_failed_while_its_wait_allows(
    database_url: str, site: LoopbackServer, hook: WebhookSink, clock: Clock
) -> None:
    config = hook_config(
        database_url, site, {"desk-hook": hook.url}, outbox={"backoff": "30s", "check_wait": "2m"}
    )
    waited: list[float] = []

    async def sleep(seconds: float) -> None:  # the clock moves; nothing sleeps
        waited.append(seconds)
        clock.advance(seconds=seconds)

    with app_for(config, clock) as (app, loop):
        app.sleep = sleep
        three_changes(site, app, loop, clock)
        hook.set_script([500, 500, 500, 503])
        [result] = loop.run_until_complete(app.runner.check_all(app.jobs()))
        [tally] = loop.run_until_complete(
            app.deliver(result.alerted, within=config.outbox.check_wait)
        )
    assert (tally.sent, tally.pending, tally.dead) == (3, 0, 0)
    assert waited == [30.0, 60.0]  # the usual backoff: 30 s, then 60 s
    assert [r.status for r in hook.requests] == [500, 500, 500, 503, 200, 200, 200]


def test_check_exits_1_and_says_what_is_pending_when_a_receiver_is_down(
    database_url: str, site: LoopbackServer, hook: WebhookSink, smtp: SmtpSink, tmp_path: Path
) -> None:
    serve(site, [INTRO, toll(12, 30)], updated="09:00")
    config = tmp_path / "figwatch.toml"
    config.write_text(
        f"""database = "{database_url}"
[defaults]
alert_on_first_check = true
[outbox]
check_wait = "10s"
[[sources]]
name = "marden"
url = "{site.url("/news/marden")}"
[[alerts]]
name = "live-hook"
type = "webhook"
url = "{hook.url}"
[[alerts]]
name = "dead-hook"
type = "webhook"
url = "http://127.0.0.1:{free_port()}/hook"
[[alerts]]
name = "dead-mail"
type = "email"
smtp = "smtp://127.0.0.1:{free_port()}"
starttls = "off"
from = "figwatch@localhost"
to = ["desk@localhost"]
""",
        encoding="utf-8",
    )
    run = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "--config", str(config), "check"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert run.returncode == 1, run.stdout + run.stderr
    assert "marden: 2 figures, 2 changes, 6 alerts queued" in run.stdout
    assert "alerts to live-hook: 2 delivered\n" in run.stdout
    assert "alerts to dead-hook: 0 delivered, 2 pending (next try " in run.stdout
    assert "alerts to dead-mail: 0 delivered, 2 pending (next try " in run.stdout
    assert "ConnectError" in run.stdout and "ConnectionRefusedError" in run.stdout
    assert "Traceback" not in run.stderr
    assert len(hook.requests) == 2


def test_a_trickling_webhook_is_cut_at_its_deadline_and_holds_up_no_other_channel(
    database_url: str,
    site: LoopbackServer,
    hook: WebhookSink,
    trickling_hook: LoopbackServer,
    clock: Clock,
) -> None:
    hooks = {"fast-hook": hook.url, "slow-hook": trickling_hook.url("/hook")}
    config = hook_config(database_url, site, hooks, outbox={"check_wait": "1s"})
    config = config.model_copy(
        update={
            "alerts": tuple(
                a.model_copy(update={"timeout": timedelta(seconds=2)}) for a in config.alerts
            )
        }
    )
    with app_for(config, clock) as (app, loop):
        three_changes(site, app, loop, clock)
        [result] = loop.run_until_complete(app.runner.check_all(app.jobs()))
        started = time.monotonic()
        tallies = loop.run_until_complete(
            app.deliver(result.alerted, within=config.outbox.check_wait)
        )
        elapsed = time.monotonic() - started
        assert app.lease.total_seconds() > 2 * 2
    fast, slow = tallies
    assert (fast.channel, fast.sent) == ("fast-hook", 3)
    assert (slow.channel, slow.sent, slow.pending) == ("slow-hook", 0, 3)
    assert slow.last_error == "no complete answer within 2s"
    # Three attempts of at most 2 s each, one after the other; never the 500 s of the trickle.
    assert elapsed < 3 * 2 + 3
    assert len(trickling_hook.requests) == 3


def test_an_smtp_server_that_trickles_its_banner_is_cut_at_the_deadline(
    database_url: str, site: LoopbackServer, trickling_smtp: int, clock: Clock
) -> None:
    config = Config.model_validate(
        {
            "database": database_url,
            "sources": [{"name": "marden", "url": site.url("/news/marden")}],
            "alerts": [{"type": "email", "name": "slow-mail", "smtp": f"smtp://127.0.0.1:{trickling_smtp}",
                        "starttls": "off", "from": "fw@localhost", "to": ["desk@localhost"],
                        "timeout": 2}],
            "outbox": {"check_wait": "1s"},
        }
    )  # fmt: skip
    with app_for(config, clock) as (app, loop):
        three_changes(site, app, loop, clock)
        [result] = loop.run_until_complete(app.runner.check_all(app.jobs()))
        started = time.monotonic()
        [tally] = loop.run_until_complete(
            app.deliver(result.alerted, within=config.outbox.check_wait)
        )
        elapsed = time.monotonic() - started
    assert (tally.sent, tally.pending, tally.last_error) == (0, 3, "no answer within 2s")
    assert elapsed < 3 * 2 + 3  # three attempts of at most 2 s, not the 500 s of the banner


def test_one_page_stating_many_new_figures_sends_one_flood_alert(
    database_url: str, site: LoopbackServer, hook: WebhookSink, clock: Clock
) -> None:
    config = hook_config(database_url, site, {"desk-hook": hook.url}, defaults={"flood_limit": 20})
    towns = [f"Town {chr(65 + i // 26)}{chr(97 + i % 26)}" for i in range(30)]
    with app_for(config, clock) as (app, loop):
        serve(site, [INTRO, toll(12, 30)], updated="09:00")
        assert check(app, loop).baseline
        clock.advance(minutes=10)
        flood = [
            f"In {town}, {100 + i} people were killed, the governor said."
            for i, town in enumerate(towns)
        ]
        serve(site, [INTRO, toll(12, 30), *flood], updated="09:10")
        result = check(app, loop)
        assert result.changes >= 25 and result.alerts == 1
        [post] = hook.wait_for(1)
        assert post.json["type"] == "source.flood"
        assert post.json["changes"] == result.changes
        assert post.json["url"] == site.url("/news/marden")
        assert f"{result.changes} figure changes in one check" in post.json["summary"]
        with app.session_factory() as session:
            kinds = session.exec(select(Change.kind).where(Change.baseline == False)).all()  # noqa: E712
            assert sorted(set(kinds)) == ["flood", "new"] and len(kinds) == result.changes + 1
            assert len(session.exec(select(Delivery)).all()) == 1
        # A few changes later are alerted one by one again.
        clock.advance(minutes=10)
        serve(site, [INTRO, toll(13, 30), *flood], updated="09:20")
        assert check(app, loop).alerts == 1
        assert hook.wait_for(2)[1].json["type"] == "figure.changed"

"""`figwatch run` keeps every source on its schedule when checks wait for the in-flight limit.

The service runs in this process over a real SQLite file, its sources on a loopback server that
takes its time to answer; the server notes when each request came, so a skipped or late run
shows as a long gap between two requests for one page.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from sqlmodel import func, select

from pipeline.config import Config
from pipeline.demo.loopback import LoopbackHTTPServer
from pipeline.metrics import ScheduleCollector, exposition, metrics_registry
from pipeline.service import App, open_app, serve
from storage.db import make_engine, session_factory
from storage.models import Fetch, Source
from tests.servers import LoopbackServer, send_html

HTML = b"<html><body><p>Nine fishermen were reported missing after the storm.</p></body></html>"


class Arrivals:
    """A handler that answers after `hold(path)` seconds, noting when each request came and
    the most requests it served at once."""

    def __init__(self, hold: Callable[[str], float]) -> None:
        self.hold = hold
        self.times: dict[str, list[float]] = {}
        self.active = self.peak = 0
        self.lock = threading.Lock()

    def __call__(self, handler: BaseHTTPRequestHandler, server: LoopbackServer) -> None:
        with self.lock:
            self.times.setdefault(handler.path, []).append(time.monotonic())
            self.active += 1
            self.peak = max(self.peak, self.active)
        time.sleep(self.hold(handler.path))
        send_html(handler, HTML)
        with self.lock:
            self.active -= 1

    def count(self, path: str) -> int:
        with self.lock:
            return len(self.times.get(path, []))

    def gaps(self, path: str) -> list[float]:
        with self.lock:
            times = list(self.times.get(path, []))
        return [round(b - a, 2) for a, b in zip(times, times[1:], strict=False)]


def _config(tmp_path: Path, sources: list[dict[str, str]], in_flight: int) -> Config:
    return Config.model_validate(
        {
            "database": f"sqlite:///{tmp_path / 'fw.db'}",
            "defaults": {"every": "1h", "jitter": "0s"},
            "fetch": {"allow_private": True, "robots": False, "in_flight": in_flight, "workers": 0},
            "sources": sources,
        }
    )


def _run_until(config: Config, done: Callable[[], bool], timeout: float = 40) -> App:
    """Run the service until `done()` (or `timeout` seconds); the app it ran."""

    async def go() -> App:
        stop = asyncio.Event()
        async with open_app(config) as app:
            task = asyncio.create_task(serve(app, stop=stop))
            deadline = time.monotonic() + timeout
            while not done() and time.monotonic() < deadline:
                await asyncio.sleep(0.1)
            stop.set()
            await task
            return app

    return asyncio.run(go())


def _fetch_rows(config: Config) -> dict[str, int]:
    engine = make_engine(config.database)
    with session_factory(engine)() as session:
        rows = session.exec(
            select(Source.name, func.count())
            .join(Fetch, Fetch.source_id == Source.id)  # type: ignore[arg-type]
            .group_by(Source.name)
        ).all()
    engine.dispose()
    return dict(rows)


def test_a_frequent_source_keeps_its_interval_while_slow_checks_fill_the_slots(
    http_server: LoopbackServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Sixteen slow pages (half a second each) come due together and take the two check slots
    for four seconds; a page due every two seconds is still checked every two seconds. (With a
    scheduler job per source waiting on the in-flight limit, its run waited behind the slow
    ones and the next one was skipped: gaps of four seconds.)"""
    server = Arrivals(hold=lambda path: 0.5 if path.startswith("/slow") else 0.0)
    fast = http_server.add("/fast", handler=server)
    slow = [http_server.add(f"/slow{i}", handler=server) for i in range(16)]
    sources = [{"name": "fast", "url": fast, "every": "2s"}]
    sources += [{"name": f"slow{i}", "url": u, "every": "6s"} for i, u in enumerate(slow)]
    config = _config(tmp_path, sources, in_flight=2)

    def done() -> bool:  # two rounds of the slow pages, and the fast one all along
        return all(server.count(f"/slow{i}") >= 2 for i in range(16))

    with caplog.at_level(logging.INFO):
        app = _run_until(config, done)

    assert done(), server.times
    fast_gaps = server.gaps("/fast")
    assert len(fast_gaps) >= 4, fast_gaps
    # Every interval (2 s, no jitter) plus a second for waiting out one slow check in a slot.
    assert max(fast_gaps) <= 3.0, fast_gaps
    for i in range(16):
        assert max(server.gaps(f"/slow{i}")) <= 7.0, (i, server.gaps(f"/slow{i}"))
    assert server.peak <= 2  # the in-flight limit held
    assert app.schedule is not None
    assert (app.schedule.late, app.schedule.coalesced) == (0, 0)
    assert "maximum number of running instances" not in caplog.text
    # Every request the server saw was a check recorded in fetch_log.
    recorded = _fetch_rows(config)
    assert recorded == {name: server.count(f"/{name}") for name in recorded}, recorded
    assert len(recorded) == 17


def test_a_run_due_while_its_source_is_checked_runs_when_that_check_ends(
    http_server: LoopbackServer, tmp_path: Path
) -> None:
    """A page that takes longer to answer than its interval is checked again as soon as its
    check ends (the run that came due meanwhile is held, not skipped), never twice at once."""
    server = Arrivals(hold=lambda path: 1.2)
    url = http_server.add("/long", handler=server)
    config = _config(tmp_path, [{"name": "long", "url": url, "every": "1s"}], in_flight=4)

    app = _run_until(config, lambda: server.count("/long") >= 4)

    gaps = server.gaps("/long")
    assert len(gaps) >= 3, gaps
    # Back to back: each check begins as the one before ends (1.2 s), not at the next due time
    # after it (2 s: the run due meanwhile skipped).
    assert max(gaps) < 1.7, gaps
    assert server.peak == 1  # one source is never checked twice at once
    assert app.schedule is not None and app.schedule.coalesced >= 2
    assert app.schedule.late == 0  # 1.2 s apart: within the interval and LATE_TOLERANCE
    metrics = exposition(metrics_registry(ScheduleCollector(lambda: app.schedule))).decode()
    assert f"figwatch_schedule_coalesced_total {float(app.schedule.coalesced)}" in metrics
    assert "figwatch_schedule_lag_seconds_count" in metrics


def test_checks_that_cannot_keep_up_are_logged_and_counted_as_late(
    http_server: LoopbackServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Three pages due every second that each take most of a second, one check at a time: more
    than the service can do. It says so: late checks are counted and logged (once a minute at
    most), and the runs that came due meanwhile are coalesced, not queued again and again."""
    server = Arrivals(hold=lambda path: 0.8)
    urls = [http_server.add(f"/p{i}", handler=server) for i in range(3)]
    sources = [{"name": f"p{i}", "url": u, "every": "1s"} for i, u in enumerate(urls)]
    config = _config(tmp_path, sources, in_flight=1)

    with caplog.at_level(logging.INFO):
        app = _run_until(config, lambda: sum(server.count(f"/p{i}") for i in range(3)) >= 7)

    stats = app.schedule
    assert stats is not None
    assert stats.late >= 1 and stats.coalesced >= 1, stats
    late_lines = [r for r in caplog.records if "past its schedule" in r.getMessage()]
    assert len(late_lines) == 1 and late_lines[0].levelno == logging.WARNING, caplog.text
    metrics = exposition(metrics_registry(ScheduleCollector(lambda: stats))).decode()
    assert f"figwatch_schedule_late_total {float(stats.late)}" in metrics
    assert f"figwatch_schedule_lag_seconds_count {float(stats.started)}" in metrics
    assert server.peak == 1


class SlowHook:
    """A webhook receiver on 127.0.0.1 that holds each POST until `release` is set (or
    `hold` seconds), noting when each one came."""

    def __init__(self, hold: float) -> None:
        self.release = threading.Event()
        self.arrived: list[float] = []
        sink = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                sink.arrived.append(time.monotonic())
                sink.release.wait(hold)
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass

        self.httpd = LoopbackHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/hook"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()


def test_a_slow_alert_delivery_does_not_hold_up_the_checks(
    http_server: LoopbackServer, tmp_path: Path
) -> None:
    """One check slot. A story page whose toll rises raises an alert, and the webhook takes
    five seconds to answer it; a page due every second is still checked every second meanwhile.
    (When a check awaited the drain of its alerts, the delivery held the only check slot and
    the frequent page waited for the webhook: a gap of five seconds.)"""
    tolls = iter(range(10, 1000, 7))  # checked every 2 s (below): a new toll each time

    def story(handler: BaseHTTPRequestHandler, server: LoopbackServer) -> None:
        send_html(handler, f"<p>{next(tolls)} people were killed in the blast.</p>".encode())

    arrivals = Arrivals(hold=lambda path: 0.0)
    fast = http_server.add("/fast", handler=arrivals)
    hook = SlowHook(hold=5.0)
    try:
        config = Config.model_validate(
            {
                "database": f"sqlite:///{tmp_path / 'fw.db'}",
                "defaults": {"every": "1h", "jitter": "0s"},
                "fetch": {"allow_private": True, "robots": False, "in_flight": 1, "workers": 0},
                "sources": [
                    {
                        "name": "story",
                        "url": http_server.add("/story", handler=story),
                        "every": "2s",
                    },
                    {"name": "fast", "url": fast, "every": "1s"},
                ],
                "alerts": [{"type": "webhook", "name": "desk", "url": hook.url}],
            }
        )
        _run_until(config, lambda: bool(hook.arrived) and time.monotonic() > hook.arrived[0] + 4.0)
    finally:
        hook.close()

    assert hook.arrived, "the rising toll raised no alert"
    during = [t for t in arrivals.times["/fast"] if hook.arrived[0] <= t <= hook.arrived[0] + 4.0]
    # Checked about every second while the delivery waited on the webhook: not held behind it.
    assert len(during) >= 3, (during, hook.arrived)

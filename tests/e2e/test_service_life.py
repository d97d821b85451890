"""`figwatch run` as a service lives: SIGHUP reloads its config, SIGTERM ends deliveries in flight.

Real `figwatch run` processes, a news site, webhook receivers (one that answers a byte at a time)
and a SQLite file, all on loopback.
"""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import select

from pipeline.demo.sinks import WebhookSink
from storage.db import make_engine, session_factory
from storage.models import Delivery
from tests.e2e.news import page
from tests.e2e.test_delivery import trickling_hook  # noqa: F401 - a fixture
from tests.e2e.test_pipeline import INTRO, toll
from tests.servers import LoopbackServer


class Service:
    """A `figwatch run` process whose log lines a test waits for."""

    def __init__(self, config: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "pipeline.cli", "--config", str(config), "run"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=dict(os.environ),
        )  # fmt: skip
        self.lines: queue.Queue[str] = queue.Queue()
        self.log: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.lines.put(line)

    def wait_for(self, text: str, timeout: float = 30) -> str:
        """The first log line from now on that holds `text`; fails after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                break
            self.log.append(line)
            if text in line:
                return line
        raise AssertionError(f"no log line with {text!r} in {timeout}s:\n{''.join(self.log)}")

    def stop(self) -> int:
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(60)
        while not self.lines.empty():
            self.log.append(self.lines.get())
        return self.proc.returncode


@pytest.fixture
def service() -> Iterator[list[Service]]:
    started: list[Service] = []
    yield started
    for s in started:
        if s.proc.poll() is None:
            s.proc.kill()


def write(path: Path, database: Path, sources: dict[str, str], hook_url: str, **extra: str) -> Path:
    text = f'database = "sqlite:///{database}"\n[defaults]\nevery = "2s"\n'
    text += "".join(f"{k} = {v}\n" for k, v in extra.items())
    for name, url in sources.items():
        text += f'[[sources]]\nname = "{name}"\nurl = "{url}"\n'
    text += f'[[alerts]]\nname = "desk-hook"\ntype = "webhook"\nurl = "{hook_url}"\n'
    path.write_text(text, encoding="utf-8")
    return path


def test_sighup_reloads_sources_and_keeps_the_old_config_when_the_new_one_is_broken(
    site: LoopbackServer, hook: WebhookSink, tmp_path: Path, service: list[Service]
) -> None:
    for name in ("north", "south"):
        site.add(f"/{name}", page([INTRO, toll(12, 30)], updated="09:00"))
    config = tmp_path / "figwatch.toml"
    database = tmp_path / "run.db"
    write(config, database, {"north": site.url("/north")}, hook.url)
    run = Service(config)
    service.append(run)
    run.wait_for("figwatch running: 1 sources")
    run.wait_for("source north: 2 figures")

    write(config, database, {"south": site.url("/south")}, hook.url)
    run.proc.send_signal(signal.SIGHUP)
    assert "1 added, 1 removed" in run.wait_for("reload: sources")
    run.wait_for("source south: 2 figures")
    seen = len(site.requests)
    config.write_text("[[sources]]\nname = 'broken\n", encoding="utf-8")
    run.proc.send_signal(signal.SIGHUP)
    assert "the running config is kept" in run.wait_for("reload:")
    time.sleep(2.5)  # one more interval of the running config: south goes on, north stays off
    assert run.proc.poll() is None
    later = [r.path for r in site.requests[seen:]]
    assert "/south" in later and "/north" not in later
    assert run.stop() == 0
    assert "figwatch stopped" in "".join(run.log) and "Traceback" not in "".join(run.log)


def test_sigterm_ends_a_delivery_in_flight_before_saying_it_stopped(
    site: LoopbackServer,
    trickling_hook: LoopbackServer,  # noqa: F811 - the fixture
    tmp_path: Path,
    service: list[Service],
) -> None:
    site.add("/north", page([INTRO, toll(12, 30)], updated="09:00"))
    database = tmp_path / "run.db"
    config = write(
        tmp_path / "figwatch.toml", database, {"north": site.url("/north")},
        trickling_hook.url("/hook"), alert_on_first_check="true",
    )  # fmt: skip
    config.write_text(config.read_text() + 'timeout = "60s"\n', encoding="utf-8")
    run = Service(config)
    service.append(run)
    run.wait_for("source north: 2 figures")
    deadline = time.monotonic() + 10
    while not trickling_hook.requests and time.monotonic() < deadline:
        time.sleep(0.05)  # the receiver is trickling its answer to the first alert
    assert trickling_hook.requests
    stopped_at = time.monotonic()
    assert run.stop() == 0
    took = time.monotonic() - stopped_at
    log = "".join(run.log)
    assert "abandoning the deliveries in flight" in log
    assert log.index("abandoning the deliveries") < log.index("figwatch stopped")
    assert took < 15, took  # not the 60 s the attempt was allowed, nor a trickle of minutes
    posts = len(trickling_hook.requests)
    time.sleep(1)
    assert len(trickling_hook.requests) == posts  # nothing is sent after it stopped
    engine = make_engine(f"sqlite:///{database}")
    with session_factory(engine)() as session:
        rows = session.exec(select(Delivery)).all()
    engine.dispose()
    assert {r.status for r in rows} == {"pending"}  # sent after the next start, same id

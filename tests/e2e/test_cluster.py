"""Cluster mode as users run it: three `figwatch run` on one PostgreSQL database, 300 sources on
loopback checked every 10 s for two minutes while pages change, one instance killed (SIGKILL) or
paused past its heartbeat (SIGSTOP, then SIGCONT) halfway through.

What must hold, read from fetch_log and from a webhook receiver: each source checked at most once
per slot of its interval, never left unchecked longer than an interval plus the takeover, fetches
recorded in the order they started (a resumed instance's late result is dropped, not written over
a newer one), every change alerted exactly once.

These run for minutes: they are the issue's own figures, not shortened.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, text
from sqlmodel import Session, col, select

from pipeline.config import load_config
from pipeline.demo.sinks import WebhookSink
from storage.models import Change, Delivery, Fetch, Source
from tests.e2e.news import page
from tests.e2e.test_pipeline import INTRO, SECRET, toll
from tests.servers import LoopbackServer

PG_ENV = "FIGWATCH_TEST_DATABASE_URL"
SOURCES = 300
EVERY = 10  # seconds
RUN = 120.0  # seconds the three instances run
STALLED_AFTER = 6  # seconds: [cluster] stalled_after
# An instance's check in flight is taken over within stalled_after plus a sweep (a third of it)
# plus a worker's poll. When the instance that queues the checks is the one lost, the slots that
# came due meanwhile are queued at once and worked off by the rest: on this shared 2-core machine
# that took up to 13 s more (measured while the full suite ran beside it), hence the last term.
TAKEOVER = STALLED_AFTER + STALLED_AFTER / 3 + 1 + 15
STARTUP = 120.0  # seconds three instances may take to migrate and start on a loaded machine
CHANGE_EVERY = 30  # seconds between two versions of a changing page
SLOW = 4.0  # seconds a slow page takes: checks in flight for a pause to catch


@pytest.fixture
def cluster_database() -> Iterator[str]:
    """A fresh PostgreSQL database of its own (created through the `test` database, dropped
    after): procrastinate's schema lives in `public`, so a schema per test is not enough."""
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"cluster tests need PostgreSQL: set {PG_ENV}")
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    name = f"figwatch_cluster_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as e:  # noqa: BLE001 - an unreachable server is a skip, not an error
        admin.dispose()
        pytest.skip(f"PostgreSQL at {PG_ENV} is not reachable: {str(e).splitlines()[0]}")
    try:
        yield admin.url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


class Site:
    """300 pages on loopback: every 10th changes its toll every CHANGE_EVERY seconds, every
    10th (others) answers in SLOW seconds, the rest stay the same."""

    def __init__(self, server: LoopbackServer) -> None:
        self.server = server
        self.start = time.monotonic()
        for i in range(SOURCES):
            server.add(f"/p/{i}", handler=self.handler(i))

    def handler(self, i: int):  # type: ignore[no-untyped-def]
        def serve(request: BaseHTTPRequestHandler, server: LoopbackServer) -> None:
            version = int(time.monotonic() - self.start) // CHANGE_EVERY if i % 10 == 0 else 0
            if i % 10 == 5:
                time.sleep(SLOW)
            body = page([INTRO, toll(10 + i + version, 500 + version)], updated=str(version))
            data = body.encode("utf-8")
            request.send_response(200)
            request.send_header("Content-Type", "text/html; charset=utf-8")
            request.send_header("Content-Length", str(len(data)))
            request.end_headers()
            request.wfile.write(data)

        return serve


def write_config(path: Path, database: str, site: LoopbackServer, hook: WebhookSink) -> Path:
    sources = "".join(
        f'\n[[sources]]\nname = "p{i}"\nurl = "{site.url(f"/p/{i}")}"\n' for i in range(SOURCES)
    )
    path.write_text(
        f"""
database = "{database}"

[defaults]
every = "{EVERY}s"

[fetch]
per_host = 64
workers = 1

[cluster]
stalled_after = "{STALLED_AFTER}s"

[outbox]
drain_every = "2s"
backoff = "1s"

[[alerts]]
name = "desk-hook"
type = "webhook"
url = "{hook.url}"
secret = "${{HOOK_SECRET}}"
{sources}""",
        encoding="utf-8",
    )
    return path


def start(config: Path, log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "pipeline.cli", "--config", str(config), "run"],
            stdout=out, stderr=subprocess.STDOUT,
            env={**os.environ, "HOOK_SECRET": SECRET},
        )  # fmt: skip


@dataclass(frozen=True)
class Outcome:
    fetches: dict[str, list[Fetch]]  # by source name, in id order
    changes: list[int]  # ids of the changes to alert
    deliveries: list[Delivery]
    began: datetime  # when all three instances ran
    end: datetime
    event: datetime  # the kill or the pause
    pid: int  # the instance killed or paused


def run_cluster(
    tmp_path: Path, database: str, server: LoopbackServer, hook: WebhookSink, sig: signal.Signals
) -> Outcome:
    """Run three instances for RUN seconds; halfway, SIGKILL one (or SIGSTOP it for twice the
    heartbeat timeout, then SIGCONT); wait for the outbox to empty; stop the rest."""
    Site(server)
    config = write_config(tmp_path / "figwatch.toml", database, server, hook)
    engine = create_engine(database)
    logs = [tmp_path / f"instance{n}.log" for n in range(3)]
    procs = [start(config, log) for log in logs]
    try:
        _wait_until_running(logs)
        began = time.time()
        time.sleep(RUN / 2)
        event = time.time()
        os.kill(procs[0].pid, sig)
        if sig == signal.SIGSTOP:
            time.sleep(2 * STALLED_AFTER + 3)
            os.kill(procs[0].pid, signal.SIGCONT)
        time.sleep(RUN - (time.time() - began))
        ended = time.time()
        _wait_for_outbox(engine)
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
    for n, proc in enumerate(procs):
        log = (tmp_path / f"instance{n}.log").read_text(encoding="utf-8", errors="replace")
        assert "Traceback" not in log, log[-3000:]
        if not (n == 0 and sig == signal.SIGKILL):
            assert proc.returncode == 0, log[-3000:]
    with Session(engine) as session:
        fetches: dict[str, list[Fetch]] = defaultdict(list)
        rows = session.exec(select(Fetch, Source.name).join(Source).order_by(col(Fetch.id)))
        for fetch, name in rows:
            fetches[name].append(fetch)
        changes = list(session.exec(select(Change.id).where(col(Change.baseline).is_(False))))
        deliveries = list(session.exec(select(Delivery)))
    engine.dispose()
    return Outcome(
        dict(fetches), [c for c in changes if c is not None], deliveries,
        _utc(began), _utc(ended), _utc(event), procs[0].pid,
    )  # fmt: skip


def _utc(at: float) -> datetime:
    return datetime.fromtimestamp(at, UTC)


def _wait_until_running(logs: list[Path]) -> None:
    give_up = time.time() + STARTUP
    while time.time() < give_up:
        if all("figwatch running" in log.read_text(encoding="utf-8") for log in logs):
            return
        time.sleep(0.5)
    raise AssertionError("the three instances did not all start")


def _wait_for_outbox(engine: object, within: float = 90.0) -> None:
    give_up = time.time() + within
    while time.time() < give_up:
        with Session(engine) as session:  # type: ignore[arg-type]
            waiting = session.exec(
                select(func.count()).where(col(Delivery.status).in_(["pending", "sending"]))
            ).one()
        if waiting == 0:
            return
        time.sleep(1)


def check_outcome(outcome: Outcome, hook: WebhookSink, config: Path) -> float:
    """Assert the issue's guarantees; return the longest gap between two checks of a source."""
    from pipeline.cluster import slots_for

    loaded = load_config(config, env={"HOOK_SECRET": SECRET})
    assert set(outcome.fetches) == {f"p{i}" for i in range(SOURCES)}
    longest = 0.0
    settled = max(fs[0].started_at for fs in outcome.fetches.values())
    assert (settled - outcome.began).total_seconds() < RUN / 2, "the first round took too long"
    for source in loaded.sources:
        fetches = outcome.fetches[source.name]
        # Recorded in the order they started: no late result written after a newer one.
        starts = [f.started_at for f in fetches]
        assert starts == sorted(starts), source.name
        # At most one check per slot of the interval.
        slots = slots_for(loaded, source)
        per_slot = Counter(slots.latest(s.timestamp()) for s in starts)
        assert max(per_slot.values()) == 1, (source.name, per_slot.most_common(2))
        # Never unchecked longer than an interval plus the takeover, once every source had its
        # first check (the first round, every page new, is a backlog on a 2-core machine).
        times = [settled, *(s for s in starts if settled < s < outcome.end)]
        times.append(outcome.end)
        gaps = [(b - a).total_seconds() for a, b in zip(times, times[1:], strict=False)]
        longest = max(longest, *gaps)
        assert max(gaps) <= EVERY + TAKEOVER, (source.name, gaps)
    # Three instances did the checks, each fetch names its instance.
    instances = {f.instance for fs in outcome.fetches.values() for f in fs}
    assert len(instances) == 3 and None not in instances, instances
    # Every change alerted, each exactly once.
    assert len(outcome.changes) >= 2 * (SOURCES // 10) * 2, len(outcome.changes)
    assert sorted(d.change_id for d in outcome.deliveries) == sorted(outcome.changes)
    assert {d.status for d in outcome.deliveries} == {"sent"}
    received = Counter(r.headers["webhook-id"] for r in hook.requests)
    assert len(received) == len(outcome.changes)
    assert set(received.values()) == {1}, received.most_common(3)
    return longest


@pytest.mark.timeout(900)
def test_a_killed_instance_is_taken_over_each_source_once_each_change_alerted_once(
    cluster_database: str, http_server: LoopbackServer, hook: WebhookSink, tmp_path: Path
) -> None:
    outcome = run_cluster(tmp_path, cluster_database, http_server, hook, signal.SIGKILL)
    longest = check_outcome(outcome, hook, tmp_path / "figwatch.toml")
    # The killed instance checked before the kill and never after.
    killed = _instance_of(outcome.pid)
    by_killed = [f for fs in outcome.fetches.values() for f in fs if f.instance == killed]
    assert by_killed and max(f.started_at for f in by_killed) <= outcome.event
    print(f"\nSIGKILL: longest gap between two checks of a source {longest:.1f}s "
          f"(interval {EVERY}s; takeover at most {longest - EVERY:.1f}s)")  # fmt: skip


@pytest.mark.timeout(900)
def test_a_paused_instance_that_resumes_neither_overwrites_nor_alerts_twice(
    cluster_database: str, http_server: LoopbackServer, hook: WebhookSink, tmp_path: Path
) -> None:
    outcome = run_cluster(tmp_path, cluster_database, http_server, hook, signal.SIGSTOP)
    longest = check_outcome(outcome, hook, tmp_path / "figwatch.toml")
    # It held checks of slow pages when paused; the others took them over, and the results it
    # brought back late were dropped by the fencing token.
    log = (tmp_path / "instance0.log").read_text(encoding="utf-8")
    assert "a newer check took over" in log, log[-3000:]
    paused = _instance_of(outcome.pid)
    assert any(f.instance == paused and f.started_at > outcome.event
               for fs in outcome.fetches.values() for f in fs)  # fmt: skip
    print(f"\nSIGSTOP: longest gap between two checks of a source {longest:.1f}s")


def _instance_of(pid: int) -> str:
    """The name of the instance with process id `pid`: host:pid when none is configured."""
    return f"{socket.gethostname()}:{pid}"

"""Checks per second of one and of three `figwatch run` on one PostgreSQL database
(`python -m bench.cluster [--sources N] [--seconds S]`).

N small article pages are served from a temporary directory by `python -m http.server` on
127.0.0.1 (it answers If-Modified-Since with 304, as most news sites do); a tenth of them get a
new figure every 20 s, so some checks parse and record a new version. Every source is due every
2 s, more than the instances can do: the checks recorded per second is their capacity. Each run
has a fresh database (CREATE DATABASE through $FIGWATCH_BENCH_DATABASE_URL, by default the
`test` database on 127.0.0.1:5432), dropped after. Also printed: the database's commits and
row writes (inserted + updated + deleted, procrastinate's queue included) per check.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import DBAPIError

from bench.scale import _free_port, _wait_listening

ADMIN = os.environ.get(
    "FIGWATCH_BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
WARMUP = 20.0  # seconds after every instance runs before counting
CHANGING = 10  # one page in CHANGING gets a new figure every CHANGE_EVERY seconds
CHANGE_EVERY = 20.0
PAGE = (
    "<!doctype html><html><head><title>Report {i}</title></head><body><nav>Home World</nav>"
    "<article><h1>Report {i}</h1><p>Shelling struck the market of town {i} on Tuesday.</p>"
    "<p>At least {k} people were killed in the attack, officials said.</p></article>"
    "<footer>120 staff in 14 bureaus</footer></body></html>"
)


@dataclass(frozen=True)
class Measured:
    instances: int
    checks_per_s: float
    commits_per_check: float
    writes_per_check: float


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.cluster", description=__doc__)
    parser.add_argument("--sources", type=int, default=600)
    parser.add_argument("--seconds", type=float, default=40.0, help="counted, per run")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="figwatch-cluster-") as tmp:
        site = Path(tmp) / "site"
        site.mkdir()
        _write_pages(site, args.sources, version=0)
        port = _free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
            cwd=site, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        stop = threading.Event()
        changer = threading.Thread(target=_change_pages, args=(site, args.sources, stop))
        changer.start()
        try:
            _wait_listening(port)
            results = [_measure(Path(tmp), port, args.sources, n, args.seconds) for n in (1, 3)]
        finally:
            stop.set()
            changer.join()
            server.terminate()
            server.wait()
    cores = os.cpu_count() or 1
    print(f"cluster mode, {args.sources} sources due every 2 s, {cores} cores, "
          f"{args.seconds:.0f} s counted per run")  # fmt: skip
    print(f"{'instances':>9}  {'checks/s':>8}  {'commits/check':>13}  {'row writes/check':>16}")
    for m in results:
        print(f"{m.instances:>9}  {m.checks_per_s:>8.1f}  {m.commits_per_check:>13.1f}  "
              f"{m.writes_per_check:>16.1f}")  # fmt: skip
    one, three = results
    print(f"three instances: {three.checks_per_s / one.checks_per_s:.2f}x one")
    return 0


def _write_pages(site: Path, n: int, *, version: int) -> None:
    for i in range(n):
        changing = i % CHANGING == 0
        k = 10 + i + (version if changing else 0)
        if version == 0 or changing:
            (site / f"{i}.html").write_text(PAGE.format(i=i, k=k), encoding="utf-8")


def _change_pages(site: Path, n: int, stop: threading.Event) -> None:
    version = 0
    while not stop.wait(CHANGE_EVERY):
        version += 1
        _write_pages(site, n, version=version)


def _measure(tmp: Path, port: int, n: int, instances: int, seconds: float) -> Measured:
    admin = create_engine(ADMIN, isolation_level="AUTOCOMMIT")
    name = f"figwatch_bench_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = admin.url.set(database=name).render_as_string(hide_password=False)
    config = tmp / f"cluster-{instances}.toml"
    config.write_text(_config(url, port, n), encoding="utf-8")
    config.chmod(0o600)
    logs = [tmp / f"run-{instances}-{i}.log" for i in range(instances)]
    procs = [_start(config, log) for log in logs]
    engine = create_engine(url)
    try:
        _wait_running(engine, procs, logs)
        time.sleep(WARMUP)
        before, began = _counts(engine, name), time.monotonic()
        time.sleep(seconds)
        after, took = _counts(engine, name), time.monotonic() - began
    finally:
        for proc in procs:
            proc.send_signal(signal.SIGTERM)
        for proc in procs:
            proc.wait()
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()
    checks = max(after[0] - before[0], 1)
    return Measured(
        instances,
        checks / took,
        (after[1] - before[1]) / checks,
        (after[2] - before[2]) / checks,
    )


def _config(url: str, port: int, n: int) -> str:
    sources = "".join(
        f'[[sources]]\nname = "s{i}"\nurl = "http://127.0.0.1:{port}/{i}.html"\n' for i in range(n)
    )
    return (
        f'database = "{url}"\n\n[defaults]\nevery = "2s"\n\n[fetch]\nper_host = 64\n\n'
        f'[retention]\nevery = "1d"\n\n{sources}'
    )


def _start(config: Path, log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "pipeline.cli", "--config", str(config), "-q", "run"],
            stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip


def _wait_running(engine: Engine, procs: list[subprocess.Popen[bytes]], logs: list[Path]) -> None:
    """Until each instance has recorded a check (-q: the log says nothing when all is well)."""
    deadline = time.monotonic() + 180
    query = text("SELECT count(DISTINCT instance) FROM fetch_log")
    while time.monotonic() < deadline:
        if any(p.poll() is not None for p in procs):
            raise SystemExit(f"bench: an instance exited: {logs[0].read_text()[-2000:]}")
        try:
            with engine.connect() as conn:
                if conn.execute(query).scalar_one() == len(procs):
                    return
        except DBAPIError:
            pass  # not migrated yet
        time.sleep(0.5)
    raise SystemExit("bench: the instances did not start")


def _counts(engine: Engine, name: str) -> tuple[int, int, int]:
    """Fetches recorded; the database's commits and row writes so far."""
    with engine.connect() as conn:
        fetches = int(conn.execute(text("SELECT count(*) FROM fetch_log")).scalar_one())
        conn.execute(text("SELECT pg_stat_force_next_flush()"))
        commits, writes = conn.execute(
            text(
                "SELECT xact_commit, tup_inserted + tup_updated + tup_deleted "
                "FROM pg_stat_database WHERE datname = :name"
            ),
            {"name": name},
        ).one()
    return fetches, int(commits), int(writes)


if __name__ == "__main__":
    raise SystemExit(main())

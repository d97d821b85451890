"""`figwatch run` over N sources for a while (the service phase of `python -m bench.scale --run`).

Starts the service on a fresh database with every source due every `every` seconds, samples
the RSS of the service and its parsing workers, stops it with SIGTERM after `seconds`, and reads
from fetch_log whether every source was checked on its schedule: the gap between two checks of
one source must stay within its interval plus its jitter (a quarter of the interval at most).
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            text = (task / "children").read_text().split()
            found.extend(int(c) for c in text)
    except OSError:
        pass
    return found


class _Sampler(threading.Thread):
    """Peak RSS of a process alone, and with its children, sampled twice a second."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_main = 0
        self.peak_total = 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.wait(0.5):
            main = _rss_kb(self.pid)
            total = main + sum(_rss_kb(c) for c in _children(self.pid))
            self.peak_main = max(self.peak_main, main)
            self.peak_total = max(self.peak_total, total)


def measure(
    tmp: Path, urls: list[str], *, seconds: float, every: int, workers: int | None = None
) -> list[str]:
    """Run the service over `urls` for `seconds` (`workers`: its [fetch] workers, None: the
    default); the lines of its report."""
    database = tmp / "service.db"
    jitter = every // 4
    lines = [
        f'database = "sqlite:///{database}"',
        "[defaults]",
        f'every = "{every}s"',
        f'jitter = "{jitter}s"',
        "[fetch]",
        "allow_private = true",
        *([f"workers = {workers}"] if workers is not None else []),
        "",
    ]
    for i, url in enumerate(urls):
        lines += ["[[sources]]", f'name = "s{i:05d}"', f'url = "{url}"', ""]
    config = tmp / "service.toml"
    config.write_text("\n".join(lines))
    config.chmod(0o600)
    load = os.getloadavg()[0]
    started = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipeline.cli", "-q", "--config", str(config), "run"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=dict(os.environ),
    )
    sampler = _Sampler(proc.pid)
    sampler.start()
    try:
        proc.wait(seconds)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGTERM)
    assert proc.stderr is not None
    err = proc.stderr.read().decode(errors="replace")
    _pid, _status, usage = os.wait4(proc.pid, 0)
    sampler.stop.set()
    ran = time.monotonic() - started
    return [
        f"figwatch run, {len(urls)} sources every {every} s (jitter {jitter} s), "
        f"{'default' if workers is None else workers} parsing workers, {ran:.0f} s "
        f"(load average {load:.1f} at the start, {os.getloadavg()[0]:.1f} at the end):",
        f"  peak RSS: service {usage.ru_maxrss / 1024:.0f} MB; with its parsing workers "
        f"{sampler.peak_total / 1024:.0f} MB (sampled)",
        *_schedule(database, len(urls), every + jitter),
        *(
            f"  stderr: {line}"
            for line in err.strip().splitlines()[-(30 if "Traceback" in err else 3) :]
        ),
    ]


def _schedule(database: Path, n: int, allowed: int) -> list[str]:
    with sqlite3.connect(database) as db:
        rows = db.execute(
            "SELECT source_id, started_at, outcome, error_kind FROM fetch_log ORDER BY id"
        ).fetchall()
    times: dict[int, list[datetime]] = {}
    errors: dict[str, int] = {}
    for source_id, started_at, outcome, kind in rows:
        times.setdefault(source_id, []).append(datetime.fromisoformat(str(started_at)))
        if outcome == "error":
            errors[kind] = errors.get(kind, 0) + 1
    gaps = sorted(
        (b - a).total_seconds()
        for stamps in times.values()
        for a, b in zip(sorted(stamps), sorted(stamps)[1:], strict=False)
    )
    late = sum(1 for g in gaps if g > allowed + 1)  # a second for the check's own duration
    worst = gaps[-1] if gaps else 0.0
    p99 = gaps[int(len(gaps) * 0.99)] if gaps else 0.0
    # The start-up is spread over the first interval (+ jitter): each source's first check,
    # counted from the service's first one, should come within that too.
    start = min((min(t) for t in times.values()), default=None)
    firsts = sorted((min(t) - start).total_seconds() for t in times.values()) if start else []
    return [
        f"  {len(rows)} checks; {len(times)} of {n} sources checked at least once, "
        f"{sum(1 for t in times.values() if len(t) >= 2)} at least twice",
        f"  first checks: the last {firsts[-1] if firsts else 0.0:.1f} s after the first, "
        f"{sum(1 for f in firsts if f > allowed + 1)} over interval + jitter ({allowed} s)",
        f"  gaps between checks of one source: {len(gaps)}, longest {worst:.1f} s, "
        f"99th percentile {p99:.1f} s, {late} over interval + jitter ({allowed} s)",
        f"  errors: {errors or 'none'}",
    ]

"""Benchmark of the history reads on a large synthetic database (`python -m bench.views`).

Builds a SQLite file (or uses --database) of SOURCES sources × VERSIONS page versions × FIGURES
figures, with a fetch per version and a change per new value, then times what `figwatch sources`,
`figures`, `report` and the status server's `/healthz` and `/metrics` do on it. Reference in the
same run: reading every observation row with one plain SELECT.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, text
from sqlmodel import Session

from pipeline.metrics import DatabaseCollector, exposition, metrics_registry
from pipeline.report import gather, render_html
from pipeline.status import check_health
from pipeline.tracker import change_log, latest_figures, source_health, timelines
from storage.db import make_engine, migrate, session_factory
from storage.models import Change, CurrentFigure, Fetch, Observation, Source

T0 = datetime(2025, 1, 1, tzinfo=UTC)
CATEGORIES = ("killed", "wounded", "captured", "missing", "killed_or_wounded")


def build(url: str, sources: int, versions: int, figures: int) -> None:
    engine = make_engine(url)
    migrate(engine)
    with engine.begin() as conn:
        for s in range(1, sources + 1):
            conn.execute(
                insert(Source),
                [{"id": s, "name": f"source-{s:03d}", "url": f"https://s{s}.example/news",
                  "created_at": T0}],
            )  # fmt: skip
            fetches, observations, changes = [], [], []
            for v in range(versions):
                fid = (s - 1) * versions + v + 1
                at = T0 + timedelta(hours=v)
                fetches.append({"id": fid, "source_id": s, "started_at": at, "duration_ms": 80 + v,
                                "outcome": "changed" if v % 3 else "unchanged",
                                "status_code": 200})  # fmt: skip
                for f in range(figures):
                    key = f"{CATEGORIES[f % 5]}|group {f}|claimant {f % 3}"
                    value = 100 * f + v // 4
                    observations.append({
                        "fetch_id": fid, "source_id": s, "key": key, "category": CATEGORIES[f % 5],
                        "value": value, "qualifier": "exact", "subject": f"group {f}",
                        "claimant": f"claimant {f % 3}", "sentence": f"{value} in group {f}.",
                        "start": 0, "end": 1, "rule": "bench", "observed_at": at,
                    })  # fmt: skip
                    if v % 4 == 0:
                        changes.append({
                            "source_id": s, "fetch_id": fid, "key": key,
                            "kind": "new" if v == 0 else "changed", "category": CATEGORIES[f % 5],
                            "subject": f"group {f}", "claimant": f"claimant {f % 3}",
                            "old_value": value - 1 if v else None, "new_value": value,
                            "new_qualifier": "exact", "new_sentence": f"{value} in group {f}.",
                            "baseline": v == 0, "detected_at": at,
                        })  # fmt: skip
            conn.execute(insert(Fetch), fetches)
            conn.execute(insert(Observation), observations)
            conn.execute(insert(Change), changes)
            conn.execute(
                insert(CurrentFigure),
                [{"source_id": s, "key": o["key"], "category": o["category"], "value": o["value"],
                  "qualifier": "exact", "subject": o["subject"], "claimant": o["claimant"],
                  "sentence": o["sentence"], "active": True, "updated_at": o["observed_at"]}
                 for o in observations[-figures:]],
            )  # fmt: skip
    engine.dispose()


def timed(label: str, work: Callable[[], object], repeat: int = 3) -> None:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - start)
    size = len(result) if isinstance(result, list | str | bytes) else ""
    print(f"  {label:<44} {best * 1000:9.1f} ms  {size}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sources", type=int, default=100)
    parser.add_argument("--versions", type=int, default=100)
    parser.add_argument("--figures", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        start = time.perf_counter()
        build(url, args.sources, args.versions, args.figures)
        engine = make_engine(url)
        factory = session_factory(engine)
        with engine.connect() as conn:
            counts = {t: conn.execute(text(f"SELECT COUNT(*) FROM {t}")).scalar_one()
                      for t in ("source", "fetch_log", "observation", "change")}  # fmt: skip
        print(f"database: {counts} (built in {time.perf_counter() - start:.1f}s)")
        now = T0 + timedelta(days=30)
        with factory() as session:
            run(session, factory, now)
        engine.dispose()


def run(session: Session, factory: Callable[[], Session], now: datetime) -> None:
    def plain() -> list[object]:
        return list(session.connection().execute(text("SELECT * FROM observation")))

    timed("reference: SELECT * FROM observation", plain)
    timed("source_health (figwatch sources)", lambda: source_health(session=session))
    timed("latest_figures (figwatch figures)", lambda: latest_figures(session=session))
    timed("timelines", lambda: timelines(session=session))
    timed("change_log", lambda: change_log(session=session))
    timed("report: gather + render_html", lambda: render_html(gather(session=session, now=now)))
    timed("/healthz: check_health", lambda: [check_health(factory, heartbeat=now, now=now)])
    registry = metrics_registry(
        DatabaseCollector(factory, heartbeat=lambda: now, clock=lambda: now)
    )
    timed("/metrics: exposition", lambda: exposition(registry))


if __name__ == "__main__":
    main()

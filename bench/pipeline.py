"""Benchmark of whole checks (`python -m bench.pipeline [--sources N]`).

Serves the real news pages of ../shared/data/pages from a separate `http.server` process on
127.0.0.1, points N sources at them, and times, in one run:

- reference: plain httpx GETs of the same URLs, as concurrent as the checks (the fetch floor);
- first pass: full checks (fetch, article text, figures, diff, record into SQLite);
- second pass: the same checks on unchanged pages (conditional GET / body hash short-cut).

Prints pages/s and MB/s of HTML for each, and the process's peak RSS.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from pipeline.config import Config
from pipeline.service import open_app

PAGES = (Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "pages").resolve()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_listening(port: int, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)  # waiting for another process to listen
    raise SystemExit("bench: the page server did not start")


async def _reference(urls: list[str], concurrency: int) -> float:
    gate = asyncio.Semaphore(concurrency)
    async with httpx.AsyncClient(timeout=30) as client:

        async def get(url: str) -> None:
            async with gate:
                (await client.get(url)).raise_for_status()

        start = time.perf_counter()
        await asyncio.gather(*(get(u) for u in urls))
        return time.perf_counter() - start


async def _checks(config: Config) -> tuple[float, float, int]:
    async with open_app(config) as app:
        start = time.perf_counter()
        first = await app.runner.check_all(app.jobs())
        middle = time.perf_counter()
        await app.runner.check_all(app.jobs())
        end = time.perf_counter()
    errors = [r for r in first if r.outcome == "error"]
    if errors:
        raise SystemExit(f"bench: {len(errors)} checks failed, e.g. {errors[0].error}")
    return middle - start, end - middle, sum(r.figures for r in first)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.pipeline", description=__doc__)
    parser.add_argument("--sources", type=int, default=240, help="sources to check (%(default)s)")
    args = parser.parse_args(argv)
    pages = sorted(PAGES.glob("*.html"))
    if not pages:
        print(f"bench: no pages in {PAGES}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        site.mkdir()
        names = []
        for i in range(args.sources):
            page = pages[i % len(pages)]
            name = f"{i:04d}-{page.name}"
            shutil.copyfile(page, site / name)
            names.append(name)
        megabytes = sum((site / n).stat().st_size for n in names) / 1e6
        port = _free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
             "--directory", str(site)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            _wait_listening(port, server)
            urls = [f"http://127.0.0.1:{port}/{n}" for n in names]
            config = Config.model_validate(
                {
                    "database": f"sqlite:///{tmp}/bench.db",
                    "sources": [{"name": f"s{i}", "url": u} for i, u in enumerate(urls)],
                }
            )
            reference = asyncio.run(_reference(urls, concurrency=16))
            first, second, figures = asyncio.run(_checks(config))
        finally:
            server.terminate()
            server.wait(10)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    n = args.sources
    print(f"{n} sources, {megabytes:.1f} MB of HTML ({len(pages)} distinct real pages), "
          f"{figures} figures found, concurrency 16, SQLite")  # fmt: skip
    print(f"{'run':<38} {'pages/s':>9} {'MB/s':>7} {'s':>7}")
    for label, seconds in (
        ("reference: httpx GET only", reference),
        ("figwatch check, first pass (full)", first),
        ("figwatch check, unchanged pages", second),
    ):
        print(f"{label:<38} {n / seconds:>9.1f} {megabytes / seconds:>7.2f} {seconds:>7.2f}")
    print(f"peak RSS of this process: {peak_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Peak memory and time of `figwatch check` against hostile pages (`python -m bench.hostile`).

Each case is one `figwatch check` in a process of its own, over two sources served on
127.0.0.1: the case's page and an ordinary news page. Prints, per case, the child's peak RSS,
its wall time, and how each source was recorded. "normal" (the ordinary page twice) is the
level the others should stay near.
"""

from __future__ import annotations

import argparse
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from tests.bombs import GIB, deflate_of_zeros, gzip_gzip_of_zeros, gzip_of_zeros
from tests.e2e.news import page
from tests.servers import loopback_server

NEWS = page(
    ["Shelling struck the central market on Tuesday morning, officials said.",
     "At least 12 civilians were killed and 30 others were wounded, the governor said."],
    updated="09:00",
)  # fmt: skip
CASES: dict[str, tuple[str, Callable[[], bytes]]] = {
    "normal": ("", lambda: NEWS.encode()),
    "gzip, gzip of 4 GiB": ("gzip, gzip", lambda: gzip_gzip_of_zeros(4 * GIB)),
    "gzip of 2 GiB": ("gzip", lambda: gzip_of_zeros(2 * GIB)),
    "deflate of 1 GiB": ("deflate", lambda: deflate_of_zeros(GIB)),
}


def _child(config: str) -> None:
    from pipeline.cli import main

    started = time.perf_counter()
    code = main(["--config", config, "-q", "check"])
    seconds = time.perf_counter() - started
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(f"{code} {rss} {seconds:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child)
        return
    print(f"{'case':<22} {'bytes sent':>10} {'peak RSS':>10} {'seconds':>8}  outcomes")
    with loopback_server() as site, tempfile.TemporaryDirectory() as tmp:
        site.add("/news", NEWS)
        for i, (name, (encoding, make)) in enumerate(CASES.items()):
            body = make()
            headers = {"Content-Type": "text/html; charset=utf-8"}
            if encoding:
                headers["Content-Encoding"] = encoding
            url = site.add(f"/case{i}", body, headers=headers)
            db = Path(tmp) / f"case{i}.db"
            config = Path(tmp) / f"case{i}.toml"
            config.write_text(
                f'database = "sqlite:///{db}"\n'
                f'[[sources]]\nname = "case"\nurl = "{url}"\n'
                f'[[sources]]\nname = "news"\nurl = "{site.url("/news")}"\n'
            )
            out = subprocess.run(
                [sys.executable, "-m", "bench.hostile", "--child", str(config)],
                capture_output=True, text=True, check=False,
            )  # fmt: skip
            if len(out.stdout.split()) < 3:  # the check itself died (MemoryError, killed)
                last = (out.stderr.strip().splitlines() or ["?"])[-1]
                print(f"{name:<22} {len(body):>10} crashed, exit {out.returncode}: {last}")
                continue
            code, rss, seconds = out.stdout.split()[-3:]
            with sqlite3.connect(db) as conn:
                rows = conn.execute(
                    "SELECT s.name, f.outcome, f.error_kind FROM fetch_log f "
                    "JOIN source s ON s.id = f.source_id ORDER BY s.name"
                ).fetchall()
            outcomes = ", ".join(f"{s}: {k or o}" for s, o, k in rows)
            print(f"{name:<22} {len(body):>10} {int(rss) / 1024:>8.1f}MB {seconds:>8}  {outcomes}")


if __name__ == "__main__":
    main()

"""Make the README's screenshots: `python docs/screenshots.py` (needs Debian's `chromium`).

docs/report.png is the report of the demo's database; docs/sources.png is `figwatch sources`
on it, with one source whose server refuses connections and one never checked, drawn as a
terminal (the command's real output, set in a monospace page and shot by headless Chromium).
"""

from __future__ import annotations

import contextlib
import html
import io
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

from pipeline.cli import main
from pipeline.demo.run import run_demo

DOCS = Path(__file__).resolve().parent
TERMINAL = """<!DOCTYPE html><html><head><meta charset="utf-8"><style>
body {{ margin: 0; background: #1e1e1e; }}
pre {{ margin: 0; padding: 14px 16px; color: #d4d4d4; font: 14px/1.35 "DejaVu Sans Mono",
      monospace; white-space: pre; }}
.prompt {{ color: #6a9955; }}
</style></head><body><pre><span class="prompt">$</span> {command}
{output}</pre></body></html>"""


def shoot(page: Path, png: Path, width: int, height: int, profile: Path) -> None:
    chromium = shutil.which("chromium")
    if chromium is None:
        sys.exit("chromium is not installed (apt-get install -y chromium)")
    subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", f"--user-data-dir={profile}", f"--window-size={width},{height}",
         f"--screenshot={png}", page.as_uri()],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip


def run(*args: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        main(list(args))
    return out.getvalue()


def make() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        database = folder / "figwatch-demo.db"
        run_demo(database, out=io.StringIO())
        with sqlite3.connect(database) as db:
            demo = db.execute("SELECT name, url FROM source ORDER BY name").fetchall()
        sources = "".join(f'[[sources]]\nname = "{n}"\nurl = "{u}"\n' for n, u in demo)
        config = folder / "figwatch.toml"
        config.write_text(
            f'database = "sqlite:///{database}"\n[defaults]\nevery = "15m"\n{sources}'
            '[[sources]]\nname = "kharkiv-ministry"\n'
            'url = "http://127.0.0.1:9/news/toll?token=s3cret"\nevery = "10m"\n'
            '[[sources]]\nname = "oblast-feed"\nurl = "https://example.org/feed"\n'
            'cron = "*/30 * * * *"\n',
            encoding="utf-8",
        )
        for _ in range(3):
            run("--config", str(config), "check", "--source", "kharkiv-ministry")
        output = run("--config", str(config), "sources")
        terminal = folder / "terminal.html"
        terminal.write_text(
            TERMINAL.format(command="figwatch sources", output=html.escape(output.rstrip())),
            encoding="utf-8",
        )
        lines = output.count("\n") + 1
        shoot(terminal, DOCS / "sources.png", 720, 28 + 19 * lines, folder / "profile")
        report = folder / "report.html"
        run("--config", str(config), "report", "--html", str(report))
        shoot(report, DOCS / "report.png", 900, 1500, folder / "profile")
    print(f"wrote {DOCS / 'sources.png'} and {DOCS / 'report.png'}")


if __name__ == "__main__":
    make()

"""The demo's report in a real browser: headless Chromium (Debian's `chromium`) loads the file.

The DOM it builds must hold every chart and the change log, show page text as text, and the
page must ask for nothing outside itself. The screenshot is kept in `artifacts/` (ignored by
git) for a person to look at. Skipped, with the reason, where chromium is not installed.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from pipeline.cli import main
from pipeline.demo.run import run_demo
from storage.db import make_engine
from tests.pipeline.ledger import T0, Ledger
from tests.report.test_report import HOSTILE, external_requests
from tests.servers import LoopbackServer, loopback_server

CHROMIUM = shutil.which("chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (apt-get install -y chromium)"
)


def chromium(profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    return subprocess.run(
        [
            CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--disable-extensions", f"--user-data-dir={profile}", *args,
        ],
        capture_output=True, text=True, timeout=90,
    )  # fmt: skip


@pytest.fixture(scope="module")
def beacon() -> Iterator[LoopbackServer]:
    """A server on loopback the hostile text points at: any request to it is a leak."""
    with loopback_server() as server:
        yield server


@pytest.fixture(scope="module")
def report(
    tmp_path_factory: pytest.TempPathFactory, beacon: LoopbackServer
) -> tuple[Path, BeautifulSoup]:
    """The report of the demo's database, plus one hostile page the demo does not have."""
    folder = tmp_path_factory.mktemp("browser")
    hostile = (
        f'{HOSTILE}<img src="{beacon.url("/img")}"><link rel="stylesheet" '
        f'href="{beacon.url("/css")}"><iframe src="{beacon.url("/frame")}"></iframe>'
    )
    database = folder / "figwatch-demo.db"
    assert run_demo(database, out=io.StringIO()) == 0
    engine = make_engine(f"sqlite:///{database}")
    Ledger(engine).page(
        "hostile",
        T0 + timedelta(days=1),
        [("killed|people|", 12, "killed", "people", None, f"{hostile} 12 people were killed.")],
    )
    engine.dispose()
    html = folder / "report.html"
    assert main(["report", "--database", f"sqlite:///{database}", "--html", str(html)]) == 0
    return html, BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")


def test_chromium_renders_every_chart_and_the_change_log(
    report: tuple[Path, BeautifulSoup], beacon: LoopbackServer, tmp_path: Path
) -> None:
    html, written = report
    done = chromium(tmp_path / "profile", "--dump-dom", html.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    dom = BeautifulSoup(done.stdout, "html.parser")
    figures = written.select("article.figure")
    assert len(figures) >= 10  # the demo's figure identities, and the hostile page's
    assert len(dom.select("article.figure svg.chart")) == len(figures)
    for figure in figures:
        shown = dom.find("article", id=figure["id"])
        assert shown is not None and shown.select("svg.chart circle"), figure["data-identity"]
    assert len(dom.select("#changes tbody tr")) == len(written.select("#changes tbody tr")) > 10
    names = {a.get_text() for a in dom.select("#sources tbody td:first-child a")}
    assert names == {"demo-brenn-pass-prisoners", "demo-saldera-aid-convoy",
                     "demo-tolvik-market-strike", "hostile"}  # fmt: skip
    # Page text stays text: no element came out of the hostile sentence.
    assert not dom.find_all("script") and not dom.find_all("img")
    assert any(HOSTILE in q.get_text() for q in dom.find_all("q"))
    assert external_requests(str(dom)) == []
    assert beacon.requests == []  # the browser asked nothing of the URLs in the page text


def test_chromium_screenshot_is_kept(report: tuple[Path, BeautifulSoup], tmp_path: Path) -> None:
    html, _ = report
    shot = tmp_path / "report.png"
    done = chromium(
        tmp_path / "profile", "--window-size=1000,2200", f"--screenshot={shot}", html.as_uri()
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(shot, ARTIFACTS / "report.png")
    shutil.copy(html, ARTIFACTS / "report.html")

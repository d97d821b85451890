"""`figwatch report --html`: one self-contained page, every page-derived string escaped."""

from __future__ import annotations

import io
import os
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import Engine
from sqlmodel import Session

from pipeline.demo.sinks import SmtpSink, WebhookSink
from pipeline.progress import progress
from pipeline.report import CSP, gather, render_html
from pipeline.report.chart import _nice
from tests.e2e.conftest import Clock
from tests.e2e.news import page
from tests.e2e.test_pipeline import app_for, check, config_for
from tests.pipeline.ledger import standard
from tests.servers import LoopbackServer

HOSTILE = '<script>alert("x")</script><img src="https://evil.example/t.png">'
NOW = datetime(2025, 1, 20, 12, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> Clock:
    return Clock()


def external_requests(html: str) -> list[str]:
    """Every URL the page would load by itself (scripts, styles, images, fonts, frames...)."""
    soup = BeautifulSoup(html, "html.parser")
    found = [str(tag) for tag in soup.find_all(["script", "iframe", "object", "embed", "link"])]
    for tag in soup.find_all(["img", "source", "video", "audio", "image", "use"]):
        for attr in ("src", "srcset", "href", "xlink:href", "poster"):
            value = tag.get(attr)
            if value and not str(value).startswith(("data:", "#")):
                found.append(f"{tag.name} {attr}={value}")
    for style in [s.get_text() for s in soup.find_all("style")] + [
        str(t.get("style")) for t in soup.find_all(style=True)
    ]:
        found += re.findall(r"url\([^)]*\)|@import[^;]*", style)
    return found


def test_report_shows_a_hostile_page_as_text(
    database_url: str,
    http_server: LoopbackServer,
    smtp: SmtpSink,
    hook: WebhookSink,
    clock: Clock,
) -> None:
    http_server.add(
        "/news/marden",
        page([f"{HOSTILE} At least 12 civilians were killed, governor Ilse Brandt said."],
             updated="09:00"),
    )  # fmt: skip
    config = config_for(database_url, http_server, smtp, hook)
    with app_for(config, clock) as (app, loop):
        assert check(app, loop).figures == 1
        with app.session_factory() as session:
            html = render_html(gather(session=session, now=clock()))
    assert "<script" not in html and 'src="https://evil' not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    soup = BeautifulSoup(html, "html.parser")
    assert not soup.find_all("script") and not soup.find_all("img")
    assert any(HOSTILE in q.get_text() for q in soup.find_all("q"))
    assert external_requests(html) == []


@pytest.fixture
def ledger_html(engine: Engine) -> str:
    standard(engine)
    with Session(engine) as session:
        return render_html(gather(session=session, now=NOW))


def test_report_has_a_chart_per_figure_health_and_change_log(ledger_html: str) -> None:
    soup = BeautifulSoup(ledger_html, "html.parser")
    figures = soup.select("article.figure")
    assert [f["data-identity"] for f in figures] == [
        "killed|soldiers|ministry",
        "wounded|villagers|",
    ]
    soldiers = figures[0]
    assert soldiers.select_one("svg.chart") is not None
    assert len(soldiers.select("svg.chart circle")) == 3  # alpha 10, beta 11, alpha 12
    links = [a["href"] for a in soldiers.select("svg.chart a")]
    assert links == ["#f1-1", "#f1-2", "#f1-3"]
    evidence = soldiers.select_one("#f1-3")
    assert evidence is not None and "The ministry said 12 soldiers" in evidence.get_text()
    assert evidence.select_one("a")["href"] == "https://alpha.example/news"  # type: ignore[index]
    villagers = figures[1]
    assert "more than 30" in villagers.get_text()
    assert villagers.select_one("svg .mark").get_text() == "▲"  # type: ignore[union-attr]
    rows = soup.select("#sources tbody tr")
    assert rows[0].get_text(" ").split()[:2] == ["alpha", "failing"]
    assert "HTTP 502 from the server" in rows[1].get_text()
    changes = soup.select("#changes tbody tr")
    assert len(changes) == 4 and "gamma" in changes[0].get_text()  # newest first


def test_report_is_self_contained_and_hides_secrets(ledger_html: str) -> None:
    soup = BeautifulSoup(ledger_html, "html.parser")
    csp = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
    assert csp is not None and csp["content"] == CSP
    assert soup.find("meta", attrs={"name": "viewport"}) is not None
    assert external_requests(ledger_html) == []
    assert "s3cret" not in ledger_html and "token=***" in ledger_html


def test_report_command_writes_the_file(
    database_url: str, engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from pipeline.cli import main

    standard(engine)
    out = tmp_path / "report.html"
    assert (
        main(["report", "--database", database_url, "--html", str(out), "--source", "gamma"]) == 0
    )
    html = out.read_text(encoding="utf-8")
    assert "villagers" in html and "killed|soldiers" not in html
    err = capsys.readouterr().err
    assert err.strip() == f"{out}: 1 figure timeline, 3 sources, 1 change"  # no progress bar


def test_progress_draws_on_a_terminal_only() -> None:
    quiet = io.StringIO()
    with progress(total=3, desc="report", stream=quiet) as bar:
        bar.update(3)
    assert quiet.getvalue() == ""
    leader, follower = os.openpty()
    os.set_blocking(leader, False)  # an empty terminal fails the test instead of hanging it
    try:
        with open(follower, "w") as tty:
            with progress(total=3, desc="report", stream=tty) as bar:
                bar.update(3)
            tty.flush()
            drawn = os.read(leader, 4096).decode()
    finally:
        os.close(leader)
    assert "report:" in drawn and "0/3" in drawn  # drawn, then cleared (leave=False)


@pytest.mark.parametrize(("value", "top"), [(1, 1), (11, 20), (33, 50), (2100, 2500), (0.5, 1)])
def test_chart_axis_tops_are_round(value: float, top: int) -> None:
    assert _nice(value) == top

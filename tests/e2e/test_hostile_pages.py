"""Hostile pages through the whole check, on SQLite and PostgreSQL: each is recorded as an error
of the right kind, nothing of it is stored, and the other sources of the pass carry on."""

from __future__ import annotations

import time
import tracemalloc
import zlib
from typing import Any, TypeVar

from sqlmodel import SQLModel, select

from pipeline.config import Config
from pipeline.demo.sinks import SmtpSink, WebhookSink
from pipeline.runner import CheckResult
from storage.db import make_engine, session_factory
from storage.models import Change, Document, Fetch
from tests.bombs import GIB, deflate_of_zeros, gzip_gzip_of_zeros, gzip_of_zeros
from tests.e2e.conftest import Clock
from tests.e2e.news import page
from tests.e2e.test_pipeline import INTRO, app_for, check, config_for, serve, toll
from tests.pipeline.handlers import stall, trickle
from tests.servers import LoopbackServer

PEAK_LIMIT = 50 * 1024 * 1024
Row = TypeVar("Row", bound=SQLModel)


def _with_sources(config: Config, urls: dict[str, str], **settings: Any) -> Config:
    template = config.sources[0]
    sources = tuple(template.model_copy(update={"name": n, "url": u}) for n, u in urls.items())
    return config.model_copy(update={"sources": sources, **settings})


def _check_all(config: Config, clock: Clock) -> dict[str, CheckResult]:
    with app_for(config, clock) as (app, loop):
        return {r.source: r for r in loop.run_until_complete(app.check())}


def _rows(database_url: str, model: type[Row]) -> list[Row]:
    engine = make_engine(database_url)
    try:
        with session_factory(engine)() as session:
            return list(session.exec(select(model)).all())
    finally:
        engine.dispose()


def test_decompression_bombs_end_too_large_and_the_other_source_is_recorded(
    database_url: str, site: LoopbackServer, smtp: SmtpSink, hook: WebhookSink, clock: Clock
) -> None:
    bombs = {
        "gzip-gzip": (gzip_gzip_of_zeros(4 * GIB), "gzip, gzip"),
        "gzip": (gzip_of_zeros(2 * GIB), "gzip"),
        "deflate": (deflate_of_zeros(GIB), "deflate"),
    }
    urls = {"good": site.add("/good", page([INTRO, toll(12, 30)], updated="09:00"))}
    for name, (body, encoding) in bombs.items():
        urls[name] = site.add(
            f"/{name}", body, headers={"Content-Type": "text/html", "Content-Encoding": encoding}
        )
    config = _with_sources(config_for(database_url, site, smtp, hook), urls)
    tracemalloc.start()
    started = time.perf_counter()
    try:
        results = _check_all(config, clock)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    print(f"\none pass, 3 bombs + 1 page: peak {peak / 2**20:.1f} MiB, "
          f"{time.perf_counter() - started:.2f} s")  # fmt: skip
    assert results["good"].outcome == "changed" and results["good"].figures == 2
    for name in bombs:
        assert results[name].error_kind == "too_large" and not results[name].transient, name
    assert peak < PEAK_LIMIT
    fetches = _rows(database_url, Fetch)
    assert sorted(f.error_kind or f.outcome for f in fetches) == [
        "changed", "too_large", "too_large", "too_large",
    ]  # fmt: skip
    assert len(_rows(database_url, Document)) == 1


def test_redirect_to_an_internal_address_is_refused_and_nothing_of_it_stored(
    database_url: str,
    site: LoopbackServer,
    smtp: SmtpSink,
    hook: WebhookSink,
    clock: Clock,
    connects: list[str],
) -> None:
    site.add("/admin", "<html><body><p>api_key=s3cr3t. 40 soldiers were killed.</p></body></html>")
    site.add("/story", status=302, headers={"Location": site.url("/admin")})
    site.add("/meta", status=301, headers={"Location": "http://169.254.169.254/latest/"})
    urls = {
        "story": f"http://localhost:{site.port}/story",  # a name, redirected to 127.0.0.1
        "meta": f"http://localhost:{site.port}/meta",
        "good": site.add("/good", page([INTRO, toll(12, 30)], updated="09:00")),
    }
    config = _with_sources(config_for(database_url, site, smtp, hook), urls)
    results = _check_all(config, clock)
    for name, address in (("story", "loopback address 127.0.0.1"),
                          ("meta", "link-local address 169.254.169.254")):  # fmt: skip
        assert results[name].error_kind == "blocked_address", name
        assert not results[name].transient and address in (results[name].error or "")
    assert results["good"].figures == 2
    assert "/admin" not in [r.path for r in site.requests]
    assert "169.254.169.254" not in connects
    documents = _rows(database_url, Document)
    assert len(documents) == 1 and b"s3cr3t" not in zlib.decompress(documents[0].text_z)
    errors = [f for f in _rows(database_url, Fetch) if f.outcome == "error"]
    assert [f.error_kind for f in errors] == ["blocked_address", "blocked_address"]
    assert all("s3cr3t" not in (f.error or "") for f in errors)


def test_hidden_casualty_sentence_gives_no_figure_and_no_alert(
    database_url: str, site: LoopbackServer, smtp: SmtpSink, hook: WebhookSink, clock: Clock
) -> None:
    config = config_for(database_url, site, smtp, hook)
    with app_for(config, clock) as (app, loop):
        serve(site, [INTRO, toll(12, 30)], updated="09:00")
        assert check(app, loop).figures == 2
        clock.advance(minutes=10)
        hidden = (
            f'<div style="display: none"><p>{toll(300, 500)}</p></div>'
            f'<p aria-hidden="true">At least 70 soldiers were captured, the army said.</p>'
            f"<p hidden>Another 9 people are missing.</p>"
        )
        visible = page([INTRO, toll(12, 30)], updated="09:00")
        site.add("/news/marden", visible.replace("</article>", hidden + "</article>"))
        result = check(app, loop)
        assert (result.outcome, result.changes, result.alerts) == ("unchanged", 0, 0)
        loop.run_until_complete(app.drain())
    assert hook.requests == [] and smtp.messages == []
    assert len(_rows(database_url, Change)) == 2  # the baseline's two figures only


def test_hostile_pages_that_already_held_are_recorded_on_every_database(
    database_url: str, site: LoopbackServer, smtp: SmtpSink, hook: WebhookSink, clock: Clock
) -> None:
    """Slow bodies, redirect loops, file:// redirects, 410 and 404: each an error of its kind."""
    site.add("/stall", handler=stall)
    site.add("/trickle", handler=trickle)
    site.add("/loop", status=302, headers={"Location": "/loop"})
    site.add("/file", status=302, headers={"Location": "file:///etc/passwd"})
    site.add("/gone", "<p>gone</p>", status=410)
    names = ["stall", "trickle", "loop", "file", "gone", "missing"]
    urls = {n: site.url(f"/{n}") for n in names}
    urls["good"] = site.add("/good", page([INTRO, toll(12, 30)], updated="09:00"))
    config = _with_sources(
        config_for(database_url, site, smtp, hook),
        urls,
        defaults=Config.model_validate({"defaults": {"timeout": "1s"}}).defaults,
    )
    started = time.perf_counter()
    results = _check_all(config, clock)
    print(f"\nhostile pass: {time.perf_counter() - started:.2f} s")
    kinds = {n: (results[n].error_kind, results[n].transient) for n in names}
    assert kinds == {
        "stall": ("timeout", True),
        "trickle": ("timeout", True),
        "loop": ("too_many_redirects", False),
        "file": ("invalid_url", False),
        "gone": ("http_status", False),
        "missing": ("http_status", False),
    }
    assert results["good"].figures == 2
    assert "/etc/passwd" not in [r.path for r in site.requests]
    fetches = _rows(database_url, Fetch)
    assert sorted(f.outcome for f in fetches) == ["changed"] + ["error"] * 6
    assert len(_rows(database_url, Document)) == 1


def test_a_body_that_is_not_text_is_a_decode_error_and_the_other_source_is_recorded(
    database_url: str, site: LoopbackServer, smtp: SmtpSink, hook: WebhookSink, clock: Clock
) -> None:
    """The body is decoded in the parsing worker, not while fetching: a page of control bytes
    labelled text/html still ends as the fetch error "decode", with fetch_page's message."""
    garbage = site.add(
        "/garbage", bytes(range(1, 32)) * 2000, headers={"Content-Type": "text/html"}
    )
    good = site.add("/good", page([INTRO, toll(12, 30)], updated="09:00"))
    urls = {"garbage": garbage, "good": good}
    config = _with_sources(config_for(database_url, site, smtp, hook), urls)
    results = _check_all(config, clock)
    assert (results["garbage"].error_kind, results["garbage"].transient) == ("decode", False)
    assert results["good"].outcome == "changed" and results["good"].figures == 2
    [error] = [f for f in _rows(database_url, Fetch) if f.outcome == "error"]
    assert error.error == f"body from {garbage} does not decode as text (declared charset None)"
    assert error.status_code == 200
    assert len(_rows(database_url, Document)) == 1

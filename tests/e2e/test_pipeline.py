"""The whole pipeline against real servers on loopback: site, SMTP, webhook, database."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select
from standardwebhooks import Webhook

from pipeline import parsing
from pipeline.config import Config
from pipeline.demo.sinks import SmtpSink, WebhookSink
from pipeline.figures import Figure
from pipeline.runner import CheckResult
from pipeline.service import App, open_app
from storage.db import make_engine, session_factory
from storage.models import Change, Delivery, Fetch
from tests.e2e.conftest import Clock
from tests.e2e.news import page
from tests.servers import LoopbackServer

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
INTRO = "Shelling struck the central market of Marden on Tuesday morning, officials said."
TRAPS = (
    "The army said it had deployed 4,000 soldiers to the region on March 3. "
    "A 19-year-old volunteer was among the first to help."
)


def toll(killed: int, wounded: int) -> str:
    return (
        f"At least {killed} civilians were killed and {wounded} others were wounded in the attack, "
        "governor Ilse Brandt said."
    )


def config_for(
    database_url: str, site: LoopbackServer, smtp: SmtpSink, hook: WebhookSink, **extra: Any
) -> Config:
    return Config.model_validate(
        {
            "database": database_url,
            "sources": [{"name": "marden", "url": site.url("/news/marden")}],
            "alerts": [
                {"type": "webhook", "name": "desk-hook", "url": hook.url, "secret": SECRET},
                {"type": "email", "name": "desk-mail", "smtp": smtp.url, "starttls": "off",
                 "from": "figwatch@localhost", "to": ["desk@localhost"]},
            ],
            "outbox": {"backoff": "30s", "max_attempts": 5},
            **extra,
        }
    )  # fmt: skip


@contextmanager
def app_for(config: Config, clock: Clock) -> Iterator[tuple[App, asyncio.AbstractEventLoop]]:
    loop = asyncio.new_event_loop()
    manager = open_app(config, clock=clock)
    app = loop.run_until_complete(manager.__aenter__())
    try:
        yield app, loop
    finally:
        loop.run_until_complete(manager.__aexit__(None, None, None))
        loop.close()


def check(app: App, loop: asyncio.AbstractEventLoop) -> CheckResult:
    [result] = loop.run_until_complete(app.check())
    return result


def serve(site: LoopbackServer, paragraphs: list[str], **page_args: Any) -> None:
    site.add("/news/marden", page(paragraphs, **page_args))


def test_baseline_change_layout_only_and_retries(
    database_url: str, site: LoopbackServer, smtp: SmtpSink, hook: WebhookSink, clock: Clock
) -> None:
    config = config_for(database_url, site, smtp, hook)
    with app_for(config, clock) as (app, loop):
        serve(site, [INTRO, toll(12, 30), TRAPS], updated="09:00 UTC", rotate=0)
        first = check(app, loop)
        assert (first.outcome, first.baseline, first.alerts) == ("changed", True, 0)
        assert first.figures == 2  # killed 12, wounded 30; no trap, no most-read headline
        assert hook.requests == [] and smtp.messages == []

        # v2: one figure changed, most-read box rotated -> one POST and one email, for that figure
        clock.advance(minutes=10)
        serve(site, [INTRO, toll(19, 30), TRAPS], updated="09:10 UTC", rotate=2)
        second = check(app, loop)
        assert (second.outcome, second.changes, second.alerts) == ("changed", 1, 2)
        [post] = hook.wait_for(1)
        [mail] = smtp.wait_for(1)
        body = Webhook(SECRET).verify(post.body, post.headers)
        assert body["type"] == "figure.changed"
        assert body["source"] == "marden" and body["url"] == site.url("/news/marden")
        assert (body["figure"]["category"], body["figure"]["value"]) == ("killed", 19)
        assert body["figure"]["qualifier"] == "at_least"
        assert body["previous"]["value"] == 12
        assert "19 civilians" in body["figure"]["sentence"]
        assert body["detected_at"] == "2025-01-14T09:20:00Z"
        assert "12" in mail["Subject"] and "19" in mail["Subject"]
        assert site.url("/news/marden") in mail.get_body(("plain",)).get_content()

        # v3: only the layout, timestamp and most-read box change -> nothing
        clock.advance(minutes=10)
        serve(site, [INTRO, toll(19, 30), TRAPS], updated="09:20 UTC", rotate=4, layout="v2")
        third = check(app, loop)
        assert (third.changes, third.alerts) == (0, 0)  # the byline time is article text
        assert len(hook.requests) == 1 and len(smtp.messages) == 1

        # v4: the webhook answers 500 twice, then 200 -> delivered once; email once
        hook.set_script([500, 500])
        clock.advance(minutes=10)
        serve(site, [INTRO, toll(19, 35), TRAPS], updated="09:30 UTC", rotate=1)
        assert check(app, loop).changes == 1
        assert len(smtp.wait_for(2)) == 2
        for _ in range(3):
            clock.advance(minutes=5)
            loop.run_until_complete(app.drain())
        statuses = [r.status for r in hook.requests]
        assert statuses == [200, 500, 500, 200]
        assert hook.requests[1].headers["webhook-id"] == hook.requests[3].headers["webhook-id"]
        assert json.loads(hook.requests[3].body)["figure"]["value"] == 35
        with app.session_factory() as session:
            rows = session.exec(select(Delivery).order_by(Delivery.id)).all()
            assert [(d.channel, d.status, d.attempts) for d in rows] == [
                ("desk-hook", "sent", 1), ("desk-mail", "sent", 1),
                ("desk-hook", "sent", 3), ("desk-mail", "sent", 1),
            ]  # fmt: skip
            kinds = session.exec(select(Change.kind, Change.baseline).order_by(Change.id)).all()
            assert kinds == [("new", True), ("new", True), ("changed", False), ("changed", False)]


def test_bad_pages_are_recorded_and_other_sources_carry_on(
    database_url: str, site: LoopbackServer, smtp: SmtpSink, hook: WebhookSink, clock: Clock
) -> None:
    site.add("/good", page([INTRO, toll(12, 30)], updated="09:00"))
    site.add("/image", b"\x89PNG\r\n\x1a\n" + b"\0" * 100, headers={"Content-Type": "image/png"})
    site.add("/huge", b"<p>" + b"x" * 6_000_000, headers={"Content-Type": "text/html"})
    site.add("/garbled", bytes(range(256)) * 40, headers={"Content-Type": "text/html"})
    site.add("/gone", "<p>gone</p>", status=404)
    names = ["good", "image", "huge", "garbled", "gone"]
    config = config_for(database_url, site, smtp, hook)
    config = config.model_copy(
        update={"sources": tuple(
            config.sources[0].model_copy(update={"name": n, "url": site.url(f"/{n}")})
            for n in names
        )}
    )  # fmt: skip
    with app_for(config, clock) as (app, loop):
        results = {r.source: r for r in loop.run_until_complete(app.check())}
    assert results["good"].outcome == "changed" and results["good"].figures == 2
    assert results["image"].error_kind == "not_html"
    assert results["huge"].error_kind == "too_large"
    assert results["garbled"].outcome == "error"
    assert results["gone"].error_kind == "http_status" and not results["gone"].transient
    engine = make_engine(database_url)
    with session_factory(engine)() as session:
        fetches = session.exec(select(Fetch)).all()
    engine.dispose()
    assert sorted(f.outcome for f in fetches) == ["changed", "error", "error", "error", "error"]
    assert all(f.error for f in fetches if f.outcome == "error")


def test_a_bug_on_one_page_is_recorded_and_the_others_go_on(
    tmp_path: Path,
    site: LoopbackServer,
    smtp: SmtpSink,
    hook: WebhookSink,
    clock: Clock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = parsing.find_figures

    def fragile(text: str, **kwargs: Any) -> list[Figure]:
        if "BOOM" in text:
            raise RecursionError("too deep")
        return real(text, **kwargs)

    monkeypatch.setattr(parsing, "find_figures", fragile)
    site.add("/good", page([INTRO, toll(12, 30)], updated="09:00"))
    site.add("/bad", page([INTRO, "BOOM " + toll(1, 2)], updated="09:00"))
    config = config_for(f"sqlite:///{tmp_path / 'fw.db'}", site, smtp, hook)
    config = config.model_copy(
        update={"sources": tuple(
            config.sources[0].model_copy(update={"name": n, "url": site.url(f"/{n}")})
            for n in ("good", "bad")
        ),
        # parsed in this process: the patched extractor is not in the parsing workers
        "fetch": config.fetch.model_copy(update={"workers": 0})}
    )  # fmt: skip
    with app_for(config, clock) as (app, loop):
        results = {r.source: r for r in loop.run_until_complete(app.check())}
    assert results["good"].figures == 2
    assert results["bad"].error_kind == "internal"
    assert "RecursionError: too deep" in (results["bad"].error or "")


def test_two_checks_of_one_source_at_once_record_its_changes_once(
    database_url: str, site: LoopbackServer, smtp: SmtpSink, hook: WebhookSink, clock: Clock
) -> None:
    config = config_for(database_url, site, smtp, hook)
    serve(site, [INTRO, toll(12, 30)], updated="09:00")
    with app_for(config, clock) as (app, loop):
        [job] = app.jobs()
        results = loop.run_until_complete(app.runner.check_all([job, job, job]))
        assert sum(r.changes for r in results) == 2  # the baseline, recorded by one of them
        serve(site, [INTRO, toll(19, 30)], updated="09:10")
        results = loop.run_until_complete(app.runner.check_all([job, job, job]))
        assert sum(r.changes for r in results) == 1
        assert sum(r.alerts for r in results) == 2  # one per channel
        with app.session_factory() as session:
            assert len(session.exec(select(Change)).all()) == 3


def test_a_new_version_is_stored_whole(
    database_url: str, site: LoopbackServer, smtp: SmtpSink, hook: WebhookSink, clock: Clock
) -> None:
    # The fetch row of a new version is written from column values and its text arrives
    # compressed by the parsing worker: every column is still filled, and the stored text is
    # the article's.
    import zlib

    from pipeline.text import article_text
    from storage.models import Document
    from storage.texthash import text_hash

    config = config_for(database_url, site, smtp, hook)
    with app_for(config, clock) as (app, loop):
        serve(site, [INTRO, toll(12, 30), TRAPS], updated="09:00 UTC", rotate=0)
        assert check(app, loop).outcome == "changed"
        with app.session_factory() as session:
            [fetch] = session.exec(select(Fetch)).all()
            [document] = session.exec(select(Document)).all()
        expected = article_text(page([INTRO, toll(12, 30), TRAPS], updated="09:00 UTC", rotate=0))
        assert (fetch.outcome, fetch.status_code, fetch.error, fetch.error_kind) == (
            "changed", 200, None, None,
        )  # fmt: skip
        assert fetch.final_url == site.url("/news/marden")
        assert fetch.body_bytes and fetch.body_bytes > 1000 and len(fetch.body_hash or "") == 64
        assert fetch.document_id == document.id and fetch.instance == app.runner.instance
        assert fetch.duration_ms is not None and fetch.duration_ms >= 0
        assert zlib.decompress(document.text_z).decode() == expected.text
        assert document.text_hash == text_hash(expected.text)
        assert document.title == expected.title


def test_a_pass_starts_its_parsing_workers_before_its_first_page(
    database_url: str, site: LoopbackServer, smtp: SmtpSink, hook: WebhookSink, clock: Clock
) -> None:
    # A pass with a source never read (its page is parsed for sure) starts them as it reads
    # the sources' state, not when the first page is handed over: here the page is missing, so
    # none ever is. Each worker has loaded the parser and the extractor before it is given a
    # page. (A pass over sources read before starts none up front: test_cli's unchanged check.)
    from concurrent.futures import ProcessPoolExecutor

    from tests.pipeline.test_parsing import loaded_in_worker

    config = config_for(database_url, site, smtp, hook)
    config = config.model_copy(update={"fetch": config.fetch.model_copy(update={"workers": 1})})
    with app_for(config, clock) as (app, loop):
        assert app.runner._cpu is None
        [result] = loop.run_until_complete(app.runner.check_all(app.jobs()))
        assert (result.outcome, result.error_kind) == ("error", "http_status")
        pool = app.runner._cpu
        assert isinstance(pool, ProcessPoolExecutor)
        assert pool.submit(loaded_in_worker).result(timeout=60) == (True, True)


def test_an_app_opened_for_checks_on_a_new_database_starts_its_parsing_workers_as_it_opens(
    tmp_path: Path, site: LoopbackServer, smtp: SmtpSink, hook: WebhookSink
) -> None:
    # open_app(parsing=True) (`check`, `run`) on a database not yet migrated (a first check:
    # every page is parsed) starts them before it migrates, so their start-up overlaps the
    # migration. On a current database it leaves them to the pass (an unchanged pass starts
    # none); other commands (reprocess, tests) start none.
    from concurrent.futures import ProcessPoolExecutor

    config = config_for(f"sqlite:///{tmp_path / 'new.db'}", site, smtp, hook)
    config = config.model_copy(update={"fetch": config.fetch.model_copy(update={"workers": 1})})

    async def pools() -> tuple[object, object, object]:
        async with open_app(config, parsing=True) as app:
            new = app.runner._cpu
        async with open_app(config, parsing=True) as app:
            current = app.runner._cpu
        async with open_app(config) as app:
            return new, current, app.runner._cpu

    new, current, other = asyncio.run(pools())
    assert isinstance(new, ProcessPoolExecutor)
    assert current is None and other is None


def test_a_new_versions_fetch_row_has_the_columns_of_the_orm_row() -> None:
    # _record_version writes its fetch row from column values: the same values, for every
    # column, as the Fetch object the other outcomes build (so a new column is not forgotten).
    from datetime import UTC, datetime

    from pipeline.fetch import Page
    from pipeline.runner import Runner, _Start, _with_page
    from storage import hotpath

    runner = Runner(None, None, None, lambda: datetime.now(UTC), instance="host:7")  # type: ignore[arg-type]
    fetched = Page(
        "http://a.test/x", "http://a.test/y", 200, False, None, "utf-8", "text/html",
        '"e1"', "Tue, 14 Jan 2025 09:00:00 GMT", "ab" * 32, 1234, 5,
    )  # fmt: skip
    started = _Start(datetime(2025, 1, 14, 9, tzinfo=UTC))
    values = runner._page_values(3, started, fetched, "changed")
    orm = hotpath.row_values(_with_page(runner._fetch_row(3, started, "changed"), fetched))
    assert set(values) == {c.name for c in hotpath.FETCH.columns} - {"id"}
    assert values.pop("duration_ms") <= orm.pop("duration_ms")
    assert values == orm

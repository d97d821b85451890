"""Polite fetching against real servers on loopback: per-host limit and delay, retries honouring
Retry-After, robots.txt; and the service's bounded start-up."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
import stamina.instrumentation
from sqlmodel import select

from pipeline import service
from pipeline.config import Config
from pipeline.fetch import FetchError, FetchSettings, HostRules, make_client
from pipeline.polite import PoliteFetcher
from pipeline.service import open_app, serve
from storage.db import make_engine, session_factory
from storage.models import Fetch
from tests.servers import LoopbackServer, send_html

HTML = "<html><body><p>Forty-two soldiers were wounded in the attack, officials said.</p></body>"
SETTINGS = FetchSettings(connect_timeout=2.0, read_timeout=5.0, total_timeout=10.0)


class Concurrency:
    """A handler that holds each request a moment and records the most served at once."""

    def __init__(self, hold: float = 0.2) -> None:
        self.hold = hold
        self.active = 0
        self.peak = 0
        self.served = 0
        self.lock = threading.Lock()
        self.all_served = threading.Event()
        self.expected = 0

    def __call__(self, handler: BaseHTTPRequestHandler, server: LoopbackServer) -> None:
        with self.lock:
            self.active += 1
            self.peak = max(self.peak, self.active)
        time.sleep(self.hold)  # a slow page: requests overlap unless the client holds back
        send_html(handler, HTML.encode())
        with self.lock:
            self.active -= 1
            self.served += 1
            if self.served >= self.expected:
                self.all_served.set()


async def _fetch_all(settings: FetchSettings, urls: list[str], **kw: object) -> list[object]:
    async with make_client(settings) as client:
        fetcher = PoliteFetcher(client, settings, **kw)  # type: ignore[arg-type]
        return await asyncio.gather(
            *(fetcher.fetch(u, previous=None) for u in urls), return_exceptions=True
        )


def test_requests_to_one_host_are_limited_to_per_host(http_server: LoopbackServer) -> None:
    counter = Concurrency()
    urls = [http_server.add(f"/p{i}", handler=counter) for i in range(10)]
    settings = replace(SETTINGS, per_host=2, robots=False)
    results = asyncio.run(_fetch_all(settings, urls))
    assert all(not isinstance(r, BaseException) for r in results), results
    assert counter.peak == 2  # two at once, never more


def test_a_source_may_set_its_own_per_host(http_server: LoopbackServer) -> None:
    counter = Concurrency()
    urls = [http_server.add(f"/p{i}", handler=counter) for i in range(6)]
    rules = {u: HostRules(per_host=1, robots=False) for u in urls}
    settings = replace(SETTINGS, per_host=4, robots=False, rules_by_url=rules)
    asyncio.run(_fetch_all(settings, urls))
    assert counter.peak == 1


def test_requests_to_one_host_start_host_delay_apart(http_server: LoopbackServer) -> None:
    urls = [http_server.add(f"/p{i}", HTML) for i in range(3)]
    now = [100.0]
    slept: list[float] = []

    async def sleep(seconds: float) -> None:  # the clock moves only when the fetcher waits
        slept.append(seconds)
        now[0] += seconds

    settings = replace(SETTINGS, host_delay=5.0, robots=False)
    results = asyncio.run(_fetch_all(settings, urls, clock=lambda: now[0], sleep=sleep))
    assert all(not isinstance(r, BaseException) for r in results), results
    assert slept == [5.0, 5.0]  # the second and third each waited the delay
    assert len(http_server.requests) == 3


@pytest.fixture
def retries_seen() -> Iterator[list[stamina.instrumentation.RetryDetails]]:
    seen: list[stamina.instrumentation.RetryDetails] = []
    before = stamina.instrumentation.get_on_retry_hooks()
    stamina.instrumentation.set_on_retry_hooks([seen.append])
    yield seen
    stamina.instrumentation.set_on_retry_hooks(before)


def test_503_with_retry_after_is_retried_after_that_wait_then_200(
    http_server: LoopbackServer, retries_seen: list[stamina.instrumentation.RetryDetails]
) -> None:
    calls = []

    def flaky(handler: BaseHTTPRequestHandler, server: LoopbackServer) -> None:
        calls.append(1)
        status, body = (503, b"busy") if len(calls) == 1 else (200, HTML.encode())
        handler.send_response(status)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Content-Length", str(len(body)))
        if status == 503:
            handler.send_header("Retry-After", "1")
        handler.end_headers()
        handler.wfile.write(body)

    url = http_server.add("/flaky", handler=flaky)
    ticks = []  # another task of the event loop, running while the fetch waits to retry

    async def fetch_while_ticking() -> list[object]:
        async def tick() -> None:
            while True:
                ticks.append(len(calls))
                await asyncio.sleep(0.05)

        ticking = asyncio.create_task(tick())
        try:
            return await _fetch_all(replace(SETTINGS, robots=False), [url])
        finally:
            ticking.cancel()

    [page] = asyncio.run(fetch_while_ticking())
    assert not isinstance(page, BaseException), page
    assert page.status_code == 200 and page.html == HTML  # type: ignore[attr-defined]
    assert len(calls) == 2
    assert [r.wait_for for r in retries_seen] == [1.0]  # Retry-After, not the backoff
    # The wait held up nothing else: the other task ran between the 503 and the retry.
    assert ticks.count(1) > 1


def test_a_transient_error_every_time_is_tried_retries_plus_one_times_then_raised(
    http_server: LoopbackServer, retries_seen: list[stamina.instrumentation.RetryDetails]
) -> None:
    """The first attempt runs outside stamina; the retries are stamina's all the same: as many
    as configured, each scheduled with its wait (Retry-After: 0 here), then the last error."""
    url = http_server.add("/busy", "busy", status=503, headers={"Retry-After": "0"})
    [error] = asyncio.run(_fetch_all(replace(SETTINGS, robots=False, retries=2), [url]))
    assert isinstance(error, FetchError) and error.status_code == 503 and error.transient
    assert len(http_server.requests) == 3
    assert [r.retry_num for r in retries_seen] == [1, 2]
    assert [r.wait_for for r in retries_seen] == [0.0, 0.0]


def test_permanent_errors_are_not_retried(
    http_server: LoopbackServer, retries_seen: list[stamina.instrumentation.RetryDetails]
) -> None:
    url = http_server.add("/gone", "no", status=404)
    [error] = asyncio.run(_fetch_all(replace(SETTINGS, robots=False), [url]))
    assert isinstance(error, FetchError) and error.status_code == 404
    assert len(http_server.requests) == 1 and retries_seen == []


ROBOTS = "User-agent: *\nDisallow: /private/\n"


def test_robots_txt_disallowed_path_is_not_fetched(http_server: LoopbackServer) -> None:
    http_server.add("/robots.txt", ROBOTS, headers={"Content-Type": "text/plain"})
    secret = http_server.add("/private/story", HTML)
    public = http_server.add("/news/story", HTML)
    error, page = asyncio.run(_fetch_all(SETTINGS, [secret, public]))
    assert isinstance(error, FetchError) and error.kind == "robots"
    assert "robots.txt" in str(error) and not error.transient
    assert not isinstance(page, BaseException)
    paths = [r.path for r in http_server.requests]
    assert "/private/story" not in paths
    assert paths.count("/robots.txt") == 1  # cached for the host
    assert all(r.headers["user-agent"].startswith("figwatch/") for r in http_server.requests)


def test_a_source_may_ignore_robots_txt(http_server: LoopbackServer) -> None:
    http_server.add("/robots.txt", ROBOTS, headers={"Content-Type": "text/plain"})
    secret = http_server.add("/private/story", HTML)
    settings = replace(SETTINGS, rules_by_url={secret: HostRules(robots=False)})
    [page] = asyncio.run(_fetch_all(settings, [secret]))
    assert not isinstance(page, BaseException), page
    assert [r.path for r in http_server.requests] == ["/private/story"]


def _config(database_url: str, urls: list[str], **fetch: object) -> Config:
    return Config.model_validate(
        {
            "database": database_url,
            "defaults": {"every": "2s"},
            "fetch": {"allow_private": True, "contact": "https://desk.example.org/", **fetch},
            "sources": [{"name": f"s{i}", "url": u} for i, u in enumerate(urls)],
        }
    )


def test_a_robots_refusal_is_recorded_as_its_own_error_kind(
    http_server: LoopbackServer, database_url: str
) -> None:
    http_server.add("/robots.txt", ROBOTS, headers={"Content-Type": "text/plain"})
    url = http_server.add("/private/story", HTML)

    async def go() -> list[object]:
        async with open_app(_config(database_url, [url], workers=0)) as app:
            return list(await app.check())

    [result] = asyncio.run(go())
    assert result.error_kind == "robots"  # type: ignore[attr-defined]
    engine = make_engine(database_url)
    with session_factory(engine)() as session:
        [row] = session.exec(select(Fetch)).all()
    engine.dispose()
    assert (row.outcome, row.error_kind) == ("error", "robots")
    assert [r.path for r in http_server.requests] == ["/robots.txt"]
    assert "desk.example.org" in http_server.requests[0].headers["user-agent"]


def test_service_start_up_keeps_checks_in_flight_within_the_limit(
    http_server: LoopbackServer, tmp_path: Path
) -> None:
    counter = Concurrency(hold=0.3)
    counter.expected = 12
    urls = [http_server.add(f"/s{i}", handler=counter) for i in range(12)]
    config = _config(f"sqlite:///{tmp_path / 'fw.db'}", urls, in_flight=3, workers=0)

    async def go() -> None:
        stop = asyncio.Event()
        async with open_app(config) as app:
            task = asyncio.create_task(serve(app, stop=stop))
            await asyncio.to_thread(counter.all_served.wait, 60)
            stop.set()
            await task

    asyncio.run(go())
    assert counter.served >= 12  # every source was checked
    assert 1 <= counter.peak <= 3  # never more than in_flight at once


def test_sigterm_with_checks_queued_stops_without_a_traceback(
    http_server: LoopbackServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Two checks hang at a stalled site, the others wait for their turn: on stop the hung
    ones are abandoned after the grace, the waiting ones never start, and nothing is logged
    as an error (the scheduler used to log each cancelled job with its traceback)."""
    monkeypatch.setattr(service, "STOP_GRACE", 0.5)
    unstick = threading.Event()
    held = threading.Semaphore(0)

    def stalled(handler: BaseHTTPRequestHandler, server: LoopbackServer) -> None:
        held.release()
        unstick.wait(30)
        handler.send_response(503)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    urls = [http_server.add(f"/s{i}", handler=stalled) for i in range(8)]
    config = _config(f"sqlite:///{tmp_path / 'fw.db'}", urls, in_flight=2, workers=0)

    async def go() -> None:
        stop = asyncio.Event()
        async with open_app(config) as app:
            task = asyncio.create_task(serve(app, stop=stop))
            for _ in range(2):
                assert await asyncio.to_thread(held.acquire, True, 30)
            stop.set()
            await task

    try:
        with caplog.at_level(logging.INFO):
            asyncio.run(go())
    finally:
        unstick.set()
    assert "unfinished checks" in caplog.text  # the two hung ones, and any queued
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text
    assert "Traceback" not in caplog.text and "CancelledError" not in caplog.text
    assert len([r for r in http_server.requests if r.path.startswith("/s")]) == 2

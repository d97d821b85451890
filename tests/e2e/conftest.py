"""End-to-end fixtures: a news site, an SMTP sink and a webhook receiver, all real, on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from pipeline.demo.sinks import SmtpSink, WebhookSink
from tests.pipeline.conftest import LoopbackServer


class Clock:
    """A clock the test moves by hand: backoff and leases are passed, never slept through."""

    def __init__(self) -> None:
        self.now = datetime(2025, 1, 14, 9, 10, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def site() -> Iterator[LoopbackServer]:
    server = LoopbackServer()
    server.thread.start()
    try:
        yield server
    finally:
        server.httpd.shutdown()
        server.httpd.server_close()


@pytest.fixture
def smtp() -> Iterator[SmtpSink]:
    with SmtpSink() as sink:
        yield sink


@pytest.fixture
def hook() -> Iterator[WebhookSink]:
    with WebhookSink() as sink:
        yield sink

"""End-to-end fixtures: a hand-moved clock and the news site (tests/conftest.py has the sinks)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.servers import LoopbackServer


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
def site(http_server: LoopbackServer) -> LoopbackServer:
    """The news site the sources point at."""
    return http_server

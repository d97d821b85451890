"""Polite fetching: a limit on requests at once and a least delay between requests to one host,
robots.txt (protego, cached per host), and transient errors retried within the check (stamina),
honouring Retry-After. `PoliteFetcher.fetch` wraps `fetch_page` with all three.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx
import stamina
from protego import Protego

from alerts.redact import mask_url
from pipeline.addresses import POLICY_EXTENSION, AddressPolicy
from pipeline.fetch import (
    FetchError,
    FetchSettings,
    HostRules,
    Page,
    Validators,
    fetch_page,
)

ROBOTS_TTL = 3600.0  # seconds a host's robots.txt is kept
ROBOTS_RETRY = 300.0  # ... and an unreachable one is taken as "allow all"
MAX_RETRY_AFTER = 30.0  # a longer Retry-After is not waited for within the check
ROBOTS_MAX_BYTES = 500_000  # Google reads the first 500 KiB
# Transient failures worth another try within the check; other statuses wait for the next run.
_RETRY_STATUSES = frozenset({429, 502, 503, 504})


@dataclass
class _Host:
    gate: asyncio.Semaphore
    next_start: float = 0.0
    pacing: asyncio.Lock = field(default_factory=asyncio.Lock)
    robots_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    robots: Protego | None = None
    robots_until: float = float("-inf")


def retry_wait(error: Exception) -> bool | float:
    """stamina's backoff hook: retry transient fetch errors (timeouts, resets, 429, 502-504);
    a Retry-After in seconds replaces the backoff, one over MAX_RETRY_AFTER ends the retries."""
    if not isinstance(error, FetchError) or not error.transient:
        return False
    if error.kind == "http_status" and error.status_code not in _RETRY_STATUSES:
        return False
    if error.retry_after is not None:
        return error.retry_after if error.retry_after <= MAX_RETRY_AFTER else False
    return True


class PoliteFetcher:
    """Fetches through one client, keeping per-host gates and robots.txt for all checks."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        settings: FetchSettings,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.client = client
        self.settings = settings
        self._clock = clock
        self._sleep = sleep
        self._hosts: dict[str, _Host] = {}

    async def fetch(self, url: str, *, previous: Validators | None, decode: bool = True) -> Page:
        """fetch_page with the host's limits, robots.txt and retries. Raises FetchError, kind
        "robots" for a path robots.txt disallows (never fetched)."""
        rules = self.settings.rules_for(url)
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}".lower()
        host = self._hosts.get(origin)
        if host is None:
            host = self._hosts[origin] = _Host(asyncio.Semaphore(rules.per_host))
        if rules.robots and parts.scheme in ("http", "https") and parts.hostname:
            fresh = self._clock() < host.robots_until  # no lock to read a fresh one
            robots = host.robots if fresh else await self._robots(host, origin, url, rules)
            if robots is not None and not robots.can_fetch(url, self._agent):
                raise FetchError(
                    "robots",
                    f"robots.txt of {origin} disallows {mask_url(url)} "
                    "(set robots = false on the source to fetch it anyway)",
                    transient=False,
                    url=mask_url(url),
                )
        # The first attempt runs without stamina: nearly every fetch succeeds at once, and a
        # retry context costs about a twentieth of a conditional GET. A transient failure goes
        # to stamina as its first attempt, so the backoff, Retry-After, the hooks and the
        # number of attempts are stamina's, as if it had run from the start.
        try:
            return await self._attempt(host, rules, url, previous, decode)
        except FetchError as e:
            if self.settings.retries <= 0 or retry_wait(e) is False:
                raise
            failed: FetchError | None = e
        # async for: the backoff sleeps without holding up the event loop (a plain `for` waits
        # in time.sleep, stopping every other check of the process meanwhile).
        async for attempt in stamina.retry_context(
            on=retry_wait,
            attempts=self.settings.retries + 1,
            timeout=self.settings.total_timeout * (self.settings.retries + 1),
            wait_initial=0.5,
            wait_max=10.0,
        ):
            with attempt:
                if failed is not None:
                    error, failed = failed, None
                    raise error
                return await self._attempt(host, rules, url, previous, decode)
        raise AssertionError("unreachable: stamina re-raises the last error")

    async def _attempt(
        self, host: _Host, rules: HostRules, url: str, previous: Validators | None, decode: bool
    ) -> Page:
        """One fetch_page in the host's limits."""
        async with host.gate:
            if rules.delay > 0:
                await self._pace(host, rules)
            return await fetch_page(
                self.client, url, previous=previous, settings=self.settings, decode=decode
            )

    @property
    def _agent(self) -> str:
        return "figwatch"

    @asynccontextmanager
    async def _slot(self, host: _Host, rules: HostRules) -> AsyncIterator[None]:
        async with host.gate:
            if rules.delay > 0:
                await self._pace(host, rules)
            yield

    async def _pace(self, host: _Host, rules: HostRules) -> None:
        """Wait until `rules.delay` has passed since the host's last request started."""
        async with host.pacing:
            wait = host.next_start - self._clock()
            if wait > 0:
                await self._sleep(wait)
            host.next_start = self._clock() + rules.delay

    async def _robots(self, host: _Host, origin: str, url: str, rules: HostRules) -> Protego | None:
        """The host's parsed robots.txt (None: none, or unreachable: everything allowed)."""
        async with host.robots_lock:  # one fetch of robots.txt per host, not one per source
            if self._clock() < host.robots_until:
                return host.robots
            host.robots, ttl = await self._fetch_robots(host, origin, url, rules)
            host.robots_until = self._clock() + ttl
            return host.robots

    async def _fetch_robots(
        self, host: _Host, origin: str, url: str, rules: HostRules
    ) -> tuple[Protego | None, float]:
        policy = AddressPolicy.for_url(url, allow_private=self.settings.allows_private(url))
        body = b""
        try:
            async with (
                self._slot(host, rules),
                asyncio.timeout(self.settings.total_timeout),
                self.client.stream(
                    "GET", origin + "/robots.txt", extensions={POLICY_EXTENSION: policy}
                ) as response,
            ):
                status = response.status_code
                if status == 200:
                    async for chunk in response.aiter_bytes():
                        body += chunk
                        if len(body) >= ROBOTS_MAX_BYTES:
                            break
        except Exception:  # noqa: BLE001 - unreachable (any way): allowed, asked again soon
            return None, ROBOTS_RETRY
        if status >= 500:
            return None, ROBOTS_RETRY
        if status != 200:
            return None, ROBOTS_TTL  # no robots.txt: everything allowed
        return Protego.parse(body[:ROBOTS_MAX_BYTES].decode("utf-8", "replace")), ROBOTS_TTL

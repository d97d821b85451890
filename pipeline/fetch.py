"""Fetch one page: conditional GET, size cap, charset decoding, errors that say transient or not.

The fetch is the first stage of a check. An unchanged page (304, or a body whose sha256 equals
the last one) comes back as `Page(not_modified=True, html=None)`, so it costs no parsing.
The body is read raw and decoded here in bounded steps (pipeline.decompress), so the size cap
holds on decoded bytes as they are produced; every connection, redirects included, goes
through the address check of pipeline.addresses.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import metadata
from urllib.parse import urlsplit

import httpx

from alerts.redact import mask_url, mask_urls_in
from pipeline.addresses import (
    POLICY_EXTENSION,
    AddressPolicy,
    BlockedAddress,
    GuardedTransport,
    Resolver,
    system_resolver,
)
from pipeline.charset import decode_body, looks_like_text, parse_content_type
from pipeline.config import Config
from pipeline.decompress import ACCEPT_ENCODING, ContentDecodingError, decoder_for


def _version() -> str:
    try:
        return metadata.version("figwatch")
    except metadata.PackageNotFoundError:  # running from a checkout that is not installed
        return "0.1.0"


_HOME = "https://github.com/figwatch/figwatch"
USER_AGENT = f"figwatch/{_version()} (+{_HOME})"  # [fetch] contact replaces the URL

# Media types we parse. Anything else (images, PDF, octet-stream, ...) is "not_html".
_TEXT_TYPES = frozenset(
    {"text/html", "application/xhtml+xml", "text/plain", "text/xml", "application/xml"}
)


@dataclass(frozen=True, slots=True)
class HostRules:
    """How one source's host is treated: requests at once, least seconds between two request
    starts, whether robots.txt is honoured."""

    per_host: int = 4
    delay: float = 0.0
    robots: bool = True


@dataclass(frozen=True, slots=True)
class Validators:
    """What the last successful fetch of the source returned."""

    etag: str | None
    last_modified: str | None
    body_hash: str | None  # sha256 hex of the raw body


@dataclass(frozen=True, slots=True)
class FetchSettings:
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    total_timeout: float = 60.0  # wall-clock cap for the whole fetch (asyncio.timeout)
    max_bytes: int = 5_000_000  # stream and stop reading past this
    user_agent: str = USER_AGENT
    max_redirects: int = 10
    # Internal addresses (loopback, private, link-local, ...) other than the configured URL's
    # own host: refused unless allowed, for all sources or per configured URL.
    allow_private: bool = False
    allow_private_by_url: Mapping[str, bool] = field(default_factory=dict)
    # Politeness (pipeline.polite): requests at once to one host, least seconds between two,
    # robots.txt honoured; per configured URL when a source says otherwise.
    per_host: int = 4
    host_delay: float = 0.0
    robots: bool = True
    rules_by_url: Mapping[str, HostRules] = field(default_factory=dict)
    retries: int = 2  # further attempts after a transient error, within one check

    def allows_private(self, url: str) -> bool:
        """Whether the source configured with `url` may reach any internal address."""
        return self.allow_private_by_url.get(url, self.allow_private)

    def rules_for(self, url: str) -> HostRules:
        """The host rules of the source configured with `url`."""
        found = self.rules_by_url.get(url)
        return found or HostRules(self.per_host, self.host_delay, self.robots)


@dataclass(frozen=True, slots=True)
class Page:
    url: str
    final_url: str
    status_code: int
    not_modified: bool  # 304, or body_hash equal to previous.body_hash
    html: str | None  # decoded text; None when not_modified, or when fetched with decode=False
    encoding: str | None
    content_type: str | None
    etag: str | None
    last_modified: str | None
    body_hash: str | None
    body_bytes: int
    elapsed_ms: int
    # decode=False: the body as it came (Content-Encoding undone) and the charset its
    # Content-Type declares, for `decode_page` elsewhere (a parsing worker); else None.
    body: bytes | None = None
    charset: str | None = None


class FetchError(Exception):
    """A fetch that gave no page.

    `kind` is one of "timeout", "connect", "http_status", "too_many_redirects", "too_large",
    "not_html", "decode", "invalid_url", "blocked_address". `transient` says whether a later
    retry can help (timeouts, network errors, 408, 429, 5xx). `str(e)` is one line, with
    secrets in the URL redacted. `retry_after` holds a Retry-After header in seconds when the
    server sent one.
    """

    def __init__(
        self,
        kind: str,
        message: str,
        *,
        transient: bool,
        status_code: int | None = None,
        url: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.kind = kind
        self.transient = transient
        self.status_code = status_code
        self.url = url
        self.retry_after = retry_after


def settings_for(config: Config) -> FetchSettings:
    """The fetch settings a config asks for: [defaults] limits, [fetch] and per-source rules."""
    d, f = config.defaults, config.fetch
    agent = USER_AGENT if f.contact is None else USER_AGENT.replace(_HOME, str(f.contact))
    return FetchSettings(
        total_timeout=d.timeout.total_seconds(),
        max_bytes=d.max_bytes,
        user_agent=d.user_agent or agent,
        allow_private=f.allow_private,
        allow_private_by_url={
            source.url: config.schedule_for(source).allow_private for source in config.sources
        },
        per_host=f.per_host,
        host_delay=f.host_delay.total_seconds(),
        robots=f.robots,
        retries=f.retries,
        rules_by_url={
            str(s.url): HostRules(
                s.per_host or f.per_host,
                (f.host_delay if s.host_delay is None else s.host_delay).total_seconds(),
                f.robots if s.robots is None else s.robots,
            )
            for s in config.sources
            if (s.per_host, s.host_delay, s.robots) != (None, None, None)
        },
    )


class _Cookies(httpx.Cookies):
    """The client's cookies, kept as httpx keeps them; a response that sets none (nearly every
    page, and every 304) is not wrapped for http.cookiejar, which costs about a tenth of a
    conditional GET's CPU."""

    def extract_cookies(self, response: httpx.Response) -> None:
        if "set-cookie" in response.headers:  # Set-Cookie2 is ignored by default anyway
            super().extract_cookies(response)


def make_client(
    settings: FetchSettings, *, resolver: Resolver = system_resolver
) -> httpx.AsyncClient:
    """Return an AsyncClient configured with the settings' timeouts, redirects and User-Agent,
    whose connections go through the address check (names resolved by `resolver`).

    The caller owns the client (use it as an async context manager, or `await client.aclose()`).
    Proxy variables in the environment are not used: a proxy would connect where it liked.
    """
    timeout = httpx.Timeout(
        connect=settings.connect_timeout,
        read=settings.read_timeout,
        write=settings.read_timeout,
        pool=settings.connect_timeout,
    )
    client = httpx.AsyncClient(
        timeout=timeout,
        follow_redirects=True,
        max_redirects=settings.max_redirects,
        transport=GuardedTransport(resolver=resolver),
        headers={
            "User-Agent": settings.user_agent,
            "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.5",
            "Accept-Encoding": ACCEPT_ENCODING,  # only what decodes in bounded memory
        },
    )
    # httpx takes no Cookies subclass through its arguments (it copies them into a new one).
    client._cookies = _Cookies(client.cookies.jar)
    return client


async def fetch_page(
    client: httpx.AsyncClient,
    url: str,
    *,
    previous: Validators | None,
    settings: FetchSettings,
    decode: bool = True,
) -> Page:
    """GET `url` (conditionally, given `previous`) and return the page, decoded; with
    `decode=False` a changed body comes back undecoded in `Page.body`, for `decode_page`.

    Raises FetchError for an invalid URL, a timeout (connect, read, or `total_timeout` for the
    whole fetch), a network error, an HTTP error status, too many redirects, a redirect to an
    internal address the settings do not allow, a body larger than `max_bytes` once decoded, a
    content type that is not HTML or text, or a body that does not decode.
    """
    shown = mask_url(url)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise _fail("invalid_url", f"invalid URL {shown!r}: need http(s)://host/...", shown)
    headers: dict[str, str] = {}
    if previous is not None:
        if previous.etag:
            headers["If-None-Match"] = previous.etag
        if previous.last_modified:
            headers["If-Modified-Since"] = previous.last_modified
    started = time.perf_counter()
    try:
        policy = AddressPolicy.for_url(url, allow_private=settings.allows_private(url))
        async with asyncio.timeout(settings.total_timeout):
            return await _fetch(
                client, url, shown, headers, previous, settings, policy,
                started=started, decode=decode,
            )  # fmt: skip
    except FetchError:
        raise
    except BlockedAddress as e:
        raise _fail(
            "blocked_address",
            f"refused to follow {shown} to {e.host}: {e.kind} address {e.address} "
            "(set allow_private = true to allow internal addresses)",
            shown,
        ) from None
    except ContentDecodingError as e:
        raise _fail("decode", f"{e} from {shown}", shown) from None
    except TimeoutError:
        raise _fail(
            "timeout",
            f"timed out after {settings.total_timeout:g} s (total) fetching {shown}",
            shown,
            transient=True,
        ) from None
    except httpx.TimeoutException as e:
        what = type(e).__name__.removesuffix("Timeout").lower() or "request"
        raise _fail("timeout", f"{what} timeout fetching {shown}", shown, transient=True) from None
    except httpx.TooManyRedirects:
        raise _fail(
            "too_many_redirects",
            f"more than {settings.max_redirects} redirects from {shown}",
            shown,
        ) from None
    except (httpx.InvalidURL, httpx.UnsupportedProtocol) as e:
        raise _fail(
            "invalid_url", f"invalid URL {shown!r}: {mask_urls_in(str(e))}", shown
        ) from None
    except httpx.DecodingError:
        raise _fail("decode", f"undecodable content-encoding from {shown}", shown) from None
    except (httpx.TransportError, OSError) as e:
        detail = mask_urls_in(str(e)) or type(e).__name__
        raise _fail(
            "connect", f"network error fetching {shown}: {detail}", shown, transient=True
        ) from None


async def _fetch(
    client: httpx.AsyncClient,
    url: str,
    shown: str,
    headers: dict[str, str],
    previous: Validators | None,
    settings: FetchSettings,
    policy: AddressPolicy,
    *,
    started: float,  # time.perf_counter() as the fetch started
    decode: bool,
) -> Page:
    extensions = {POLICY_EXTENSION: policy}
    async with client.stream("GET", url, headers=headers, extensions=extensions) as response:
        final_url = str(response.url)
        status = response.status_code
        etag = response.headers.get("etag")
        last_modified = response.headers.get("last-modified")
        content_type = response.headers.get("content-type")
        if status == 304:
            await response.aread()  # nothing to read, but an unread response loses its connection
            return Page(
                url=url,
                final_url=final_url,
                status_code=status,
                not_modified=True,
                html=None,
                encoding=None,
                content_type=content_type,
                etag=etag or (previous.etag if previous else None),
                last_modified=last_modified or (previous.last_modified if previous else None),
                body_hash=previous.body_hash if previous else None,
                body_bytes=0,
                elapsed_ms=_ms(started),
            )
        if not 200 <= status < 300:
            raise _status_error(response, shown)
        media_type, charset = parse_content_type(content_type)
        if media_type is not None and media_type not in _TEXT_TYPES:
            raise _fail(
                "not_html",
                f"content type {media_type} (not HTML or text) from {shown}",
                shown,
                status=status,
            )
        declared = _content_length(response)
        if declared is not None and declared > settings.max_bytes:
            raise _too_large(shown, settings.max_bytes, status, f"Content-Length {declared}")
        body = await _read_body(response, settings.max_bytes, shown)
    body_hash = hashlib.sha256(body).hexdigest()
    unchanged = previous is not None and previous.body_hash == body_hash
    html: str | None = None
    encoding: str | None = None
    if not unchanged:
        if media_type is None and not looks_like_text(body):
            raise _fail(
                "not_html", f"no content type and a binary body from {shown}", shown, status=status
            )
        if decode:
            decoded = decode_body(body, charset)
            if decoded is None:
                raise undecodable(shown, charset, status)
            html, encoding = decoded
    kept = None if decode or unchanged else body
    return Page(
        url=url,
        final_url=final_url,
        status_code=status,
        not_modified=unchanged,
        html=html,
        encoding=encoding,
        content_type=content_type,
        etag=etag,
        last_modified=last_modified,
        body_hash=body_hash,
        body_bytes=len(body),
        elapsed_ms=_ms(started),
        body=kept,
        charset=charset,
    )


def undecodable(shown: str, charset: str | None, status: int) -> FetchError:
    """The error of a body that does not decode (`shown`: its URL, secrets masked); for a body
    fetched with decode=False, when pipeline.charset.decode_page raises Undecodable."""
    return _fail(
        "decode",
        f"body from {shown} does not decode as text (declared charset {charset})",
        shown,
        status=status,
    )


async def _read_body(response: httpx.Response, limit: int, shown: str) -> bytes:
    """The body, Content-Encoding undone step by step; FetchError "too_large" as soon as more
    than `limit` decoded (or raw) bytes have come, before the rest is read or decoded."""
    decoder = decoder_for(response.headers.get_list("content-encoding"))
    chunks: list[bytes] = []
    size = raw = 0

    def keep(pieces: Iterable[bytes]) -> None:
        nonlocal size
        for piece in pieces:
            size += len(piece)
            if size > limit:
                # Leaving the `async with` closes the connection: nothing more is read.
                raise _too_large(shown, limit, response.status_code, "body")
            chunks.append(piece)

    async for data in response.aiter_raw():
        raw += len(data)
        if raw > limit:
            raise _too_large(shown, limit, response.status_code, "body")
        keep(decoder.feed(data))
    keep(decoder.end())
    return b"".join(chunks)


def _fail(
    kind: str, message: str, shown: str, *, transient: bool = False, status: int | None = None
) -> FetchError:
    return FetchError(kind, message, transient=transient, status_code=status, url=shown)


def _ms(started: float) -> int:
    return int((time.perf_counter() - started) * 1000)


def _status_error(response: httpx.Response, shown: str) -> FetchError:
    status = response.status_code
    transient = status in (408, 425, 429) or status >= 500
    reason = response.reason_phrase or ""
    return FetchError(
        "http_status",
        f"HTTP {status} {reason} from {shown}".replace("  ", " "),
        transient=transient,
        status_code=status,
        url=shown,
        retry_after=_retry_after(response.headers.get("retry-after")),
    )


def _retry_after(value: str | None) -> float | None:
    # Only the delta-seconds form: an HTTP date would need the clock, which the caller owns.
    if value is None:
        return None
    try:
        seconds = float(value.strip())
    except ValueError:
        return None
    return seconds if seconds >= 0 else None


def _too_large(shown: str, limit: int, status: int, what: str) -> FetchError:
    return FetchError(
        "too_large",
        f"{what} larger than max_bytes={limit} from {shown}",
        transient=False,
        status_code=status,
        url=shown,
    )


def _content_length(response: httpx.Response) -> int | None:
    value = response.headers.get("content-length")
    if value is None or not value.strip().isdigit():
        return None
    # With Content-Encoding the header counts compressed bytes; the cap is on decoded bytes, so
    # the header is only a lower bound and an early refusal is still right.
    return int(value.strip())

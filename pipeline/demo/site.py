"""The bundled demo news site: a local HTTP server whose articles change from version to version.

`render_article(slug, version)` and `render_index(version)` are pure; `DemoSite` serves them on
127.0.0.1 with ETag/Last-Modified validators that change only when a page's bytes change, and
answers conditional requests with 304, as a well-behaved news site does.

    with DemoSite() as site:
        url = site.url("tolvik-market-strike")   # version 0
        site.advance()                            # now version 1
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from functools import cache
from html import escape
from http.server import BaseHTTPRequestHandler
from importlib.resources import files
from string import Template

from pipeline.demo.content import ARTICLES, VERSIONS, ArticleContent, most_read
from pipeline.demo.loopback import LoopbackHTTPServer, ThreadedHTTP

# v0 and v1 share the classic layout; from v2 on the site has been redesigned (share buttons on
# top, an advert in the sidebar, most-read first), which changes every page's bytes but no text
# of any article.
_LAYOUTS = ("classic", "classic", "wide", "wide")


@cache
def _template(name: str) -> Template:
    return Template(files("pipeline.demo.pages").joinpath(name).read_text(encoding="utf-8"))


def _section_id(section: str) -> str:
    return section.lower().replace(" ", "-")


def _share(slug: str) -> str:
    items = "".join(
        f'<li><a class="share-{net}" href="#share-{net}-{slug}">{label}</a></li>'
        for net, label in (("x", "Share on X"), ("fb", "Facebook"), ("mail", "Email"))
    )
    return f'<ul class="share-buttons" aria-label="Share this story">{items}</ul>'


def _most_read_box(version: int) -> str:
    items = "\n".join(
        f'    <li><a href="/news/most-read-{i}">{escape(h)}</a></li>'
        for i, h in enumerate(most_read(version), start=1)
    )
    return _box("most-read", "Most read", "ol", items)


def _related_box(article: ArticleContent) -> str:
    items = "\n".join(
        f'    <li><a href="/news/related-{i}">{escape(h)}</a></li>'
        for i, h in enumerate(article.related, start=1)
    )
    return _box("related", "Related stories", "ul", items)


def _box(css_class: str, heading: str, list_tag: str, items: str) -> str:
    return (
        f'  <section class="{css_class}">\n    <h2>{heading}</h2>\n'
        f"    <{list_tag}>\n{items}\n    </{list_tag}>\n  </section>"
    )


_ADVERT = '  <div class="ad-slot" data-slot="mpu-1">Advertisement</div>'


def _check_version(version: int) -> None:
    if not 0 <= version < VERSIONS:
        raise ValueError(f"demo site version must be 0..{VERSIONS - 1}, not {version}")


def render_article(slug: str, version: int) -> str:
    """Return the full HTML page of article `slug` as the site serves it in `version`.

    Raises KeyError for an unknown slug and ValueError for a version outside 0..VERSIONS-1.
    """
    _check_version(version)
    a = ARTICLES[slug]
    layout = _LAYOUTS[version]
    title = a.titles[version]
    updated = a.updated[version]
    body = "\n".join(f"    <p>{escape(p)}</p>" for p in a.body(version))
    comments = "\n".join(
        f'    <li class="comment"><span class="user">{escape(user)}</span> '
        f"<p>{escape(text)}</p></li>"
        for user, text in a.comments[: 2 + version]
    )
    if layout == "classic":
        aside = "\n".join((_related_box(a), _most_read_box(version)))
        share_top, share_bottom = "", _share(slug)
    else:
        aside = "\n".join((_most_read_box(version), _ADVERT, _related_box(a)))
        share_top, share_bottom = _share(slug), ""
    main = _template("article.html").substitute(
        slug=slug,
        layout=layout,
        section=escape(a.section),
        section_id=_section_id(a.section),
        title=escape(title),
        standfirst=escape(a.standfirst),
        byline=escape(a.byline),
        published=escape(a.published),
        updated=f'<time class="updated">Updated {escape(updated)}</time>' if updated else "",
        live_label='<p class="label-live">Developing story</p>' if updated else "",
        share_top=share_top,
        share_bottom=share_bottom,
        body=body,
        aside=aside,
        comment_count=min(len(a.comments), 2 + version),
        comments=comments,
    )
    return _page(escape(title), escape(a.standfirst), _section_id(a.section), layout, main)


def render_index(version: int) -> str:
    """Return the home page in `version`: every article's headline, linked, and the most-read box.

    Raises ValueError for a version outside 0..VERSIONS-1.
    """
    _check_version(version)
    stories = "\n".join(
        f'    <li><a href="/news/{a.slug}"><h2>{escape(a.titles[version])}</h2></a>'
        f"<p>{escape(a.standfirst)}</p></li>"
        for a in ARTICLES.values()
    )
    main = _template("index.html").substitute(stories=stories, most_read=_most_read_box(version))
    return _page("Home", "Latest news from the Courier", "home", _LAYOUTS[version], main)


def _page(title: str, description: str, section_id: str, layout: str, main: str) -> str:
    return _template("base.html").substitute(
        page_title=title, description=description, section_id=section_id, layout=layout, main=main
    )


def render_site(version: int) -> dict[str, bytes]:
    """Return every page the site serves in `version`, as {path: UTF-8 bytes}."""
    pages = {"/": render_index(version).encode()}
    for slug in ARTICLES:
        pages[f"/news/{slug}"] = render_article(slug, version).encode()
    return pages


@dataclass(frozen=True, slots=True)
class _Page:
    body: bytes
    etag: str
    last_modified: datetime  # whole seconds, UTC


@dataclass(frozen=True, slots=True)
class Hit:
    """One request the site answered."""

    method: str
    path: str
    status: int


def _utcnow() -> datetime:
    return datetime.now(UTC)


class DemoSite(ThreadedHTTP):
    """The demo news site on 127.0.0.1:<free port>, in a daemon thread, until `close()`.

    `clock` gives the time stamped into Last-Modified when a page's bytes change (UTC-aware);
    Last-Modified moves forward by at least one second on each change, so If-Modified-Since
    alone also sees every change.
    """

    def __init__(self, *, version: int = 0, clock: Callable[[], datetime] = _utcnow) -> None:
        _check_version(version)
        self._clock = clock
        self._lock = threading.Lock()
        self._pages: dict[str, _Page] = {}
        self._hits: list[Hit] = []
        self._version = -1
        self.set_version(version)
        server = _Server(("127.0.0.1", 0), _Handler)
        server.site = self
        super().__init__(server)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def slugs(self) -> list[str]:
        return list(ARTICLES)

    def url(self, slug: str) -> str:
        """Return the article's URL. Raises KeyError for an unknown slug."""
        if slug not in ARTICLES:
            raise KeyError(slug)
        return f"{self.base_url}/news/{slug}"

    @property
    def version(self) -> int:
        return self._version

    @property
    def hits(self) -> list[Hit]:
        """Every request answered so far, oldest first (a copy)."""
        with self._lock:
            return list(self._hits)

    def set_version(self, version: int) -> None:
        """Serve `version` from now on. Raises ValueError outside 0..VERSIONS-1."""
        _check_version(version)
        rendered = render_site(version)
        now = self._clock().astimezone(UTC).replace(microsecond=0)
        with self._lock:
            for path, body in rendered.items():
                old = self._pages.get(path)
                if old is not None and old.body == body:
                    continue
                stamp = now if old is None else max(now, old.last_modified + timedelta(seconds=1))
                etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
                self._pages[path] = _Page(body, etag, stamp)
            self._version = version

    def advance(self) -> int:
        """Serve the next version and return it. Raises ValueError past the last version."""
        self.set_version(self._version + 1)
        return self._version

    def _lookup(self, path: str) -> _Page | None:
        with self._lock:
            return self._pages.get(path.split("?", 1)[0].split("#", 1)[0])

    def _record(self, hit: Hit) -> None:
        with self._lock:
            self._hits.append(hit)


class _Server(LoopbackHTTPServer):
    site: DemoSite


def _etag_matches(header: str, etag: str) -> bool:
    if header.strip() == "*":
        return True
    # Weak comparison (RFC 9110 13.1.2): W/"x" matches "x".
    return any(tag.strip().removeprefix("W/") == etag for tag in header.split(","))


def _not_modified_since(header: str, last_modified: datetime) -> bool:
    try:
        since = parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return False  # an unparsable date is ignored, as RFC 9110 says
    if since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    return last_modified <= since


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    server_version = "CourierFront/2.4"
    # Headers and body go out in two writes; with Nagle on, keep-alive clients wait ~40 ms for
    # the delayed ACK on every request.
    disable_nagle_algorithm = True
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self._answer(send_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer(send_body=False)

    def _answer(self, *, send_body: bool) -> None:
        site = self.server.site
        page = site._lookup(self.path)
        if page is None:
            body = b"<!DOCTYPE html><title>Not found</title><p>Page not found.</p>"
            self._send(404, body if send_body else b"", len(body), {})
            site._record(Hit(self.command, self.path, 404))
            return
        validators = {
            "ETag": page.etag,
            "Last-Modified": format_datetime(page.last_modified, usegmt=True),
            "Cache-Control": "max-age=0, must-revalidate",
        }
        inm = self.headers.get("If-None-Match")
        ims = self.headers.get("If-Modified-Since")
        # If-None-Match wins over If-Modified-Since when both are sent (RFC 9110 13.2.2).
        fresh = (
            _etag_matches(inm, page.etag)
            if inm is not None
            else ims is not None and _not_modified_since(ims, page.last_modified)
        )
        if fresh:
            self._send(304, b"", None, validators)
            site._record(Hit(self.command, self.path, 304))
            return
        self._send(200, page.body if send_body else b"", len(page.body), validators)
        site._record(Hit(self.command, self.path, 200))

    def _send(self, status: int, body: bytes, length: int | None, headers: dict[str, str]) -> None:
        self.send_response(status)
        if status != 304:
            self.send_header("Content-Type", "text/html; charset=utf-8")
        if length is not None:
            self.send_header("Content-Length", str(length))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if body:
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass  # tests and the demo print their own summaries; per-request lines are noise

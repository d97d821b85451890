"""fetch_page against a real HTTP server on loopback."""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import re
import socket
from collections.abc import Coroutine
from http.server import BaseHTTPRequestHandler
from typing import Any, TypeVar

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alerts.redact import mask_url
from pipeline.charset import bad_characters
from pipeline.fetch import (
    FetchError,
    FetchSettings,
    Page,
    Validators,
    decode_body,
    fetch_page,
    make_client,
)
from tests.pipeline.handlers import endless, stall, trickle
from tests.servers import LoopbackServer

T = TypeVar("T")
SETTINGS = FetchSettings(connect_timeout=2.0, read_timeout=2.0, total_timeout=10.0)
HTML = (
    "<html><head><title>T</title></head><body><p>Forty-two soldiers were wounded.</p></body></html>"
)
UKR = "<html><body><p>Загинули 12 військових, ще 30 поранені; їхні імена відомі.</p></body></html>"


def run(coro: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coro)


async def _get(
    url: str, previous: Validators | None = None, settings: FetchSettings = SETTINGS
) -> Page:
    async with make_client(settings) as client:
        return await fetch_page(client, url, previous=previous, settings=settings)


def _error(url: str, settings: FetchSettings = SETTINGS) -> FetchError:
    with pytest.raises(FetchError) as info:
        run(_get(url, settings=settings))
    return info.value


def test_200_page_decoded_hashed_and_user_agent_sent(http_server: LoopbackServer) -> None:
    url = http_server.add("/a", HTML, headers={"Content-Type": "text/html; charset=utf-8",
                                               "ETag": '"v1"'})  # fmt: skip
    page = run(_get(url))
    assert page.status_code == 200 and not page.not_modified
    assert page.html == HTML and page.encoding == "utf-8"
    assert page.etag == '"v1"' and page.final_url == url
    assert page.body_hash == hashlib.sha256(HTML.encode()).hexdigest()
    assert page.body_bytes == len(HTML.encode())
    assert http_server.requests[0].headers["user-agent"].startswith("figwatch/")
    assert "if-none-match" not in http_server.requests[0].headers


def test_304_via_etag_sends_if_none_match(http_server: LoopbackServer) -> None:
    url = http_server.add("/a", status=304, headers={"ETag": '"v1"'})
    previous = Validators(etag='"v1"', last_modified=None, body_hash="abc")
    page = run(_get(url, previous))
    assert page.not_modified and page.html is None and page.status_code == 304
    assert page.body_hash == "abc" and page.etag == '"v1"'
    sent = http_server.requests[0].headers
    assert sent["if-none-match"] == '"v1"' and "if-modified-since" not in sent


def test_304_keeps_the_connection_for_the_next_fetch(http_server: LoopbackServer) -> None:
    """An unchanged page answered 304 hands its connection back: a pass over thousands of
    unchanged pages opens a few connections, not one per page."""
    ports: list[int] = []

    def not_modified(handler: BaseHTTPRequestHandler, _server: LoopbackServer) -> None:
        ports.append(handler.client_address[1])
        handler.send_response(304)
        handler.send_header("ETag", '"v1"')
        handler.end_headers()

    url = http_server.add("/a", handler=not_modified)
    previous = Validators(etag='"v1"', last_modified=None, body_hash="abc")

    async def three() -> list[Page]:
        async with make_client(SETTINGS) as client:
            return [
                await fetch_page(client, url, previous=previous, settings=SETTINGS)
                for _ in range(3)
            ]

    assert all(page.not_modified for page in run(three()))
    assert len(ports) == 3 and len(set(ports)) == 1


def test_304_via_last_modified_sends_if_modified_since(http_server: LoopbackServer) -> None:
    stamp = "Wed, 21 Oct 2015 07:28:00 GMT"
    url = http_server.add("/a", status=304, headers={})
    page = run(_get(url, Validators(etag=None, last_modified=stamp, body_hash=None)))
    assert page.not_modified and page.last_modified == stamp
    assert http_server.requests[0].headers["if-modified-since"] == stamp


def test_same_body_hash_is_not_modified(http_server: LoopbackServer) -> None:
    url = http_server.add("/a", HTML)
    digest = hashlib.sha256(HTML.encode()).hexdigest()
    page = run(_get(url, Validators(etag=None, last_modified=None, body_hash=digest)))
    assert page.status_code == 200 and page.not_modified and page.html is None
    assert page.body_hash == digest
    changed = run(_get(url, Validators(etag=None, last_modified=None, body_hash="0" * 64)))
    assert not changed.not_modified and changed.html == HTML


def test_redirect_chain_records_final_url(http_server: LoopbackServer) -> None:
    http_server.add("/one", status=301, headers={"Location": "/two"})
    http_server.add("/two", status=302, headers={"Location": http_server.url("/three")})
    final = http_server.add("/three", HTML)
    page = run(_get(http_server.url("/one")))
    assert page.final_url == final and page.url == http_server.url("/one")
    assert page.html == HTML
    assert [r.path for r in http_server.requests] == ["/one", "/two", "/three"]


def test_a_cookie_set_on_a_redirect_is_sent_on_and_kept_over_responses_that_set_none(
    http_server: LoopbackServer,
) -> None:
    """A consent gate that sets a cookie and redirects gets it back, and the cookie stays for
    later fetches through the same client, though the responses in between set none (those
    are not handed to http.cookiejar at all)."""
    http_server.add(
        "/gate", status=302, headers={"Location": "/page", "Set-Cookie": "consent=yes; Path=/"}
    )
    url = http_server.add("/page", HTML)

    async def twice() -> list[Page]:
        async with make_client(SETTINGS) as client:
            first = await fetch_page(client, http_server.url("/gate"), previous=None,
                                     settings=SETTINGS)  # fmt: skip
            return [first, await fetch_page(client, url, previous=None, settings=SETTINGS)]

    pages = run(twice())
    assert [p.final_url for p in pages] == [url, url]
    assert [r.path for r in http_server.requests] == ["/gate", "/page", "/page"]
    assert [r.headers.get("cookie") for r in http_server.requests] == [
        None, "consent=yes", "consent=yes"
    ]  # fmt: skip


def test_redirect_loop_is_permanent(http_server: LoopbackServer) -> None:
    http_server.add("/loop", status=302, headers={"Location": "/loop"})
    err = _error(http_server.url("/loop"), FetchSettings(max_redirects=3))
    assert err.kind == "too_many_redirects" and not err.transient
    assert len(http_server.requests) == 4


def test_404_is_permanent(http_server: LoopbackServer) -> None:
    err = _error(http_server.url("/missing"))
    assert err.kind == "http_status" and err.status_code == 404 and not err.transient
    assert str(err) == f"HTTP 404 Not Found from {http_server.url('/missing')}"


def test_503_and_429_are_transient(http_server: LoopbackServer) -> None:
    http_server.add("/busy", "down", status=503, headers={"Retry-After": "120"})
    http_server.add("/slow", "later", status=429)
    err = _error(http_server.url("/busy"))
    assert err.kind == "http_status" and err.transient and err.status_code == 503
    assert err.retry_after == 120.0
    assert _error(http_server.url("/slow")).transient


def test_read_timeout_on_stalled_server(http_server: LoopbackServer) -> None:
    http_server.add("/stall", handler=stall)
    err = _error(http_server.url("/stall"), FetchSettings(read_timeout=0.2))
    assert err.kind == "timeout" and err.transient
    assert "read timeout" in str(err)


def test_total_timeout_caps_a_trickling_server(http_server: LoopbackServer) -> None:
    http_server.add("/trickle", handler=trickle)
    err = _error(http_server.url("/trickle"), FetchSettings(read_timeout=2.0, total_timeout=0.3))
    assert err.kind == "timeout" and err.transient and "total" in str(err)


def test_too_large_stops_streaming_early(http_server: LoopbackServer) -> None:
    http_server.add("/huge", handler=endless)
    err = _error(http_server.url("/huge"), FetchSettings(max_bytes=200_000))
    assert err.kind == "too_large" and not err.transient
    assert http_server.done.wait(5), "the server kept writing after the client hung up"
    # The server stops when the client hangs up; socket buffers hold at most a few MB.
    assert http_server.bytes_written < 50_000_000


def test_too_large_by_content_length_reads_nothing(http_server: LoopbackServer) -> None:
    url = http_server.add("/big", b"x" * 5000, headers={"Content-Type": "text/html"})
    err = _error(url, FetchSettings(max_bytes=1000))
    assert err.kind == "too_large" and "Content-Length 5000" in str(err)


def test_gzip_bomb_is_capped_on_decoded_bytes(http_server: LoopbackServer) -> None:
    bomb = gzip.compress(b"<p>" + b" " * 20_000_000 + b"</p>")
    url = http_server.add(
        "/bomb", bomb, headers={"Content-Type": "text/html", "Content-Encoding": "gzip"}
    )
    page = run(_get(url, settings=FetchSettings(max_bytes=30_000_000)))
    assert page.body_bytes == 20_000_007  # decoded size is what counts
    err = _error(url, FetchSettings(max_bytes=1_000_000))
    assert err.kind == "too_large" and "body larger than" in str(err)


def test_missing_content_type_is_sniffed(http_server: LoopbackServer) -> None:
    text_url = http_server.add("/t", HTML, headers={})
    assert run(_get(text_url)).html == HTML
    blob_url = http_server.add("/b", b"\x00\x01\x02" * 100, headers={})
    assert _error(blob_url).kind == "not_html"


def test_image_is_not_html(http_server: LoopbackServer) -> None:
    url = http_server.add("/p.png", b"\x89PNG\r\n\x1a\n" + bytes(200),
                          headers={"Content-Type": "image/png"})  # fmt: skip
    err = _error(url)
    assert err.kind == "not_html" and not err.transient and "image/png" in str(err)


def test_text_plain_is_accepted(http_server: LoopbackServer) -> None:
    url = http_server.add("/t.txt", "Three soldiers went missing.",
                          headers={"Content-Type": "text/plain"})  # fmt: skip
    page = run(_get(url))
    assert page.html == "Three soldiers went missing." and page.content_type == "text/plain"


def test_binary_garbage_labelled_html_is_a_decode_error(http_server: LoopbackServer) -> None:
    garbage = bytes(range(256)) * 40
    url = http_server.add("/g", garbage, headers={"Content-Type": "text/html; charset=utf-8"})
    err = _error(url)
    assert err.kind == "decode" and not err.transient


def test_cp1251_page_from_header(http_server: LoopbackServer) -> None:
    url = http_server.add("/ua", UKR.encode("cp1251"),
                          headers={"Content-Type": "text/html; charset=windows-1251"})  # fmt: skip
    page = run(_get(url))
    assert page.html == UKR and page.encoding == "cp1251"


def test_cp1251_page_without_any_declaration(http_server: LoopbackServer) -> None:
    url = http_server.add("/ua", UKR.encode("cp1251"), headers={"Content-Type": "text/html"})
    page = run(_get(url))
    assert page.html == UKR and page.encoding == "cp1251"


def test_meta_charset_only(http_server: LoopbackServer) -> None:
    doc = '<html><head><meta charset="windows-1251"></head><body><p>Полонені: 5.</p></body></html>'
    url = http_server.add("/m", doc.encode("cp1251"), headers={"Content-Type": "text/html"})
    page = run(_get(url))
    assert page.html == doc and page.encoding == "cp1251"


def test_http_equiv_charset_and_latin_text(http_server: LoopbackServer) -> None:
    doc = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">'
        "</head><body><p>Près de Kherson, trois blessés.</p></body></html>"
    )
    url = http_server.add("/fr", doc.encode("latin-1"), headers={"Content-Type": "text/html"})
    page = run(_get(url))
    assert page.html == doc and page.encoding == "cp1252"


def test_connection_refused_is_transient() -> None:
    with socket.socket() as s:  # a port that was free a moment ago: nothing listens there
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    err = _error(f"http://127.0.0.1:{port}/x")
    assert err.kind == "connect" and err.transient


def test_secrets_are_redacted_from_errors(http_server: LoopbackServer) -> None:
    url = f"http://alice:hunter2@127.0.0.1:{http_server.port}/missing?token=s3cr3t&page=2"
    err = _error(url)
    assert "hunter2" not in str(err) and "s3cr3t" not in str(err)
    assert "alice:***@" in str(err) and "page=2" in str(err) and err.status_code == 404


def test_invalid_url() -> None:
    err = _error("ftp://example.org/x?api_key=abc")
    assert err.kind == "invalid_url" and not err.transient and "abc" not in str(err)


def test_fetch_errors_show_the_url_as_mask_url_does() -> None:
    url = "ftp://u:p@h.org/a?x=1&access_token=zz"
    err = _error(url)
    assert err.url == mask_url(url) == "ftp://u:***@h.org/a?x=1&access_token=***"
    assert "zz" not in str(err) and ":p@" not in str(err)


@pytest.mark.parametrize(
    ("body", "declared", "expected"),
    [
        ("Вбито 7 окупантів".encode("cp1251"), None, "cp1251"),
        ("Über 40 Verletzte in Köln".encode("cp1252"), None, "cp1252"),
        ("Убит 1 человек".encode(), "utf-8", "utf-8"),
        ("Ранено 3".encode("cp1251"), "utf-8", "cp1251"),  # mislabelled: the bytes win
        (b"\xef\xbb\xbfplain", "cp1251", "utf-8"),  # a BOM beats the label
    ],
)
def test_decode_body(body: bytes, declared: str | None, expected: str) -> None:
    result = decode_body(body, declared)
    assert result is not None
    text, codec = result
    assert codec == expected
    assert text == body.removeprefix(b"\xef\xbb\xbf").decode(expected)


def test_decode_body_tolerates_a_stray_bad_byte_in_utf8() -> None:
    body = ("Загинули 12 людей. " * 50).encode() + b"\xff" + " Кінець.".encode()
    result = decode_body(body, "utf-8")
    assert result is not None and result[1] == "utf-8" and "Кінець" in result[0]


@given(st.text(alphabet=st.characters(codec=None, exclude_categories=())))
def test_bad_characters_counts_what_the_character_class_matches(text: str) -> None:
    """The byte count equals the plain definition: controls but \\t \\n \\f \\r, and U+FFFD."""
    assert bad_characters(text) == len(re.findall(r"[\x00-\x08\x0b\x0e-\x1f\ufffd]", text))


def test_bad_characters_on_mixed_text() -> None:
    text = "a\x00b\ufffd\x1f\x7f\ud800 é ж 😀\x0b\x0c\t\n\r" * 3
    assert bad_characters(text) == 12  # \x00, U+FFFD, \x1f, \x0b: not \x7f, \x0c, \t, \n, \r

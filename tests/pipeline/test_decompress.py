"""Content-Encoding: decoded in bounded memory, the size cap on decoded bytes, over loopback."""

from __future__ import annotations

import asyncio
import gzip
import os
import time
import tracemalloc
import zlib
from collections.abc import Callable, Coroutine
from typing import Any

import pytest

from pipeline.decompress import CHUNK, ContentDecodingError, decoder_for
from pipeline.fetch import FetchError, FetchSettings, Page, fetch_page, make_client
from tests.bombs import GIB, deflate_of_zeros, gzip_gzip_of_zeros, gzip_of_zeros
from tests.servers import LoopbackServer

SETTINGS = FetchSettings(connect_timeout=5.0, read_timeout=5.0, total_timeout=60.0)
PEAK_LIMIT = 50 * 1024 * 1024
HTML = "<html><body><p>Forty-two soldiers were wounded near the bridge.</p></body></html>"

try:
    import brotli  # type: ignore[import-not-found, unused-ignore]
except ImportError:  # optional: br is offered only when a bounded decoder is installed
    brotli = None


def _measured(make: Callable[[], Coroutine[Any, Any, Page]]) -> tuple[Page | FetchError, int]:
    """Run a fetch; return its page (or FetchError) and the peak of traced memory, in bytes."""
    tracemalloc.start()
    try:
        try:
            outcome: Page | FetchError = asyncio.run(make())
        except FetchError as e:
            outcome = e
        return outcome, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


async def _get(url: str, settings: FetchSettings = SETTINGS) -> Page:
    async with make_client(settings) as client:
        return await fetch_page(client, url, previous=None, settings=settings)


def _serve(server: LoopbackServer, path: str, body: bytes, encoding: str) -> str:
    return server.add(
        path, body, headers={"Content-Type": "text/html", "Content-Encoding": encoding}
    )


@pytest.mark.parametrize(
    ("name", "encoding", "bomb"),
    [
        ("gzip, gzip of 4 GiB", "gzip, gzip", lambda: gzip_gzip_of_zeros(4 * GIB)),
        ("gzip of 2 GiB", "gzip", lambda: gzip_of_zeros(2 * GIB)),
        ("deflate of 1 GiB", "deflate", lambda: deflate_of_zeros(GIB)),
    ],
)
def test_bomb_is_too_large_in_bounded_memory(
    http_server: LoopbackServer, name: str, encoding: str, bomb: Callable[[], bytes]
) -> None:
    body = bomb()
    url = _serve(http_server, "/bomb", body, encoding)
    started = time.perf_counter()
    outcome, peak = _measured(lambda: _get(url))
    seconds = time.perf_counter() - started
    print(f"\n{name}: {len(body)} bytes sent, peak {peak / 2**20:.1f} MiB, {seconds:.2f} s")
    assert isinstance(outcome, FetchError)
    assert outcome.kind == "too_large" and not outcome.transient
    assert "larger than max_bytes=5000000" in str(outcome)
    assert peak < PEAK_LIMIT, f"{name}: peak {peak} bytes"


def test_normal_gzip_page_reads_right(http_server: LoopbackServer) -> None:
    url = _serve(http_server, "/g", gzip.compress(HTML.encode()), "gzip")
    page = asyncio.run(_get(url))
    assert page.html == HTML and page.body_bytes == len(HTML.encode())
    assert "gzip" in http_server.requests[0].headers["accept-encoding"]


def test_stacked_and_multi_member_encodings_read_right(http_server: LoopbackServer) -> None:
    double = gzip.compress(zlib.compress(HTML.encode()))  # deflate, then gzip
    url = _serve(http_server, "/d", double, "deflate, gzip")
    assert asyncio.run(_get(url)).html == HTML
    half = len(HTML) // 2  # two gzip members one after the other are one body (RFC 1952)
    members = gzip.compress(HTML[:half].encode()) + gzip.compress(HTML[half:].encode())
    url = _serve(http_server, "/m", members, "gzip")
    assert asyncio.run(_get(url)).html == HTML


def test_unknown_or_broken_encoding_is_a_permanent_decode_error(
    http_server: LoopbackServer,
) -> None:
    for path, body, encoding, message in (
        ("/lzw", HTML.encode(), "compress", "unsupported content-encoding 'compress'"),
        ("/bad", b"\x1f\x8b\x08\x00 this is not gzip at all", "gzip", "invalid gzip data"),
    ):
        url = _serve(http_server, path, body, encoding)
        with pytest.raises(FetchError) as info:
            asyncio.run(_get(url))
        assert info.value.kind == "decode" and not info.value.transient
        assert message in str(info.value)


@pytest.mark.skipif(brotli is None, reason="brotli is not installed")
def test_brotli_bomb_and_page(http_server: LoopbackServer) -> None:
    url = _serve(http_server, "/br", brotli.compress(HTML.encode()), "br")
    assert asyncio.run(_get(url)).html == HTML
    assert "br" in http_server.requests[0].headers["accept-encoding"]
    bomb = brotli.compress(bytes(256 * 2**20), quality=5)
    url = _serve(http_server, "/br-bomb", bomb, "br")
    outcome, peak = _measured(lambda: _get(url))
    print(f"\nbr of 256 MiB: {len(bomb)} bytes sent, peak {peak / 2**20:.1f} MiB")
    assert isinstance(outcome, FetchError) and outcome.kind == "too_large"
    assert peak < PEAK_LIMIT


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "gzip, gzip"])
def test_decoder_steps_are_bounded_and_lossless(encoding: str) -> None:
    data = os.urandom(200_000) + bytes(3_000_000)
    body = data
    for name in (e.strip() for e in encoding.split(",")):
        body = gzip.compress(body) if name == "gzip" else zlib.compress(body)
    decoder = decoder_for([encoding])
    out: list[bytes] = []
    for i in range(0, len(body), 4096):
        out.extend(decoder.feed(body[i : i + 4096]))
    out.extend(decoder.end())
    assert b"".join(out) == data
    assert max(map(len, out)) <= CHUNK


def test_unknown_encoding_names_it() -> None:
    with pytest.raises(ContentDecodingError, match="unsupported content-encoding 'compress'"):
        decoder_for(["gzip, compress"])

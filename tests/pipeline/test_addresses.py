"""Redirects (and names) that lead to internal addresses are refused before connecting.

Every server here listens on 127.0.0.1. A name is given an address by a resolver the test
injects, and the `connects` fixture (tests/conftest.py) fails any connection to an address
outside loopback, so a refusal that came too late fails the test instead of reaching another
machine.
"""

from __future__ import annotations

import asyncio
import ipaddress
from typing import Any

import httpcore
import pytest

from pipeline.addresses import AddressPolicy, _GuardedBackend, internal_kind, system_resolver
from pipeline.config import Config
from pipeline.fetch import FetchError, FetchSettings, Page, fetch_page, make_client, settings_for
from tests.conftest import Certs
from tests.servers import LoopbackServer

SETTINGS = FetchSettings(connect_timeout=2.0, read_timeout=2.0, total_timeout=10.0)
SECRET = "<html><body><p>api_key=s3cr3t; 4 soldiers were killed.</p></body></html>"
HTML = "<html><body><p>Forty-two soldiers were wounded near the bridge.</p></body></html>"


class Names:
    """A resolver from a table, counting lookups."""

    def __init__(self, table: dict[str, list[str]]) -> None:
        self.table = table
        self.lookups: list[str] = []

    async def __call__(self, host: str, port: int) -> list[str]:
        self.lookups.append(host)
        if host not in self.table:
            raise OSError(f"no such name {host}")
        return self.table[host]


def _get(url: str, *, settings: FetchSettings = SETTINGS, resolver: Names | None = None) -> Page:
    async def go() -> Page:
        client = make_client(settings, resolver=resolver) if resolver else make_client(settings)
        async with client:
            return await fetch_page(client, url, previous=None, settings=settings)

    return asyncio.run(go())


def _refused(url: str, **kwargs: Any) -> FetchError:
    with pytest.raises(FetchError) as info:
        _get(url, **kwargs)
    assert info.value.kind == "blocked_address" and not info.value.transient
    return info.value


@pytest.mark.parametrize(
    ("target", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("[::1]", "loopback"),
        ("169.254.169.254", "link-local"),
        ("10.0.0.1", "private"),
        ("192.168.1.1", "private"),
        ("100.64.0.1", "CGNAT"),
        ("0.0.0.0", "unspecified"),
        ("224.0.0.1", "multicast"),
        ("[fe80::1]", "link-local"),
        ("[fd00::1]", "private"),
        ("[::ffff:127.0.0.1]", "loopback"),
        ("[::ffff:169.254.169.254]", "link-local"),
        ("[64:ff9b::a9fe:a9fe]", "link-local"),
    ],
)
def test_redirect_to_an_internal_address_is_refused_before_connecting(
    http_server: LoopbackServer, connects: list[str], target: str, kind: str
) -> None:
    # The source is configured by a name (localhost); its redirect names another host.
    http_server.add("/secret", SECRET)
    http_server.add(
        "/go", status=302, headers={"Location": f"http://{target}:{http_server.port}/secret"}
    )
    err = _refused(f"http://localhost:{http_server.port}/go")
    shown = target.strip("[]")
    assert f"{kind} address {shown}" in str(err) and f"to {shown}" in str(err)
    assert "allow_private" in str(err)
    assert [r.path for r in http_server.requests] == ["/go"]  # /secret never asked for
    assert all(ipaddress.ip_address(a).is_loopback for a in connects)


def test_public_looking_name_redirecting_to_an_internal_name_is_refused(
    http_server: LoopbackServer, connects: list[str]
) -> None:
    names = Names({"news.example": ["127.0.0.1"], "intranet.example": ["127.0.0.1"]})
    http_server.add(
        "/story",
        status=301,
        headers={"Location": f"http://intranet.example:{http_server.port}/secret"},
    )
    http_server.add("/secret", SECRET)
    err = _refused(f"http://news.example:{http_server.port}/story", resolver=names)
    assert "intranet.example" in str(err) and "loopback address 127.0.0.1" in str(err)
    assert [r.path for r in http_server.requests] == ["/story"]
    assert names.lookups == ["news.example", "intranet.example"]  # each name resolved once


def test_a_name_with_one_internal_answer_among_public_ones_is_refused(
    http_server: LoopbackServer, connects: list[str]
) -> None:
    names = Names({"news.example": ["127.0.0.1"], "mixed.example": ["93.184.215.14", "10.1.2.3"]})
    http_server.add("/story", status=302, headers={"Location": "http://mixed.example/x"})
    err = _refused(f"http://news.example:{http_server.port}/story", resolver=names)
    assert "private address 10.1.2.3" in str(err)
    assert connects == ["127.0.0.1"]  # and never 93.184.215.14


def test_the_configured_host_itself_may_be_internal_and_redirect_to_itself(
    http_server: LoopbackServer, connects: list[str]
) -> None:
    http_server.add("/a", status=302, headers={"Location": "/b"})
    final = http_server.add("/b", HTML)
    page = _get(http_server.url("/a"))  # 127.0.0.1, as configured
    assert page.html == HTML and page.final_url == final
    names = Names({"intranet.example": ["127.0.0.1"]})
    page = _get(f"http://intranet.example:{http_server.port}/a", resolver=names)
    assert page.html == HTML


def test_allow_private_follows_internal_redirects(
    http_server: LoopbackServer, connects: list[str]
) -> None:
    http_server.add("/go", status=302, headers={"Location": http_server.url("/page")})
    http_server.add("/page", HTML)
    url = f"http://localhost:{http_server.port}/go"
    assert _get(url, settings=FetchSettings(allow_private=True)).html == HTML
    per_source = FetchSettings(allow_private_by_url={url: True})
    assert _get(url, settings=per_source).html == HTML
    # A source may also opt out of a global allow.
    _refused(url, settings=FetchSettings(allow_private=True, allow_private_by_url={url: False}))


def test_a_pooled_connection_is_not_reused_by_a_source_that_refuses_its_address(
    http_server: LoopbackServer, connects: list[str]
) -> None:
    """One client for two sources: `intranet` (internal, configured) and `news`, whose page
    redirects to `intranet`. The keep-alive connection to intranet must not carry that hop."""
    names = Names({"intranet.example": ["127.0.0.1"], "news.example": ["127.0.0.1"]})
    port = http_server.port
    http_server.add("/page", HTML)
    http_server.add(
        "/story", status=302, headers={"Location": f"http://intranet.example:{port}/page"}
    )

    async def go() -> FetchError:
        async with make_client(SETTINGS, resolver=names) as client:
            page = await fetch_page(
                client, f"http://intranet.example:{port}/page", previous=None, settings=SETTINGS
            )
            assert page.html == HTML
            with pytest.raises(FetchError) as info:
                await fetch_page(
                    client, f"http://news.example:{port}/story", previous=None, settings=SETTINGS
                )
            return info.value

    err = asyncio.run(go())
    assert err.kind == "blocked_address" and "intranet.example" in str(err)
    assert [r.path for r in http_server.requests] == ["/page", "/story"]


def test_a_name_is_resolved_once_and_the_checked_address_is_the_one_connected(
    http_server: LoopbackServer, connects: list[str]
) -> None:
    """DNS rebinding: a second lookup would answer 127.0.0.2, where nothing listens."""

    class Rebinding(Names):
        async def __call__(self, host: str, port: int) -> list[str]:
            self.lookups.append(host)
            return ["127.0.0.1"] if len(self.lookups) == 1 else ["127.0.0.2"]

    http_server.add("/page", HTML)
    names = Rebinding({})
    page = _get(f"http://news.example:{http_server.port}/page", resolver=names)
    assert page.html == HTML and names.lookups == ["news.example"]
    assert connects == ["127.0.0.1"]


def test_unresolvable_name_is_a_transient_connect_error(connects: list[str]) -> None:
    with pytest.raises(FetchError) as info:
        _get("http://nowhere.example/x", resolver=Names({}))
    assert info.value.kind == "connect" and info.value.transient
    assert connects == []


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("8.8.8.8", None),
        ("2606:4700:4700::1111", None),
        ("172.16.0.1", "private"),
        ("100.127.255.254", "CGNAT"),
        ("240.0.0.1", "reserved"),
        ("255.255.255.255", "reserved"),
        ("::", "unspecified"),
        ("ff02::1", "multicast"),
        ("::ffff:10.0.0.1", "private"),
        ("192.0.2.1", "private"),  # documentation range
    ],
)
def test_internal_kind(address: str, kind: str | None) -> None:
    assert internal_kind(ipaddress.ip_address(address)) == kind


def test_settings_for_config_reads_global_and_per_source_allow_private() -> None:
    config = Config.model_validate(
        {
            "fetch": {"allow_private": True},
            "sources": [
                {"name": "a", "url": "http://a.example/"},
                {"name": "b", "url": "http://b.example/", "allow_private": False},
            ],
        }
    )
    settings = settings_for(config)
    assert settings.allows_private("http://a.example/")
    assert not settings.allows_private("http://b.example/")
    strict = settings_for(Config.model_validate({"sources": [
        {"name": "c", "url": "http://c.example/", "allow_private": True},
        {"name": "d", "url": "http://d.example/"},
    ]}))  # fmt: skip
    assert strict.allows_private("http://c.example/")
    assert not strict.allows_private("http://d.example/")


def test_https_through_the_guarded_backend_and_its_connection_is_reused(
    http_server: LoopbackServer, certs: Certs
) -> None:
    """TLS on asyncio's own streams: the handshake, a page read over it, and the keep-alive
    connection used again for the next request (a second page, one connection)."""
    http_server.httpd.socket = certs.server.wrap_socket(http_server.httpd.socket, server_side=True)
    http_server.add("/a", HTML)
    http_server.add("/b", "<p>A second page.</p>")
    backend = _GuardedBackend(AddressPolicy(allow_private=True), system_resolver)

    async def go() -> list[bytes]:
        async with httpcore.AsyncConnectionPool(
            ssl_context=certs.client, network_backend=backend
        ) as pool:
            bodies = []
            for path in ("/a", "/b"):
                response = await pool.request("GET", f"https://127.0.0.1:{http_server.port}{path}")
                assert response.status == 200
                bodies.append(response.content)
            assert len(pool.connections) == 1
            return bodies

    assert asyncio.run(go()) == [HTML.encode(), b"<p>A second page.</p>"]
    assert [r.path for r in http_server.requests] == ["/a", "/b"]


def test_an_idle_connection_the_server_closed_is_not_reused() -> None:
    """A keep-alive connection that the server closes while it waits in the pool is seen as
    closed (asyncio has read its end of stream) and replaced: the next request opens a new
    connection and succeeds, instead of going out on the dead one."""
    backend = _GuardedBackend(AddressPolicy(allow_private=True), system_resolver)

    async def go() -> tuple[list[bytes], int]:
        connections = 0
        answered, closed = asyncio.Event(), asyncio.Event()

        async def answer_once(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            nonlocal connections
            connections += 1
            await reader.readuntil(b"\r\n\r\n")
            body = f"<p>connection {connections}</p>".encode()
            # Keep-alive by HTTP/1.1's default (no "Connection: close"), then closed anyway.
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
            await writer.drain()
            await answered.wait()  # the client holds the connection idle in its pool
            writer.close()
            await writer.wait_closed()
            closed.set()

        server = await asyncio.start_server(answer_once, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        async with server, httpcore.AsyncConnectionPool(network_backend=backend) as pool:
            first = await pool.request("GET", f"http://127.0.0.1:{port}/")
            assert len(pool.connections) == 1  # idle in the pool, kept alive
            answered.set()
            await closed.wait()
            for _ in range(10):  # a few turns of the loop: it reads the end of stream
                await asyncio.sleep(0)
            second = await pool.request("GET", f"http://127.0.0.1:{port}/")
        return [first.content, second.content], connections

    bodies, connections = asyncio.run(go())
    assert bodies == [b"<p>connection 1</p>", b"<p>connection 2</p>"]
    assert connections == 2

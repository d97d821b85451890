"""Which addresses a fetch may connect to, checked on every connection (every redirect hop).

A source must not become a way into the machine's own network: a public page that redirects to
127.0.0.1, 10.x or 169.254.169.254 (a cloud's metadata service) is refused before any byte is
sent there. Internal addresses (loopback, private, link-local, CGNAT, multicast, unspecified,
reserved; IPv4-mapped and NAT64 IPv6 forms read as the IPv4 they carry) are reached only when
the source's configured URL names that host itself, or when the config allows private
addresses (`[fetch] allow_private`, or `allow_private` on the source).

The check lives in the network backend that httpcore opens connections with: the host name is
resolved once, every address is checked, and the connection goes to a checked address (the
Host header and TLS SNI stay the name). No second lookup happens between check and connect, so
DNS rebinding gains nothing. Connections are pooled per policy, so a connection opened under
one source's policy is never reused by a source that would have refused its address.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import ssl
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any

import anyio
import httpcore
import httpx

__all__ = [
    "POLICY_EXTENSION",
    "AddressPolicy",
    "BlockedAddress",
    "GuardedTransport",
    "Resolver",
    "internal_kind",
    "system_resolver",
]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
# (host, port) -> the addresses to try, in order. Injected by tests to name hosts on loopback.
Resolver = Callable[[str, int], Awaitable[list[str]]]
# The request extension that carries a fetch's AddressPolicy to the transport; httpx keeps a
# request's extensions on each redirect it follows.
POLICY_EXTENSION = "figwatch.address_policy"

_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class BlockedAddress(Exception):
    """A connection to an internal address that the fetch's policy refuses (permanent)."""

    def __init__(self, host: str, address: str, kind: str) -> None:
        super().__init__(f"{host} resolves to {kind} address {address}")
        self.host = host
        self.address = address
        self.kind = kind


@dataclass(frozen=True, slots=True)
class AddressPolicy:
    """What one fetch may connect to: any address (`allow_private`), or public addresses and
    the addresses of `trusted_host`, the host its configured URL names."""

    allow_private: bool = False
    trusted_host: str | None = None

    @classmethod
    def for_url(cls, url: str, *, allow_private: bool) -> AddressPolicy:
        """The policy of a fetch whose configured URL is `url`."""
        if allow_private:
            return cls(allow_private=True)  # one pool for every source that allows all
        return cls(trusted_host=httpx.URL(url).raw_host.decode("ascii").lower())


def internal_kind(address: IPAddress) -> str | None:
    """Why `address` is internal ("loopback", "private", ...), or None for a public address."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return internal_kind(address.ipv4_mapped)
        if address in _NAT64:  # a NAT64 gateway would connect to the IPv4 it carries
            return internal_kind(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    for kind, hit in (
        ("unspecified", address.is_unspecified),
        ("loopback", address.is_loopback),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("CGNAT", address in _CGNAT),
        ("reserved", address.is_reserved),
        ("private", address.is_private),
        ("non-global", not address.is_global),
    ):
        if hit:
            return kind
    return None


def _shown(address: IPAddress) -> str:
    mapped = getattr(address, "ipv4_mapped", None)
    return f"::ffff:{mapped}" if mapped else str(address)  # not "::ffff:7f00:1"


async def system_resolver(host: str, port: int) -> list[str]:
    """The addresses the system resolver gives for `host`, in its order, without repeats."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


class _AsyncioStream(httpcore.AsyncNetworkStream):
    """One connection on asyncio's own streams. httpcore's AnyIO backend spends about a sixth of
    a plain request's CPU on cancel scopes and socket look-ups that asyncio alone does not need;
    here a timeout is `asyncio.timeout` and an error the httpcore exception it stands for."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._reader = reader
        self._writer = writer

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        try:
            async with asyncio.timeout(timeout):
                return await self._reader.read(max_bytes)
        except TimeoutError:
            raise httpcore.ReadTimeout("timed out reading") from None
        except OSError as e:
            raise httpcore.ReadError(str(e) or type(e).__name__) from e

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if not buffer:
            return
        try:
            self._writer.write(buffer)
            async with asyncio.timeout(timeout):
                await self._writer.drain()
        except TimeoutError:
            raise httpcore.WriteTimeout("timed out writing") from None
        except OSError as e:
            raise httpcore.WriteError(str(e) or type(e).__name__) from e

    async def aclose(self) -> None:
        self._writer.close()

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            async with asyncio.timeout(timeout):
                await self._writer.start_tls(ssl_context, server_hostname=server_hostname)
        except TimeoutError:
            self._writer.close()
            raise httpcore.ConnectTimeout("timed out in the TLS handshake") from None
        except OSError as e:  # ssl.SSLError is one
            self._writer.close()
            raise httpcore.ConnectError(str(e) or type(e).__name__) from e
        return self

    def get_extra_info(self, info: str) -> Any:
        transport = self._writer.transport
        if info == "is_readable":
            # An idle connection the server closed or reset. asyncio reads the socket as soon
            # as anything arrives, so the end of stream shows in the reader, not in the socket
            # (polling the socket, once per pooled connection per request, saw nothing).
            reader = self._reader
            return transport.is_closing() or reader.at_eof() or reader.exception() is not None
        names = {
            "ssl_object": "ssl_object",
            "client_addr": "sockname",
            "server_addr": "peername",
            "socket": "socket",
        }
        return transport.get_extra_info(names[info]) if info in names else None


async def _connect(
    address: str, port: int, timeout: float | None, local_address: str | None
) -> _AsyncioStream:
    try:
        async with asyncio.timeout(timeout):
            reader, writer = await asyncio.open_connection(
                address, port, local_addr=None if local_address is None else (local_address, 0)
            )
    except TimeoutError:
        raise httpcore.ConnectTimeout(f"timed out connecting to {address}") from None
    except OSError as e:
        raise httpcore.ConnectError(str(e) or type(e).__name__) from e
    return _AsyncioStream(reader, writer)


class _GuardedBackend(httpcore.AsyncNetworkBackend):
    """Resolves once, checks every address against the policy, connects to a checked one."""

    def __init__(self, policy: AddressPolicy, resolver: Resolver) -> None:
        self._policy = policy
        self._resolver = resolver

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await self._resolve(host, port, timeout)
        if not self._policy.allow_private and host.lower() != self._policy.trusted_host:
            for address in addresses:
                kind = internal_kind(address)
                if kind is not None:
                    # One internal address is enough to refuse: a name that mixes public and
                    # internal answers is a trick, not a site.
                    raise BlockedAddress(host, _shown(address), kind)
        error: Exception | None = None
        for address in addresses:
            try:
                stream = await _connect(str(address), port, timeout, local_address)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as e:
                error = e
                continue
            try:
                sock = stream.get_extra_info("socket")
                for option in socket_options or ():
                    sock.setsockopt(*option)
            except OSError as e:  # the connection is ours to close: it never reaches the pool
                await stream.aclose()
                raise httpcore.ConnectError(str(e) or type(e).__name__) from e
            return stream
        assert error is not None  # _resolve never returns an empty list
        raise error

    async def _resolve(self, host: str, port: int, timeout: float | None) -> list[IPAddress]:
        try:
            return [ipaddress.ip_address(host.strip("[]"))]
        except ValueError:
            pass  # a name, not an address literal
        try:
            with anyio.fail_after(timeout):
                found = await self._resolver(host, port)
        except TimeoutError:
            raise httpcore.ConnectTimeout(f"resolving {host} timed out") from None
        except OSError as e:
            raise httpcore.ConnectError(f"cannot resolve {host}: {e}") from None
        addresses = [ipaddress.ip_address(a.split("%", 1)[0]) for a in found]
        if not addresses:
            raise httpcore.ConnectError(f"cannot resolve {host}: no address")
        return addresses

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("unix sockets are not fetched")

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


class _PoolTransport(httpx.AsyncHTTPTransport):
    """httpx's transport over a connection pool whose connections open through a backend.

    httpx does not take a network backend yet (encode/httpx#3749): the transport's methods use
    only its `_pool`, so it is given one built with the backend (and a shared SSL context,
    rather than a CA bundle loaded per pool by httpx's __init__, which is not called).
    """

    def __init__(self, pool: httpcore.AsyncConnectionPool) -> None:
        self._pool = pool


class GuardedTransport(httpx.AsyncBaseTransport):
    """Sends each request through the connection pool of its AddressPolicy (the request's
    POLICY_EXTENSION; a request without one may reach public addresses only)."""

    def __init__(
        self, *, resolver: Resolver = system_resolver, limits: httpx.Limits | None = None
    ) -> None:
        self._resolver = resolver
        self._limits = limits or httpx.Limits(max_connections=100, max_keepalive_connections=20)
        self._ssl_context: ssl.SSLContext | None = None  # made for the first https request
        # By policy, and by whether the pool speaks TLS: a pool of plain http connections
        # needs no SSL context, whose CA bundle takes about 20 ms to load.
        self._pools: dict[tuple[AddressPolicy, bool], _PoolTransport] = {}

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        policy = request.extensions.get(POLICY_EXTENSION)
        if not isinstance(policy, AddressPolicy):
            policy = AddressPolicy()
        key = (policy, request.url.scheme != "http")
        pool = self._pools.get(key)
        if pool is None:
            if key[1] and self._ssl_context is None:
                self._ssl_context = httpx.create_ssl_context(trust_env=False)
            pool = self._pools[key] = _PoolTransport(
                httpcore.AsyncConnectionPool(
                    ssl_context=self._ssl_context,
                    max_connections=self._limits.max_connections,
                    max_keepalive_connections=self._limits.max_keepalive_connections,
                    keepalive_expiry=self._limits.keepalive_expiry,
                    network_backend=_GuardedBackend(policy, self._resolver),
                )
            )
        return await pool.handle_async_request(request)

    async def aclose(self) -> None:
        pools, self._pools = list(self._pools.values()), {}
        for pool in pools:
            await pool.aclose()

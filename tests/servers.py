"""Real servers on 127.0.0.1 for tests: an HTTP server whose routes a test sets."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler

from pipeline.demo.loopback import LoopbackHTTPServer

Handler = Callable[[BaseHTTPRequestHandler, "LoopbackServer"], None]


@dataclass
class Route:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    handler: Handler | None = None  # takes over the whole response when set


@dataclass(frozen=True)
class Seen:
    path: str
    headers: dict[str, str]  # names lower-cased


class LoopbackServer:
    """Serves `routes` by path; records every request; `release` frees stalled handlers."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[Seen] = []
        self.release = threading.Event()
        self.done = threading.Event()  # set by handlers that report they finished
        self.bytes_written = 0
        server = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                server.requests.append(
                    Seen(self.path, {k.lower(): v for k, v in self.headers.items()})
                )
                route = server.routes.get(self.path) or server.routes.get(self.path.split("?")[0])
                if route is None:
                    route = Route(404, {"Content-Type": "text/html"}, b"<p>no such page</p>")
                if route.handler is not None:
                    route.handler(self, server)
                    return
                self.send_response(route.status)
                for name, value in route.headers.items():
                    self.send_header(name, value)
                if "Content-Length" not in route.headers:
                    self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                if route.status != 304:
                    self.wfile.write(route.body)

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass  # keep test output clean

        self.httpd = LoopbackHTTPServer(("127.0.0.1", 0), _Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def add(
        self,
        path: str,
        body: bytes | str = b"",
        *,
        status: int = 200,
        headers: dict[str, str] | None = None,
        handler: Handler | None = None,
    ) -> str:
        """Serve `path`; return its full URL."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        hdrs = {"Content-Type": "text/html; charset=utf-8"} if headers is None else headers
        self.routes[path] = Route(status, hdrs, data, handler)
        return self.url(path)


def send_html(handler: BaseHTTPRequestHandler, body: bytes) -> None:
    """Answer a request with `body` as a 200 HTML page (for handlers that take over a route)."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html; charset=utf-8")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


@contextmanager
def loopback_server() -> Iterator[LoopbackServer]:
    """A started LoopbackServer, shut down (and its stalled handlers released) on exit."""
    server = LoopbackServer()
    server.thread.start()
    try:
        yield server
    finally:
        server.release.set()
        server.httpd.shutdown()
        server.httpd.server_close()
        server.thread.join(5)

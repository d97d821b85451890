"""What the demo's loopback servers share: closing as context managers, and serving HTTP on a
thread."""

from __future__ import annotations

import sys
import threading
from http.server import ThreadingHTTPServer
from types import TracebackType
from typing import Self


class Closing:
    """A server that is used as `with X() as x:` and closed on exit."""

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class LoopbackHTTPServer(ThreadingHTTPServer):
    """A threading HTTP server for loopback sites and sinks: a client that hangs up early (a
    connection pool closing, a check cancelled) is normal, not a traceback on stderr."""

    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


class ThreadedHTTP(Closing):
    """Serves `server` (bound to 127.0.0.1) from a daemon thread until `close()`."""

    def __init__(self, server: ThreadingHTTPServer) -> None:
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def close(self) -> None:
        """Stop serving and release the port. Safe to call twice."""
        if self._thread.is_alive():
            self._server.shutdown()
            self._thread.join()
        self._server.server_close()

"""The live status server of `figwatch run --http HOST:PORT`: read-only, on the service's loop.

`/` is the HTML report (refreshing itself, with the service's health on top), `/healthz` a JSON
verdict (HTTP 503 when the scheduler is stuck, the database unreachable or the outbox backing up)
and `/metrics` Prometheus text. A small asyncio HTTP/1.1 server: GET and HEAD only, one request
per connection. It reads the database through its own read-only engine, so a probe never
writes and a vanished SQLite file is reported, not silently created again.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import json
import logging
import re
import sqlite3
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from sqlalchemy import Engine, create_engine, func
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool
from sqlmodel import Session, col, select

from alerts.redact import mask_urls_in
from pipeline.metrics import DatabaseCollector, ScheduleCollector, exposition, metrics_registry
from storage.db import first_line, make_engine, session_factory
from storage.models import Delivery

if TYPE_CHECKING:
    from pipeline.service import App

log = logging.getLogger(__name__)

STUCK_AFTER = timedelta(seconds=60)  # no heartbeat for this long: the scheduler is stuck
OUTBOX_LATE = timedelta(minutes=10)  # a delivery due this long ago and not sent: backing up
OUTBOX_MAX = 1000  # or this many waiting
REFRESH = 60  # seconds between reloads of the status page
READ_TIMEOUT = 10.0
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def parse_listen(text: str) -> tuple[str, int]:
    """'127.0.0.1:8080', '[::1]:8080', 'localhost:8080' or '8080' (loopback) as (host, port).

    Raises ValueError for anything else.
    """
    m = re.fullmatch(r"(?:\[(?P<v6>[0-9a-fA-F:.]+)\]|(?P<host>[A-Za-z0-9.-]+)):(?P<port>\d+)", text)
    if m is None and text.isdigit():
        return "127.0.0.1", _port(text)
    if m is None:
        raise ValueError(f"invalid listen address {text!r} (use e.g. 127.0.0.1:8080)")
    return m["v6"] or m["host"], _port(m["port"])


def _port(text: str) -> int:
    port = int(text)
    if not 0 <= port <= 65535:
        raise ValueError(f"invalid port {port}")
    return port


def probe_engine(url: str) -> Engine:
    """A read-only engine on the service's database: SQLite opened read-only and afresh for
    each session (a moved or deleted file is an error, not a new empty database)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return make_engine(url)
    uri = f"file:{quote(str(Path(parsed.database or '').expanduser().resolve()))}?mode=ro"
    return create_engine(
        "sqlite://",
        creator=lambda: sqlite3.connect(uri, uri=True, timeout=5, check_same_thread=False),
        poolclass=NullPool,
    )


@dataclass(frozen=True, slots=True)
class Health:
    """One verdict per check ('ok' or what is wrong) and the outbox's depth."""

    checks: dict[str, str]
    outbox_pending: int | None

    @property
    def ok(self) -> bool:
        return all(v == "ok" for v in self.checks.values())

    def to_json(self) -> dict[str, object]:
        return {
            "status": "ok" if self.ok else "unhealthy",
            "checks": self.checks,
            "outbox_pending": self.outbox_pending,
        }


def check_health(
    session_factory: Callable[[], Session], *, heartbeat: datetime | None, now: datetime
) -> Health:
    """The service's health: scheduler, database, outbox (blocking: it reads the database)."""
    checks = {"scheduler": "ok", "database": "ok", "outbox": "ok"}
    if heartbeat is None:
        checks["scheduler"] = "not started"
    elif now - heartbeat > STUCK_AFTER:
        checks["scheduler"] = f"stuck: no heartbeat for {int((now - heartbeat).total_seconds())}s"
    pending: int | None = None
    try:
        with session_factory() as session:
            pending, oldest = session.exec(
                select(func.count(), func.min(Delivery.next_attempt_at)).where(
                    col(Delivery.status) == "pending"
                )
            ).one()
    except SQLAlchemyError as e:
        checks["database"] = f"unreachable: {_first_line(e)}"
        checks["outbox"] = "unknown"
        return Health(checks, None)
    late = oldest is not None and now - oldest > OUTBOX_LATE
    if pending > OUTBOX_MAX or late:
        due = f", the oldest due for {int((now - oldest).total_seconds() // 60)}m" if late else ""
        checks["outbox"] = f"backing up: {pending} deliveries waiting{due}"
    return Health(checks, pending)


class StatusServer:
    """Answers `/`, `/healthz` and `/metrics` for one App."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.engine = probe_engine(app.config.database)
        self.sessions = session_factory(self.engine)
        self.registry = metrics_registry(
            DatabaseCollector(self.sessions, heartbeat=lambda: app.heartbeat, clock=app.clock),
            ScheduleCollector(lambda: app.schedule),
        )
        self.port = 0

    def health(self) -> Health:
        return check_health(self.sessions, heartbeat=self.app.heartbeat, now=self.app.clock())

    def page(self, health: Health) -> str:
        from pipeline.report import gather, render_html
        from pipeline.viewcommands import configured_sources

        with self.sessions() as session:
            data = gather(
                session=session,
                now=self.app.clock(),
                configured=configured_sources(self.app.config),
                changes_limit=200,
            )
        return render_html(replace(data, status=health.checks), refresh=REFRESH)

    async def respond(self, path: str) -> tuple[int, str, bytes]:
        """(status, content type, body) for a GET of `path`."""
        if path == "/healthz":
            health = await asyncio.to_thread(self.health)
            body = json.dumps(health.to_json(), indent=2).encode()
            return (200 if health.ok else 503), "application/json", body
        if path == "/metrics":
            body = await asyncio.to_thread(exposition, self.registry)
            return 200, "text/plain; version=0.0.4; charset=utf-8", body
        if path in ("/", "/index.html"):
            health = await asyncio.to_thread(self.health)
            if health.checks["database"] != "ok":
                text = f"figwatch: database {health.checks['database']}"
                return 503, "text/plain; charset=utf-8", text.encode()
            html = await asyncio.to_thread(self.page, health)
            return 200, "text/html; charset=utf-8", html.encode()
        return 404, "text/plain; charset=utf-8", b"not found\n"

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), READ_TIMEOUT)
            method, target, _ = head.split(b"\r\n", 1)[0].decode("latin-1").split(" ", 2)
            path = target.split("?", 1)[0]
            if method not in ("GET", "HEAD"):
                status, ctype, body = 405, "text/plain; charset=utf-8", b"read-only\n"
            else:
                status, ctype, body = await self.respond(path)
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError, ValueError):
            status, ctype, body, method = 400, "text/plain; charset=utf-8", b"bad request\n", ""
        except Exception:  # noqa: BLE001 - one bad request must not stop the server
            log.exception("status page: internal error")
            status, ctype, body, method = 500, "text/plain; charset=utf-8", b"error\n", ""
        headers = {"Content-Type": ctype, "Content-Length": str(len(body)), **SECURITY_HEADERS}
        if ctype.startswith("text/html"):
            from pipeline.report import CSP

            headers["Content-Security-Policy"] = CSP
        lines = [f"HTTP/1.1 {status} {_REASONS.get(status, '')}"]
        lines += [f"{k}: {v}" for k, v in headers.items()] + ["Connection: close", "", ""]
        writer.write("\r\n".join(lines).encode("latin-1") + (b"" if method == "HEAD" else body))
        with contextlib.suppress(ConnectionError):
            await writer.drain()
        writer.close()
        with contextlib.suppress(ConnectionError):
            await writer.wait_closed()


_REASONS = {200: "OK", 400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed",
            500: "Internal Server Error", 503: "Service Unavailable"}  # fmt: skip


@contextlib.asynccontextmanager
async def status_server(app: App, listen: str | None) -> AsyncIterator[StatusServer | None]:
    """Serve the status page on `listen` (HOST:PORT) while the block runs; nothing when None."""
    if listen is None:
        yield None
        return
    host, port = parse_listen(listen)
    status = StatusServer(app)
    server = await asyncio.start_server(status.handle, host, port)
    status.port = server.sockets[0].getsockname()[1]
    log.info("status page on http://%s:%d/ (read-only)", host, status.port)
    if not _loopback(host):
        log.warning("status page: %s is reachable from other machines", host)
    try:
        yield status
    finally:
        server.close()
        await server.wait_closed()
        status.engine.dispose()


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def _first_line(e: BaseException) -> str:
    """The database error's own first line (not SQLAlchemy's wrapper), its URLs masked."""
    return mask_urls_in(first_line(getattr(e, "orig", None) or e))

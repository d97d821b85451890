"""Real things for the alert tests: a SQLite file, an HTTP receiver and SMTP servers on loopback."""

from __future__ import annotations

import asyncio
import os
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, cast
from urllib.parse import quote

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from sqlalchemy import Engine, text
from sqlmodel import Session, SQLModel, create_engine

from storage.models import Change, Fetch, Source

PG_ENV = "FIGWATCH_TEST_DATABASE_URL"
T0 = datetime(2025, 1, 14, 9, 10, tzinfo=UTC)


class Clock:
    """An injected clock that only moves when a test says so."""

    def __init__(self, start: datetime = T0) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """The tables made by create_all: in a SQLite file, and in a fresh PostgreSQL schema when
    FIGWATCH_TEST_DATABASE_URL names a server (as .ci/run does)."""
    if request.param == "sqlite":
        eng = create_engine(f"sqlite:///{tmp_path / 'figwatch.db'}")
        SQLModel.metadata.create_all(eng)
        yield eng
        eng.dispose()
        return
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"PostgreSQL tests need {PG_ENV}")
    admin = create_engine(base)
    schema = f"fw_alerts_{uuid.uuid4().hex[:10]}"
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as e:  # noqa: BLE001 - an unreachable server is a skip, not an error
        admin.dispose()
        pytest.skip(f"PostgreSQL at {PG_ENV} is not reachable: {str(e).splitlines()[0]}")
    sep = "&" if "?" in base else "?"
    eng = create_engine(f"{base}{sep}options={quote(f'-csearch_path={schema}')}")
    try:
        SQLModel.metadata.create_all(eng)
        yield eng
    finally:
        eng.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def sessions(engine: Engine) -> Callable[[], Session]:
    def make() -> Session:
        return Session(engine, expire_on_commit=False)

    return make


@pytest.fixture
def add_change(sessions: Callable[[], Session]) -> Callable[..., Change]:
    """Insert a source, a fetch and one change (committed); return the change."""
    counter = iter(range(1, 10_000))

    def add(
        kind: str = "changed",
        *,
        url: str = "https://www.example-news.test/war/item-1",
        sentence: str = "Officials said more than 3 800 soldiers had been killed or wounded.",
        detected_at: datetime = T0,
        **values: Any,
    ) -> Change:
        n = next(counter)
        with sessions() as session:
            source = Source(name=f"src-{n}", url=url, created_at=detected_at)
            session.add(source)
            session.flush()
            assert source.id is not None
            fetch = Fetch(source_id=source.id, started_at=detected_at, outcome="changed")
            session.add(fetch)
            session.flush()
            assert fetch.id is not None
            fields: dict[str, Any] = {
                "category": "killed_or_wounded",
                "subject": "soldiers",
                "claimant": "the ministry",
            }
            if kind in ("changed", "removed"):
                fields |= {
                    "old_value": 3000,
                    "old_qualifier": "more_than",
                    "old_sentence": "Officials said more than 3,000 soldiers were hurt or dead.",
                }
            if kind in ("changed", "new"):
                fields |= {
                    "new_value": 3800,
                    "new_qualifier": "more_than",
                    "new_sentence": sentence,
                }
            fields |= values
            change = Change(
                source_id=source.id,
                fetch_id=fetch.id,
                key=f"k{n}",
                kind=kind,
                detected_at=detected_at,
                **fields,
            )
            session.add(change)
            session.commit()
            return change

    return add


# --- HTTP webhook receiver -------------------------------------------------------------------


@dataclass
class Recorded:
    path: str
    headers: dict[str, str]
    body: bytes
    status: int


@dataclass
class Receiver:
    url: str
    script: list[int] = field(default_factory=list)  # statuses to answer, then 200
    requests: list[Recorded] = field(default_factory=list)
    extra_headers: dict[str, str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def next_status(self) -> int:
        with self.lock:
            return self.script.pop(0) if self.script else 200

    @property
    def ok(self) -> list[Recorded]:
        return [r for r in self.requests if 200 <= r.status < 300]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            status = state.next_status()
            with state.lock:
                state.requests.append(Recorded(self.path, dict(self.headers), body, status))
            self.send_response(status)
            for key, value in state.extra_headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/figwatch"
    # A short poll interval keeps shutdown() from idling half a second per test.
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def closed_port() -> int:
    """A loopback port with nothing listening (bound, then released)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# --- SMTP servers ----------------------------------------------------------------------------


class Collector:
    """aiosmtpd handler: answers DATA with the scripted replies first, then 250; keeps envelopes."""

    def __init__(self, script: list[str] | None = None) -> None:
        self.script = list(script or [])
        self.envelopes: list[Any] = []
        self.tls: list[bool] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        if self.script:
            return self.script.pop(0)
        self.envelopes.append(envelope)
        # session.ssl is set by STARTTLS only; the transport knows about implicit TLS too.
        self.tls.append(server.transport.get_extra_info("cipher") is not None)
        return "250 OK"


class LoopbackController(Controller):
    """aiosmtpd Controller on 127.0.0.1 with an OS-chosen port (port 0)."""

    def _trigger_server(self) -> None:
        assert self.server is not None
        server = cast(asyncio.Server, self.server)
        self.port = server.sockets[0].getsockname()[1]
        super()._trigger_server()


USER, PASSWORD = "desk", "p@ss/w:rd"


def _authenticator(
    server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and (
        auth_data.login.decode() == USER and auth_data.password.decode() == PASSWORD
    )
    return AuthResult(success=ok, handled=False)


@pytest.fixture
def smtp_factory() -> Iterator[Callable[..., tuple[LoopbackController, Collector]]]:
    started: list[LoopbackController] = []

    def start(
        script: list[str] | None = None, **kwargs: Any
    ) -> tuple[LoopbackController, Collector]:
        handler = Collector(script)
        if kwargs.pop("auth", False):
            kwargs |= {"authenticator": _authenticator, "auth_required": True}
            kwargs.setdefault("auth_require_tls", False)
        controller = LoopbackController(
            handler, hostname="127.0.0.1", port=0, loop=asyncio.new_event_loop(), **kwargs
        )
        controller.start()
        started.append(controller)
        return controller, handler

    yield start
    for controller in started:
        controller.stop()

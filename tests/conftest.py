"""Fixtures shared by every test package: databases (a real SQLite file, and PostgreSQL when
FIGWATCH_TEST_DATABASE_URL names one) and the path to ../shared."""

from __future__ import annotations

import ipaddress
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpcore
import pytest
from sqlalchemy import Engine, text

from pipeline.demo.sinks import SmtpSink, WebhookSink
from pipeline.figures.compiled import stale_modules
from storage.db import make_engine, migrate
from tests.servers import LoopbackServer, loopback_server

REPO = Path(__file__).resolve().parents[1]
SHARED = (REPO / ".." / "shared").resolve()
PG_ENV = "FIGWATCH_TEST_DATABASE_URL"


def pytest_sessionstart(session: pytest.Session) -> None:
    """Refuse to test compiled extractor modules older than their source: the edit would not run."""
    stale = stale_modules()
    if stale:
        pytest.exit(
            f"pipeline/figures: {', '.join(stale)} changed after they were compiled with mypyc; "
            "rebuild with `make install` (or `pip install -e .`) before testing",
            returncode=2,
        )


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} is missing: the shared data sits beside the checkout")
    return SHARED


def _pg_url(schema: str) -> str:
    base = os.environ[PG_ENV]
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options={quote(f'-csearch_path={schema}')}"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A migrated, empty database: a SQLite file, and a fresh PostgreSQL schema when configured."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'figwatch.db'}"
        migrate(make_engine(url))
        yield url
        return
    if not os.environ.get(PG_ENV):
        pytest.skip(
            f"PostgreSQL tests need {PG_ENV} (e.g. postgresql+psycopg://postgres@127.0.0.1/test)"
        )
    admin = make_engine(os.environ[PG_ENV])
    schema = f"fw_{uuid.uuid4().hex[:12]}"
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as e:  # noqa: BLE001 - an unreachable server is a skip, not an error
        pytest.skip(f"PostgreSQL at {PG_ENV} is not reachable: {str(e).splitlines()[0]}")
    url = _pg_url(schema)
    engine = make_engine(url)
    migrate(engine)
    engine.dispose()
    try:
        yield url
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def http_server() -> Iterator[LoopbackServer]:
    """An HTTP server on 127.0.0.1 serving the routes a test adds."""
    with loopback_server() as server:
        yield server


@pytest.fixture
def smtp() -> Iterator[SmtpSink]:
    """An SMTP server on 127.0.0.1 that keeps what it receives."""
    with SmtpSink() as sink:
        yield sink


@pytest.fixture
def hook() -> Iterator[WebhookSink]:
    """A webhook receiver on 127.0.0.1 that keeps each POST and answers as scripted."""
    with WebhookSink() as sink:
        yield sink


@pytest.fixture
def connects(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The addresses fetches connect to; a connection outside loopback fails the test (and
    is never made): for tests of redirects to internal addresses."""
    seen: list[str] = []
    real = httpcore.AnyIOBackend.connect_tcp

    async def loopback_only(self: Any, host: str, port: int, **kwargs: Any) -> Any:
        seen.append(host)
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
        assert loopback, f"test tried to connect to {host}"
        return await real(self, host, port, **kwargs)

    monkeypatch.setattr(httpcore.AnyIOBackend, "connect_tcp", loopback_only)
    yield seen

"""Fixtures shared by every test package: databases (a real SQLite file, and PostgreSQL when
FIGWATCH_TEST_DATABASE_URL names one) and the path to ../shared."""

from __future__ import annotations

import ipaddress
import os
import shutil
import ssl
import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from sqlalchemy import Engine, text

from pipeline import addresses
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
    real = addresses._connect

    async def loopback_only(host: str, port: int, *args: Any) -> Any:
        seen.append(host)
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
        assert loopback, f"test tried to connect to {host}"
        return await real(host, port, *args)

    monkeypatch.setattr(addresses, "_connect", loopback_only)
    yield seen


@dataclass(frozen=True)
class Certs:
    server: ssl.SSLContext  # serves the self-signed certificate
    client: ssl.SSLContext  # trusts it


@pytest.fixture(scope="session")
def certs(tmp_path_factory: pytest.TempPathFactory) -> Certs:
    """A self-signed certificate for 127.0.0.1, made with the openssl command at test time."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl command not available: TLS paths untested")
    d = tmp_path_factory.mktemp("tls")
    cert, key = d / "cert.pem", d / "key.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(cert, key)
    client = ssl.create_default_context(cafile=str(cert))
    return Certs(server=server, client=client)

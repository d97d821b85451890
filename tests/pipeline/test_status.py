"""The live status server over a real socket on loopback: `/healthz`, `/metrics`, `/`.

The server runs in-process on the service's event loop, against a database that the test makes
unreachable (the SQLite file moved away, the PostgreSQL schema renamed) and then brings back.
Time is the hand-moved clock: a stuck scheduler is a heartbeat left old, never a sleep.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import text
from sqlalchemy.engine import make_url

from pipeline.demo.sinks import SmtpSink, WebhookSink
from pipeline.service import App, open_app
from pipeline.status import parse_listen, status_server
from storage.db import make_engine
from tests.conftest import PG_ENV
from tests.e2e.conftest import Clock
from tests.e2e.news import page
from tests.e2e.test_pipeline import config_for
from tests.servers import LoopbackServer

HOSTILE = "<script>alert(1)</script>"


def outage(database_url: str) -> tuple[Callable[[], None], Callable[[], None]]:
    """(cut, restore): make the database unreachable for a new connection, then bring it back."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        assert url.database is not None
        files = [Path(url.database + s) for s in ("", "-wal", "-shm")]

        def cut() -> None:
            for f in files:
                if f.exists():
                    f.rename(f.with_name(f.name + ".away"))

        def restore() -> None:
            for f in files:
                away = f.with_name(f.name + ".away")
                if away.exists():
                    away.rename(f)

        return cut, restore
    admin = make_engine(os.environ[PG_ENV])
    with make_engine(database_url).connect() as conn:
        schema = conn.execute(text("SELECT current_schema()")).scalar_one()

    def rename(old: str, new: str) -> None:
        with admin.begin() as conn:
            conn.execute(text(f'ALTER SCHEMA "{old}" RENAME TO "{new}"'))

    return (lambda: rename(schema, schema + "_away")), (lambda: rename(schema + "_away", schema))


def metric_value(body: str, name: str, **labels: str) -> float:
    for family in text_string_to_metric_families(body):
        for sample in family.samples:
            if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items()):
                return float(sample.value)
    raise AssertionError(f"no sample {name} {labels}")


def run_with_status(
    database_url: str,
    site: LoopbackServer,
    smtp: SmtpSink,
    hook: WebhookSink,
    clock: Clock,
    body: Callable[[App, httpx.AsyncClient], Awaitable[None]],
) -> None:
    config = config_for(database_url, site, smtp, hook, defaults={"alert_on_first_check": True})

    async def go() -> None:
        async with open_app(config, clock=clock) as app, status_server(app, "127.0.0.1:0") as st:
            assert st is not None and st.port
            base = f"http://127.0.0.1:{st.port}"
            async with httpx.AsyncClient(base_url=base, timeout=30) as client:
                await body(app, client)

    asyncio.run(go())


@pytest.fixture
def clock() -> Clock:
    return Clock()


def test_healthz_follows_the_database_out_and_back(
    database_url: str,
    http_server: LoopbackServer,
    smtp: SmtpSink,
    hook: WebhookSink,
    clock: Clock,
) -> None:
    http_server.add(
        "/news/marden",
        page([f"{HOSTILE} At least 12 civilians were killed, officials said."], updated="9:00"),
    )
    cut, restore = outage(database_url)

    async def body(app: App, client: httpx.AsyncClient) -> None:
        [result] = await app.runner.check_all(app.jobs())  # queued, not yet delivered
        assert result.figures == 1 and result.alerts == 2
        await app.drain()
        app.beat()
        healthy = await client.get("/healthz")
        assert healthy.status_code == 200, healthy.text
        assert healthy.json() == {
            "status": "ok",
            "checks": {"scheduler": "ok", "database": "ok", "outbox": "ok"},
            "outbox_pending": 0,
        }
        metrics = await client.get("/metrics")
        assert metrics.status_code == 200
        m = metrics.text
        assert metric_value(m, "figwatch_checks_total", source="marden", outcome="changed") == 1
        assert metric_value(m, "figwatch_changes_total", source="marden", kind="new") == 1
        assert metric_value(m, "figwatch_deliveries", channel="desk-hook", status="sent") == 1
        assert metric_value(m, "figwatch_outbox_depth") == 0
        assert metric_value(m, "figwatch_check_duration_seconds_count", source="marden") == 1
        assert metric_value(m, "figwatch_database_up") == 1

        page_ = await client.get("/")
        assert page_.status_code == 200
        assert "<script" not in page_.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in page_.text
        assert "Content-Security-Policy" in page_.headers

        cut()
        try:
            down = await client.get("/healthz")
            assert down.status_code == 503
            assert down.json()["checks"]["database"].startswith("unreachable: ")
            assert down.json()["checks"]["scheduler"] == "ok"
            metrics = await client.get("/metrics")
            assert metrics.status_code == 200
            assert metric_value(metrics.text, "figwatch_database_up") == 0
            assert (await client.get("/")).status_code == 503
        finally:
            restore()
        back = await client.get("/healthz")
        assert back.status_code == 200, back.text

    run_with_status(database_url, http_server, smtp, hook, clock, body)


def test_healthz_says_when_the_scheduler_is_stuck_or_the_outbox_backs_up(
    database_url: str,
    http_server: LoopbackServer,
    smtp: SmtpSink,
    hook: WebhookSink,
    clock: Clock,
) -> None:
    http_server.add("/news/marden", page(["At least 12 civilians were killed."], updated="9:00"))

    async def body(app: App, client: httpx.AsyncClient) -> None:
        assert (await client.get("/healthz")).json()["checks"]["scheduler"] == "not started"
        app.beat()
        clock.advance(minutes=5)
        stuck = await client.get("/healthz")
        assert stuck.status_code == 503
        assert stuck.json()["checks"]["scheduler"] == "stuck: no heartbeat for 300s"
        [result] = await app.runner.check_all(app.jobs())
        assert result.alerts == 2  # two deliveries due now, never drained
        app.beat()
        assert (await client.get("/healthz")).status_code == 200
        clock.advance(minutes=11)
        app.beat()
        late = await client.get("/healthz")
        assert late.status_code == 503
        assert late.json()["checks"] == {
            "scheduler": "ok",
            "database": "ok",
            "outbox": "backing up: 2 deliveries waiting, the oldest due for 11m",
        }
        assert late.json()["outbox_pending"] == 2
        assert (await client.post("/healthz")).status_code == 405  # read-only
        assert (await client.get("/nothing")).status_code == 404

    run_with_status(database_url, http_server, smtp, hook, clock, body)


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("127.0.0.1:8080", ("127.0.0.1", 8080)),
        ("[::1]:9000", ("::1", 9000)),
        ("8080", ("127.0.0.1", 8080)),
        ("0.0.0.0:80", ("0.0.0.0", 80)),
    ],
)
def test_parse_listen(text: str, address: tuple[str, int]) -> None:
    assert parse_listen(text) == address


@pytest.mark.parametrize("text", ["", "localhost", "1.2.3.4:99999", "a b:80"])
def test_parse_listen_refuses(text: str) -> None:
    with pytest.raises(ValueError):
        parse_listen(text)


def test_http_listen_config_key(tmp_path: Path) -> None:
    from pipeline.config import ConfigError, load_config

    good = tmp_path / "good.toml"
    good.write_text('[http]\nlisten = "127.0.0.1:8080"\n', encoding="utf-8")
    assert load_config(good, env={}).http.listen == "127.0.0.1:8080"
    bad = tmp_path / "bad.toml"
    bad.write_text('[http]\nlisten = "everywhere"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"http\.listen"):
        load_config(bad, env={})


def test_no_secret_on_any_page(
    database_url: str,
    http_server: LoopbackServer,
    smtp: SmtpSink,
    hook: WebhookSink,
    clock: Clock,
) -> None:
    from pipeline.config import Config
    from tests.e2e.test_pipeline import SECRET

    http_server.add("/news/marden", page(["At least 12 civilians were killed."], updated="9:00"))
    config = Config.model_validate(
        {
            "database": database_url,
            "sources": [{"name": "marden", "url": http_server.url("/news/marden?token=s3cr3t")}],
            "alerts": [{"type": "webhook", "name": "desk-hook", "url": hook.url + "?key=h00k",
                        "secret": SECRET}],
        }
    )  # fmt: skip

    async def go() -> None:
        async with open_app(config, clock=clock) as app, status_server(app, "127.0.0.1:0") as st:
            assert st is not None
            [result] = await app.check()
            assert result.figures == 1
            app.beat()
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{st.port}") as client:
                pages = {p: (await client.get(p)).text for p in ("/", "/healthz", "/metrics")}
        assert "token=***" in pages["/"]
        for path, body in pages.items():
            for secret in ("s3cr3t", "h00k", SECRET, SECRET.removeprefix("whsec_")):
                assert secret not in body, (path, secret)

    asyncio.run(go())

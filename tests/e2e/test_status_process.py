"""`figwatch run --http` as a user runs it: a real process serving its status on loopback."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from pipeline.demo.sinks import SmtpSink, WebhookSink
from tests.e2e.news import page
from tests.e2e.test_pipeline import INTRO, SECRET, toll
from tests.e2e.test_processes import figwatch, write_config
from tests.servers import LoopbackServer


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_run_serves_healthz_metrics_and_the_page(
    tmp_path: Path, site: LoopbackServer, smtp: SmtpSink, hook: WebhookSink
) -> None:
    database = f"sqlite:///{tmp_path / 'figwatch.db'}"
    config = write_config(tmp_path / "figwatch.toml", database, site, smtp, hook)
    with config.open("a", encoding="utf-8") as f:
        f.write('\n[defaults]\njitter = "1s"\n')  # the first check comes at once
    site.add("/news/marden", page([INTRO, "<script>x()</script> " + toll(12, 30)], updated="9:00"))
    port = free_port()
    service = subprocess.Popen(
        [sys.executable, "-m", "pipeline.cli", "--config", str(config), "run",
         "--http", f"127.0.0.1:{port}"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "HOOK_SECRET": SECRET},
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60  # a readiness poll, not a wait for a clock
        health = None
        while time.monotonic() < deadline and service.poll() is None:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5)
                metrics = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
                if health.status_code == 200 and 'outcome="changed"' in metrics:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        assert health is not None and health.status_code == 200, health and health.text
        assert 'figwatch_checks_total{outcome="changed",source="marden"} 1.0' in metrics
        index = httpx.get(f"http://127.0.0.1:{port}/", timeout=10)
        assert index.status_code == 200 and "marden" in index.text
        assert "&lt;script&gt;x()&lt;/script&gt;" in index.text and "<script" not in index.text
        with socket.create_connection(("127.0.0.1", port)) as raw:  # bound to loopback only
            assert raw.getpeername()[0] == "127.0.0.1"
    finally:
        service.send_signal(signal.SIGTERM)
        out, err = service.communicate(timeout=60)
    assert service.returncode == 0, err
    assert f"status page on http://127.0.0.1:{port}/" in err


def test_run_refuses_a_bad_listen_address(tmp_path: Path) -> None:
    config = tmp_path / "figwatch.toml"
    config.write_text(
        'database = "sqlite:///x.db"\n[[sources]]\nname = "a"\nurl = "http://127.0.0.1:9/"\n',
        encoding="utf-8",
    )
    result = figwatch("--config", str(config), "run", "--http", "everywhere")
    assert result.returncode == 2
    assert "invalid listen address 'everywhere'" in result.stderr

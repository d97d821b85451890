"""A source URL that carries secrets (user:password@, ?token=): no recipient or reader sees them.

Real processes (`figwatch check`, `figwatch history`), a real SMTP server and a real webhook
receiver on loopback; the database keeps the URL exactly as configured.
"""

from __future__ import annotations

import json
from email.message import EmailMessage
from pathlib import Path

from sqlmodel import select

from pipeline.demo.sinks import SmtpSink, WebhookSink
from storage.db import make_engine, session_factory
from storage.models import Source
from tests.e2e.news import page
from tests.e2e.test_pipeline import INTRO, toll
from tests.e2e.test_processes import figwatch, write_config
from tests.servers import LoopbackServer

PASSWORD = "pw-s3cret-77"
TOKEN = "tok-s3cret-99"


def _secret_url(site: LoopbackServer) -> str:
    plain = site.url(f"/news/marden?token={TOKEN}&id=5")
    return plain.replace("http://", f"http://reader:{PASSWORD}@")


def _mail_text(message: EmailMessage) -> str:
    """Every header and every decoded body part: what the recipient can read."""
    parts = [f"{k}: {v}" for k, v in message.items()]
    for part in message.walk():
        if not part.is_multipart():
            parts.append(str(part.get_content()))
    return "\n".join(parts) + "\n" + message.as_string()


def test_secrets_in_a_source_url_reach_no_alert_and_no_history_output(
    database_url: str, site: LoopbackServer, smtp: SmtpSink, hook: WebhookSink, tmp_path: Path
) -> None:
    url = _secret_url(site)
    config = write_config(tmp_path / "figwatch.toml", database_url, site, smtp, hook)
    gone = url.replace("/news/marden", "/news/gone")  # a 404: its error names the URL
    config.write_text(
        config.read_text().replace(site.url("/news/marden"), url)
        + f'\n[[sources]]\nname = "gone"\nurl = "{gone}"\n'
        + "\n[defaults]\nalert_on_first_check = true\n",
        encoding="utf-8",
    )
    site.add("/news/marden", page([INTRO, toll(12, 30)], updated="09:00"))

    checked = figwatch("--config", str(config), "check")
    assert checked.returncode == 1, checked.stderr  # the 404
    assert "gone: error" in checked.stdout
    mails, posts = smtp.wait_for(2), hook.wait_for(2)
    assert mails and posts

    printed = checked.stdout + checked.stderr
    assert PASSWORD not in printed and TOKEN not in printed
    for message in mails:
        text = _mail_text(message)
        assert PASSWORD not in text and TOKEN not in text, text
        assert "id=5" in text and "token=***" in text, text  # the link is there, masked
    for post in posts:
        body = post.body.decode()
        assert PASSWORD not in body and TOKEN not in body, body
        assert post.json["url"] == site.url("/news/marden?token=***&id=5").replace(
            "http://", "http://reader:***@"
        )

    for fmt in ("table", "json", "csv"):
        history = figwatch("--config", str(config), "history", "--format", fmt)
        assert history.returncode == 0, history.stderr
        assert PASSWORD not in history.stdout + history.stderr
        assert TOKEN not in history.stdout + history.stderr
    rows = json.loads(figwatch("--config", str(config), "history", "--format", "json").stdout)
    assert rows and all("token=***" in row["url"] for row in rows)

    engine = make_engine(database_url)
    with session_factory(engine)() as session:
        stored = {s.name: s.url for s in session.exec(select(Source))}
        assert stored == {"marden": url, "gone": gone}  # stored exactly
    engine.dispose()

"""`figwatch demo`: the real pipeline, a few cycles, on the bundled local news site.

The site, an SMTP sink and a webhook receiver all listen on 127.0.0.1. Each cycle moves the site
to its next version, runs one check of every article (the same `App.check` that `figwatch check`
and the service run), and prints each alert as a channel delivers it. At the end it prints the
history and compares the alerts with the changes the site's authors wrote down.
"""

from __future__ import annotations

import asyncio
import base64
import secrets
import sys
from collections import Counter
from pathlib import Path
from typing import TextIO

from alerts.message import AlertMessage
from alerts.render import summary
from pipeline.config import Config
from pipeline.demo.content import VERSIONS, ExpectedChange, expected_changes
from pipeline.demo.sinks import SmtpSink, WebhookSink
from pipeline.demo.site import DemoSite
from pipeline.history import change_rows, render
from pipeline.runner import CheckResult
from pipeline.service import open_app
from pipeline.words import plural

Tally = Counter[tuple[str, str, str, int | None, int | None]]


def demo_config(site: DemoSite, smtp: SmtpSink, hook: WebhookSink, database: Path) -> Config:
    secret = "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()
    return Config.model_validate(
        {
            "database": f"sqlite:///{database}",
            "sources": [{"name": f"demo-{slug}", "url": site.url(slug)} for slug in site.slugs],
            "alerts": [
                {"type": "webhook", "name": "demo-hook", "url": hook.url, "secret": secret},
                {"type": "email", "name": "demo-mail", "smtp": smtp.url, "starttls": "off",
                 "from": "figwatch@localhost", "to": ["desk@localhost"]},
            ],
            "outbox": {"backoff": "1s"},
        }
    )  # fmt: skip


def run_demo(database: Path, *, out: TextIO = sys.stdout) -> int:
    """Run the demo into the SQLite file `database` (replaced if it exists); 0 when every alert
    matches the site's written-down changes, 1 otherwise."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    return asyncio.run(_demo(database.resolve(), out))


async def _demo(database: Path, out: TextIO) -> int:
    seen: Tally = Counter()

    def delivered(message: AlertMessage, channel: str) -> None:
        print(f"  alert via {channel}: {summary(message)}", file=out, flush=True)
        if channel == "demo-hook":
            seen[_tally_key(message)] += 1

    with DemoSite() as site, SmtpSink() as smtp, WebhookSink() as hook:
        config = demo_config(site, smtp, hook, database)
        print(
            f"figwatch demo: news site at {site.base_url}, {len(site.slugs)} articles; "
            f"SMTP sink at {smtp.url}; webhook receiver at {hook.url}",
            file=out,
        )
        expected: Tally = Counter()
        async with open_app(config) as app:
            app.on_delivered = delivered
            for version in range(VERSIONS):
                site.set_version(version)
                print(
                    f"\ncycle {version + 1}/{VERSIONS}: site at version {version}",
                    file=out,
                    flush=True,
                )
                for result in await app.check():
                    print(f"  {result.source}: {_describe(result)}", file=out, flush=True)
                if version:
                    for slug in site.slugs:
                        for change in expected_changes(slug, version - 1, version):
                            expected[_expected_key(slug, change)] += 1
            with app.session_factory() as session:
                rows = change_rows(session=session, source=None, limit=None)
        print(f"\nhistory ({database}):", file=out)
        print(render(rows, "table", current=False), file=out)
        mails = len(smtp.messages)
        posts = len(hook.requests)
    print(f"\n{plural(posts, 'webhook post')} and {plural(mails, 'email')} received.", file=out)
    if seen == expected:
        print(
            f"All {plural(sum(seen.values()), 'alert')} match the changes the demo site made; "
            "nothing alerted for layout-only versions.",
            file=out,
        )
        print(f"Review the history: figwatch history --database sqlite:///{database}", file=out)
        return 0
    print("MISMATCH between alerts and the site's changes:", file=out)
    for key in sorted(set(seen) | set(expected), key=str):
        if seen[key] != expected[key]:
            print(f"  {key}: alerted {seen[key]}, expected {expected[key]}", file=out)
    return 1


def _describe(result: CheckResult) -> str:
    if result.outcome == "error":
        return f"error: {result.error}"
    if result.outcome != "changed":
        return result.outcome.replace("_", " ")
    if result.baseline:
        return f"{plural(result.figures, 'figure')} recorded as the baseline (no alerts)"
    return f"{plural(result.figures, 'figure')}, {plural(result.changes, 'change')}"


def _tally_key(message: AlertMessage) -> tuple[str, str, str, int | None, int | None]:
    kind = message.type.removeprefix("figure.")
    fig = message.figure or message.previous
    assert fig is not None
    old = message.previous.value if message.previous else None
    new = message.figure.value if message.figure else None
    return (message.source.removeprefix("demo-"), kind, fig.category, old, new)


def _expected_key(
    slug: str, change: ExpectedChange
) -> tuple[str, str, str, int | None, int | None]:
    fig = change.after or change.before
    assert fig is not None
    old = change.before.value if change.before else None
    new = change.after.value if change.after else None
    return (slug, change.kind, fig.category.value, old, new)

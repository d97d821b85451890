"""Real published passages edited as desks edit them, checked for real: each passage of
news.jsonl (read from ../shared) is served as a news page, checked once for its baseline, then
edited (bench.identity's edits: a toll raised wherever the text writes it, the last sentence
with figures dropped, words swapped for their synonyms) and checked again; the alerts that
reach the webhook receiver must be the ones the edit should raise. This is the path of
`figwatch check` end to end (article text from HTML, extraction, diff, outbox, webhook), where
tests/figures/test_identity_edits.py holds the diff of the bare texts."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from bench.identity import CHANGES, EDITS, Alert
from pipeline.config import Config
from pipeline.demo.sinks import WebhookSink
from pipeline.figures import find_figures
from tests.e2e.conftest import Clock
from tests.e2e.news import page
from tests.e2e.test_pipeline import app_for
from tests.servers import LoopbackServer

PER_EDIT = 60  # passages per edit (the first of news.jsonl the edit applies to)


def _passages(shared_dir: Path) -> list[str]:
    with (shared_dir / "data" / "news.jsonl").open(encoding="utf-8") as lines:
        texts = [json.loads(line)["text"] for line in lines if line.strip()]
    return [text for text in texts if find_figures(text)]


def _versions(texts: list[str]) -> list[tuple[str, str, list[Alert]]]:
    """(before, after, the alerts expected) for PER_EDIT passages of each edit."""
    out: list[tuple[str, str, list[Alert]]] = []
    for name in ("update-all", "drop"):
        edited = [(t, e) for t in texts if (e := CHANGES[name](t)) is not None][:PER_EDIT]
        out += [(text, after, _on_a_page(after, want)) for text, (after, want) in edited]
    reworded = [(t, e) for t in texts if (e := EDITS["reword"](t)) is not None][:PER_EDIT]
    out += [(text, after, []) for text, after in reworded]
    return out


def _on_a_page(after: str, want: list[Alert]) -> list[Alert]:
    """The alerts a source sends for `want`: a page that no longer states any figure sends one
    `source.silent` instead of its removals (README, Alerts: the page may be broken)."""
    return want if find_figures(after) else [("source.silent", None, None)]  # type: ignore[list-item]


def _serve(site: LoopbackServer, texts: list[str], version: str) -> None:
    for i, text in enumerate(texts):
        paragraphs = [p.strip() for p in text.split("\n") if p.strip()]
        site.add(f"/news/p{i}", page(paragraphs, updated=version))


def test_real_passages_edited_as_desks_do_alert_what_changed(
    database_url: str,
    site: LoopbackServer,
    hook: WebhookSink,
    clock: Clock,
    shared_dir: Path,
) -> None:
    versions = _versions(_passages(shared_dir))
    assert len(versions) == 3 * PER_EDIT
    config = Config.model_validate(
        {
            "database": database_url,
            "fetch": {"allow_private": True, "robots": False},
            "sources": [
                {"name": f"p{i}", "url": site.url(f"/news/p{i}")} for i in range(len(versions))
            ],
            "alerts": [{"type": "webhook", "name": "desk", "url": hook.url}],
        }
    )
    with app_for(config, clock) as (app, loop):
        _serve(site, [before for before, _, _ in versions], "v1")
        first = loop.run_until_complete(app.check())
        assert all(r.outcome == "changed" and r.baseline for r in first), first
        assert sum(r.alerts for r in first) == 0
        clock.advance(minutes=10)
        _serve(site, [after for _, after, _ in versions], "v2")
        second = loop.run_until_complete(app.check())
        hook.wait_for(sum(r.alerts for r in second))
    got: dict[str, Counter[Alert]] = {f"p{i}": Counter() for i in range(len(versions))}
    for post in hook.requests:
        body = post.json
        figure = body.get("figure") or body.get("previous") or {}
        kind = body["type"].removeprefix("figure.")
        got[body["source"]][(kind, figure.get("category"), figure.get("value"))] += 1
    want = {f"p{i}": Counter(alerts) for i, (_, _, alerts) in enumerate(versions)}
    right = sum(sum((got[s] & want[s]).values()) for s in want)
    raised, expected = (
        sum(sum(c.values()) for c in got.values()),
        sum(sum(c.values()) for c in want.values()),
    )
    wrong = {s: (sorted(want[s]), sorted(got[s])) for s in want if got[s] != want[s]}
    # measured: alert precision and recall 0.992 over the 180 edits (124 of 125 alerts); the
    # one passage not exact is a body-first update read as a new figure (rd025).
    assert expected >= PER_EDIT * 1.5
    assert right / max(raised, 1) >= 0.95 and right / max(expected, 1) >= 0.95, wrong
    assert len(wrong) <= 4, wrong  # 2% of the 180 edits

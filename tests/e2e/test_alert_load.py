"""Load: 3 channels with different rules, 1,000 changes in one check, one channel down for the
first half of its deliveries. Every change reaches every channel that selects it exactly once,
and `alerts log` lists each delivery."""

from __future__ import annotations

import itertools
import json
import time
from collections import Counter
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.demo.sinks import SmtpSink, WebhookSink
from tests.e2e.conftest import Clock
from tests.e2e.test_alert_rules import check, config, hook_at, serve
from tests.e2e.test_pipeline import app_for
from tests.servers import LoopbackServer

N = 1000
_PARTS = (
    ["Ka", "Lo", "Mi", "Ne", "Ro", "Ta", "Vu", "Ze", "Bo", "Da"],
    ["ran", "vel", "mir", "dos", "tik", "lan", "sor", "pen", "gul", "fet"],
    ["ovo", "ets", "ino", "ak", "ul", "en", "ar", "is", "om", "ek"],
)
PLACES = ["".join(p) for p in itertools.product(*_PARTS)]
# wounded (odd i) rising by 2% or more: +10 on 10 + i up to i = 490, +1 up to i = 40
MAILED = sum(1 for i in range(1, N, 2) if (10 if i % 4 < 2 else 1) * 100 >= 2 * (10 + i))


def category(i: int) -> str:
    return "killed" if i % 2 == 0 else "wounded"


def delta(i: int) -> int:
    return 10 if i % 4 < 2 else 1


def paragraphs(after: bool) -> list[str]:
    return [
        f"At least {10 + i + (delta(i) if after else 0)} civilians were {category(i)} in "
        f"{PLACES[i]}, the {PLACES[i]} council said."
        for i in range(N)
    ]


@pytest.mark.timeout(600)  # a load test on a shared machine: room beyond the usual 120 s
def test_a_thousand_changes_reach_three_channels_exactly_once(
    database_url: str,
    site: LoopbackServer,
    hook: WebhookSink,
    smtp: SmtpSink,
    clock: Clock,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    alerts = [
        {"type": "webhook", "name": "killed", "url": hook_at(hook, "killed"),
         "categories": ["killed"]},
        {"type": "webhook", "name": "big", "url": hook_at(hook, "big"), "min_change": 5},
        {"type": "email", "name": "mail", "smtp": smtp.url, "starttls": "off",
         "from": "figwatch@localhost", "to": ["desk@localhost"],
         "categories": ["wounded"], "min_change_pct": 2},
    ]  # fmt: skip
    cfg = config(
        database_url, site, alerts, defaults={"flood_limit": 5000},
        outbox={"backoff": "30s", "max_attempts": 8},
    )  # fmt: skip
    with app_for(cfg, clock) as (app, loop):
        serve(site, paragraphs(after=False), updated="09:00")
        assert check(app, loop).figures == N
        clock.advance(minutes=10)
        serve(site, paragraphs(after=True), updated="09:10")
        # Both webhook channels share the sink: its first 500 answers are 503, so whichever
        # lane gets there first is down for the first half of the run.
        hook.set_script([503] * 500)
        started = time.perf_counter()
        [result] = loop.run_until_complete(app.runner.check_all(app.jobs()))
        checked = time.perf_counter() - started
        assert (result.changes, result.alerts) == (N, 500 + 500 + MAILED)
        report = loop.run_until_complete(app.drain())
        for _ in range(8):  # the clock moves past each backoff; nothing sleeps
            if report.pending_left == 0:
                break
            clock.advance(minutes=5)
            report = loop.run_until_complete(app.drain())
        drained = time.perf_counter() - started - checked
        assert report.pending_left == 0
    with capsys.disabled():
        print(
            f"\n{N:,} changes, {result.alerts:,} alerts: "
            f"check {checked:.2f}s, deliveries {drained:.2f}s"
        )

    accepted = [r for r in hook.requests if r.status == 200]
    by_path = Counter(r.path for r in accepted)
    assert by_path == {"/killed": 500, "/big": 500}
    ids = [(r.path, r.headers["webhook-id"]) for r in accepted]
    assert len(set(ids)) == len(ids)  # no alert twice
    killed = {r.json["figure"]["category"] for r in accepted if r.path == "/killed"}
    assert killed == {"killed"}
    big = {r.json["figure"]["value"] - r.json["previous"]["value"] for r in accepted
           if r.path == "/big"}  # fmt: skip
    assert big == {10}
    assert sum(r.status == 503 for r in hook.requests) == 500
    mails = smtp.wait_for(MAILED)
    assert len({m["Message-ID"] for m in mails}) == len(mails) == MAILED

    capsys.readouterr()
    assert main(["alerts", "log", "--format", "json", "--database", database_url]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert Counter((r["channel"], r["status"]) for r in rows) == {
        ("killed", "sent"): 500, ("big", "sent"): 500, ("mail", "sent"): MAILED,
    }  # fmt: skip
    assert len({(r["channel"], r["change_id"]) for r in rows}) == len(rows)

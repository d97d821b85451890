"""Per-channel alert rules over real checks: routing, thresholds, confirmation, source health,
apprise, templates. The news site, the webhook sink and the SMTP sink run on loopback; the
clock is moved by hand."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from pipeline.config import Config, ConfigError, load_config
from pipeline.demo.sinks import SmtpSink, WebhookSink
from pipeline.runner import CheckResult
from pipeline.service import App
from tests.e2e.conftest import Clock
from tests.e2e.test_pipeline import INTRO, app_for, serve, toll
from tests.servers import LoopbackServer

MISSING = "Four people are missing, the mayor said."


def hook_at(hook: WebhookSink, path: str) -> str:
    return f"http://127.0.0.1:{hook.port}/{path}"


def config(
    database_url: str, site: LoopbackServer, alerts: list[dict[str, Any]], **extra: Any
) -> Config:
    return Config.model_validate(
        {
            "database": database_url,
            "sources": [{"name": "marden", "url": site.url("/news/marden")}],
            "alerts": alerts,
            "outbox": {"backoff": "30s", "max_attempts": 3},
            **extra,
        }
    )


def check(app: App, loop: asyncio.AbstractEventLoop) -> CheckResult:
    [result] = loop.run_until_complete(app.check())
    return result


def posts(hook: WebhookSink) -> dict[str, list[dict[str, Any]]]:
    """The bodies the sink received, by path (one path per channel), oldest first."""
    out: dict[str, list[dict[str, Any]]] = {}
    for request in hook.requests:
        out.setdefault(request.path.strip("/"), []).append(request.json)
    return out


def values(bodies: list[dict[str, Any]]) -> list[tuple[str, str, int | None, int | None]]:
    return [
        (
            b["type"],
            (b["figure"] or b["previous"] or {}).get("category", ""),
            (b["previous"] or {}).get("value"),
            (b["figure"] or {}).get("value"),
        )
        for b in bodies
    ]


def test_routing_by_category_kind_source_and_subject(
    database_url: str, site: LoopbackServer, hook: WebhookSink, clock: Clock
) -> None:
    alerts = [
        {"type": "webhook", "name": "all", "url": hook_at(hook, "all")},
        {"type": "webhook", "name": "killed", "url": hook_at(hook, "killed"),
         "categories": ["killed"]},
        {"type": "webhook", "name": "new-only", "url": hook_at(hook, "new-only"),
         "kinds": ["figure.new"]},
        {"type": "webhook", "name": "elsewhere", "url": hook_at(hook, "elsewhere"),
         "sources": ["another-source"]},
        {"type": "webhook", "name": "civilians", "url": hook_at(hook, "civilians"),
         "subjects": ["civilian"]},  # an alias of the extractor's "civilians"
        {"type": "webhook", "name": "others", "url": hook_at(hook, "others"),
         "subjects": ["soldiers"]},
    ]  # fmt: skip
    with app_for(config(database_url, site, alerts), clock) as (app, loop):
        serve(site, [INTRO, toll(12, 30)], updated="09:00")
        assert check(app, loop).baseline
        clock.advance(minutes=10)
        serve(site, [INTRO, toll(19, 31), MISSING], updated="09:10")
        result = check(app, loop)
        assert result.changes == 3
    got = posts(hook)
    assert sorted(values(got["all"])) == [
        ("figure.changed", "killed", 12, 19),
        ("figure.changed", "wounded", 30, 31),
        ("figure.new", "missing", None, 4),
    ]
    assert values(got["killed"]) == [("figure.changed", "killed", 12, 19)]
    assert values(got["new-only"]) == [("figure.new", "missing", None, 4)]
    assert "elsewhere" not in got and "others" not in got
    # "30 others were wounded" states no subject of its own: only "killed" is about civilians
    assert values(got["civilians"]) == [("figure.changed", "killed", 12, 19)]


def test_thresholds_absolute_or_percent_and_a_decrease_is_flagged(
    database_url: str, site: LoopbackServer, hook: WebhookSink, clock: Clock
) -> None:
    alerts = [
        {"type": "webhook", "name": "abs", "url": hook_at(hook, "abs"), "min_change": 5},
        {"type": "webhook", "name": "pct", "url": hook_at(hook, "pct"), "min_change_pct": 10},
        {"type": "webhook", "name": "either", "url": hook_at(hook, "either"),
         "min_change": 100, "min_change_pct": 50},
    ]  # fmt: skip
    with app_for(config(database_url, site, alerts), clock) as (app, loop):
        serve(site, [INTRO, toll(100, 30)], updated="09:00")
        check(app, loop)
        clock.advance(minutes=10)
        serve(site, [INTRO, toll(104, 34)], updated="09:10")  # +4 (4%), +4 (13%)
        check(app, loop)
        clock.advance(minutes=10)
        serve(site, [INTRO, toll(110, 50)], updated="09:20")  # +6 (6%), +16 (47%)
        check(app, loop)
        clock.advance(minutes=10)
        serve(site, [INTRO, toll(90, 80)], updated="09:30")  # -20 (18%), +30 (60%)
        check(app, loop)
    got = posts(hook)
    assert values(got["abs"]) == [
        ("figure.changed", "killed", 104, 110),
        ("figure.changed", "wounded", 34, 50),
        ("figure.changed", "killed", 110, 90),
        ("figure.changed", "wounded", 50, 80),
    ]
    assert values(got["pct"]) == [
        ("figure.changed", "wounded", 30, 34),
        ("figure.changed", "wounded", 34, 50),
        ("figure.changed", "killed", 110, 90),
        ("figure.changed", "wounded", 50, 80),
    ]
    assert values(got["either"]) == [("figure.changed", "wounded", 50, 80)]
    decreases = [b for b in got["abs"] if b.get("decrease")]
    assert [(b["previous"]["value"], b["figure"]["value"]) for b in decreases] == [(110, 90)]
    assert "DECREASE" in decreases[0]["summary"]


def test_confirmation_of_two_checks_a_flip_alerts_once_and_a_return_alerts(
    database_url: str, site: LoopbackServer, hook: WebhookSink, clock: Clock
) -> None:
    alerts = [
        {"type": "webhook", "name": "now", "url": hook_at(hook, "now")},
        {"type": "webhook", "name": "sure", "url": hook_at(hook, "sure"), "confirm": 2},
    ]
    pages = iter(range(100))

    def see(killed: int) -> CheckResult:
        clock.advance(minutes=10)
        serve(site, [INTRO, toll(killed, 30)], updated=f"page {next(pages)}")
        return check(app, loop)

    with app_for(config(database_url, site, alerts), clock) as (app, loop):
        see(10)  # baseline: killed 10
        see(20)
        see(20)  # 20 confirmed: one alert 10 -> 20
        for _ in range(3):  # a page that flips between two values
            see(30)
            see(20)
        # 20 -> 25, then an unchanged page (304 or the same text) still counts as a sighting
        see(25)
        clock.advance(minutes=10)
        check(app, loop)
        see(20)  # back to the earlier value: a change, alerted once confirmed
        see(20)
    got = posts(hook)
    assert len(got["now"]) == 1 + 6 + 2
    assert [(v[2], v[3]) for v in values(got["sure"])] == [(10, 20), (20, 25), (25, 20)]


@pytest.fixture
def health_alerts(hook: WebhookSink) -> list[dict[str, Any]]:
    return [
        {"type": "webhook", "name": "health", "url": hook_at(hook, "health"),
         "kinds": ["source.failing", "source.recovered", "source.silent"]},
        {"type": "webhook", "name": "figures", "url": hook_at(hook, "figures"),
         "kinds": ["figure.changed"]},
    ]  # fmt: skip


def test_failing_once_after_three_failures_then_recovered(
    database_url: str,
    site: LoopbackServer,
    hook: WebhookSink,
    clock: Clock,
    health_alerts: list[dict[str, Any]],
) -> None:
    with app_for(config(database_url, site, health_alerts), clock) as (app, loop):
        serve(site, [INTRO, toll(10, 30)], updated="09:00")
        check(app, loop)
        site.add("/news/marden", "<p>down</p>", status=503)
        for _ in range(5):
            clock.advance(minutes=10)
            check(app, loop)
        serve(site, [INTRO, toll(10, 30)], updated="09:00")
        clock.advance(minutes=10)
        check(app, loop)
        clock.advance(minutes=10)
        check(app, loop)
    got = posts(hook)
    assert [b["type"] for b in got["health"]] == ["source.failing", "source.recovered"]
    assert "503" in got["health"][0]["note"] and "3 failed checks" in got["health"][0]["note"]
    assert "figures" not in got


def test_silent_once_when_a_page_stops_stating_figures(
    database_url: str,
    site: LoopbackServer,
    hook: WebhookSink,
    clock: Clock,
    health_alerts: list[dict[str, Any]],
) -> None:
    with app_for(config(database_url, site, health_alerts), clock) as (app, loop):
        serve(site, [INTRO, toll(10, 30)], updated="09:00")
        check(app, loop)
        for n in range(3):  # a new layout: the page fetches fine but states no figure
            clock.advance(minutes=10)
            serve(site, [INTRO, "The market reopened on Thursday."], updated=f"v{n}")
            check(app, loop)
    got = posts(hook)
    assert [b["type"] for b in got["health"]] == ["source.silent"]
    assert "no figures" in got["health"][0]["note"]
    assert "figures" not in got  # the removed figures are recorded, not sent one by one


def test_apprise_json_endpoint_receives_the_alert_and_failures_are_classified(
    database_url: str, site: LoopbackServer, hook: WebhookSink, clock: Clock
) -> None:
    url = f"json://user:hunter22@127.0.0.1:{hook.port}/apprise?token=abc123"
    alerts = [{"type": "apprise", "name": "chat", "url": url}]
    with app_for(config(database_url, site, alerts), clock) as (app, loop):
        assert "hunter22" not in repr(app.channels["chat"])
        serve(site, [INTRO, toll(10, 30)], updated="09:00")
        check(app, loop)
        clock.advance(minutes=10)
        serve(site, [INTRO, toll(12, 30)], updated="09:10")
        hook.set_script([503, 401])
        check(app, loop)  # 503: transient, retried later
        clock.advance(minutes=1)
        loop.run_until_complete(app.drain())  # 401: permanent, dead
        from sqlmodel import select

        from storage.models import Delivery

        with app.session_factory() as session:
            [row] = session.exec(select(Delivery)).all()
        assert (row.status, row.attempts) == ("dead", 2)
        assert row.last_error is not None and "authentication failed, HTTP 401" in row.last_error
        assert "hunter22" not in row.last_error and "abc123" not in row.last_error
        hook.set_script([])
        clock.advance(minutes=10)
        serve(site, [INTRO, toll(14, 30)], updated="09:20")
        check(app, loop)
    [*_, ok] = hook.requests
    assert (ok.path.split("?")[0], ok.status) == ("/apprise", 200)
    assert "12" in ok.json["title"] and "14" in ok.json["title"]
    assert "At least 14 civilians" in ok.json["message"]


def test_template_override_renders_and_escapes_html(
    database_url: str, site: LoopbackServer, smtp: SmtpSink, hook: WebhookSink, clock: Clock
) -> None:
    alerts = [
        {"type": "email", "name": "mail", "smtp": smtp.url, "starttls": "off",
         "from": "figwatch@localhost", "to": ["desk@localhost"],
         "subject_template": "{{ source }}: {{ figure.category }} now {{ figure.value }}",
         "body_template": "<p>{{ figure.sentence }}</p><p>{{ label }}</p>"},
        {"type": "webhook", "name": "hook", "url": hook.url,
         "body_template": "{{ movement }} on {{ source }}"},
    ]  # fmt: skip
    with app_for(config(database_url, site, alerts), clock) as (app, loop):
        serve(site, [INTRO, toll(10, 30)], updated="09:00")
        check(app, loop)
        clock.advance(minutes=10)
        serve(site, [INTRO, toll(12, 30) + " <b>Sources & <i>witnesses</i></b>"], updated="09:10")
        check(app, loop)
    [mail] = smtp.wait_for(1)
    assert mail["Subject"] == "[figwatch] marden: killed now 12"
    html = mail.get_body(("html",)).get_content()
    assert "At least 12 civilians" in html and "<p>" in html
    [post] = hook.wait_for(1)
    assert post.json["text"].startswith("at least 10 \u2192 at least 12 (+2) on marden")


def test_a_broken_template_is_refused_at_start_with_the_channel_name(tmp_path: Any) -> None:
    path = tmp_path / "figwatch.toml"
    path.write_text(
        '[[alerts]]\nname = "desk-mail"\ntype = "webhook"\nurl = "https://example.org/h"\n'
        'body_template = "{{ figure.value "\n'
    )
    with pytest.raises(ConfigError) as caught:
        load_config(path, env={})
    [problem] = caught.value.problems
    assert "desk-mail" in problem and "body_template line 1" in problem

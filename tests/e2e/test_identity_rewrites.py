"""Identity stability (issue 9): stories as desks edit them, checked for real (App.check over a
loopback page, a webhook receiver). A rewrite that changes no figure (sentences reordered,
reworded, a paragraph added) must send nothing; a toll update exactly one `figure.changed`;
a correction one alert for the corrected figure; a removed sentence one `figure.removed`.
Our own wording. The test also scores alert precision and recall over all the sequences."""

from __future__ import annotations

from collections import Counter

from standardwebhooks import Webhook

from pipeline.config import Config
from pipeline.demo.sinks import WebhookSink
from tests.e2e.conftest import Clock
from tests.e2e.test_pipeline import SECRET, app_for, check, serve
from tests.servers import LoopbackServer

Alert = tuple[str, str, int]  # type, category, value
_NONE: frozenset[Alert] = frozenset()

# Each story: versions as (paragraphs, the alerts that version must send). The first version
# sets the baseline silently.
STORIES: dict[str, list[tuple[list[str], frozenset[Alert]]]] = {
    "flood": [
        (
            [
                "Floods swept through the river town of Kelso on Sunday.",
                "At least 14 people were killed and 30 others were injured, the regional "
                "emergency office said.",
            ],
            _NONE,
        ),
        (  # reordered and reworded: nothing changes
            [
                "The regional emergency office said at least 14 people were killed and 30 others "
                "were injured.",
                "The floods swept through the river town of Kelso on Sunday.",
            ],
            _NONE,
        ),
        (  # a paragraph added that states no figure
            [
                "Floods swept through the river town of Kelso on Sunday.",
                "At least 14 people were killed and 30 others were injured, the regional "
                "emergency office said.",
                "Residents waded through brown water to reach the school on the hill.",
            ],
            _NONE,
        ),
        (  # the toll rises
            [
                "Floods swept through the river town of Kelso on Sunday.",
                "At least 19 people were killed and 30 others were injured, the regional "
                "emergency office said.",
            ],
            frozenset({("figure.changed", "killed", 19)}),
        ),
    ],
    "ambush": [
        (
            [
                "Gunmen ambushed a convoy near the village of Orsk, the provincial police said.",
                "Nine soldiers were killed in the attack.",
                "Four drivers are missing.",
            ],
            _NONE,
        ),
        (  # the police now speak in the figure's own sentence: same claimant, same figures
            [
                "Gunmen ambushed a convoy near the village of Orsk.",
                "Nine soldiers were killed in the attack, the provincial police said.",
                "Four drivers are missing.",
            ],
            _NONE,
        ),
        (  # the missing drivers' sentence is cut
            [
                "Gunmen ambushed a convoy near the village of Orsk.",
                "Nine soldiers were killed in the attack, the provincial police said.",
            ],
            frozenset({("figure.removed", "missing", 4)}),
        ),
    ],
    "quake": [
        (
            [
                "An earthquake struck the hill district of Varna overnight.",
                "Officials said 42 were killed.",
            ],
            _NONE,
        ),
        (  # the unnamed group named, and the sentence reworded
            [
                "An earthquake struck the hill district of Varna overnight.",
                "Officials said the quake killed 42 people.",
            ],
            _NONE,
        ),
        (  # a correction: the toll was 24, not 42
            [
                "An earthquake struck the hill district of Varna overnight.",
                "Officials said the quake killed 24 people, correcting an earlier count.",
            ],
            frozenset({("figure.changed", "killed", 24)}),
        ),
    ],
    "two-tolls": [
        (
            [
                "A storm flattened houses across the coastal province of Mira on Friday.",
                "At least 42 were killed in the port city.",
                "In the villages to the north, 12 people died when a dam gave way.",
            ],
            _NONE,
        ),
        (  # the first group named: still the same two figures (one named "people" already)
            [
                "A storm flattened houses across the coastal province of Mira on Friday.",
                "At least 42 people were killed in the port city.",
                "In the villages to the north, 12 people died when a dam gave way.",
            ],
            _NONE,
        ),
        (  # the two paragraphs swap places: each toll keeps its identity, nothing changes
            [
                "A storm flattened houses across the coastal province of Mira on Friday.",
                "In the villages to the north, 12 people died when a dam gave way.",
                "At least 42 people were killed in the port city.",
            ],
            _NONE,
        ),
        (  # then the port city's toll rises: one change, of that toll only
            [
                "A storm flattened houses across the coastal province of Mira on Friday.",
                "In the villages to the north, 12 people died when a dam gave way.",
                "At least 47 people were killed in the port city.",
            ],
            frozenset({("figure.changed", "killed", 47)}),
        ),
    ],
    "headline-first": [
        (
            [
                "Depot blast kills 31",
                "The interior ministry said 31 people died in the blast at the fuel depot in "
                "Harlow on Monday.",
            ],
            _NONE,
        ),
        (  # the desk updates the headline first; the body still says 31: one change, no "new"
            [
                "Depot blast kills 35",
                "The interior ministry said 31 people died in the blast at the fuel depot in "
                "Harlow on Monday.",
            ],
            frozenset({("figure.changed", "killed", 35)}),
        ),
        (  # the body catches up: the 31 it still said was never announced, so it leaves quietly
            [
                "Depot blast kills 35",
                "The interior ministry said 35 people died in the blast at the fuel depot in "
                "Harlow on Monday.",
            ],
            _NONE,
        ),
        (  # the body's sentence is cut: the toll is still stated in the headline, nothing goes
            ["Depot blast kills 35", "Fire crews stayed at the depot through the night."],
            _NONE,
        ),
    ],
    "headline-moves-on": [
        (
            ["Ferry sinking: 31 dead", "Police said 31 passengers drowned off Kerrin Point."],
            _NONE,
        ),
        (  # the headline first
            ["Ferry sinking: 35 dead", "Police said 31 passengers drowned off Kerrin Point."],
            frozenset({("figure.changed", "killed", 35)}),
        ),
        (  # the headline moves on as the body reaches the last announced toll: one change
            ["Ferry sinking: 40 dead", "Police said 35 passengers drowned off Kerrin Point."],
            frozenset({("figure.changed", "killed", 40)}),
        ),
        (  # the body catches up
            ["Ferry sinking: 40 dead", "Police said 40 passengers drowned off Kerrin Point."],
            _NONE,
        ),
    ],
}


def _config(database_url: str, site: LoopbackServer, hook: WebhookSink, name: str) -> Config:
    return Config.model_validate(
        {
            "database": database_url,
            "sources": [{"name": name, "url": site.url("/news/marden")}],
            "alerts": [{"type": "webhook", "name": "desk-hook", "url": hook.url, "secret": SECRET}],
        }
    )


def test_rewrites_keep_identity_and_updates_alert_once(
    database_url: str, site: LoopbackServer, hook: WebhookSink, clock: Clock
) -> None:
    sent: Counter[Alert] = Counter()
    expected: Counter[Alert] = Counter()
    per_version: list[tuple[str, int, frozenset[Alert], frozenset[Alert]]] = []
    for name, versions in STORIES.items():
        with app_for(_config(database_url, site, hook, name), clock) as (app, loop):
            for n, (paragraphs, want) in enumerate(versions):
                before = len(hook.requests)
                clock.advance(minutes=10)
                serve(site, paragraphs, updated=f"v{n}")
                result = check(app, loop)
                assert result.outcome in ("changed", "unchanged"), result
                posts = hook.wait_for(before + result.alerts)[before:]
                got: Counter[Alert] = Counter()
                for post in posts:
                    body = Webhook(SECRET).verify(post.body, post.headers)
                    figure = body.get("figure") or body.get("previous") or {}
                    got[(body["type"], figure.get("category"), figure.get("value"))] += 1
                sent.update(got)
                expected.update(want)
                per_version.append((name, n, frozenset(got), want))
    right = sum((sent & expected).values())
    precision = right / max(1, sum(sent.values()))
    recall = right / max(1, sum(expected.values()))
    wrong = [(s, n, got, want) for s, n, got, want in per_version if got != want]
    assert wrong == [], f"alert precision {precision:.3f} recall {recall:.3f}"
    assert sum(sent.values()) == sum(expected.values()) == 7

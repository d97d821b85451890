"""Routing and thresholds as pure functions (the e2e tests run them over real checks)."""

from __future__ import annotations

import pytest

from pipeline.routing import Candidate, ChannelRules, passes_threshold, selects


@pytest.mark.parametrize(
    ("min_change", "pct", "old", "new", "passes"),
    [
        (None, None, 10, 11, True),
        (5, None, 10, 14, False),
        (5, None, 10, 15, True),
        (5, None, 15, 10, True),  # a fall counts by its size
        (None, 10, 100, 109, False),
        (None, 10, 100, 110, True),
        (None, 10, 0, 1, True),  # from zero any rise is infinitely many percent
        (100, 50, 1000, 1050, False),
        (100, 50, 1000, 1100, True),  # either threshold is enough
        (100, 50, 10, 15, True),
        (5, None, None, 3, True),  # a new figure has nothing to compare with
    ],
)
def test_thresholds(
    min_change: int | None, pct: float | None, old: int | None, new: int, passes: bool
) -> None:
    rules = ChannelRules("c", min_change=min_change, min_change_pct=pct)
    assert passes_threshold(rules, old, new) is passes


def test_health_alerts_ignore_figure_rules_but_not_kinds_or_sources() -> None:
    rules = ChannelRules("c", categories=frozenset({"killed"}), min_change=100)
    failing = Candidate(source="s", kind="source.failing")
    assert selects(rules, failing)
    assert not selects(ChannelRules("c", kinds=frozenset({"figure.new"})), failing)
    assert not selects(ChannelRules("c", sources=frozenset({"t"})), failing)


def test_claimants_and_subjects_match_through_aliases() -> None:
    aliases = {"kpa": "north korean soldiers"}
    change = Candidate(
        source="s", kind="figure.new", category="killed", subject="DPRK troops",
        claimant="President Volodymyr Zelensky", new_value=5,
    )  # fmt: skip
    assert selects(ChannelRules("c", subjects=frozenset({"north korean soldiers"})), change)
    via_alias = Candidate(source="s", kind="figure.new", subject="KPA", new_value=5)
    assert selects(
        ChannelRules("c", subjects=frozenset({"north korean soldiers"})), via_alias, aliases
    )
    assert not selects(ChannelRules("c", subjects=frozenset({"civilians"})), change)

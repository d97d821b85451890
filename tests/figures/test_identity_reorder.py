"""A figure's identity (category, subject key, claimant key) holds when an article is
rewritten: sentences reordered, a generic claimant moved above the full name it stands for."""

from __future__ import annotations

import pytest

from pipeline.figures import find_figures


def _identities(text: str) -> set[tuple[str, int, str | None, str | None]]:
    return {(f.category.value, f.value, f.subject_key, f.claimant_key) for f in find_figures(text)}


@pytest.mark.parametrize(
    ("first", "rewrite"),
    [
        # "the ministry" above the ministry's full name
        (
            "Karvia's interior ministry said 14 people were killed in the floods. The ministry"
            " said 31 people were missing.",
            "The ministry said 31 people were missing. Karvia's interior ministry said 14 people"
            " were killed in the floods.",
        ),
        # "the watchdog" above the watchdog named in full
        (
            "The Velor Rights Watchdog said 9 protesters were killed on Sunday. The watchdog"
            " said 3 protesters were missing.",
            "The watchdog said 3 protesters were missing. The Velor Rights Watchdog said 9"
            " protesters were killed on Sunday.",
        ),
    ],
)
def test_a_reordered_article_keeps_each_identity(first: str, rewrite: str) -> None:
    assert _identities(rewrite) == _identities(first)


def test_a_generic_claimant_is_not_an_organisation_of_another_kind_named_after() -> None:
    figures = find_figures(
        "The agency said 12 miners were missing. The United Nations said 30 miners were killed."
    )
    assert {f.value: f.claimant for f in figures} == {12: "agency", 30: "United Nations"}

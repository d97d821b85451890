"""A count whose own words name no group takes the group a sentence right before named: the
soldiers of a force's loss, and "others" that open a sentence. What stays unnamed."""

from __future__ import annotations

import pytest

from pipeline.figures import find_figures


def _subjects(text: str) -> dict[int, str | None]:
    return {f.value: f.subject for f in find_figures(text)}


@pytest.mark.parametrize(
    ("text", "subjects"),
    [
        # the bare dead and the "others" of the next sentence are the soldiers named before
        (
            "Nine Karvian soldiers were killed in an ambush, the army said. Raiders struck the"
            " convoy near the pass, leaving five dead and three others missing.",
            {9: "Karvian soldiers", 5: "Karvian soldiers", 3: "Karvian soldiers"},
        ),
        # "others" opening a sentence: more of the group the sentence before opened with
        (
            '"As for our troops, we lost 700," the minister said. Almost 2,000 others were wounded,'
            " he added.",
            {700: "our troops", 2000: "our troops"},
        ),
        # a region's report after a count of a region's troops
        (
            "The northern region reported the most losses, with 140 of its troops killed."
            " The coastal province reported 61 dead.",
            {140: "its troops", 61: "its troops"},
        ),
    ],
)
def test_a_bare_count_takes_the_group_named_just_before(
    text: str, subjects: dict[int, str | None]
) -> None:
    assert _subjects(text) == subjects


@pytest.mark.parametrize(
    ("text", "subjects"),
    [
        # "others" after a group its own sentence names are others than those
        (
            "Four marines died on Monday. The army said six soldiers were killed and 11 others"
            " were wounded.",
            {4: "marines", 6: "soldiers", 11: "others"},
        ),
        # ... and after one person the sentence names
        (
            "Twelve reporters were kidnapped in March. A guard was killed and three others were"
            " wounded.",
            {12: "reporters", 3: "others"},
        ),
        # a group that is not a force's is not carried: the next count may be anyone
        (
            "Twenty miners were missing underground. A day later 7 were found dead.",
            {20: "miners", 7: "people"},
        ),
        # a sentence in between breaks the chain
        (
            "Ten soldiers died at the bridge. The road was closed. Later 4 were found dead.",
            {10: "soldiers", 4: "people"},
        ),
    ],
)
def test_what_is_not_carried(text: str, subjects: dict[int, str | None]) -> None:
    assert _subjects(text) == subjects


def test_a_reworded_article_keeps_each_identity() -> None:
    """The same two figures, stated in another order and wording, keep their subject keys."""
    first = find_figures(
        "Six Karvian soldiers were killed at the border, the ministry said. Another 14 others"
        " were hurt in the shelling, it added."
    )
    second = find_figures(
        "The ministry said six Karvian soldiers had died at the border. 14 others were hurt in"
        " the shelling."
    )
    assert {(f.value, f.subject_key) for f in first} == {(f.value, f.subject_key) for f in second}


@pytest.mark.parametrize(
    ("text", "subjects"),
    [
        # a sentence about a side's losses, with no figure, then a bare count: that side's
        (
            "The rebels' losses were harder to count than ours. Ninety were found dead on the"
            " hill.",
            {90: "rebels"},
        ),
        # a place's losses name no group; a count that names its own group keeps it
        ("The town's losses were heavy. 40 were killed.", {40: "people"}),
        ("The rebels' losses were heavy. 40 farmers were killed.", {40: "farmers"}),
    ],
)
def test_a_count_after_a_sentence_about_whose_losses(
    text: str, subjects: dict[int, str | None]
) -> None:
    assert _subjects(text) == subjects

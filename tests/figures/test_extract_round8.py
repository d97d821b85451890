"""Round 8 constructions, from the categories of misses on real published journalism (issue 9):
release words that the first-letter gate let through, thousands written with a stray space,
cue words and phrases of real copy, and the false positives real text invites.

Every sentence is our own wording. Each table row is (sentence, expected) with expected a
set of (category, value, value_max, qualifier), compared with the extractor's whole output.
"""

from __future__ import annotations

import pytest

from tests.figures.tables import AL, MT, Case, E, K, W, figure_keys

# A release stated with any release word is no figure; the gate before the release test is
# derived from the release words (grammar used a hand-written first-letter set that lacked "w").
RELEASES: list[Case] = [
    ("Twelve hostages walked free on Monday.", set()),
    ("Nine fishermen walked free after talks, the navy said.", set()),
    ("Twelve hostages were freed on Monday.", set()),
    ("Twelve hostages are still held in the forest.", {("captured", 12, None, E)}),
]  # fmt: skip

# "77, 000": a thousands group after a stray space (publishing noise); not dates or lists.
STRAY_SPACES: list[Case] = [
    ("Officials said more than 64, 000 residents were killed in the war.", {(K, 64000, None, MT)}),
    ("The ministry put the toll at at least 31, 245 dead.", {(K, 31245, None, AL)}),
    ("Casualty returns: killed, 812; wounded, 12, 406.", {(K, 812, None, E), (W, 12406, None, E)}),
    ("On March 3, 120 villagers were killed.", {(K, 120, None, E)}),
    ("In 2019, 450 miners were killed.", {(K, 450, None, E)}),
    ("Storms killed 110, 230 and 340 people in three provinces.",
     {(K, 110, None, E), (K, 230, None, E), (K, 340, None, E)}),
]  # fmt: skip

ALL = RELEASES + STRAY_SPACES


@pytest.mark.parametrize(("sentence", "expected"), ALL, ids=[c[0][:40] for c in ALL])
def test_round8_constructions(sentence: str, expected: set[tuple[str, int, int | None, str]]):
    assert figure_keys(sentence) == expected, sentence

"""Round 9 constructions, from the classes of misses on real published journalism (issue 9):
a change "from X to Y" with a qualifier on X, breakdowns whose later items leave the verb out,
cue words of real copy, and the false positives real text invites.

Every sentence is our own wording. Each table row is (sentence, expected) with expected a
set of (category, value, value_max, qualifier), compared with the extractor's whole output.
"""

from __future__ import annotations

import pytest

from tests.figures.tables import MT, Case, E, K, M, figure_keys

# "from X to Y" states Y; X is the earlier value (spec), also when a qualifier stands before X.
CHANGES: list[Case] = [
    ("The number reported missing dropped from over 200 to five.",
     {(M, 200, None, MT), (M, 5, None, E)}),
    ("Officials cut the count of the missing from about 90 to 12.",
     {(M, 90, None, "approximately"), (M, 12, None, E)}),
    ("The death toll climbed from 30 to 45.", {(K, 30, None, E), (K, 45, None, E)}),
    ("Between 30 and 45 people were killed.", {(K, 30, 45, E)}),
]  # fmt: skip

ALL = CHANGES


@pytest.mark.parametrize(("sentence", "expected"), ALL, ids=[c[0][:40] for c in ALL])
def test_round9_constructions(sentence: str, expected: set[tuple[str, int, int | None, str]]):
    assert figure_keys(sentence) == expected, sentence

"""Round 12 constructions, from the classes of misses of the blind real-news set realnews5 and
the open misses of realnews4 (issue 9): army statements' words for a death ("sent to hell",
"the martyrdom of"), "claimed lives of" without its article, casualty tables (rows labelled by
how people died, "mortally wounded", a span of years before the colon, a count in brackets after
its tally noun), captives taken back by a pronoun ("and held them hostage"), the crew of a
hijacked vessel, people "rounded up and shot", and an aside naming one of a group between the
count and its cue.

Every sentence is our own wording. Each table row is (sentence, expected) with expected a set
of (category, value, value_max, qualifier), compared with the extractor's whole output.
"""

from __future__ import annotations

import pytest

from tests.figures.tables import AL, KW, MT, C, Case, E, K, W, figure_keys

# Army statements report deaths in their own words; the same words elsewhere stay silent.
ARMY_WORDS: list[Case] = [
    ("During the sweep, eleven insurgents were sent to hell, the statement said.",
     {(K, 11, None, E)}),
    ("The firefight ended in the martyrdom of two sepoys and a havildar.", {(K, 2, None, E)}),
    ("Five smugglers were sent to jail after the raid.", set()),
    ("The outbreak has claimed lives of 8 nurses since June.", {(K, 8, None, E)}),
]  # fmt: skip

# Casualty tables: each row's label says what its count is.
TABLE_ROWS: list[Case] = [
    ("Died of wounds: 4,320", {(K, 4320, None, E)}),
    ("Died in captivity: 615", {(K, 615, None, E)}),
    ("Killed or mortally wounded: 9,870", {(K, 9870, None, E)}),
    ("Mortally wounded: 2,004", {(K, 2004, None, E)}),
    ("Total losses, 1914 to 1918: 35,000", {(KW, 35000, None, E)}),
    ("Casualties in 1951: 7,400", {(KW, 7400, None, E)}),
    ("The regiment lost most men (612) in the first week.", set()),
    ("Haiti had the most deaths (1,204) in the region.", {(K, 1204, None, E)}),
    ("The veteran died of pneumonia at 94.", set()),
    ("The convoy left at 10:30 and 6 soldiers were killed.", {(K, 6, None, E)}),
]  # fmt: skip

# People taken and then held: the pronoun takes the count back; a hijacked vessel's crew.
HELD_AFTERWARDS: list[Case] = [
    ("The mutineers disarmed 14 officers and held them hostage overnight.", {(C, 14, None, E)}),
    ("Bandits stopped 22 traders and took them captive, residents said.", {(C, 22, None, E)}),
    ("The board held 3 hearings and kept them short.", set()),
    ("Pirates hijacked a Liberian-flagged tanker with 19 crew on Tuesday.", {(C, 19, None, E)}),
    ("Smugglers hijacked a lorry carrying 60 sheep.", set()),
]  # fmt: skip

# A killing that ends a phrase of what was done to the group first.
ROUNDED_UP: list[Case] = [
    ("Survivors said at least 17 men were rounded up and shot behind the school.",
     {(K, 17, None, AL)}),
    ("More than 30 prisoners were lined up and executed, a witness said.", {(K, 30, None, MT)}),
    ("Officers rounded up 25 protesters and released them at night.", set()),
]  # fmt: skip

# An aside naming one member of the group does not cut the count from its cue.
ONE_NAMED: list[Case] = [
    ("The officer said four soldiers died and two others including a medic injured.",
     {(K, 4, None, E), (W, 2, None, E)}),
    ("Six pilgrims among them a priest were hurt when the roof fell.", {(W, 6, None, E)}),
]  # fmt: skip

ALL = ARMY_WORDS + TABLE_ROWS + HELD_AFTERWARDS + ROUNDED_UP + ONE_NAMED


@pytest.mark.parametrize(("sentence", "expected"), ALL, ids=[c[0][:40] for c in ALL])
def test_round12_constructions(sentence: str, expected: set[tuple[str, int, int | None, str]]):
    assert figure_keys(sentence) == expected, sentence

"""Round 13 constructions, from the classes of misses of the blind real-news set realnews6 and
the open misses of realnews4 and realnews5 (issue 9): two word numbers joined by "and" that are
two counts ("four and three deaths, respectively"), "eliminated" in a loss report (the spec's
killed or wounded), people "yet to be traced", deaths said as "fatally crushed or suffocated",
a "death figure" or "death total" as a tally noun, "in fact" between a toll and its count,
"die" in the present tense of chronologies and headlines, one piece of equipment in a loss
list ("one tank"), and a gapped list of places and counts ("..., Tehri three, Dehradun two").

Every sentence is our own wording. Each table row is (sentence, expected) with expected a set
of (category, value, value_max, qualifier), compared with the extractor's whole output.
"""

from __future__ import annotations

import pytest

from tests.figures.tables import AL, KW, Case, E, K, M, W, figure_keys

# "and" joins two word numbers only after a scale word ("three hundred and five"); otherwise
# the words are two counts that share a noun.
WORD_NUMBERS: list[Case] = [
    ("The northern and southern districts reported five and two deaths, respectively.",
     {(K, 5, None, E), (K, 2, None, E)}),
    ("Officials in the two valleys reported seven and two deaths respectively.",
     {(K, 7, None, E), (K, 2, None, E)}),
    ("One hundred and twelve miners died underground.", {(K, 112, None, E)}),
    ("Two thousand and forty refugees were reported missing.", {(M, 2040, None, E)}),
    ("Thirty-one passengers were hurt.", {(W, 31, None, E)}),
]  # fmt: skip

# "Eliminated" in loss reports: killed or wounded (spec), as "destroyed ... personnel".
ELIMINATED: list[Case] = [
    ("According to the statement, 14 militants were eliminated near the border.",
     {(KW, 14, None, E)}),
    ("Eight soldiers were martyred while 19 insurgents were eliminated, the army said.",
     {(K, 8, None, E), (KW, 19, None, E)}),
    ("Four teams were eliminated in the opening round of the tournament.", set()),
]  # fmt: skip

# Still to be found: missing.
NOT_TRACED: list[Case] = [
    ("Two more climbers are yet to be traced, rescuers said.", {(M, 2, None, E)}),
    ("At least 9 boatmen were still to be located on Friday.", {(M, 9, None, AL)}),
    ("The owners of 30 parcels are yet to be traced.", set()),
]  # fmt: skip

# "Fatally" with the way people died in a crush or a fire.
FATALLY: list[Case] = [
    ("Fourteen fans were fatally crushed against the gates.", {(K, 14, None, E)}),
    ("Officials said 11 women and 6 men were fatally trampled or suffocated on the stairs.",
     {(K, 11, None, E), (K, 6, None, E)}),
    ("Three buses were fatally crushed under the rubble.", set()),
]  # fmt: skip

# Tally nouns and the adverbs between a toll and its count.
TALLIES: list[Case] = [
    ("By Friday the official death figure tallied to 2,140.", {(K, 2140, None, E)}),
    ("The death total stood at 83 on Monday.", {(K, 83, None, E)}),
    ("Officials first gave 19 but the toll was in fact 23, the mayor said.", {(K, 23, None, E)}),
    ("The trade figure tallied to 2,140 containers.", set()),
]  # fmt: skip

# The present tense of chronologies and headlines.
PRESENT_TENSE: list[Case] = [
    ("1987: 402 pilgrims die in clashes near the shrine.", {(K, 402, None, E)}),
    ("Nine die as minibus plunges off mountain road", {(K, 9, None, E)}),
    ("Aid workers warn 60 children could die within a week.", set()),
    # a rate opening the clause is no toll, whatever the tense
    ("Every year 40 workers die in the mines.", set()),
    ("Each day, at least 12 people are killed on the roads.", set()),
    ("The storm killed 40 workers last year.", {(K, 40, None, E)}),
]  # fmt: skip

# A single piece of equipment beside a loss report's personnel is no count of people.
EQUIPMENT: list[Case] = [
    ("The enemy lost up to 240 servicemen, one tank and two trucks, the ministry said.",
     {(KW, 240, None, "up_to")}),
    ("Its units destroyed one helicopter and lost 12 soldiers.", {(KW, 12, None, E)}),
    ("The brigade lost up to 90 soldiers, one tank and an arms dump.", {(KW, 90, None, "up_to")}),
]  # fmt: skip

# A gapped list of places and counts after a figure takes the figure's category.
GAPPED: list[Case] = [
    ("Kasur district reported seven deaths, Okara four, Sahiwal two and Pakpattan one.",
     {(K, 7, None, E), (K, 4, None, E), (K, 2, None, E), (K, 1, None, E)}),
    ("After the storm Galle counted 31 injured, Matara 12 and Hambantota 5.",
     {(W, 31, None, E), (W, 12, None, E), (W, 5, None, E)}),
    ("The shelling killed 14 soldiers, Brigade 72 said.", {(K, 14, None, E)}),
]  # fmt: skip

ALL = (
    WORD_NUMBERS + ELIMINATED + NOT_TRACED + FATALLY + TALLIES + PRESENT_TENSE + EQUIPMENT + GAPPED
)


@pytest.mark.parametrize(("sentence", "expected"), ALL, ids=[c[0][:40] for c in ALL])
def test_round13_constructions(sentence: str, expected: set[tuple[str, int, int | None, str]]):
    assert figure_keys(sentence) == expected, sentence

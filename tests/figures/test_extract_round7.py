"""Round 7 constructions, from the mistakes on the sixth blind held-out set (many outlets'
styles): freedom regained, murders and killings as counts, "embraced martyrdom", soldiers who
"fell" or "fell into enemy hands", patients treated "with wounds", ships and hotels as things,
years after a season or a named day, aircraft models, victims' ages, a count with its own verb,
"former" prisoners, "one, <name>,", partitives of the wounded, "of whom N were civilians".

Every sentence is our own wording. Each table row is (sentence, expected) with expected a
set of (category, value, value_max, qualifier), compared with the extractor's whole output.
"""

from __future__ import annotations

import pytest

from tests.figures.tables import AL, KW, A, C, Case, E, K, W, figure_keys

CUES: list[Case] = [
    ("All 23 traders seized on the highway have regained their freedom, police said.", set()),
    ("The city recorded 412 murders last year, police figures show.", {(K, 412, None, E)}),
    ("Monitors documented at least 90 killings in the province.", {(K, 90, None, AL)}),
    ("Four soldiers embraced martyrdom in the exchange of fire, the army said.",
     {(K, 4, None, E)}),
    ("Tacitus writes that 8,000 legionaries fell and 2,000 were taken prisoner.",
     {(K, 8000, None, E), (C, 2000, None, E)}),
    ("The garrison of 40,000 men fell into enemy hands.", {(C, 40000, None, E)}),
    ("Doctors treated 31 patients with gunshot wounds overnight.", {(W, 31, None, E)}),
    ("Two climbers were flown to hospital in Chamonix with injuries.", {(W, 2, None, E)}),
]  # fmt: skip

NOT_COUNTS: list[Case] = [
    ("Navy: 212 killed; 2 frigates and 1 tanker sunk; 40 aircraft lost", {(K, 212, None, E)}),
    ("The bombs killed 120 people at two hotels and three churches.", {(K, 120, None, E)}),
    ("Flood deaths in the region during the spring of 2023 reached 310.", {(K, 310, None, E)}),
    ("The attack on Christmas Day 2015 killed 14 people.", {(K, 14, None, E)}),
    ("All 155 people aboard the Airbus 320 were killed.", {(K, 155, None, E)}),
    ("The victims' ages ranged from 2 to 78.", set()),
    ("Officials said 60 officers were hurt and 300 protesters detained.", {(W, 60, None, E)}),
    ("Only 31 survived, and 70 bodies were found.", {(K, 70, None, E)}),
    ("Researchers interviewed 85 former hostages for the study.", set()),
    ("Six died of their wounds, and one, Maria Okafor, is still missing.", {(K, 6, None, E)}),
]  # fmt: skip

BREAKDOWNS: list[Case] = [
    ("Police said two of the injured are in a serious state.", {(W, 2, None, E)}),
    ("Surgeons said 9 of the wounded needed amputations.", {(W, 9, None, E)}),
    ("Officials counted 5,400 people killed, of whom 2,100 were civilians.",
     {(K, 5400, None, E), (K, 2100, None, E)}),
]  # fmt: skip

# From holdout7's blind mistakes (dev.jsonl-like excerpts)
HOLDOUT7: list[Case] = [
    ("The crash killed 9 passengers and injured 40-odd others.",
     {(K, 9, None, E), (W, 40, None, A)}),
    ("About 4,000 men were killed, wounded or went missing in the assault.", {(KW, 4000, None, A)}),
    ("The militia handed over the last 12 hostages on Friday.", set()),
    ("Families are demanding the release of 16 fishermen seized by pirates.", {(C, 16, None, E)}),
    ("Mediators secured the release of 16 fishermen seized by pirates.", set()),
]  # fmt: skip

# A breakdown in a sentence of its own takes the category of the figure just before it
NEXT_SENTENCE: list[Case] = [
    ("The agency said 9,000 people had died. Of those, 3 100 were children and about 2 000 "
     "were women.", {(K, 9000, None, E), (K, 3100, None, E), (K, 2000, None, A)}),
    ("Rebels abducted 60 pupils. Of them, 25 were girls.", {(C, 60, None, E), (C, 25, None, E)}),
    ("Eight were killed and 30 hurt. Of the wounded, 4 were tourists.",
     {(K, 8, None, E), (W, 30, None, E), (W, 4, None, E)}),
    ("The fire killed 12 people. Of those rescued, 30 were children.", {(K, 12, None, E)}),
    ("The storm destroyed 300 homes. Of those, 40 were schools.", set()),
]  # fmt: skip

ALL = CUES + NOT_COUNTS + BREAKDOWNS + HOLDOUT7 + NEXT_SENTENCE


@pytest.mark.parametrize(("sentence", "expected"), ALL, ids=[c[0][:40] for c in ALL])
def test_round7_constructions(sentence: str, expected: set[tuple[str, int, int | None, str]]):
    assert figure_keys(sentence) == expected, sentence

"""Round 5 constructions, from the mistakes on the fourth blind held-out set: casualty lists
("1,305 killed, 6,940 wounded, 573 captured"), spans of years ("the 1975-90 war"), things seized,
a breakdown of a count without a category, hospital wording, surrender, "a day" as a rate or
not, "five of them fatal", a decimal inside a toll's gap, relative clauses before the verb.

Every sentence is our own wording. Each table row is (sentence, expected) with expected a
set of (category, value, value_max, qualifier), compared with the extractor's whole output.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.figures import find_figures
from tests.figures.tables import AL, KW, A, C, Case, E, K, M, W, figure_keys

CASUALTY_LISTS: list[Case] = [
    ("Prussians: 2,110 killed, 4,870 wounded, 815 captured.",
     {(K, 2110, None, E), (W, 4870, None, E), (C, 815, None, E)}),
    ("Allied losses came to about 9,000 killed and wounded, 3,500 captured.",
     {(KW, 9000, None, A), (C, 3500, None, E)}),
    ("The rebels lost 60 dead, 140 wounded, 25 missing.",
     {(K, 60, None, E), (W, 140, None, E), (M, 25, None, E)}),
    # a participle before a noun still names the group the verb acts on
    ("Militants executed 9 captured policemen near the border.", {(K, 9, None, E)}),
]  # fmt: skip

YEARS: list[Case] = [
    ("Some 150,000 people died during the 1992-95 war.", {(K, 150000, None, A)}),
    ("Monitors counted 4,100 civilian deaths in the 2011–14 conflict.", {(K, 4100, None, E)}),
    ("The agency recorded 800 deaths from 2015 to the end of 2022.", {(K, 800, None, E)}),
    ("By the start of 2024 the army had lost 2100 soldiers.", {(KW, 2100, None, E)}),
]  # fmt: skip

THINGS_SEIZED: list[Case] = [
    ("The army said it had seized 8 pickup trucks fitted with machine guns.", set()),
    ("Rebels captured 20 mortar pieces and stocks of ammunition.", set()),
    ("The charity delivered 3,000 letters between prisoners and their families.", set()),
    ("Gunmen seized 14 farmers during a night raid on the village.", {(C, 14, None, E)}),
]  # fmt: skip

BREAKDOWNS: list[Case] = [
    ("Eleven died in the blast; 40 survivors, among them six children, were treated on site.",
     {(K, 11, None, E)}),
    ("Fifty people, 20 of them women, were wounded in the shelling.",
     {(W, 50, None, E), (W, 20, None, E)}),
    ("Some 300 soldiers, 40 of them injured, laid down their arms at the bridge.",
     {(C, 300, None, A), (W, 40, None, E)}),
    ("The clinic treated 90 injured people, 25 of them children under 12.",
     {(W, 90, None, E), (W, 25, None, E)}),
    ("The army reported 22 casualties, three of them fatal.", {(KW, 22, None, E), (K, 3, None, E)}),
    ("Police logged 40 crashes last month, six fatal.", set()),
]  # fmt: skip

HOSPITAL_AND_SURRENDER: list[Case] = [
    ("Four were rushed to hospital with gunshot wounds.", {(W, 4, None, E)}),
    ("Twelve firefighters were taken to hospital with burns.", {(W, 12, None, E)}),
    ("An outbreak of cholera has infected 900 people and 70 have been hospitalised.", set()),
    ("The explosion killed two and 15 have been hospitalised.",
     {(K, 2, None, E), (W, 15, None, E)}),
    ("About 700 militia fighters laid down their weapons on Friday, the army said.",
     {(C, 700, None, A)}),
    ("Gunmen beheaded at least nine villagers, a local official said.", {(K, 9, None, AL)}),
]  # fmt: skip

RATES_AND_GAPS: list[Case] = [
    ("The front is costing the army 250 soldiers a day, analysts say.", set()),
    ("Officials say 600 people a week die on the roads.", set()),
    ("Some 60 climbers were still unaccounted for a day after the avalanche.", {(M, 60, None, A)}),
    ("The death toll from the magnitude 6.8 quake has risen to 2,012.", {(K, 2012, None, E)}),
    ("About 40 migrants who jumped from the boat were missing, survivors said.",
     {(M, 40, None, A)}),
    ("Police said 25 men who stormed the depot were arrested.", set()),
]  # fmt: skip

ALL = CASUALTY_LISTS + YEARS + THINGS_SEIZED + BREAKDOWNS + HOSPITAL_AND_SURRENDER + RATES_AND_GAPS


@pytest.mark.parametrize(("sentence", "expected"), ALL, ids=[c[0][:40] for c in ALL])
def test_round5_constructions(sentence: str, expected: set[tuple[str, int, int | None, str]]):
    assert figure_keys(sentence) == expected, sentence


def _texts() -> list[str]:
    from tests.figures import test_extract_round4 as round4
    from tests.figures import test_extract_round6 as round6
    from tests.figures import test_extract_round7 as round7
    from tests.figures.test_compiled import _texts as corpus

    here = Path(__file__).resolve()
    tables = [case[0] for case in ALL + round4.ALL + round6.ALL + round7.ALL]
    return tables + corpus((here.parents[2] / ".." / "shared").resolve())


def test_cue_prefilter_skips_only_sentences_without_figures(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The cheap stem test before each sentence (extract.CUE_STEMS) must know every cue: with it
    switched off, no text may gain a figure."""
    from pipeline.figures import extract

    texts = _texts()
    with_filter = [find_figures(t) for t in texts]
    monkeypatch.setattr(extract, "has_cue_lower", lambda low: True)
    without = [find_figures(t) for t in texts]
    gained = [(t[:100], b) for t, a, b in zip(texts, with_filter, without, strict=True) if a != b]
    assert not gained, gained[:3]

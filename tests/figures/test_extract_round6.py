"""Round 6 constructions, from the mistakes on the fifth blind held-out set (multi-sentence
excerpts): quoted counts in claims, a named first item before a list of counts, "in critical
condition" and "in hospital" after a verb, hostages handed over, a town's population, a year
after "months of", captors who "hold" people, groups "loyal to" someone, hyphenated names.

Every sentence is our own wording. Each table row is (sentence, expected) with expected a
set of (category, value, value_max, qualifier), compared with the extractor's whole output.
"""

from __future__ import annotations

import pytest

from pipeline.figures import find_figures
from tests.figures.tables import AL, KW, MT, A, C, Case, E, K, W, figure_keys

QUOTED_AND_LISTED: list[Case] = [
    ("The rebels said they had killed “more than 40” soldiers in the ambush.",
     {(K, 40, None, MT)}),
    ('The ministry said it was holding "about 3,000" enemy prisoners of war.',
     {(C, 3000, None, A)}),
    ("Raiders abducted a village chief, two nurses and at least 15 farmers overnight.",
     {(C, 2, None, E), (C, 15, None, AL)}),
    ("Troops killed a commander, four bodyguards and 11 fighters in the raid.",
     {(K, 4, None, E), (K, 11, None, E)}),
]  # fmt: skip

CARE: list[Case] = [
    ("Nine people were in critical condition after the blast, doctors said.", {(W, 9, None, E)}),
    ("Of the injured, 14 remain in hospital.", {(W, 14, None, E)}),
    ("Six passengers are still in hospital after the crash.", {(W, 6, None, E)}),
    ("Three nurses in the hospital were killed by the shell.", {(K, 3, None, E)}),
    ("Dengue has infected 2,000 people and 80 are in hospital.", set()),
    ("The ministry said 45 people had been treated for burns.", {(W, 45, None, E)}),
]  # fmt: skip

CAPTORS_AND_GROUPS: list[Case] = [
    ("The militia handed 12 hostages to the Red Cross on Sunday.", set()),
    ("The group still holds 35 hostages, officials believe.", {(C, 35, None, E)}),
    ("Kyiv says Moscow holds 800 of its citizens in detention.", {(C, 800, None, E)}),
    ("The arena holds 20,000 people.", set()),
    ("Some 60 fighters loyal to the warlord were killed.", {(K, 60, None, A)}),
    ("Police shot dead 4 pro-government gunmen.", {(K, 4, None, E)}),
]  # fmt: skip

NOT_COUNTS: list[Case] = [
    ("Nearly a third of a population of 90,000 died of the plague.", set()),
    ("The UN counted 210 deaths in the first six months of 2021.", {(K, 210, None, E)}),
    # "a night"/"a week" after a preposition is a time, not a rate
    ("Bandits abducted at least 20 pupils, most of them girls, in a night raid.",
     {(C, 20, None, AL)}),
    ("The brigade lost 400 men, half of them recruits, in a week of fighting.",
     {(KW, 400, None, E)}),
]  # fmt: skip

ALL = QUOTED_AND_LISTED + CARE + CAPTORS_AND_GROUPS + NOT_COUNTS


@pytest.mark.parametrize(("sentence", "expected"), ALL, ids=[c[0][:40] for c in ALL])
def test_round6_constructions(sentence: str, expected: set[tuple[str, int, int | None, str]]):
    assert figure_keys(sentence) == expected, sentence


def test_a_hyphenated_name_stays_whole_in_the_subject() -> None:
    (figure,) = find_figures("Drones killed 14 al-Shabaab fighters near the coast.")
    assert figure.subject == "al-Shabaab fighters"


@pytest.mark.parametrize(
    ("sentence", "claimant"),
    [
        ("The lawmaker, Amina Bello, said gunmen killed six farmers.", "Amina Bello"),
        ("A police spokesman, Ali Haidari, said 9 guards were wounded.", "Ali Haidari"),
        (
            "The monitor, the Tigray Health Bureau, said 31 people were killed.",
            "Tigray Health Bureau",
        ),
        ("Eleven died, said the head of the district council, Oleh Marchenko.", "Oleh Marchenko"),
        ("Jane Roe, head of the naval staff, said 300 sailors were killed.", "Jane Roe"),
        ("The minister, who visited the site, said 12 people were killed.", "minister"),
        ("By Sunday morning police said 5 gunmen were killed.", "police"),
        ("Later the ministry said 8 people were missing.", "ministry"),
    ],
)
def test_a_name_in_apposition_is_the_claimant(sentence: str, claimant: str) -> None:
    assert [f.claimant for f in find_figures(sentence)] == [claimant]


def test_a_later_bare_organisation_noun_takes_its_full_name() -> None:
    text = (
        "Floods killed 14 people, the provincial disaster agency said.\n\n"
        "On Tuesday the agency said 6 people were missing."
    )
    assert [f.claimant for f in find_figures(text)] == ["provincial disaster agency"] * 2

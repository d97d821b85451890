"""Round 3 constructions: the count after a toll noun, people held, the unaccounted for,
treatment for wounds, General Staff loss lists, and lookalikes that must stay silent.

Every sentence is our own wording. Each table row is (sentence, expected) with expected a
set of (category, value, value_max, qualifier), compared with the extractor's whole output.
"""

from __future__ import annotations

import pytest

from tests.figures.tables import AL, KW, MT, UT, A, C, Case, E, K, M, W, figure_keys

TOLL_THEN_NUMBER: list[Case] = [
    ("The quake left a death toll of 91 in the mountain villages.", {(K, 91, None, E)}),
    ("Officials reported a death toll of about 300 after the floods.", {(K, 300, None, A)}),
    ("By Sunday the number of people who died had risen to 169.", {(K, 169, None, E)}),
    ("The number of people killed in the blast has climbed to 52.", {(K, 52, None, E)}),
    ("The number of people who were injured rose to 230.", {(W, 230, None, E)}),
    ("The death toll stood at 18 in the border districts.", {(K, 18, None, E)}),
    ("The death toll is above 40,000, the health ministry says.", {(K, 40000, None, MT)}),
    ("The death toll now stands above 2,500.", {(K, 2500, None, MT)}),
    ("The death toll is unclear, though a local group put the figure as high as 1,400.",
     {(K, 1400, None, UT)}),
    ("The death toll is now above 40,000, according to the ministry.", {(K, 40000, None, MT)}),
    ("Officials put the death toll as high as 700.", {(K, 700, None, UT)}),
    ("The number of those who died had risen to 45 by Monday.", {(K, 45, None, E)}),
    # issue 9: "could be as high as" estimates what is (a bound), unlike "could rise to"
    ("The toll of the stampede could be as high as 60, a witness said.", {(K, 60, None, UT)}),
    ("The toll road cost of 91 dollars angered drivers.", set()),
    ("A toll of 12 hours of queuing wore the drivers down.", set()),
]  # fmt: skip

HELD: list[Case] = [
    ("The pirates have held the 25 crew members since March.", {(C, 25, None, E)}),
    ("The gang is believed to hold at least 38 people in the forest.", {(C, 38, None, AL)}),
    ("Gunmen abducted 40 passengers; 17 were freed, leaving 23 still in custody.",
     {(C, 40, None, E), (C, 23, None, E)}),
    ("Around 250 were taken into Gaza as hostages during the raid.", {(C, 250, None, A)}),
    ("Eleven aid workers were taken hostage near the border.", {(C, 11, None, E)}),
    ("The club has held 3 trophies in a row.", set()),
    ("The committee will hold 12 meetings in spring.", set()),
    ("Police arrested 30 suspects, leaving 5 still in custody awaiting trial.", set()),
    ("The team was taken to 4 different stadiums.", set()),
    ("Kidnappers still hold 12 students in the forest.", {(C, 12, None, E)}),
    ("Around 240 people were taken hostage at the festival.", {(C, 240, None, A)}),
    ("Gunmen seized 30 villagers; 12 escaped, leaving 18 in captivity.",
     {(C, 30, None, E), (C, 18, None, E)}),
    ("The stadium has held 50,000 people for concerts.", set()),
]  # fmt: skip

UNACCOUNTED: list[Case] = [
    ("Twenty miners were rescued, but a further 14 remain unaccounted for.", {(M, 14, None, E)}),
    ("After the landslide, 31 people remain unaccounted for.", {(M, 31, None, E)}),
    ("A further 20 people are still unaccounted for, officials said.", {(M, 20, None, E)}),
    ("Auditors said 4 million dollars remain unaccounted for.", set()),
]  # fmt: skip

TREATED: list[Case] = [
    ("Six officers are being treated for gunshot wounds, police said.", {(W, 6, None, E)}),
    ("Paramedics treated 18 people for minor injuries at the scene.", {(W, 18, None, E)}),
    ("Two women were being treated for gunshot wounds.", {(W, 2, None, E)}),
    ("Doctors treated 9 patients for food poisoning.", set()),
]  # fmt: skip

GENERAL_STAFF: list[Case] = [
    ("Russia's total combat losses since the invasion amount to around 612,300 personnel, "
     "8,120 tanks and 15,800 artillery systems, the General Staff said.",
     {(KW, 612300, None, A)}),
    ("Enemy losses amount to about 500,100 personnel and 7,000 tanks.", {(KW, 500100, None, A)}),
    ("Equipment losses amount to 9,000 tanks and 300 aircraft.", set()),
]  # fmt: skip

SILENT: list[Case] = [
    ("Rioters left about 30 houses burnt in the village.", set()),
    ("About 30 houses were burnt to the ground.", set()),
    ("Old landmines in 12 districts still cause casualties every year.", set()),
    ("A court sentenced 14 men to death for the attack.", set()),
    ("Seven defendants were sentenced to death on Tuesday.", set()),
    ("The tribunal condemned 5 officers to death in absentia.", set()),
    ("The regime sentenced 3 activists to death and killed 40 protesters.", {(K, 40, None, E)}),
    ("Rioters burnt about 30 houses and killed 4 people.", {(K, 4, None, E)}),
]  # fmt: skip

ALL = TOLL_THEN_NUMBER + HELD + UNACCOUNTED + TREATED + GENERAL_STAFF + SILENT


@pytest.mark.parametrize(("sentence", "expected"), ALL, ids=[c[0][:40] for c in ALL])
def test_round3_constructions(sentence: str, expected: set[tuple[str, int, int | None, str]]):
    assert figure_keys(sentence) == expected

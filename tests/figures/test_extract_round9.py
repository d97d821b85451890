"""Round 9 constructions, from the classes of misses on real published journalism (issue 9):
a change "from X to Y" with a qualifier on X, breakdowns whose later items leave the verb out,
cue words of real copy, and the false positives real text invites.

Every sentence is our own wording. Each table row is (sentence, expected) with expected a
set of (category, value, value_max, qualifier), compared with the extractor's whole output.
"""

from __future__ import annotations

import pytest

from tests.figures.tables import KW, MT, C, Case, E, K, M, W, figure_keys

# "from X to Y" states Y; X is the earlier value (spec), also when a qualifier stands before X.
CHANGES: list[Case] = [
    ("The number reported missing dropped from over 200 to five.",
     {(M, 200, None, MT), (M, 5, None, E)}),
    ("Officials cut the count of the missing from about 90 to 12.",
     {(M, 90, None, "approximately"), (M, 12, None, E)}),
    ("The death toll climbed from 30 to 45.", {(K, 30, None, E), (K, 45, None, E)}),
    ("Between 30 and 45 people were killed.", {(K, 30, 45, E)}),
]  # fmt: skip

# A breakdown whose later items leave the verb out; its opener ("Of the deaths,") names the
# category, also when the first item has no verb either.
BREAKDOWNS: list[Case] = [
    ("Of the deaths, 300 were in the north and 40 in the south.",
     {(K, 300, None, E), (K, 40, None, E)}),
    ("Of the deaths, 504 in the north and 72 in the south.", {(K, 504, None, E), (K, 72, None, E)}),
    ("Of the victims, 11 were children and 4 elderly.", {(KW, 11, None, E), (KW, 4, None, E)}),
    ("The quake killed 600 people. Of those, 504 in the north and 72 in the south.",
     {(K, 600, None, E), (K, 504, None, E), (K, 72, None, E)}),
    ("The quake killed 600 people. Of those, 50 were in the capital and 12 houses collapsed.",
     {(K, 600, None, E), (K, 50, None, E)}),
    ("Of the deaths, 30 were children; 12 houses burned.", {(K, 30, None, E)}),
]  # fmt: skip

# The size of a group of people written as a compound: "the 20-member crew".
GROUP_SIZES: list[Case] = [
    ("Pirates said the whole 20-member crew had been taken hostage.", {(C, 20, None, E)}),
    ("The 23-man crew is still missing.", {(M, 23, None, E)}),
    ("A 12-member delegation visited the site, where 30 people were killed.", {(K, 30, None, E)}),
    ("The 19-year-old was killed.", set()),
    ("A 40-member team of rescuers searched the river.", set()),
]  # fmt: skip

# The false positives real text invites: survivors and escapees counted beside the dead or
# with a cue word, people presumed dead who are found alive, a forecast of bodies to be found,
# ward numbers.
NOT_FIGURES: list[Case] = [
    ("Rescuers found 30 bodies and five survivors in the wreckage.", {(K, 30, None, E)}),
    ("Police said about 3 kidnapped escapees had reached the town.", set()),
    ("Eleven survivors, among them four children, were flown to the capital; 20 died.",
     {(K, 20, None, E)}),
    ("Two men presumed dead have been found alive.", set()),
    ("Three hikers feared dead turned up alive on Friday.", set()),
    ("Search teams say they expect to find 25 more bodies under the debris.", set()),
    ("The army expects to recover 40 bodies, and 12 bodies were recovered on Monday.",
     {(K, 12, None, E)}),
    ("The wounded were moved to wards 6 and 7.", set()),
    ("Patients in ward no. 3 and 4 were moved; 9 died.", {(K, 9, None, E)}),
    ("Gunfire killed 3 and 4 were hurt.", {(K, 3, None, E), (W, 4, None, E)}),
]  # fmt: skip

# Long distance between a count and its cue: a relative clause with a clause of its own before
# the main verb ("have died"), a relative clause set off by commas between a tally and its link.
DISTANCE: list[Case] = [
    ("Fourteen miners who were trapped when the shaft collapsed on Tuesday have died.",
     {(K, 14, None, E)}),
    ("Twelve soldiers who were wounded in the ambush have been flown home.", {(W, 12, None, E)}),
    ("The plaque lists 310 sailors who died at sea and have no grave.", {(K, 310, None, E)}),
    ("Nine girls who were abducted in March have been released.", set()),
    ("The death toll, which the ministry updates daily, has exceeded 1,000.",
     {(K, 1000, None, MT)}),
    ("The death toll, which rose after 40 more bodies were found, now stands at 400.",
     {(K, 40, None, E), (K, 400, None, E)}),
    ("The ferry, which carried 300 passengers, sank; 43 bodies were found.", {(K, 43, None, E)}),
    ("The regiment lost, at the river crossing, 178 men.", {(KW, 178, None, E)}),
    ("Gunmen killed, in two separate attacks, 40 villagers.", {(K, 40, None, E)}),
    ("Police arrested, in two raids, 40 suspects.", set()),
]  # fmt: skip

# Attackers are not their victims: a count followed by an active verb and its object did it.
AGENTS: list[Case] = [
    ("Seven masked gunmen shot dead the driver and seized two passengers.", {(C, 2, None, E)}),
    ("Three militants executed a soldier on camera.", set()),
    ("Two suicide bombers killed 14 worshippers.", {(K, 14, None, E)}),
    ("Four gunmen abducted the headmaster on Monday.", set()),
    ("Five people have died and 15 others injured around the depot.",
     {(K, 5, None, E), (W, 15, None, E)}),
    ("Twelve people killed the day before were buried on Friday.", {(K, 12, None, E)}),
    ("Six soldiers were killed the same night.", {(K, 6, None, E)}),
]  # fmt: skip

# A list governed by "bodies of" keeps its category through the list's own verb.
LISTS: list[Case] = [
    ("The bodies of six women and three children were recovered on Sunday.",
     {(K, 6, None, E), (K, 3, None, E)}),
    ("The remains of 12 miners and 4 rescuers have been found.",
     {(K, 12, None, E), (K, 4, None, E)}),
    ("Police killed 6 rebels and 3 soldiers were praised.", {(K, 6, None, E)}),
    ("The dead include a police officer, three soldiers and 11 civilians.",
     {(K, 3, None, E), (K, 11, None, E)}),
    ("Those killed included the driver, two teachers and four pupils.",
     {(K, 2, None, E), (K, 4, None, E)}),
    ("The convoy included a doctor, two nurses and 40 refugees.", set()),
    ("Monitors counted 9,000 deaths. This includes 6,000 civilians, 2,400 people classed as"
     " fighters and 600 members of the police.",
     {(K, 9000, None, E), (K, 6000, None, E), (K, 2400, None, E), (K, 600, None, E)}),
    ("The storm killed 40 people. They include 12 children, and 30 houses were destroyed.",
     {(K, 40, None, E), (K, 12, None, E)}),
]  # fmt: skip

# "may be dead", "might be missing": a hedged estimate of what is, unlike a forecast.
HEDGES: list[Case] = [
    ("As many as 40 villagers may be dead, a local chief said.", {(K, 40, None, "up_to")}),
    ("Up to 25 fishermen might be missing.", {(M, 25, None, "up_to")}),
    ("Hundreds could be killed if the dam bursts.", set()),
    ("Up to 30 people could be trapped under the rubble.", set()),
    ("Another 12 may be injured in the next attack.", set()),
]  # fmt: skip

ALL = CHANGES + GROUP_SIZES + BREAKDOWNS + NOT_FIGURES + DISTANCE + AGENTS + LISTS + HEDGES


@pytest.mark.parametrize(("sentence", "expected"), ALL, ids=[c[0][:40] for c in ALL])
def test_round9_constructions(sentence: str, expected: set[tuple[str, int, int | None, str]]):
    assert figure_keys(sentence) == expected, sentence

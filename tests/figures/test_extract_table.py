"""Hand-written sentences and the figures they state: every construction in spec/figures.md.

Each case is (sentence, expected) where expected is a set of (category, value, value_max,
qualifier). The sentences are our own wording, not taken from the evaluation data.
"""

from __future__ import annotations

import pytest

from tests.figures.tables import AL, KW, LT, MT, UT, A, C, Case, E, K, M, W, figure_keys

ACTIVE_PASSIVE: list[Case] = [
    ("Rebels captured two border guards near the crossing.", {(C, 2, None, E)}),
    ("Two soldiers were taken prisoner during the night raid.", {(C, 2, None, E)}),
    ("Eleven marines have been taken captive, the navy said.", {(C, 11, None, E)}),
    ("The militia abducted six students from a boarding school.", {(C, 6, None, E)}),
    ("Gunmen kidnapped 14 passengers from a bus on Friday.", {(C, 14, None, E)}),
    ("Some 40 villagers were kidnapped overnight.", {(C, 40, None, A)}),
    ("Government forces killed 23 fighters in the valley.", {(K, 23, None, E)}),
    ("The blast killed at least 9 people and injured 31.", {(K, 9, None, AL), (W, 31, None, E)}),
    ("A landslide killing nineteen people hit the town.", {(K, 19, None, E)}),
    ("Three police officers were shot dead at a checkpoint.", {(K, 3, None, E)}),
    ("Twelve miners died when the shaft collapsed.", {(K, 12, None, E)}),
    ("Fifteen people perished in the fire.", {(K, 15, None, E)}),
    ("Attackers wounded 17 worshippers outside the church.", {(W, 17, None, E)}),
    ("Forty-two people were hurt in the stampede.", {(W, 42, None, E)}),
    ("The shelling injured 8 children on Tuesday.", {(W, 8, None, E)}),
    ("Five people were hospitalised with wounds after the explosion.", {(W, 5, None, E)}),
    (
        "Twenty-five protesters were injured and four were killed.",
        {(W, 25, None, E), (K, 4, None, E)},
    ),
    ("Three hikers went missing in the storm.", {(M, 3, None, E)}),
    ("Nine fishermen remain unaccounted for after the cyclone.", {(M, 9, None, E)}),
    ("Seven crew members are still missing.", {(M, 7, None, E)}),
    ("About 60 soldiers surrendered to the rebels.", {(C, 60, None, A)}),
    ("The bombing left 14 people dead and 60 injured.", {(K, 14, None, E), (W, 60, None, E)}),
    ("Troops gunned down five suspected smugglers.", {(K, 5, None, E)}),
    ("At least 30 were feared dead after the ferry capsized.", {(K, 30, None, AL)}),
]

NOUNS: list[Case] = [
    ("The death toll rose to 45 on Sunday.", {(K, 45, None, E)}),
    ("The death toll from the floods has climbed to more than 300.", {(K, 300, None, MT)}),
    ("Officials recorded 45 deaths in the district.", {(K, 45, None, E)}),
    ("Kyiv says it is holding 1,300 POWs.", {(C, 1300, None, E)}),
    ("The army reported casualties of about 1,200 in the offensive.", {(KW, 1200, None, A)}),
    ("The regiment suffered 400 casualties in a week of fighting.", {(KW, 400, None, E)}),
    ("Rescuers recovered 80 bodies from the rubble.", {(K, 80, None, E)}),
    ("The fighting has caused 3,500 fatalities since March.", {(K, 3500, None, E)}),
    ("The group is believed to hold 101 hostages.", {(C, 101, None, E)}),
    ("The number of dead stood at 212 by nightfall.", {(K, 212, None, E)}),
    ("The toll reached 57, the governor said.", {(K, 57, None, E)}),
    ("The storm claimed 32 lives along the coast.", {(K, 32, None, E)}),
    ("Troop losses are estimated at 20,000.", {(KW, 20000, None, A)}),
    ("The ministry counted 215 martyrs in the camp.", {(K, 215, None, E)}),
    ("The clashes resulted in the deaths of eleven farmers.", {(K, 11, None, E)}),
    ("The army announced the capture of 31 enemy soldiers.", {(C, 31, None, E)}),
    ("Missing: 14 people, the coast guard said.", {(M, 14, None, E)}),
    ("The wounded number 96, doctors said.", {(W, 96, None, E)}),
    ("Hospitals treated 70 injured people overnight.", {(W, 70, None, E)}),
]

COMBINED: list[Case] = [
    ("30 soldiers were killed and wounded in the assault.", {(KW, 30, None, E)}),
    ("At least 3,000 troops have been killed or wounded.", {(KW, 3000, None, AL)}),
    ("The unit lost at least 30 men killed and wounded.", {(KW, 30, None, AL)}),
    ("Some 500 dead and wounded were counted after the battle.", {(KW, 500, None, A)}),
    ("The brigade lost 900 men in the offensive.", {(KW, 900, None, E)}),
    ("Officials said 12 were killed or injured by the blast.", {(KW, 12, None, E)}),
]

SEVERAL: list[Case] = [
    (
        "At least 90 died and another 1 500 were hurt in the battle.",
        {(K, 90, None, AL), (W, 1500, None, E)},
    ),
    (
        "Seven people died and 23 were injured, police said.",
        {(K, 7, None, E), (W, 23, None, E)},
    ),
    (
        "The raid killed 14 villagers and wounded nine others.",
        {(K, 14, None, E), (W, 9, None, E)},
    ),
    (
        "There were 61,207 dead, 49,368 wounded and 1,004 missing.",
        {(K, 61207, None, E), (W, 49368, None, E), (M, 1004, None, E)},
    ),
    (
        "Two people were killed while 18 others sustained injuries.",
        {(K, 2, None, E), (W, 18, None, E)},
    ),
    (
        "Of these, 4,253 were killed and 5,141 were injured.",
        {(K, 4253, None, E), (W, 5141, None, E)},
    ),
]

SHARED: list[Case] = [
    (
        "Investigators identified 912 privates killed in the campaign, as well as 88 officers.",
        {(K, 912, None, E), (K, 88, None, E)},
    ),
    (
        "Nine people, including three children, were killed in the strike.",
        {(K, 9, None, E), (K, 3, None, E)},
    ),
    (
        "The attack killed 27 people, including 8 women and 5 children.",
        {(K, 27, None, E), (K, 8, None, E), (K, 5, None, E)},
    ),
    (
        "More than 600 people are missing, including 150 children.",
        {(M, 600, None, MT), (M, 150, None, E)},
    ),
    (
        "Around 200 Russian soldiers and 150 Ukrainian soldiers were killed in the battle.",
        {(K, 200, None, A), (K, 150, None, E)},
    ),
    (
        "Six people - four men and two women - were found dead in the house.",
        {(K, 6, None, E), (K, 4, None, E), (K, 2, None, E)},
    ),
]

NUMBERS: list[Case] = [
    ("A total of 12\u00a0000 soldiers were killed in the campaign.", {(K, 12000, None, E)}),
    ("Officials said 12\u2009000 soldiers were killed.", {(K, 12000, None, E)}),
    ("Officials said 12\u202f000 soldiers were killed.", {(K, 12000, None, E)}),
    ("An estimated 1.2 million people died in the famine.", {(K, 1200000, None, A)}),
    ("Analysts say 12k soldiers were wounded.", {(W, 12000, None, E)}),
    ("Reports say 3,000+ troops have been killed.", {(K, 3000, None, MT)}),
    ("Three hundred people were injured in the quake.", {(W, 300, None, E)}),
    ("A dozen passengers were hurt.", {(W, 12, None, E)}),
    ("Half a million people have died in the war.", {(K, 500000, None, E)}),
    ("Between 30 and 40 people were killed.", {(K, 30, 40, E)}),
    ("Officials said 30-40 civilians died.", {(K, 30, 40, E)}),
    ("Some 30 to 40 soldiers are missing.", {(M, 30, 40, A)}),
    ("Police said two or three people were abducted.", {(C, 2, 3, E)}),
    ("Fifteen people were killed and one hundred and three were wounded.", {
        (K, 15, None, E), (W, 103, None, E)}),
]  # fmt: skip

QUALIFIERS: list[Case] = [
    ("At least 12 people were killed.", {(K, 12, None, AL)}),
    ("No fewer than 40 people were killed.", {(K, 40, None, AL)}),
    ("A minimum of 3,000 civilians died.", {(K, 3000, None, AL)}),
    ("More than 20 soldiers were captured.", {(C, 20, None, MT)}),
    ("Over 50 people were injured.", {(W, 50, None, MT)}),
    ("Upwards of 200 people are missing.", {(M, 200, None, MT)}),
    ("In excess of 1,000 troops were wounded.", {(W, 1000, None, MT)}),
    ("Up to 60 civilians were killed in the strike.", {(K, 60, None, UT)}),
    ("As many as 90 people may have died in the blaze.", {(K, 90, None, UT)}),
    ("Fewer than 10 people were hurt.", {(W, 10, None, LT)}),
    ("Less than 100 soldiers were captured.", {(C, 100, None, LT)}),
    ("About 70 people were killed.", {(K, 70, None, A)}),
    ("Roughly 250 people were wounded.", {(W, 250, None, A)}),
    ("Nearly 900 civilians were killed.", {(K, 900, None, A)}),
    ("Almost 9,000 others were hurt.", {(W, 9000, None, A)}),
    ("The clashes left 255 or so wounded.", {(W, 255, None, A)}),
    ("The army lost a dozen or fewer men killed.", {(K, 12, None, UT)}),
]

DAILY_REPORT: list[Case] = [
    (
        "personnel \u2012 about 808 460 (+1 430) persons",
        {(KW, 808460, None, A)},
    ),
    (
        "Total combat losses of the enemy: personnel - about 650 000 (+900) persons, "
        "tanks - 9 712 (+5), artillery systems - 21 000 (+30).",
        {(KW, 650000, None, A)},
    ),
]

SILENT: list[str] = [
    "Moscow moved 8 000 troops, including 300 officers and two generals, to the front.",
    "The general gathered a force of 40 000 men for the assault.",
    "The enemy lost 9 712 tanks and 300 aircraft.",
    "On December 14-15, heavy fighting continued in the region.",
    "The offensive began on October 24, 2024.",
    "A 19-year-old soldier was killed in the attack.",
    "The 92nd brigade lost ground near the river.",
    "The strike killed dozens and injured hundreds of soldiers.",
    "The war could kill thousands more, experts warn.",
    "The death toll could exceed 100, officials warned.",
    "Russia is losing 983 soldiers per day, analysts say.",
    "No one was killed in the attack.",
    "None of the 40 passengers were hurt.",
    "Ukraine released 95 prisoners of war in the exchange.",
    "The two sides exchanged 200 captured soldiers on Monday.",
    "Some 300 hostages were freed last week.",
    "A policeman was killed and a child was wounded.",
    "Damage is estimated at $5 million after the blast killed livestock.",
    "About 95% of the victims died from gunshot wounds.",
    "The injured were taken to 3 hospitals in the city.",
    "They died from their wounds.",
    "Six hundred houses were destroyed by the shelling that killed civilians.",
    "The quake of magnitude 6.3 killed people in 4 regions.",
    "The 20 soldiers were not killed, the army insisted.",
    "Tens of thousands have been killed since 2011.",
    "The ceasefire held for 3 days before fighting killed more people.",
    "Experts predict 5,000 soldiers will die this winter.",
    "Only two out of 85 regions reported no losses.",
]

ALL_CASES = ACTIVE_PASSIVE + NOUNS + COMBINED + SEVERAL + SHARED + NUMBERS + QUALIFIERS
ALL_CASES += DAILY_REPORT


@pytest.mark.parametrize(("sentence", "expected"), ALL_CASES, ids=[c[0][:50] for c in ALL_CASES])
def test_sentence_states_exactly_these_figures(sentence: str, expected: set[tuple]) -> None:
    assert figure_keys(sentence) == expected


@pytest.mark.parametrize("sentence", SILENT, ids=[s[:50] for s in SILENT])
def test_sentence_states_no_figure(sentence: str) -> None:
    assert figure_keys(sentence) == set()

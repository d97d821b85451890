"""Round 10 constructions, from the classes of misses of the blind real-news set realnews3
and those left on realnews1, realnews2, news.jsonl and holdout6 (issue 9): tally verbs of
headlines, asides between a count and its verb, people freed but hurt, the verb after a
relative clause, a whole "kidnapped by ..." inside a partitive, breakdowns after "Of the
dead,", publishing noise (a misprinted "at least", Cyrillic look-alike letters), and the false
positives of ages, averted deaths, labels, loads and people found alive.

Every sentence is our own wording. Each table row is (sentence, expected) with expected a
set of (category, value, value_max, qualifier), compared with the extractor's whole output.
"""

from __future__ import annotations

import pytest

from tests.figures.tables import AL, C, Case, E, K, W, figure_keys

# A tally noun linked to its count by a verb in the present tense ("toll hits 23").
TALLY_VERBS: list[Case] = [
    ("Bus crash toll hits 17: police", {(K, 17, None, E)}),
    ("Flood death toll reaches 412, scores still unaccounted for", {(K, 412, None, E)}),
    ("The casualty count totals 96 after the second blast.", {("killed_or_wounded", 96, None, E)}),
    ("The death toll numbers 58, the ministry said.", {(K, 58, None, E)}),
    ("The storm hits 40 villages along the coast.", set()),
]  # fmt: skip

# An aside between a group and its verb: "the majority of them ...", "all found in ...".
ASIDES: list[Case] = [
    ("At least 212 passengers, the majority of them pilgrims, drowned.", {(K, 212, None, AL)}),
    ("Some 90 workers, the bulk of them migrants, were injured.",
     {(W, 90, None, "approximately")}),
    ("Four girls and one teacher, all trapped in the basement, had died.",
     {(K, 4, None, E), (K, 1, None, E)}),
    ("Eight miners, all from the same village, remain missing.", {("missing", 8, None, E)}),
]  # fmt: skip

# Freed, rescued or escaped, but hurt: wounded (spec: hospitalised with injuries).
FREED_BUT_HURT: list[Case] = [
    ("Nine guests escaped with minor burns, the fire service said.", {(W, 9, None, E)}),
    ("Fourteen workers rescued overnight were taken to hospital with serious injuries.",
     {(W, 14, None, E)}),
    ("Six climbers escaped with no injuries.", set()),
    ("Twenty hostages were freed on Sunday.", set()),
]  # fmt: skip

# A noun cue ("POWs", "hostages") whose relative clause runs long: the main verb decides.
LONG_RELATIVES: list[Case] = [
    ("On Monday 48 POWs who were to be exchanged for soldiers held by the other side under a"
     " deal were killed in the shelling.", {(K, 48, None, E)}),
    ("Some 30 hostages who had been moved between three hideouts during the long talks were"
     " freed.", set()),
]  # fmt: skip

# "N of the M people kidnapped by ...": the whole was taken; the part is what the clause's own
# verb says.
PARTITIVE_WHOLES: list[Case] = [
    ("So far 70 of the roughly 110 villagers kidnapped by the gang on May 2 remain captive.",
     {(C, 70, None, E), (C, 110, None, "approximately")}),
    ("Three of the 11 engineers abducted last week were later found dead.", {(K, 3, None, E)}),
    ("40 of the estimated 90 fighters had been killed.", {(K, 40, None, E)}),
]  # fmt: skip

# "injuring at 12 people": "at least" with "least" dropped, after an -ing verb only.
MISPRINTS: list[Case] = [
    ("The roof gave way, injuring at 15 people.", {(W, 15, None, E)}),
    ("Officials put the killed and wounded at 300.", {("killed_or_wounded", 300, None, E)}),
    ("The bomb went off at 9 a.m., killing 4 people.", {(K, 4, None, E)}),
]  # fmt: skip

# False positives: an age set off by commas after a name, deaths averted, a table label whose
# head is "Bodies", a load counted in trucks.
NOT_FIGURES: list[Case] = [
    ("Six people are still held, among them Lina Haddad, 7, and her mother.", {(C, 6, None, E)}),
    ("The crew managed a safe landing, averting the deaths of 180 passengers.", set()),
    ("Quick evacuation prevented the death of about 2,000 residents.", set()),
    ("Bodies of hostages recovered by the army: 26", {(K, 26, None, E)}),
    ("Hostages still held: 31", {(C, 31, None, E)}),
    ("Witnesses saw 9 trucks full of corpses leave the stadium.", set()),
]  # fmt: skip

# Breakdowns after "Of the dead,": an opener with an adjective ("Of the reported deaths,"), a
# later item after a long aside, and "men" as the group.
BREAKDOWNS: list[Case] = [
    ("Of the reported deaths, 210 were in the capital, the hardest hit, and 35 in the port.",
     {(K, 210, None, E), (K, 35, None, E)}),
    ("Of the dead, 61 were in the northern district, where the dam gave way on Sunday night,"
     " and 9 in the valley town.", {(K, 61, None, E), (K, 9, None, E)}),
    ("Of the dead, 22 were women and 14 were men.", {(K, 22, None, E), (K, 14, None, E)}),
    ("Among the passengers killed were the pilot, three nurses and one other doctor.",
     {(K, 3, None, E), (K, 1, None, E)}),
]  # fmt: skip

# Publishing noise: Cyrillic look-alike letters inside English words.
NOISE: list[Case] = [
    ("Pоlicе ѕаid аt lеаѕt sеvеn guards diеd in the raid.", {(K, 7, None, AL)}),
    ("Рolice said 40 people were hurt; в городе погибли 3 человека.", {(W, 40, None, E)}),
]  # fmt: skip

# People said to be alive are no figure: "came out alive", "have turned up alive".
ALIVE: list[Case] = [
    ("Crews have recovered 31 bodies, and five people came out alive.", {(K, 31, None, E)}),
    ("Three sailors feared dead when their dinghy vanished off the cape have turned up alive.",
     set()),
    ("Eleven workers were buried alive in the tunnel.", {(K, 11, None, E)}),
]  # fmt: skip

# Misses and false positives left on news.jsonl, in our own wording: the main verb after a
# participle phrase and an aside, a shared count "for the whole of" a year, a count inside an
# if-clause and its "then", and a rescue mission's count.
NEWS_CLASSES: list[Case] = [
    ("At least 14 guests attending a christening in the hills, including the priest, are said"
     " to have been killed.", {(K, 14, None, AL)}),
    ("Six guards manning the gate were shot dead.", {(K, 6, None, E)}),
    ("Forty people attending the rally were arrested.", set()),
    ("The toll this season has reached 300, compared with 512 for the whole of last season.",
     {(K, 300, None, E), (K, 512, None, E)}),
    ("Medics treated 45 people for wounds and 200 for smoke inhalation.", {(W, 45, None, E)}),
    ("In general, she said, if a shell hits a school, then officials report ten deaths.", set()),
    ("After the rescue mission of three hostages last month, talks stalled.", set()),
]  # fmt: skip

# Misses and false positives left on realnews1 and holdout6, in our own wording: a modal in
# the clause before "as", a relative clause without "who", an illness named as epidemiology.
OTHER_CLASSES: list[Case] = [
    ("The toll may climb as four of the wounded are in a coma, doctors said.",
     {(W, 4, None, E)}),
    ("The toll may climb to 40.", set()),
    ("The rebels said five soldiers they captured last year had been executed.",
     {(K, 5, None, E)}),
    ("Some 3,100 patients are in hospital, the epidemiology unit reported.", set()),
]  # fmt: skip

ALL = (
    OTHER_CLASSES
    + TALLY_VERBS
    + ASIDES
    + FREED_BUT_HURT
    + LONG_RELATIVES
    + PARTITIVE_WHOLES
    + MISPRINTS
)
ALL += NOT_FIGURES + BREAKDOWNS + NOISE + ALIVE + NEWS_CLASSES


@pytest.mark.parametrize(("sentence", "expected"), ALL, ids=[c[0][:40] for c in ALL])
def test_round10_constructions(sentence: str, expected: set[tuple[str, int, int | None, str]]):
    assert figure_keys(sentence) == expected, sentence

"""News-style sentences of our own, each with exactly the figures it states (or none).

A second table beside test_extract_table.py: longer sentences as wire copy writes them, and
traps where a number sits next to a category word without being a figure.
"""

from __future__ import annotations

import pytest

from pipeline.figures import find_figures

Fig = tuple[str, int, int | None, str]

STATED: list[tuple[str, set[Fig]]] = [
    (
        "Ukrainian forces have killed about 1,200 North Korean soldiers and wounded another "
        "2,500, according to the Pentagon.",
        {("killed", 1200, None, "approximately"), ("wounded", 2500, None, "exact")},
    ),
    (
        "A Russian missile strike on Dnipro killed 46 people, including six children, and "
        "injured 80 others, regional governor Serhiy Lysak said.",
        {
            ("killed", 46, None, "exact"),
            ("killed", 6, None, "exact"),
            ("wounded", 80, None, "exact"),
        },
    ),
    (
        "The Gaza Health Ministry said on Monday that at least 40,005 Palestinians had been "
        "killed and 92,401 wounded in the territory since October 7.",
        {("killed", 40005, None, "at_least"), ("wounded", 92401, None, "exact")},
    ),
    (
        "The United Nations said 3,000 people had died in Darfur since April, while another "
        "1.5 million had fled.",
        {("killed", 3000, None, "exact")},
    ),
    (
        "At least 51 people died and dozens were injured when a bus plunged into a gorge.",
        {("killed", 51, None, "at_least")},
    ),
    (
        "Russian losses in Ukraine have surpassed 600,000 killed and wounded, according to "
        "Western estimates.",
        {("killed_or_wounded", 600000, None, "exact")},
    ),
    (
        "According to the UN, at least 10,582 civilians have been killed and 19,875 injured "
        "since February 2022.",
        {("killed", 10582, None, "at_least"), ("wounded", 19875, None, "exact")},
    ),
    (
        "Kyiv says it has captured more than 700 Russian soldiers in the Kursk region since "
        "August 6.",
        {("captured", 700, None, "more_than")},
    ),
    (
        "The General Staff reported that Russia lost 1,250 troops over the past day, bringing "
        "its total losses to 612,680.",
        {("killed_or_wounded", 1250, None, "exact"), ("killed_or_wounded", 612680, None, "exact")},
    ),
    (
        "Moscow said its forces had shot down 23 Ukrainian drones and killed 50 soldiers.",
        {("killed", 50, None, "exact")},
    ),
    (
        "More than 80 people are still missing after the landslide, which buried dozens of homes.",
        {("missing", 80, None, "more_than")},
    ),
    (
        "In total, 27 people were rescued and 3 remain missing.",
        {("missing", 3, None, "exact")},
    ),
    (
        "The Taliban took 30 soldiers prisoner after the base fell.",
        {("captured", 30, None, "exact")},
    ),
    (
        "Seventeen of the 25 hostages were later released; the other eight are believed to "
        "have been killed.",
        {("killed", 8, None, "exact")},
    ),
    (
        "Rwandan troops captured a dozen rebels, the army said.",
        {("captured", 12, None, "exact")},
    ),
    (
        'Sudan\'s army said it had killed "hundreds" of RSF fighters and captured 56.',
        {("captured", 56, None, "exact")},
    ),
    (
        "The attack killed 11 soldiers and a civilian, the military said.",
        {("killed", 11, None, "exact")},
    ),
    (
        "A total of 237 people have been confirmed dead and 73 remain missing, the disaster "
        "agency said.",
        {("killed", 237, None, "exact"), ("missing", 73, None, "exact")},
    ),
    (
        "At least 2,400 Ukrainian POWs are held by Russia, according to Kyiv's coordination "
        "headquarters.",
        {("captured", 2400, None, "at_least")},
    ),
    (
        "The number of dead rose to 13 on Tuesday, with another 20 hurt.",
        {("killed", 13, None, "exact"), ("wounded", 20, None, "exact")},
    ),
    (
        "The official death toll stands at 1,542, with 4,000 injured and 300 unaccounted for.",
        {
            ("killed", 1542, None, "exact"),
            ("missing", 300, None, "exact"),
            ("wounded", 4000, None, "exact"),
        },
    ),
    (
        "An estimated 600,000 Russian troops have been killed or wounded, the UK defence "
        "ministry said.",
        {("killed_or_wounded", 600000, None, "approximately")},
    ),
    (
        "The Ukrainian army lost 2,000 soldiers, including 400 killed, in the battle for the town.",
        {("killed", 400, None, "exact"), ("killed_or_wounded", 2000, None, "exact")},
    ),
    (
        "Ten soldiers died and two dozen were injured in the blast at the ammunition depot.",
        {("killed", 10, None, "exact"), ("wounded", 24, None, "exact")},
    ),
    (
        "The blast killed 4 firefighters and hurt 12 bystanders.",
        {("killed", 4, None, "exact"), ("wounded", 12, None, "exact")},
    ),
    (
        "The death toll from the storm has risen to 17, with 2 people still missing.",
        {("killed", 17, None, "exact"), ("missing", 2, None, "exact")},
    ),
    (
        "Israel says militants killed around 1,200 people and took about 250 hostages on "
        "October 7.",
        {("captured", 250, None, "approximately"), ("killed", 1200, None, "approximately")},
    ),
    (
        "Russia has suffered more than 150,000 casualties, including up to 50,000 dead, the "
        "report said.",
        {("killed", 50000, None, "up_to"), ("killed_or_wounded", 150000, None, "more_than")},
    ),
    (
        "Ukraine: 31,000 soldiers killed, Zelensky says.",
        {("killed", 31000, None, "exact")},
    ),
    (
        "Six Ukrainian POWs were executed by Russian soldiers, prosecutors said.",
        {("killed", 6, None, "exact")},
    ),
    (
        "He said 120 of the estimated 200 fighters had been killed.",
        {("killed", 120, None, "exact")},
    ),
    (
        "More than 500 people were arrested, and 20 were injured in clashes with police.",
        {("wounded", 20, None, "exact")},
    ),
    (
        "Russia launched 120 drones overnight; one person was injured.",
        {("wounded", 1, None, "exact")},
    ),
    (
        "A soldier died; 4 others were hospitalised with burns.",
        {("wounded", 4, None, "exact")},
    ),
    (
        "The virus killed 7 million people worldwide, the WHO said.",
        {("killed", 7000000, None, "exact")},
    ),
    (
        "Israel's army said 2 soldiers were killed and the militants lost 10 fighters.",
        {("killed", 2, None, "exact"), ("killed_or_wounded", 10, None, "exact")},
    ),
    (
        "The operation involved 5,000 troops, of whom 30 were wounded.",
        {("wounded", 30, None, "exact")},
    ),
    (
        "In 1995, 8,000 Bosniak men and boys were killed at Srebrenica.",
        {("killed", 8000, None, "exact")},
    ),
    (
        "Israeli airstrikes killed 42 Palestinians across Gaza on Thursday, local health "
        "authorities said.",
        {("killed", 42, None, "exact")},
    ),
    (
        "The Health Ministry said 38 bodies had been brought to hospitals in the past 24 hours.",
        {("killed", 38, None, "exact")},
    ),
    (
        "At least 17 people, among them four children, died when a boat capsized off the coast.",
        {("killed", 17, None, "at_least"), ("killed", 4, None, "exact")},
    ),
    (
        "A suicide bomber blew himself up at a wedding, killing 23 guests and wounding 57 more.",
        {("killed", 23, None, "exact"), ("wounded", 57, None, "exact")},
    ),
    (
        "Police confirmed that 3 officers were killed and 11 injured in the ambush.",
        {("killed", 3, None, "exact"), ("wounded", 11, None, "exact")},
    ),
    (
        "The attack left at least 12 dead, officials said.",
        {("killed", 12, None, "at_least")},
    ),
    (
        "Officials put the number of missing at 74.",
        {("missing", 74, None, "exact")},
    ),
    (
        "The UN estimates that 4,000 civilians have been killed since the war began.",
        {("killed", 4000, None, "approximately")},
    ),
    (
        "Ukraine's military said it had killed 1,120 Russian soldiers over the past 24 hours.",
        {("killed", 1120, None, "exact")},
    ),
    (
        "Russia has lost about 790,000 soldiers killed or wounded since February 2022, "
        "according to Britain's defence ministry.",
        {("killed_or_wounded", 790000, None, "approximately")},
    ),
    (
        "The Pentagon estimates Russian casualties at 315,000.",
        {("killed_or_wounded", 315000, None, "approximately")},
    ),
    (
        "Hamas is still holding about 130 hostages, dozens of whom are believed to be dead.",
        {("captured", 130, None, "approximately")},
    ),
    (
        "The flood killed 17 and left 4 missing in the northern province.",
        {("killed", 17, None, "exact"), ("missing", 4, None, "exact")},
    ),
    (
        "At least 1,300 people died in the earthquake and more than 2,000 were hurt, "
        "according to officials.",
        {("killed", 1300, None, "at_least"), ("wounded", 2000, None, "more_than")},
    ),
    (
        "The clashes have killed more than 250 people and wounded over 1,000 since Saturday.",
        {("killed", 250, None, "more_than"), ("wounded", 1000, None, "more_than")},
    ),
    (
        "Gunmen stormed the village, killing eight and abducting 30 others.",
        {("captured", 30, None, "exact"), ("killed", 8, None, "exact")},
    ),
    (
        "A roadside bomb killed two soldiers and wounded three.",
        {("killed", 2, None, "exact"), ("wounded", 3, None, "exact")},
    ),
    (
        "Two soldiers were killed and three others were wounded when their vehicle struck a mine.",
        {("killed", 2, None, "exact"), ("wounded", 3, None, "exact")},
    ),
    (
        "Four journalists were among the 15 people killed in the strike.",
        {("killed", 15, None, "exact")},
    ),
    (
        "One person died and 14 were treated for injuries.",
        {("killed", 1, None, "exact"), ("wounded", 14, None, "exact")},
    ),
    (
        "The strike on the market killed 16 people, the mayor said, adding that 40 more were "
        "wounded.",
        {("killed", 16, None, "exact"), ("wounded", 40, None, "exact")},
    ),
    (
        "Doctors said 9 of the wounded were in critical condition.",
        {("wounded", 9, None, "exact")},
    ),
    (
        "Around 1,500 people were reported missing after the floods.",
        {("missing", 1500, None, "approximately")},
    ),
    (
        "Nearly 200 Ukrainian soldiers were taken prisoner when the town fell.",
        {("captured", 200, None, "approximately")},
    ),
    (
        "The commander said his unit had captured 48 enemy troops in two days.",
        {("captured", 48, None, "exact")},
    ),
    (
        "The fighting in the city has left more than 100 people dead, 400 wounded and dozens "
        "missing.",
        {("killed", 100, None, "more_than"), ("wounded", 400, None, "exact")},
    ),
    (
        "The official toll stands at 1,035 dead.",
        {("killed", 1035, None, "exact")},
    ),
    (
        "The quake killed 2,000 people in 2023, the worst disaster in decades.",
        {("killed", 2000, None, "exact")},
    ),
    (
        "Attackers set fire to 20 homes and killed 5 residents.",
        {("killed", 5, None, "exact")},
    ),
    (
        "The army said it repelled 15 attacks and killed 60 fighters.",
        {("killed", 60, None, "exact")},
    ),
    (
        "Since 2015, the conflict has claimed more than 150,000 lives.",
        {("killed", 150000, None, "more_than")},
    ),
    (
        "The war has displaced 14 million people and killed at least 150,000.",
        {("killed", 150000, None, "at_least")},
    ),
    (
        "At least 9 people were killed on Monday and 20 on Tuesday.",
        {("killed", 20, None, "exact"), ("killed", 9, None, "at_least")},
    ),
    (
        "The number of people killed in the floods has risen to 58.",
        {("killed", 58, None, "exact")},
    ),
    (
        "The toll from Monday's bombing has risen to 61 dead and 130 wounded.",
        {("killed", 61, None, "exact"), ("wounded", 130, None, "exact")},
    ),
    (
        "Hospitals said they received 47 wounded soldiers overnight.",
        {("wounded", 47, None, "exact")},
    ),
    (
        "He said 31 people were arrested and 14 were hurt in the protests.",
        {("wounded", 14, None, "exact")},
    ),
    (
        "The militia holds more than 200 people captive in the forest.",
        {("captured", 200, None, "more_than")},
    ),
    (
        "At least 11 Palestinians were killed and 45 injured on Saturday, bringing the total "
        "killed since October to 34,000.",
        {
            ("killed", 11, None, "at_least"),
            ("killed", 34000, None, "exact"),
            ("wounded", 45, None, "exact"),
        },
    ),
    (
        "The government puts the death toll at 43.",
        {("killed", 43, None, "exact")},
    ),
    (
        "Fighters killed 14 soldiers in an ambush last week, the third attack this month.",
        {("killed", 14, None, "exact")},
    ),
    (
        "Local media reported that 5 children were among the dead.",
        {("killed", 5, None, "exact")},
    ),
    (
        "The strike killed an entire family of six.",
        {("killed", 6, None, "exact")},
    ),
    (
        "Around 60,000 people attended the funeral of the 30 victims.",
        {("killed_or_wounded", 30, None, "exact")},
    ),
    (
        "The attack killed 7 of the 12 crew members.",
        {("killed", 7, None, "exact")},
    ),
    (
        "A 2019 report found 400 soldiers had died from suicide.",
        {("killed", 400, None, "exact")},
    ),
    (
        "The hurricane killed nine people in Florida and four in Georgia.",
        {("killed", 4, None, "exact"), ("killed", 9, None, "exact")},
    ),
    (
        "The brigade lost 900 men near the river.",
        {("killed_or_wounded", 900, None, "exact")},
    ),
    (
        "The bus was carrying 40 passengers when it crashed, killing 12.",
        {("killed", 12, None, "exact")},
    ),
    (
        "The 1,000-bed hospital treated 300 injured.",
        {("wounded", 300, None, "exact")},
    ),
    (
        "A memorial lists the 58,000 Americans killed in Vietnam.",
        {("killed", 58000, None, "exact")},
    ),
    (
        "The strike hit a school sheltering 200 displaced people, killing at least 10.",
        {("killed", 10, None, "at_least")},
    ),
    (
        "Of the 120 hostages, 43 are believed dead.",
        {("captured", 120, None, "exact"), ("killed", 43, None, "exact")},
    ),
    (
        "Three of those killed were children.",
        {("killed", 3, None, "exact")},
    ),
    (
        "Death toll: 45",
        {("killed", 45, None, "exact")},
    ),
    (
        "The dead included 5 children and 2 women.",
        {("killed", 2, None, "exact"), ("killed", 5, None, "exact")},
    ),
    (
        "The hospital received 20 bodies and 50 wounded.",
        {("killed", 20, None, "exact"), ("wounded", 50, None, "exact")},
    ),
    (
        "More than 2,000 people have been killed in gang violence this year, up from 1,500 "
        "last year.",
        {("killed", 2000, None, "more_than")},
    ),
    (
        "Police arrested 20 suspects after the killing of 3 officers.",
        {("killed", 3, None, "exact")},
    ),
    (
        "The 300 people killed in the massacre were buried in 2 mass graves.",
        {("killed", 300, None, "exact")},
    ),
    (
        "They killed 5 people at 3 p.m. on 7 October.",
        {("killed", 5, None, "exact")},
    ),
    (
        "Between 2014 and 2022, 14,000 people were killed in the Donbas.",
        {("killed", 14000, None, "exact")},
    ),
    (
        "“We lost 40 men in one night,” the commander said.",
        {("killed_or_wounded", 40, None, "exact")},
    ),
    (
        "A soldier and two civilians were killed in the shelling.",
        {("killed", 2, None, "exact")},
    ),
    (
        "Gen. Smith told reporters on Jan. 5 that 14 U.S. soldiers had been wounded.",
        {("wounded", 14, None, "exact")},
    ),
    (
        "The official said 5 of its soldiers were wounded by shelling that hit 12 villages.",
        {("wounded", 5, None, "exact")},
    ),
    (
        "The attack, which killed 5, was claimed by the group.",
        {("killed", 5, None, "exact")},
    ),
    (
        "The blast wounded more than 100, including 20 seriously.",
        {("wounded", 100, None, "more_than"), ("wounded", 20, None, "exact")},
    ),
    (
        "He was one of 12 people killed in the raid.",
        {("killed", 12, None, "exact")},
    ),
    (
        "Seven bodies were recovered from the river.",
        {("killed", 7, None, "exact")},
    ),
    (
        "A militant group said it carried out the attack that killed 7.",
        {("killed", 7, None, "exact")},
    ),
    (
        "In all, 46 people lost their lives.",
        {("killed", 46, None, "exact")},
    ),
    (
        "The militants are believed to have kidnapped about 300 schoolgirls.",
        {("captured", 300, None, "approximately")},
    ),
    (
        "A total of 2,500 Ukrainian prisoners remain in Russian captivity.",
        {("captured", 2500, None, "exact")},
    ),
    (
        "It was the deadliest attack since 2017, when 300 people were killed.",
        {("killed", 300, None, "exact")},
    ),
    (
        "Ten were killed in the first wave and another six in the second.",
        {("killed", 10, None, "exact"), ("killed", 6, None, "exact")},
    ),
]

SILENT: list[str] = [
    "The 2014 attack killed a soldier.",
    "Since 2014, the war has killed civilians in 12 towns.",
    "The 300 km front line saw heavy losses.",
    "Ukraine lost control of 3 villages in the past week.",
    "The brigade, which has 2,000 soldiers, lost ground near Pokrovsk.",
    "Russia fired 40 missiles and 100 drones, killing a man.",
    "Two weeks after the attack, the wounded were still in hospital.",
    "Police said 300 officers were deployed after a man was killed.",
    "Ukraine has received 31 Abrams tanks, of which 5 have been lost.",
    "The president visited 3 hospitals treating the injured.",
    "He was wounded twice in 2 years of fighting.",
    "A 5-year-old girl was among the dead.",
    "Only 2 of the 10 regions reported deaths.",
    "At 4 a.m. the first bodies were found.",
    "The team lost 3-0 on Sunday.",
    "Gunmen killed a teacher in front of 30 pupils.",
    "The court sentenced 5 men for the killing of a journalist.",
    "Officials said 1 in 5 children were injured.",
    "The agreement frees 50 hostages in exchange for 150 Palestinian prisoners.",
    "Hamas released 24 hostages on Friday.",
    "Russia returned the bodies of 250 Ukrainian soldiers.",
    "The UN says 2.3 million people, almost the entire population, have been displaced.",
    "Over 3 days, the toll climbed steadily.",
    "A study found that 3 in 10 veterans were injured.",
    "Mortality fell 20 percent after 2020.",
    "We could see 10,000 deaths if nothing changes.",
    "If the dam fails, up to 50,000 people could die.",
    "The bombing could have killed 100 people, officials said.",
    "At least 100 people would have died without the shelters.",
    "Fewer than half of the 500 hostages survived.",
    "Nobody among the 400 passengers was hurt.",
    "All 150 passengers survived the crash.",
    "The strike missed its target by 200 metres; no one was hurt.",
    "Authorities rescued 45 people trapped in the rubble.",
    "The 45 rescued miners were unharmed.",
    "In 2022, 300 journalists were jailed worldwide.",
    "Medics treated 80 people for smoke inhalation.",
    "The Lakers lost 3 games in a row.",
    "The team lost 2-1 to the visitors.",
    "The party lost 30 members and 3 seats.",
    "The one who died was a child.",
    "Road accidents kill 1.3 million people every year.",
    "The policy could save 1,000 lives a year.",
    "At least 3 million people have fled the fighting.",
    "Ukraine and Russia swapped 95 prisoners each on Friday.",
    "About 1,000 POWs have returned home.",
    "The death toll is expected to rise to 100.",
]


def _got(text: str) -> set[Fig]:
    return {(f.category.value, f.value, f.value_max, f.qualifier.value) for f in find_figures(text)}


@pytest.mark.parametrize(("sentence", "expected"), STATED, ids=[s[:48] for s, _ in STATED])
def test_news_sentence_states_these_figures(sentence: str, expected: set[Fig]) -> None:
    assert _got(sentence) == expected


@pytest.mark.parametrize("sentence", SILENT, ids=[s[:48] for s in SILENT])
def test_news_sentence_states_nothing(sentence: str) -> None:
    assert _got(sentence) == set()


MORE: list[tuple[str, set[Fig]]] = [
    ("The army said it had eliminated 1,200 enemy soldiers in the past day.",
     {("killed", 1200, None, "exact")}),
    ("Three people later succumbed to their injuries.", {("killed", 3, None, "exact")}),
    ("The blast wounded 40 people, 6 of them seriously.",
     {("wounded", 40, None, "exact"), ("wounded", 6, None, "exact")}),
    ("At least 12 people were killed, among them 4 soldiers.",
     {("killed", 12, None, "at_least"), ("killed", 4, None, "exact")}),
    ("The strike killed 10 people, raising the number of dead to 85.",
     {("killed", 10, None, "exact"), ("killed", 85, None, "exact")}),
    ("Eight more bodies were found on Sunday, bringing the toll to 39.",
     {("killed", 8, None, "exact"), ("killed", 39, None, "exact")}),
    ("About 40 people remain missing, while 12 others are unaccounted for.",
     {("missing", 40, None, "approximately"), ("missing", 12, None, "exact")}),
    ("The combat losses of the enemy from 24.02.22 to 14.01.25 were approximately: personnel "
     "\u2012 about 808 460 (+1 430) persons, tanks \u2012 9 712 (+5).",
     {("killed_or_wounded", 808460, None, "approximately")}),
    ("They detained 40 protesters and injured 3 journalists.", {("wounded", 3, None, "exact")}),
    ("Two hundred and fifty soldiers were taken prisoner by the rebels.",
     {("captured", 250, None, "exact")}),
    ("Up to 1,000 people could be trapped under the rubble, and 45 are confirmed dead.",
     {("killed", 45, None, "exact")}),
    ("Of the 30 passengers, 12 died and 18 were injured.",
     {("killed", 12, None, "exact"), ("wounded", 18, None, "exact")}),
    ("The gunmen killed 3 and abducted 15, police said on Friday.",
     {("killed", 3, None, "exact"), ("captured", 15, None, "exact")}),
    ("There were 61 deaths and 400 injuries reported in the region.",
     {("killed", 61, None, "exact"), ("wounded", 400, None, "exact")}),
    ("The group took 12 aid workers hostage.", {("captured", 12, None, "exact")}),
    ("Around 4,000 Ukrainian prisoners of war are held in Russia.",
     {("captured", 4000, None, "approximately")}),
    ("The fire killed 4 and left 2 missing.",
     {("killed", 4, None, "exact"), ("missing", 2, None, "exact")}),
    ('"Eleven of our men were killed and 23 wounded," the commander told reporters.',
     {("killed", 11, None, "exact"), ("wounded", 23, None, "exact")}),
    ("Gunmen shot and killed 9 people at a bar.", {("killed", 9, None, "exact")}),
]  # fmt: skip


@pytest.mark.parametrize(("sentence", "expected"), MORE, ids=[s[:48] for s, _ in MORE])
def test_more_news_sentences(sentence: str, expected: set[Fig]) -> None:
    assert _got(sentence) == expected


def test_subjects_and_claimants_in_news_copy() -> None:
    (f,) = find_figures("Around 4,000 Ukrainian prisoners of war are held in Russia.")
    assert f.subject == "Ukrainian prisoners"
    killed, wounded = find_figures(
        '"Eleven of our men were killed and 23 wounded," the commander told reporters.'
    )
    assert (killed.subject, killed.claimant) == ("our men", "commander")
    assert wounded.subject == "our men"  # "23 wounded" counts the same men


HISTORY: list[tuple[str, set[Fig]]] = [
    ("The Union lost 1,500 killed, 3,000 wounded and 1,200 missing.",
     {("killed", 1500, None, "exact"), ("wounded", 3000, None, "exact"),
      ("missing", 1200, None, "exact")}),
    ("Casualties: 1,200 killed, 3,400 wounded.",
     {("killed", 1200, None, "exact"), ("wounded", 3400, None, "exact")}),
    ("The British suffered 57,470 casualties on the first day, including 19,240 dead.",
     {("killed_or_wounded", 57470, None, "exact"), ("killed", 19240, None, "exact")}),
    ("Losses were heavy: the regiment lost 300 of its 800 men.",
     {("killed_or_wounded", 300, None, "exact")}),
    ("American losses amounted to 4,435 killed and 6,188 wounded.",
     {("killed", 4435, None, "exact"), ("wounded", 6188, None, "exact")}),
    ("The enemy left 400 dead on the field.", {("killed", 400, None, "exact")}),
    ("The regiment had 12 officers killed and 30 wounded.",
     {("killed", 12, None, "exact"), ("wounded", 30, None, "exact")}),
    ("Killed, 45; wounded, 120; missing, 12.",
     {("killed", 45, None, "exact"), ("wounded", 120, None, "exact"),
      ("missing", 12, None, "exact")}),
    ("More than 1,000 were taken prisoner and 200 killed.",
     {("captured", 1000, None, "more_than"), ("killed", 200, None, "exact")}),
    ("The garrison of 9,000 surrendered.", {("captured", 9000, None, "exact")}),
    ("Nearly 4,000 of the 7,000 defenders were killed.", {("killed", 4000, None, "approximately")}),
    ("The battle cost the lives of 20,000 soldiers.", {("killed", 20000, None, "exact")}),
    ("The war claimed an estimated 620,000 lives.", {("killed", 620000, None, "approximately")}),
    ("British losses at the Somme were about 420,000.",
     {("killed_or_wounded", 420000, None, "approximately")}),
    ("Death toll: 1,023 (as of March 3).", {("killed", 1023, None, "exact")}),
    ("Killed: 5. Wounded: 12.", {("killed", 5, None, "exact"), ("wounded", 12, None, "exact")}),
    ("5 dead, 12 hurt as bus overturns",
     {("killed", 5, None, "exact"), ("wounded", 12, None, "exact")}),
]  # fmt: skip


@pytest.mark.parametrize(("sentence", "expected"), HISTORY, ids=[s[:48] for s, _ in HISTORY])
def test_battle_reports_and_tallies(sentence: str, expected: set[Fig]) -> None:
    assert _got(sentence) == expected


def test_list_after_a_toll_and_a_lost_contrast_across_sentences() -> None:
    text = (
        "The death toll from the fighting since May 3rd has climbed to more than 9,000, "
        "including nearly 3,000 children, 2,000 women and 400 elderly people, with over "
        "20,000 injured.\n"
        '"We lost 3,000 to 4,000, while they lost about 30 (thousand) to 40,000," the '
        "general said.\n\nAlmost 12,000 others have been injured, he added.\n"
        "Ukraine's General Staff puts Russian losses at 640,000, including 1,300 over the "
        "past 24 hours. The ministry reported 18 deaths overnight; 44 people were hospitalised."
    )
    assert _got(text) == {
        ("killed", 9000, None, "more_than"),
        ("killed", 3000, None, "approximately"),
        ("killed", 2000, None, "exact"),
        ("killed", 400, None, "exact"),
        ("wounded", 20000, None, "more_than"),
        ("killed", 3000, 4000, "exact"),  # "lost", set against "others ... injured"
        ("killed", 30000, 40000, "approximately"),
        ("wounded", 12000, None, "approximately"),
        ("killed_or_wounded", 640000, None, "exact"),  # no contrast: stays losses
        ("killed_or_wounded", 1300, None, "exact"),
        ("killed", 18, None, "exact"),
        ("wounded", 44, None, "exact"),
    }


def test_comma_apposition_and_anaphora() -> None:
    assert _got(
        "The survey documented 52 cases of enforced disappearance, and 9 people, 7 men and "
        "2 women, were found dead."
    ) == {("killed", 9, None, "exact"), ("killed", 7, None, "exact"), ("killed", 2, None, "exact")}
    assert _got(
        "Police say 57 residents remain unaccounted for, against an earlier count of 40."
    ) == {
        ("missing", 57, None, "exact"),
        ("missing", 40, None, "exact"),
    }
    assert _got(
        "More than 1,000 people were listed as missing; that number later dropped to 80."
    ) == {("missing", 1000, None, "more_than"), ("missing", 80, None, "exact")}


NOT_CASUALTIES: list[str] = [
    "The company announced job losses of 5,000 across Europe.",
    "The firm reported losses of 3 million dollars last quarter.",
    "The bank lost 2 billion in the crash.",
    "He scored 2 goals before he was injured.",
    "Heart disease kills 17.9 million people every year.",
    "The airline lost 30 bags on Monday.",
    "The shares lost 5 percent.",
    "The candidate lost 3 states and won 12.",
    "Officials reported 5 deadly attacks on the power grid.",
    "The storm left 40,000 homes without power.",
]


@pytest.mark.parametrize("sentence", NOT_CASUALTIES, ids=[s[:48] for s in NOT_CASUALTIES])
def test_cue_words_outside_casualty_reporting(sentence: str) -> None:
    assert _got(sentence) == set()


def test_a_participle_after_and_is_its_own_predicate() -> None:
    assert _got("The team has 4 injured players and 2 suspended.") == {
        ("wounded", 4, None, "exact")
    }


def test_may_the_modal_and_may_the_month() -> None:
    assert _got("At least 30 may have been killed in the raid.") == {
        ("killed", 30, None, "at_least")
    }
    assert _got("Since 5 May, 12 people were killed.") == {("killed", 12, None, "exact")}
    assert _got("On May 5 at least 30 died.") == {("killed", 30, None, "at_least")}


def test_ages_dates_and_codes_next_to_figures() -> None:
    assert _got("Gunmen killed two men, aged 25 and 30, in the market.") == {
        ("killed", 2, None, "exact")
    }
    assert _got("John Smith, 45, and Jane Doe, 32, were killed in the crash.") == set()
    assert _got("The 9/11 attacks killed nearly 3,000 people.") == {
        ("killed", 3000, None, "approximately")
    }
    assert _got("MH17 was shot down, killing all 298 people on board.") == {
        ("killed", 298, None, "exact")
    }
    assert _got("Day 300 of the war: 5 killed in Kherson.") == {("killed", 5, None, "exact")}
    assert _got("Kherson shelling kills 3, injures 12.") == {
        ("killed", 3, None, "exact"),
        ("wounded", 12, None, "exact"),
    }


def test_breakdown_of_a_vague_total_keeps_its_own_verb() -> None:
    assert _got("Dozens of people, including 12 children, were killed in the strike.") == {
        ("killed", 12, None, "exact")
    }


def test_denied_counts_are_not_stated() -> None:
    assert _got("The ministry denied that 50 soldiers were killed.") == set()
    assert _got("It is not true that 400 soldiers were killed, the ministry said.") == set()
    assert _got("Moscow dismissed claims that more than 500 troops had been captured.") == set()
    assert _got("Officials said that 50 soldiers were killed.") == {("killed", 50, None, "exact")}


def test_each_clause_keeps_its_own_claimant() -> None:
    figures = find_figures(
        "The junta said 20 soldiers died and 50 were injured when the base fell; the rebels "
        "said they had captured 70 troops."
    )
    assert [(f.value, f.claimant) for f in figures] == [
        (20, "junta"),
        (50, "junta"),
        (70, "rebels"),
    ]


def test_more_ways_to_say_it() -> None:
    assert _got("More than 300 lives were lost in the floods.") == {
        ("killed", 300, None, "more_than")
    }
    assert _got("Twelve villagers were burned alive.") == {("killed", 12, None, "exact")}
    assert _got("Five men were hanged in public.") == {("killed", 5, None, "exact")}
    assert _got("Nine workers suffered burns in the blast.") == {("wounded", 9, None, "exact")}
    assert _got("Those 3 lives were saved.") == set()

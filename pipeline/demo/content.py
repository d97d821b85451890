"""What the demo news site says, version by version, and the figures each version states.

Everything here is invented: Veloria, Kastrel, Tolvik, Saldera and the people quoted do not exist.
A paragraph is either one string (the same in every version) or a tuple with one entry per
version (`None` drops the paragraph from that version). `EXPECTED` is written by hand from the
paragraphs and is what a correct extractor finds in each version's article text; page furniture
(most-read box, related stories, comments) is noise around the article and states no figure.

The versions ("cycles") follow one plan for every article:

- v0: the baseline.
- v1: one or two figures change; the most-read box rotates.
- v2: only layout, timestamps, comments and the most-read box change; the article text does not.
- v3: another change: a figure changes, one is new, one is removed.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.figures.model import Category, Qualifier

VERSIONS = 4

K, W, KW, C, M = (
    Category.KILLED,
    Category.WOUNDED,
    Category.KILLED_OR_WOUNDED,
    Category.CAPTURED,
    Category.MISSING,
)
EXACT, ABOUT, AT_LEAST, MORE_THAN = (
    Qualifier.EXACT,
    Qualifier.APPROXIMATELY,
    Qualifier.AT_LEAST,
    Qualifier.MORE_THAN,
)

NBSP = "\u00a0"

Paragraph = str | tuple[str | None, str | None, str | None, str | None]


@dataclass(frozen=True, slots=True)
class ExpectedFigure:
    """One figure a version of an article states. `subject`/`claimant` are as the text says them;
    `key` is this module's own identity for the figure, stable across versions, for diffing."""

    category: Category
    value: int
    qualifier: Qualifier
    subject: str
    claimant: str
    value_max: int | None = None

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.category.value, self.subject.lower(), self.claimant.lower())

    @property
    def triple(self) -> tuple[str, int, int | None]:
        """(category, value, value_max): how the evaluation data matches a figure."""
        return (self.category.value, self.value, self.value_max)


@dataclass(frozen=True, slots=True)
class ArticleContent:
    slug: str
    section: str
    titles: tuple[str, str, str, str]
    standfirst: str
    byline: str
    published: str
    updated: tuple[str | None, str | None, str | None, str | None]
    paragraphs: tuple[Paragraph, ...]
    related: tuple[str, ...]
    comments: tuple[tuple[str, str], ...]

    def body(self, version: int) -> list[str]:
        """Return the article's paragraphs in `version`. Raises IndexError on a bad version."""
        out: list[str] = []
        for p in self.paragraphs:
            text = p if isinstance(p, str) else p[version]
            if text is not None:
                out.append(text)
        return out


TOLVIK = ArticleContent(
    slug="tolvik-market-strike",
    section="Eastern Veloria",
    titles=(
        "Missile hits Tolvik covered market during morning trading",
        "Tolvik market strike: death toll rises as rescuers search rubble",
        "Tolvik market strike: death toll rises as rescuers search rubble",
        "Tolvik market strike: children among the dead, governor says",
    ),
    standfirst="Stallholders and shoppers were caught in the blast as the market opened.",
    byline="Ilse Marran, Eastern Veloria correspondent",
    published="09:12 UTC, Tuesday 3 March",
    updated=(None, "11:40 UTC", "12:05 UTC", "15:30 UTC"),
    paragraphs=(
        (
            "A missile struck the covered market in Tolvik on Tuesday morning, killing at least "
            "12 people, the regional governor, Anselm Dorrek, said.",
            "A missile struck the covered market in Tolvik on Tuesday morning, killing at least "
            "19 people, the regional governor, Anselm Dorrek, said.",
            "A missile struck the covered market in Tolvik on Tuesday morning, killing at least "
            "19 people, the regional governor, Anselm Dorrek, said.",
            "A missile struck the covered market in Tolvik on Tuesday morning, killing at least "
            "19 people, the regional governor, Anselm Dorrek, said.",
        ),
        (None, None, None, "Three children were among those killed, the governor said."),
        (
            "The Velorian health ministry said 43 people were wounded, among them a 9-year-old "
            "boy who was flown to the capital for surgery.",
            "The Velorian health ministry said 43 people were wounded, among them a 9-year-old "
            "boy who was flown to the capital for surgery.",
            "The Velorian health ministry said 43 people were wounded, among them a 9-year-old "
            "boy who was flown to the capital for surgery.",
            "The Velorian health ministry said more than 60 people were wounded, among them a "
            "9-year-old boy who was flown to the capital for surgery.",
        ),
        (
            "Rescue workers were still lifting slabs late in the afternoon, and four stallholders "
            "remain unaccounted for, according to the city's emergency service.",
            "Rescue workers were still lifting slabs late in the afternoon, and four stallholders "
            "remain unaccounted for, according to the city's emergency service.",
            "Rescue workers were still lifting slabs late in the afternoon, and four stallholders "
            "remain unaccounted for, according to the city's emergency service.",
            "The emergency service said everyone who had been reported missing after the strike "
            "was now accounted for.",
        ),
        f"Veloria has moved about 2{NBSP}500 troops into the Tolvik district since January, and "
        "the defence ministry said on 28 February that a further 600 reservists would follow "
        "within a week.",
        "The market, built in 1962, was home to around 300 traders. The city council has "
        "promised 4 million velors, roughly $1.1 million, to rebuild it.",
        "Dozens of homes around the square were damaged, and hundreds of residents spent the "
        "night in a school gym.",
        "The Kastrelian army, which Veloria blames for the strike, said it had hit a military "
        "fuel depot and denied aiming at civilians.",
        "Tolvik, a city of 180,000 people about 40km from the front line, has been shelled "
        "repeatedly since the Kastrelian 92nd brigade dug in east of the river last autumn.",
    ),
    related=(
        "Ten years of the Tolvik river dispute, explained",
        "Velorian parliament votes on 5% defence levy",
        "Kastrel recalls 3 ambassadors after border row",
    ),
    comments=(
        ("marta_v", "My aunt sells bread there. Praying for everyone."),
        ("north_watcher", "Local channels are saying over 50 died. We will never get the truth."),
        ("grey_heron", "The market survived the 1994 floods. It will be rebuilt."),
        ("pavel.k", "Why was there no air-raid warning until 09:05?"),
        ("anon4471", "Two years of this. Enough."),
    ),
)

BRENN = ArticleContent(
    slug="brenn-pass-prisoners",
    section="Conflict",
    titles=(
        "Kastrel says it captured Velorian soldiers in Brenn Pass fighting",
        "Kastrel raises count of Velorian soldiers captured at Brenn Pass",
        "Kastrel raises count of Velorian soldiers captured at Brenn Pass",
        "Veloria confirms deaths in Brenn Pass fighting",
    ),
    standfirst="Both armies claim the upper road after two days of clashes in the snow.",
    byline="Tomas Erlind and Nadia Veskova",
    published="07:30 UTC, Monday 9 March",
    updated=(None, "10:15 UTC", "10:50 UTC", "18:45 UTC"),
    paragraphs=(
        (
            "Kastrelian forces captured 14 Velorian soldiers during fighting for the Brenn Pass "
            "over the weekend, the Kastrelian general staff said on Monday.",
            "Kastrelian forces captured 21 Velorian soldiers during fighting for the Brenn Pass "
            "over the weekend, the Kastrelian general staff said on Monday.",
            "Kastrelian forces captured 21 Velorian soldiers during fighting for the Brenn Pass "
            "over the weekend, the Kastrelian general staff said on Monday.",
            "Kastrelian forces captured 21 Velorian soldiers during fighting for the Brenn Pass "
            "over the weekend, the Kastrelian general staff said on Monday.",
        ),
        "Veloria's ministry of defence did not confirm the figure, but said six of its "
        "servicemen were missing in action after the clashes.",
        (None, None, None, "The ministry said on Tuesday that 4 of its soldiers had been killed."),
        (
            "About 150 Kastrelian soldiers were killed or wounded in the two days of fighting, "
            "the ministry said.",
            "About 150 Kastrelian soldiers were killed or wounded in the two days of fighting, "
            "the ministry said.",
            "About 150 Kastrelian soldiers were killed or wounded in the two days of fighting, "
            "the ministry said.",
            None,
        ),
        "Velorian officials in the valley said between 30 and 40 villagers had been injured by "
        "shelling below the pass.",
        "Kastrel moved roughly 4,000 soldiers and 120 armoured vehicles towards the pass in late "
        "February, according to satellite images reviewed by independent analysts.",
        "A video released by the general staff showed a 19-year-old conscript from the 31st "
        "mountain battalion among the men being held.",
        "The two sides last exchanged prisoners on 11 January, when 48 soldiers from each side "
        "were returned home.",
        "The pass, at 2,140 metres, carries the only road between the two valleys and is usually "
        "closed by snow from November to April.",
    ),
    related=(
        "Inside the 2019 Brenn Pass ceasefire talks",
        "Veloria calls up 12,000 reservists",
        "Map: who holds what along the 300km front",
    ),
    comments=(
        ("lina_r", "My brother is in the 31st. No news since Saturday."),
        ("kestrel_fan", "Kastrel always inflates these numbers."),
        ("old_sergeant", "That road was a death trap in '98 too."),
        ("mirek", "Hoping for an exchange before Easter."),
        ("j.holm", "Good reporting, thank you."),
    ),
)

SALDERA = ArticleContent(
    slug="saldera-aid-convoy",
    section="Humanitarian",
    titles=(
        "Aid workers abducted as relief convoy is ambushed near Saldera",
        "Saldera convoy attack: third driver dies, relief group says",
        "Saldera convoy attack: third driver dies, relief group says",
        "Saldera convoy: gunmen free two aid workers",
    ),
    standfirst="The Northern Relief Alliance has suspended deliveries along the coast road.",
    byline="Rhea Antell, Saldera",
    published="17:02 UTC, Thursday 12 March",
    updated=(None, "08:20 UTC, Friday 13 March", "09:00 UTC, Friday 13 March", "11:10 UTC, Sunday"),
    paragraphs=(
        (
            "Gunmen abducted seven aid workers after ambushing a relief convoy on the coast road "
            "south of Saldera on Thursday, the Northern Relief Alliance said.",
            "Gunmen abducted seven aid workers after ambushing a relief convoy on the coast road "
            "south of Saldera on Thursday, the Northern Relief Alliance said.",
            "Gunmen abducted seven aid workers after ambushing a relief convoy on the coast road "
            "south of Saldera on Thursday, the Northern Relief Alliance said.",
            "Gunmen who ambushed a relief convoy south of Saldera on Thursday are still holding "
            "five aid workers hostage, the Northern Relief Alliance said, after two others were "
            "freed on Saturday.",
        ),
        (
            "Two drivers were killed and three other staff were injured in the attack, the group "
            "added.",
            "Three drivers were killed and five other staff were injured in the attack, the group "
            "added.",
            "Three drivers were killed and five other staff were injured in the attack, the group "
            "added.",
            "Three drivers were killed in the attack, the group added.",
        ),
        "The convoy of 11 trucks was carrying 90 tonnes of flour and medicine for about 25,000 "
        "displaced people in camps outside the town.",
        "The alliance said the abducted staff include a 54-year-old nurse and that it last heard "
        "from the convoy at 16:30.",
        "No group has said it carried out the attack. Veloria's interior ministry said 300 police "
        "officers had been sent to search the hills above the road.",
        "Attacks on convoys have cost the alliance more than $2 million this year, and it has "
        "suspended deliveries in the area for 72 hours.",
    ),
    related=(
        "Saldera camps brace for a 3rd winter",
        "Relief groups ask for 48-hour truce on coast road",
        "Explainer: who are the hill militias?",
    ),
    comments=(
        ("dr_amsel", "These people were bringing flour. Shameful."),
        ("coastroad", "Hundreds of families depend on that convoy."),
        ("nika", "Please keep us updated on the hostages."),
        ("vel_reader", "Police took 6 hours to arrive, my cousin says."),
        ("t.brand", "Bring them home."),
    ),
)

ARTICLES: dict[str, ArticleContent] = {a.slug: a for a in (TOLVIK, BRENN, SALDERA)}

_GOV, _HEALTH, _EMERG = (
    "the regional governor, Anselm Dorrek",
    "Velorian health ministry",
    ("the city's emergency service"),
)
_KGS, _VMOD = "the Kastrelian general staff", "Veloria's ministry of defence"
_VOFF, _NRA = "Velorian officials in the valley", "the Northern Relief Alliance"

_T_KILLED_12 = ExpectedFigure(K, 12, AT_LEAST, "people", _GOV)
_T_KILLED_19 = ExpectedFigure(K, 19, AT_LEAST, "people", _GOV)
_T_CHILDREN = ExpectedFigure(K, 3, EXACT, "children", _GOV)
_T_WOUNDED_43 = ExpectedFigure(W, 43, EXACT, "people", _HEALTH)
_T_WOUNDED_60 = ExpectedFigure(W, 60, MORE_THAN, "people", _HEALTH)
_T_MISSING = ExpectedFigure(M, 4, EXACT, "stallholders", _EMERG)

_B_CAPTURED_14 = ExpectedFigure(C, 14, EXACT, "Velorian soldiers", _KGS)
_B_CAPTURED_21 = ExpectedFigure(C, 21, EXACT, "Velorian soldiers", _KGS)
_B_MISSING = ExpectedFigure(M, 6, EXACT, "servicemen", _VMOD)
_B_KILLED = ExpectedFigure(K, 4, EXACT, "soldiers", _VMOD)
_B_KW = ExpectedFigure(KW, 150, ABOUT, "Kastrelian soldiers", _VMOD)
_B_VILLAGERS = ExpectedFigure(W, 30, EXACT, "villagers", _VOFF, value_max=40)

_S_ABDUCTED_7 = ExpectedFigure(C, 7, EXACT, "aid workers", _NRA)
_S_HOSTAGES_5 = ExpectedFigure(C, 5, EXACT, "aid workers", _NRA)
_S_KILLED_2 = ExpectedFigure(K, 2, EXACT, "drivers", _NRA)
_S_KILLED_3 = ExpectedFigure(K, 3, EXACT, "drivers", _NRA)
_S_WOUNDED_3 = ExpectedFigure(W, 3, EXACT, "staff", _NRA)
_S_WOUNDED_5 = ExpectedFigure(W, 5, EXACT, "staff", _NRA)

# EXPECTED[slug][version]: the figures that version's article text states, in text order.
EXPECTED: dict[str, tuple[tuple[ExpectedFigure, ...], ...]] = {
    TOLVIK.slug: (
        (_T_KILLED_12, _T_WOUNDED_43, _T_MISSING),
        (_T_KILLED_19, _T_WOUNDED_43, _T_MISSING),
        (_T_KILLED_19, _T_WOUNDED_43, _T_MISSING),
        (_T_KILLED_19, _T_CHILDREN, _T_WOUNDED_60),
    ),
    BRENN.slug: (
        (_B_CAPTURED_14, _B_MISSING, _B_KW, _B_VILLAGERS),
        (_B_CAPTURED_21, _B_MISSING, _B_KW, _B_VILLAGERS),
        (_B_CAPTURED_21, _B_MISSING, _B_KW, _B_VILLAGERS),
        (_B_CAPTURED_21, _B_MISSING, _B_KILLED, _B_VILLAGERS),
    ),
    SALDERA.slug: (
        (_S_ABDUCTED_7, _S_KILLED_2, _S_WOUNDED_3),
        (_S_ABDUCTED_7, _S_KILLED_3, _S_WOUNDED_5),
        (_S_ABDUCTED_7, _S_KILLED_3, _S_WOUNDED_5),
        (_S_HOSTAGES_5, _S_KILLED_3),
    ),
}


@dataclass(frozen=True, slots=True)
class ExpectedChange:
    """One change a correct pipeline alerts on between two versions of an article."""

    kind: str  # "new", "changed" or "removed", as in the webhook's figure.<kind>
    before: ExpectedFigure | None
    after: ExpectedFigure | None


def expected_changes(slug: str, old: int, new: int) -> list[ExpectedChange]:
    """Return the changes from version `old` to `new` of article `slug`, by `ExpectedFigure.key`.

    Raises KeyError for an unknown slug and IndexError for a version outside 0..VERSIONS-1.
    """
    before = {f.key: f for f in EXPECTED[slug][old]}
    after = {f.key: f for f in EXPECTED[slug][new]}
    out: list[ExpectedChange] = []
    for key, fig in after.items():
        prev = before.get(key)
        if prev is None:
            out.append(ExpectedChange("new", None, fig))
        elif prev != fig:
            out.append(ExpectedChange("changed", prev, fig))
    out.extend(ExpectedChange("removed", fig, None) for k, fig in before.items() if k not in after)
    return out


# The site-wide "Most read" box: headlines with numbers and casualty words that are not part of
# any article, so an extractor that reads the whole page instead of the article sees figures
# come and go with every version.
MOST_READ_POOL: tuple[str, ...] = (
    "40 killed in ferry fire off Marrow Point",
    "Flood death toll in the lowlands climbs to 212",
    "Three miners missing after Carvel pit collapse",
    "Bus crash injures 27 schoolchildren on the Orsk road",
    "Militia frees 9 hostages in border village",
    "Heatwave: 15 deaths linked to record temperatures",
    "Kastrel claims 1,000 Velorian troops killed since spring",
    "Stadium crush: 61 hurt as fans rush the gates",
)


def most_read(version: int) -> list[str]:
    """Return the five most-read headlines shown in `version`; the box rotates every version."""
    start = 2 * version
    return [MOST_READ_POOL[(start + i) % len(MOST_READ_POOL)] for i in range(5)]

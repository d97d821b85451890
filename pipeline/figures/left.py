"""Reading a count from the words before it: a verb that governs it ("killed at least 18",
"are holding 10 aid workers") or a tally noun linked to it ("the death toll rose to 45").
"""

from __future__ import annotations

import re

from pipeline.figures.blockers import modal_before_text, modal_in, negated_words
from pipeline.figures.cues import (
    CLAUSE_BREAK,
    COMMA_LABEL,
    COUNT_LINK,
    FORECAST,
    HELD_HEADS,
    KW,
    LEFT_NOUN_RE,
    LEFT_NOUN_RE_LOWER,
    LEFT_NOUNS,
    LEFT_VERB_RE,
    LEFT_VERB_RE_LOWER,
    LEFT_VERBS,
    LINK_GAP,
    LINK_QUALIFIERS,
    LINK_RE,
    LINK_WORDS,
    LOSS_HEADS,
    NOMINAL_BEFORE,
    NON_PERSON,
    PARTICIPLE,
    RELEASE,
    WORDS_RE,
    C,
    K,
    M,
    counts_things,
)
from pipeline.figures.gates import Gated
from pipeline.figures.grammar import BLOCKED, NounPhrase, Reading
from pipeline.figures.numbers import find_numbers

# Capitalised modifiers right before a tally noun: "Russian troop losses", "the Union dead".
# The verb table's derived prefilter (gates.Gated): most counts have no verb right before them.
_LEFT_VERB_GATE = Gated(LEFT_VERB_RE_LOWER)
_OWNER_BEFORE = re.compile(
    r"\b((?:[A-Z][\w’'-]*\s+)+(?:(?:troop|military|civilian|army)\s+)?)(?:’s\s+|'s\s+)?$"
)
_LEAD_DET = re.compile(r"^(?:The|A|An|This|That|These|Those|Its|Their|Our)\b\s*")
_CAPTORS = re.compile(
    r"abduct|kidnap|hostage|captor|captiv|seiz|pirate|gunm[ae]n|militant|rebel|gang|insurgent"
    r"|jihadi|militia|bandit|terroris|hamas|hezbollah|houthi|detention|detainee|prisoner|custody",
    re.IGNORECASE,
)
_PUT_TOLL = re.compile(
    r"\bput\s+(?:the|its|their|that)\s+(?:total\s+|overall\s+|final\s+|official\s+)?"
    r"((?:death\s+|casualty\s+)?toll|(?:death|casualty)\s+"
    r"(?:count|tally))\s+$",
    re.IGNORECASE,
)
# An adverb between a link word and the count: "the toll is now 40", "stood officially at 12",
# "the death toll was in fact 13"
_NOW = re.compile(
    r"(?<=\s)(?:now|currently|already|officially|reportedly|in\s+fact|actually)\s+$",
    re.IGNORECASE,
)
_TOLL_NOW = re.compile(r"\b(?:death\s+)?toll\s+now\s+$", re.IGNORECASE)
_NOW_WORDS = frozenset(
    {"now", "currently", "already", "officially", "reportedly", "fact", "actually"}
)
_AND_BEFORE = re.compile(r"\s(?:and|or)\s+$", re.IGNORECASE)
# Verbs in their bare form: after "and" they share the first verb's modal ("could ... and kill")
_BASE_FORMS = frozenset({"kill", "wound", "injure", "hurt", "maim", "capture", "abduct", "kidnap"})
_RELATIVE_IN = re.compile(r",\s*(?:which|who|whose|where)\b", re.IGNORECASE)
# A relative clause set off by commas between a tally noun and its link: "the death toll, which
# the ministry updates daily, has exceeded 1,000" links the toll past it
_ENCLOSED_RELATIVE = re.compile(r",\s*(?:which|who|whose|where)\b[^,;.:]{1,100},", re.IGNORECASE)
# A place or time set off by commas between a verb and its count: "killed, in two attacks, 40"
_ASIDE = re.compile(
    r"(?<=[a-z]),\s*(?:at|in|on|during|near|over|within|by)\s+[^,;.:\d]{1,40},\s*$", re.IGNORECASE
)
# Items without a count that open a list after its link: "include a police officer, "
_ITEMS_BEFORE = re.compile(
    r"(?<=\s)(?:(?:a|an|one|another|the)\s+"
    # an item holds no link: "Among the adults killed were the driver, two teachers"
    r"(?:(?!\b(?:were|was|are|is|include[sd]?|including)\b)[^\d,;.:()]){1,40}?,\s+)+(?:and\s+)?$",
    re.IGNORECASE,
)
# "unaccounted for fell from more than 1,000 to": an earlier value, then the link
# "rose by 12 overnight to": the amount of a change, then the link
_FROM_TO = re.compile(
    r"\b(?:from|(?:rose|risen|rises|grew|grown|grows|increased|jumped|climbed|fell|dropped"
    r"|went\s+up|went\s+down|gone\s+up|gone\s+down)\s+by)"
    r"\s+[^.;]{1,30}$",
    re.IGNORECASE,
)
# "was first put at three, then raised to 11 and at last cut to six": each
# change of the same tally gives its new value
# A year or a span of years between a tally noun and its link dates the tally: "Total
# casualties, 1861 to 1865: 664,928", "Deaths in 2023: 4,100".
_YEARS = re.compile(
    r"\s*,?\s*(?:in\s+|from\s+|for\s+)?(?:1[5-9]|20)\d\d"
    r"(?:\s*(?:to|-|–|and|through)\s*(?:1[5-9]|20)\d\d)?\s*,?\s*",
    re.IGNORECASE,
)
_CHANGE_END = re.compile(
    r"\b(?:raised|lowered|revised(?:\s+(?:up|down)(?:wards?)?)?|brought\s+(?:down|up)|increased"
    r"|decreased|rose|risen|fell|fallen|cut|updated|adjusted|dropped|climbed|jumped)\s*$",
    re.IGNORECASE,
)
# "average daily casualties had fallen to 1,000": an average is a rate, not a count
_AVERAGE = re.compile(r"\baverage\b[^.;,]{0,30}$", re.IGNORECASE)
_NOT_LIVES = re.compile(
    r"\b(?:job|jobs|financial|economic|revenue|weight|hearing|blood|power|heat|data|market|crop"
    r"|trade|profit|income|tax|sales|investment|credit|share|stock|seat|territorial)\s+$",
    re.IGNORECASE,
)


# Hostages said to be dead are killed, not held (spec): "the dead hostages", "deceased captives"
# "the number of deceased hostages", "Bodies of hostages retrieved: 40": hostages said dead
_DEAD_BEFORE = re.compile(
    r"\b(?:dead|deceased|slain|murdered|killed|(?:bodies|remains)\s+of(?:\s+the)?)\s+$",
    re.IGNORECASE,
)


_CAPTOR_SUBJECT = re.compile(
    r"\b(?:gunmen|bandits|kidnappers|abductors|militants|insurgents|jihadists|pirates|rebels"
    r"|terrorists|attackers|assailants|captors)\b",
    re.IGNORECASE,
)
_OUT_OF_WHOLE = re.compile(r"(?:from|out\s+of)\s+(?:an?|its|their)\s", re.IGNORECASE)
# What a loss report "destroys" that counts as people (spec: killed_or_wounded)
_DESTROYED_PEOPLE = frozenset({"personnel", "servicemen", "troops", "soldiers", "militants"})
_BOUND = re.compile(r"(?:as\s+high\s+as|as\s+many\s+as|up\s+to|closer\s+to)\b", re.IGNORECASE)
_KIN = frozenset(
    {"members", "relatives", "children", "sons", "daughters", "brothers", "sisters", "family"}
)
_SOUGHT_WORDS = """
    suspects suspect gunmen gunman attackers attacker militants fugitives fugitive perpetrators
    escapees inmates prisoners killers robbers kidnappers abductors bandits survivors"""
_SOUGHT_NOT_MISSING = frozenset(_SOUGHT_WORDS.split())


_NOT_PLURAL = frozenset({"this", "thus", "plus", "less", "unless", "yes", "was", "has", "its"})


def _things_before(text: str) -> bool:
    """Is the last plural noun of `text` a thing ("ships")?"""
    words: list[str] = WORDS_RE.findall(text[-120:].lower())
    for word in words[::-1]:
        if word.endswith("s") and len(word) > 3 and word not in _NOT_PLURAL:
            return word in NON_PERSON
    return False


def read_left(sentence: str, mention_start: int, np: NounPhrase) -> Reading | None:
    """A verb governing the count ("killed at least 18") or a noun linked to it ("toll rose to")."""
    if counts_things(np.text, np.head):
        return None
    before = sentence[max(0, mention_start - LINK_GAP - 10) : mention_start]
    if before.endswith(", "):
        aside = _ASIDE.search(before)
        if aside is not None:
            before = before[: aside.start()] + " "  # "lost, at the river crossing, 178 men"
    # The verb sits right before the count (plus "an entire family of"): search only the tail.
    near = before[-64:]
    low_near = near.lower()
    # matched on lower-cased text without IGNORECASE: several times faster
    if len(low_near) != len(near):
        lm = LEFT_VERB_RE.search(near)
    elif _LEFT_VERB_GATE.may_match(low_near):
        lm = LEFT_VERB_RE_LOWER.search(low_near)
    else:
        lm = None  # no literal every verb match holds: the big alternation need not run
    if lm is not None:
        ahead = before[: len(before) - len(near) + lm.start()]
        if modal_before_text(ahead):
            return BLOCKED
        base_form = lm.group(0).split()[0].lower() in _BASE_FORMS
        coordinated = _AND_BEFORE.search(ahead) if base_form else None
        if coordinated:
            # "could infect 40 million people and kill 200,000": the modal governs both verbs
            clause = ahead[: coordinated.start()]
            if modal_in(clause[max(clause.rfind(";"), clause.rfind("."), clause.rfind(",")) + 1 :]):
                return BLOCKED
        group = lm.lastgroup or "l0"
        cat = LEFT_VERBS[int(group[1:])][0]
        if cat == C and not np.text and _things_before(ahead):
            return None  # "attacked 100 ships ..., sinking two and seizing one": ships
        text = lm.group(group).lower()
        if (
            cat == KW
            and "los" in text
            and np.head
            and np.head not in LOSS_HEADS
            and not (np.head in _KIN and (np.head != "members" or "family" in np.text.lower()))
            and not _OUT_OF_WHOLE.match(np.text)
        ):
            # "lost 30 members", "lost 3 seats": not casualties; "lost 503 from an enrolment of
            # 1,089" names the whole the loss came out of
            return None
        if (
            cat == C
            and text.startswith(("took", "tak"))
            and (
                np.head not in HELD_HEADS
                or (" away" not in text and not _CAPTOR_SUBJECT.search(sentence, 0, mention_start))
            )
        ):
            # "took 3 hours", "the police took 12 suspects": not captives; "took away nine
            # people" carries them off whoever the subject is (cues.toml: took-away)
            return None
        if text.startswith("destroy") and _DESTROYED_PEOPLE.isdisjoint(np.text.lower().split()):
            return None  # "destroyed 130 tanks": equipment, not personnel
        wanted = np.head in _SOUGHT_NOT_MISSING
        if cat == M and (wanted or _CAPTORS.search(sentence, mention_start)):
            # "searching for 3 suspects": wanted, not missing; "searching for 19 migrants ...
            # who were kidnapped": the clause after says what happened to them
            return None
        holding = text.endswith(("holding", "held", "hold", "holds"))
        if cat == C and holding and np.head not in HELD_HEADS:
            return None  # "is holding 3 rallies"
        if cat == C and text.endswith(("held", "hold", "holds")) and not _CAPTORS.search(sentence):
            return None  # "the stadium has held 50,000 people": only captors hold people
        verb = "_".join(w for w in text.split() if w not in ("the", "of", "a", "an"))
        kin = np.head in _KIN and (np.head != "members" or "family" in np.text.lower())
        if cat == KW and "los" in text and kin:
            return Reading(K, "left:" + verb)  # "lost nine family members": a family loses lives
        return Reading(cat, "left:" + verb, cat == KW and "los" in text)
    if before.endswith((", ", ", and ")):
        items = _ITEMS_BEFORE.search(before)
        if items is not None:
            before = before[: items.start()]  # "The dead include a police officer, three ..."
    put = _PUT_TOLL.search(before) if "put " in before else None
    if put is not None:
        # "officials put the death toll as high as 700": the noun is the verb's object
        cat = KW if put.group(1).lower().startswith("casualt") else K
        return Reading(cat, "noun:" + put.group(1).split()[-1].lower())
    if before.rstrip().rpartition(" ")[2].lower() in _NOW_WORDS and _NOW.search(before):
        if _TOLL_NOW.search(before):
            return Reading(K, "noun:toll")  # a headline: "Mudslide Death Toll Now 24"
        before = _NOW.sub(" ", before)  # "the death toll is now above 40,000"
    tail = before.rstrip()
    cut = max(tail.rfind(" "), tail.rfind("\n")) + 1
    # LINK_RE ends on one of LINK_WORDS or a mark: test that before running it
    # "the most deaths (3,587)": a count in brackets right after its tally noun
    gate = tail[cut:].lower() in LINK_WORDS or tail[-1:] in ":‒–—=-,("
    # A link is one word or mark before the trailing space, so it starts in the last word.
    link = LINK_RE.search(before, cut) if gate else None
    if link is not None:
        link_start, link_text = link.start(), link.group(0).strip().lower()
    else:
        comma = COMMA_LABEL.search(before) if tail[-1:] == "," else None  # "killed, 45; ..."
        if comma is None:
            return None
        link_start, link_text = comma.start("c"), ":"
    head = before[:link_start]
    window = head[-LINK_GAP:]
    if "," in window:  # blanked, offsets kept
        window = _ENCLOSED_RELATIVE.sub(lambda m: " " * len(m.group(0)), window)
    last = None
    low_window = window.lower()
    same = len(low_window) == len(window)  # then the lower-case twin, several times faster
    nouns = LEFT_NOUN_RE_LOWER if same else LEFT_NOUN_RE
    earlier = None
    for nm in nouns.finditer(low_window if same else window):
        earlier, last = last, nm
    if last is None:
        return None
    if earlier is not None and last.group(0).lower() == "personnel":
        last = earlier  # "the death toll among civilians and military personnel reached 77,000"
    gap = window[last.end() :]
    hedged = link_text == "be" and _BOUND.match(sentence, mention_start)  # "could be as high as"
    modal = modal_in(gap) and not hedged
    if CLAUSE_BREAK.search(gap) or _RELATIVE_IN.search(gap) or modal or negated_words(gap):
        return None  # "43 bodies from the ferry, which capsized with 300 passengers"
    if (
        find_numbers(gap)
        and not _FROM_TO.search(gap)
        and not _CHANGE_END.search(gap)
        and not _YEARS.fullmatch(gap)
    ):
        return None
    if RELEASE.search(gap):
        return None  # "swapped 95 prisoners ..., bringing the total returned home to 3,767"
    if not FORECAST.isdisjoint(WORDS_RE.findall(gap.lower())):
        return None
    text = last.group(0).lower()
    if text.startswith("died ") and link_text != ":":
        return None  # "Died of disease: 224,580" is a row; "died of cancer at 92" is no count
    if (
        PARTICIPLE.fullmatch(text)
        and not COUNT_LINK.fullmatch(link_text)
        and not NOMINAL_BEFORE.search(window[: last.start()])
    ):
        return None  # "killed a teacher in front of 30 pupils": a verb, not "the killed are"
    if text.startswith("loss") and _NOT_LIVES.search(window[: last.start()]):
        return None  # "job losses of 5,000", "revenue losses"
    if "average" in window.lower() and _AVERAGE.search(window, 0, last.start()):
        return BLOCKED
    cat = LEFT_NOUNS[int((last.lastgroup or "n0")[1:])][0]
    if cat == C and _DEAD_BEFORE.search(window, max(0, last.start() - 30), last.start()):
        cat = K  # "the number of deceased hostages at 31": hostages said dead are killed
    owner = _OWNER_BEFORE.search(window[: last.start()])
    named = _LEAD_DET.sub("", owner.group(1)).strip() if owner else ""
    return Reading(
        cat,
        "noun:" + text.split()[0],
        cat == KW and ("los" in text or text.startswith(("casualt", "causalit", "victim"))),
        named or None,  # "Russian troop losses", "Confederate dead"
        LINK_QUALIFIERS.get(link_text.split()[-1]) if link_text != ":" else None,
    )

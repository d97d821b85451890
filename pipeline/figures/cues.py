"""The vocabulary of figures: category cues, link words, auxiliaries, and words that block.

Patterns and word lists only, shared by the readers in `grammar.py` and the prefilter in
`extract.py`. Order inside the cue tables matters: longer alternatives come first.
"""

from __future__ import annotations

import re

from pipeline.figures.cuerules import alternatives, cue_rules
from pipeline.figures.lang import longest_first, vocabulary
from pipeline.figures.model import Category, Qualifier

_V = vocabulary("en")  # the word tables, as data: lang/en/vocabulary.toml
_RULES = cue_rules("en")  # the cue rules, as data: lang/en/cues.toml

K, W, KW, C, M = (
    Category.KILLED,
    Category.WOUNDED,
    Category.KILLED_OR_WOUNDED,
    Category.CAPTURED,
    Category.MISSING,
)


def lower_twin(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """The same pattern for lower-cased text, without IGNORECASE (which makes Python's matcher
    fold case on every character, several times slower). Only for patterns whose escapes are
    all lower-case (`\\s`, `\\w`), so lower-casing the pattern keeps its meaning."""
    if re.search(r"\\[A-Z]|\(\?-i", pattern.pattern):
        raise ValueError("pattern has an upper-case escape or a cased part; keep it as it is")
    return re.compile(pattern.pattern.lower().replace("(?p<", "(?P<").replace("(?p=", "(?P="))


_LOWERED: tuple[str, str | None] = ("", "")


def lowered(sentence: str) -> str | None:
    """`sentence.lower()` where the `lower_twin` of a pattern matches exactly as the pattern does
    on `sentence`; None when lower-casing would move offsets (rare scripts) or the text holds
    "ı" or "ſ" (their own lower case, yet matched by "i" and "s" under IGNORECASE).

    The readers ask for it many times per sentence; the last one is remembered (by identity).
    """
    global _LOWERED
    last = _LOWERED  # one read: another thread may replace it meanwhile
    if last[0] is not sentence:
        low = sentence.lower()
        exact = len(low) == len(sentence) and (low.isascii() or not ("ı" in low or "ſ" in low))
        last = _LOWERED = (sentence, low if exact else None)
    return last[1]


# Not the point of "magnitude 7.4", nor the points of "U.S." (a capital letter before it)
CLAUSE_BREAK = re.compile(r"[;!?]|\.(?!\d)(?<!\b[A-Z]\.)")

KILL_WORDS = r"(?:killed|dead|died|deaths?|fatalities|slain)"
WOUND_WORDS = r"(?:wounded|injured|hurt|injuries|maimed)"
# Cues that may follow the count (and its noun phrase), longest alternatives first; the data
# rules (lang/en/cues.toml) first of all.
RIGHT_CUES: list[tuple[Category | None, str]] = [
    *alternatives(_RULES, "after"),
    (KW, rf"{KILL_WORDS}\s*,\s*{WOUND_WORDS},?\s+(?:or|and)\s+(?:went\s+)?(?:missing|captured)"),
    (K, r"killed\s+and\s+mortally\s+(?:wounded|injured)"),  # died of their wounds: killed
    (KW, rf"{KILL_WORDS}\s*,?\s*(?:and|or|&|/)\s+(?:[a-z]+ly\s+)?{WOUND_WORDS}"),
    (KW, rf"{WOUND_WORDS}\s*,?\s*(?:and|or|&|/)\s+(?:[a-z]+ly\s+)?{KILL_WORDS}"),
    (KW, r"killed,\s+wounded(?:,)?\s+(?:and|or)\s+(?:missing|captured)"),
    (K, r"captured\s+dead|found\s+dead|discovered\s+dead|shot\s+dead|gunned\s+down"
        r"|killed\s+in\s+action"
        r"|shot\s+and\s+killed|fatally\s+(?:shot|stabbed|wounded|injured|hit|struck)"
        r"|fatal(?:ly)?(?=\s*(?:[,;.)]|$))"),  # "fatal" only as "five of them fatal" (readings.py)
    (W, r"(?:sustained|suffered|received|left\s+with)\s+(?:\w+\s+){0,2}?"
        r"(?:injur(?:y|ies)|wounds?|burns)"
        r"|survived\s+with\s+(?:\w+\s+){0,2}?(?:injur(?:y|ies)|wounds|burns)"
        r"|shot\s+and\s+(?:wounded|injured)|treated\s+for\s+(?:\w+\s+)?(?:injuries|wounds|burns)"
        r"|(?:receiving|received|getting|undergoing|needed|needing|required|requiring)\s+"
        r"(?:medical\s+|hospital\s+)?treatment\s+for\s+(?:\w+\s+){0,2}?(?:injuries|wounds|burns)"
        r"|(?:taken|rushed|admitted|brought|airlifted|flown)\s+to\s+(?:\w+\s+){0,2}?hospitals?\s+"
        r"(?:[\w’'-]+\s+){0,3}?with\s+(?:\w+\s+){0,2}?(?:injur(?:y|ies)|wounds?|burns)"),
    (K, r"(?:shot|stabbed|hacked|burned|burnt|beaten|clubbed|crushed|starved|tortured|bludgeoned"
        r"|trampled|frozen)\s+to\s+death|lost\s+(?:their|his|her)\s+li(?:ves|fe)"
        r"|lives\s+(?:(?:were|have\s+been|had\s+been)\s+)?lost|(?:burned|burnt|buried)\s+alive"
        r"|(?:burned|burnt|charred|mutilated|disfigured)\s+beyond\s+recognition"),
    (K, r"killed|dead|died|deaths?|fatalities|perished|slain|murdered|massacred|executed"
        r"|murders|homicides|killings|embraced\s+(?:shahadat|martyrdom)"
        r"|fell(?=\s*(?:[,;.)]|$|and\b|in\s+(?:battle|action|combat)\b))"
        r"|beheaded|decapitated|martyred|martyrs|bodies|body|corpses|lynched|buried(?!\s+(?:under|beneath|in\s+the\s+rubble))|drowned|KIA|succumbed|hanged"
        r"|neutrali[sz]ed|liquidated|deceased|suffocated|asphyxiated"),
    (W, r"wounded|injured|hurt|injuries|hospitali[sz]ed|maimed|WIA"
        # "12 needed hospitalization", "100 were transported to hospitals" (spec: hospitalised
        # after an attack or disaster; grammar.py drops them when an illness is named)
        r"|(?:needed|needing|required|requiring)\s+hospitali[sz]ation"
        r"|(?:taken|rushed|transported|airlifted|evacuated|ferried)\s+to\s+"
        r"(?:(?:a|the|local|nearby|area|several|two|three|various|different)\s+)*hospitals?\b"),
    (KW, r"casualties|causalities|losses|victims"),  # "causalities": a common misprint
    (C, r"taken\s+(?:(?:into|to|across|back\s+to)\s+[\w’'-]+\s+(?:[\w’'-]+\s+)?as\s+"
        r"|as\s+)?(?:prisoner|prisoners|captive|captives|hostage|hostages)"
        r"|held\s+(?:as\s+)?(?:captive|hostage|hostages|prisoner|prisoners)"
        r"|(?:in|into)\s+(?:\w+\s+)?(?:captivity|custody\s+as\s+prisoners)|prisoners\s+of\s+war|war\s+prisoners"
        r"|captured|POWs?|PoWs?|hostages?|abducted|kidnapped|surrendered|captives?|seized"
        r"|abductees|kidnap\s+victims"
        r"|(?:taken|whisked|led|marched)\s+away\s+by\s+(?:the\s+|armed\s+)*(?:bandits|gunmen"
        r"|kidnappers|abductors|militants|insurgents|pirates|terrorists|jihadists|attackers"
        r"|rebels|assailants)"
        r"|laid\s+down\s+(?:their|its|his|her)\s+(?:arms|weapons)"
        r"|fell\s+into\s+(?:[\w’'-]+\s+){0,2}?hands"
        r"|in\s+the\s+hands\s+of\s+(?:the\s+|their\s+|his\s+|her\s+)?"
        r"(?:kidnappers|abductors|captors|hostage-takers)"),
    # "missing and feared dead": killed (spec: feared dead; missing accepted)
    (K, r"missing\s+(?:and|or)\s+(?:feared|presumed|believed)\s+(?:dead|killed|drowned)"),
    (M, r"missing(?:\s+in\s+action)?|unaccounted\s+for|MIA|disappeared"
        r"|(?:yet|still)\s+to\s+be\s+accounted\s+for|not\s+(?:yet\s+)?(?:been\s+)?accounted\s+for"),
    (None, r"lives\b|prisoners?\b"),  # only after "claimed ... lives", "took ... prisoner"
    # "held" only after "being" or "still"; "in custody" only after an abduction
    (None, r"held\b|(?:still\s+)?in\s+custody\b"),
    (None, r"(?:for|with)\s+(?:\w+\s+){0,2}?(?:injuries|wounds|burns)"),  # only after "treated"
    # only after "were", "remain", "still": "12 were in critical condition", "19 remain in hospital"
    (None, r"in\s+(?:a\s+)?(?:critical|serious|stable|grave|fair)\s+condition"
        r"|in\s+(?:the\s+)?hospital(?![\w-])"),
]  # fmt: skip
RIGHT_RE = re.compile(
    "(?:"
    + "|".join(f"(?P<r{i}>{alt})" for i, (_, alt) in enumerate(RIGHT_CUES))
    + r")(?![\w-])(?!['’]\w)",
    re.IGNORECASE,
)
RIGHT_RE_LOWER = lower_twin(RIGHT_RE)
HOLD_VERB = re.compile(
    r"\b(?:took|take[sn]?|taking|held|hold|holds|holding|keeps?|kept|keeping|captured)\s+"
    r"(?:\w+\s+)?$",
    re.IGNORECASE,
)
TREAT_VERB = re.compile(
    r"\b(?:treated|treating|treats|treat|admitted|admitting|hospitali[sz]ed)\s+(?:\w+\s+){0,3}$",
    re.IGNORECASE,
)
LIVES_VERB = re.compile(
    r"\b(?:claim\w*|cost\w*|took|take[sn]?|taking|lost|los\w+)\s+(?:the\s+)?(?:\w+\s+)?$",
    re.IGNORECASE,
)

# Verbs (and nominal heads) that govern a count directly after them; the data rules first.
LEFT_VERBS: list[tuple[Category, str]] = [
    *alternatives(_RULES, "before"),
    (KW, r"(?:killed|killing|kill|kills)\s+(?:and|or)\s+(?:wounded|wounding|injured|injuring)"),
    (K, r"died\s+of\s+(?:their\s+|his\s+|her\s+)?(?:wounds|injuries|disease|illness|sickness)"
        r"|killed|killing|kills|kill|slew|slaying|slaughtered|massacred|murdered|executed"
        r"|executes|execute|executing|murders|murdering|massacres|massacre|massacring|slaughters"
        r"|neutrali[sz]ed|neutrali[sz]ing|eliminated|eliminating|liquidated|liquidating"
        r"|beheaded|beheading|decapitated|decapitating"
        r"|shot\s+dead|shooting\s+dead|gunned\s+down|gunning\s+down|shot\s+and\s+killed"
        r"|(?:hacked|stabbed|burned|burnt|beat|beaten)\s+to\s+death"
        r"|(?:claimed|claiming|claims|took|taking|takes|cost|costing|costs)\s+the\s+lives\s+of"
        r"|(?:the\s+)?(?:deaths?|killings?|slayings?|murders?|massacre|execution|bodies|remains)"
        r"\s+of"),
    (W, r"wounded|wounding|wounds|injured|injuring|injures|injure|hurt|hurting|wound|maimed"
        r"|maiming"),
    (C, r"captured|capturing|captures|capture|abducted|abducting|abducts|abduct|kidnapped"
        r"|seized|seizing"
        r"|kidnapping|kidnaps|kidnap|(?:the\s+)?(?:capture|abduction|kidnapping)\s+of"
        r"|took\s+prisoner|taken\s+prisoner|hold\w*\s+captive"
        r"|(?:are|is|were|was|been|still|now)\s+holding|(?:have|has|had|still)\s+held|holds"
        r"|(?:to|still)\s+hold"),
    (KW, r"lost|losing|loses|lose"),
    # "gunmen took 14 villagers": captors taking people (left.py: people, after captors only)
    (C, r"took|taking|takes|take"),
    # "destroyed about 11,000 enemy personnel": the loss-report idiom (left.py: people only)
    (KW, r"destroyed|destroying"),
    # "rescuers were still searching for 26 others": people sought are missing
    (M, r"(?:searching|looking|hunting|search|searches)\s+for(?:\s+(?:the|another))?"),
]  # fmt: skip
FILLER = (
    r"(?:,\s*)?(?:(?:(?:the|a|an|his|her|their|its)\s+[a-z]+(?:\s+[a-z]+)?|himself|herself"
    r"|themselves)\s*(?:and|,)\s+)?"  # "kidnapped a school principal, three teachers"
    r"(?:only\s+|just\s+)?"  # "lost only 128 men"
    r"(?:(?<=ing\s)at\s+)?"  # "injuring at 12 people": "at least" without "least" (a misprint)
    r"(?:(?:a\s+total\s+of|another|an\s+additional|additional|a\s+further|the|some|all"
    r"|its|their|his|her|our|(?:the\s+)?[\w-]+['’]s"  # "are holding the ship's 23 crew"
    r"|(?:a|an|the)\s+(?:\w+\s+)?(?:family|group|total|crowd|party|band|batch|number)\s+of)\s+)?"
)
LEFT_VERB_RE = re.compile(
    r"(?<![\w-])(?:"
    + "|".join(f"(?P<l{i}>{alt})" for i, (_, alt) in enumerate(LEFT_VERBS))
    + rf")\s*{FILLER}(?:[\"“‘']\s*)?$",  # a quoted count: killed “over 100” soldiers
    re.IGNORECASE,
)
LEFT_VERB_RE_LOWER = lower_twin(LEFT_VERB_RE)

# Nouns that name a count which a link word ("rose to", "at", "of", "were", ":") then gives.
LEFT_NOUNS: list[tuple[Category, str]] = [
    (KW, rf"{KILL_WORDS}\s+(?:and|or)\s+{WOUND_WORDS}|casualty\s+(?:toll|count|tally)"
         r"|casualt(?:y|ies)|causalit(?:y|ies)|losses|loss|victims"
         r"|personnel(?:\s+losses)?"),
    (K, r"(?:death|fatality|body)\s+(?:toll|count|tally|figure|total)|toll|fatalities|deaths"
        r"|dead|killed|martyrs|lives\s+lost|bodies|deceased|mortally\s+wounded"
        # a table row's label, up to its colon: "Died of disease: 224,580" (left.py)
        r"|died\s+(?:of|from|in|as|while|during)\s+(?:[a-z]+\s+){0,3}?[a-z]+(?=\s*$)"
        r"|(?:people|persons|those|civilians)\s+who\s+(?:have\s+|had\s+)?(?:died|perished)"),
    (W, r"wounded|injured|injuries"
        r"|(?:people|persons|those|civilians)\s+who\s+(?:were|have\s+been|had\s+been)\s+"
        r"(?:wounded|injured|hurt)"),
    (C, r"POWs?|prisoners\s+of\s+war|hostages|captives|captured|abducted|kidnapped"),
    (M, r"missing|unaccounted\s+for"),
]  # fmt: skip
LEFT_NOUN_RE = re.compile(
    r"(?<![\w-])(?:"
    + "|".join(f"(?P<n{i}>{alt})" for i, (_, alt) in enumerate(LEFT_NOUNS))
    + r")(?![\w-])",
    re.IGNORECASE,
)
LEFT_NOUN_RE_LOWER = lower_twin(LEFT_NOUN_RE)
# Words that link a tally noun to its count: "the toll rose to 45", "stood at", "tops".
# Link verbs that say where the count stands: "the toll tops 50,000" is more than 50,000.
_MORE_LINKS = """
    topped topping tops passed passes passing surpassed surpassing surpass exceeded exceeding
    exceed crossed crosses crossing past"""
_NEAR_LINKS = "nears neared nearing approached approaches approaching"
LINK_QUALIFIERS = {
    **{w: Qualifier.MORE_THAN for w in _MORE_LINKS.split()},
    **{w: Qualifier.APPROXIMATELY for w in _NEAR_LINKS.split()},
}
_LINK_WORD_LIST = """
    to at of is was were are been be reached reaching reach reaches hit hits hitting totalled
    totaled totalling totaling total totals numbered numbering number numbers stood stands
    standing included includes including include comprised comprise with as range ranged ranges
    ranging"""
LINK_WORDS = frozenset(_LINK_WORD_LIST.split()) | frozenset(LINK_QUALIFIERS)
LINK_RE = re.compile(
    r"(?:\b(?:" + "|".join(longest_first(LINK_WORDS)) + r")|[:‒–—=(-])\s*$",
    re.IGNORECASE,
)
LINK_GAP = 150
COMMA_LABEL = re.compile(
    r"(?:killed|wounded|injured|missing|captured|dead|prisoners)(?P<c>,)\s*$", re.IGNORECASE
)
PARTICIPLE = re.compile(
    r"killed|dead|wounded|injured|missing|captured|abducted|kidnapped|unaccounted\s+for"
)
COUNT_LINK = re.compile(
    r"to|at|is|was|were|are|been|be|reach(?:ed|es|ing)|hits?|stood|stands|standing|numbered"
    r"|numbering|numbers?|totall?ed|totall?ing|totals?|range|ranged|ranges|ranging|[:‒–—=-]"
    r"|topped|tops|passed|passes|surpassed|exceeded|crossed|nears|neared|approached"
)
NOMINAL_BEFORE = re.compile(
    r"\b(?:the|those|their|our|its|his|her|military|civilian|total|overall|combined|confirmed"
    r"|official)\s+$"  # "including military dead of 8.7 million"
    r"|\bamong\s+the\s+[a-z]+\s+$",  # "Among the adults killed were the driver, two ..."
    re.IGNORECASE,
)


# Words that release people held ("freed", "walked free"); a count they govern is no figure.
RELEASE_WORDS: tuple[str, ...] = _V.ordered("release_words")
RELEASE = re.compile(r"(?<![\w-])(?:" + "|".join(RELEASE_WORDS) + r")\b", re.IGNORECASE)


def first_letters(alternatives: tuple[str, ...]) -> frozenset[str]:
    """The letters a match of any of `alternatives` can start with (lower case), for a cheap
    gate before the regex; derived from the words, so a word added cannot slip past the gate."""
    out = set()
    for alt in alternatives:
        if not alt[:1].isalpha():
            raise ValueError(f"{alt!r} does not start with a literal letter; no gate for it")
        out.add(alt[0].lower())
    return frozenset(out)


RELEASE_FIRST = first_letters(RELEASE_WORDS)
LOSS_HEADS = _V.words("loss_heads")
# Who can be held: "are holding 10 aid workers" (not "holding 3 rallies").
HELD_HEADS = LOSS_HEADS | _V.words("held_heads_extra")
RELATIVE = re.compile(
    # "who had been seized ... were", "who fell overboard ... were": the main verb follows
    # "who were trapped when the shaft collapsed have died"
    r"\s*,?\s*(?:who|that)\s+(?:(?:had|have|has|were|was)\s+)?[^,;.\d]{1,100}?"
    r"(?<!\band)(?=\s(?:were|was)\s|\s(?:have|has|had)\s+(?:been|died|[a-z]+ed)\b)",
    re.IGNORECASE,
)
RELATIVE_LOWER = lower_twin(RELATIVE)
# Right cues that are nouns ("148 victims were killed"): the verb after them decides.
NOUN_CUE_WORDS = """
    casualties victims losses hostage hostages pow pows prisoners captives bodies death deaths
    dead"""
NOUN_CUES = frozenset(NOUN_CUE_WORDS.split())
RELEASE_STEMS: tuple[str, ...] = _V.ordered("release_stems")
RELEASE_OBJECT = re.compile(
    # "the rescue mission of four hostages": the word before the release's noun
    r"(?<![\w-])([\w’'-]+)(?:\s+(?:mission|operation|raid)s?)?(?:\s+(?:over|of|back))?\s+"
    r"(?:(?:the|some|all|another)\s+)?"
    r"(?:(?:last|remaining|final|first)\s+)?"  # "handed over the last 20 living hostages"
    r"(?:(?:bodies|remains)\s+of\s+(?:the\s+)?)?$",
    re.IGNORECASE,
)
RELEASE_AFTER = re.compile(
    r"\s*(?:(?:were|was|have|has|had|been|being|are|is|later|all|also|reportedly|subsequently"
    r"|since|eventually|were\s+later)\s+){0,3}"
    r"(?:released|freed|exchanged|swapped|returned|repatriated|rescued|handed|liberated|set\s+free"
    r"|survived|escaped|found\s+(?:alive|safe)|(?:turned|showed)\s+up\s+(?:alive|safe))",
    re.IGNORECASE,
)
RELEASE_AFTER_LOWER = lower_twin(RELEASE_AFTER)
# A count of the dead ("60 corpses", "1 000 bodies"): handing them over releases no one
DEAD_NOUNS = _V.words("dead_nouns")
DEAD_NOUN_AFTER = re.compile(
    r"\s+(?:[\w’'-]+\s+){0,2}?(?:" + "|".join(sorted(DEAD_NOUNS)) + r")\b",
    re.IGNORECASE,
)
NEGATION = _V.words("negation")
COUNTERFACTUAL = _V.words("counterfactual")
WORDS_RE = re.compile(r"[\w’']+")
MODALS = _V.words("modals")
AUX = _V.words("aux")
TIME_WORDS = _V.words("time_words")
FORECAST = _V.words("forecast")
# Hospitalised by an illness is not wounded (spec: "hospitalised with wounds").
ILLNESS = re.compile(
    r"\b(?:infect\w*|outbreak|virus|measles|cholera|covid\w*|influenza|flu|dengue|ebola|mpox"
    r"|disease|illness|sickness|sickened|poisoning|heat\s*stroke|symptoms|epidemiolog\w*)\b",
    re.IGNORECASE,
)
# The category of a cue word by its first four letters, for the participles and adjectives that
# name what happened ("the wounded", "kidnapped", "dead"): readings.py and grammar.py.
CATEGORY_OF_STEM = {
    "kill": K, "dead": K, "died": K, "peri": K, "woun": W, "inju": W, "hurt": W, "miss": M,
    "abdu": C, "kidn": C, "capt": C, "seiz": C,
}  # fmt: skip
# Makers whose model numbers follow their name: "Boeing 787" is no count (noncounts.py too)
MODEL_MAKERS = _V.words("model_makers")
# Heads of noun phrases that are not people: a count of them is never a figure.
NON_PERSON = _V.words("non_person")
# A phrase after the count that starts with a place word names where, not what was counted:
# "a death toll of 91 in the mountain villages".
PLACE_PHRASE = re.compile(r"(?:in|at|on|near|across|inside|from)\s", re.IGNORECASE)


def counts_things(text: str, head: str) -> bool:
    """Does the noun phrase after a count name something other than people ("30 houses")?"""
    return head in NON_PERSON and not PLACE_PHRASE.match(text)


# "a day" is a rate ("300 soldiers a day") unless a time follows: "unaccounted for a week after"
NOT_A_RATE_AFTER = r"(?!\s+(?:after|later|ago|before|earlier|into|since|on|of)\b)"
RATE = re.compile(
    r"^(?:\s+(?!(?:in|than|within|for|after|over|about|under|less|more|last|past|first|once"
    r"|during|throughout|on|at|one|that|this)\b)"  # "during a night vigil" is no rate
    r"[\w’'-]+){0,2}?\s+(?:(?:per|each|every)\s+(?:day|week|month|year|hour|night)\b"
    rf"|(?:a|an)\s+(?:day|week|month|year|hour|night)\b{NOT_A_RATE_AFTER}"
    r"|(?:daily|weekly|monthly|annually|yearly)\b)",
    re.IGNORECASE,
)
RATE_LOWER = lower_twin(RATE)
TOKEN = re.compile(
    r"(?:[A-Za-z]\.){2,}|\d+(?:st|nd|rd|th)\b|[^\W\d_]+(?:['’][^\W\d_]+)*(?:(?<=s)['’](?=\s))?"
    r"|\d[\d,.]*|[^\w\s]",
    re.UNICODE,
)
NP_LINKS = frozenset({"of", "the", "from", "in", "a", "an", "and", "/", "'s", "’s", "s"})
PAREN_OPENERS = re.compile(
    r"\s*(?=(?:\d[\d,]*|one|two|three|four|five|six|seven|eight|nine|ten)\s+of\s+(?:them|whom)\b"
    r"[^,.;]{0,60},)"  # "About 265 fighters, 51 of them wounded, laid down their arms"
    r"|\s*(?:including|among\s+them|among\s+whom|mostly|mainly|many\s+of\s+them|most\s+of\s+them"
    r"|all\s+of\s+them|both|some\s+of\s+them|several\s+of\s+them|of\s+whom|among\s+those"
    # "at least 503 people, the majority of them children, died"
    r"|(?:the\s+)?(?:vast\s+)?(?:majority|bulk)\s+of\s+(?:them|whom)"
    r"|half\s+of\s+(?:them|whom)"
    # "43 of its soldiers, serving as U.N. peacekeepers, have been captured": what they were
    r"|(?:serving|working|deployed|stationed|posted|employed)\s+(?:as|with|in|for))\b"
    # "five women and one man, all found in the rubble, had died": a closed aside
    r"|\s*all\s+(?=[a-z][^,.;]{0,60},)"
    r"|\s*(?=(?:\d[\d,]*|one|two|three|four|five|six|seven|eight|nine|ten)\s+[a-z][^,.;]{0,60},"
    r"\s*(?:were|was|are|is|have|has|had|died|killed|wounded|injured)\b)",
    re.IGNORECASE,
)
NP_STOP = _V.words("np_stop")
MAX_NP_TOKENS = 10
NP_PRONOUNS = frozenset({"its", "their", "them", "whom", "those", "these", "his", "her", "our"})
OBJECT_AFTER = re.compile(r"\s+(?:the|a|an|his|her|their|its|our|them|him)\b", re.IGNORECASE)

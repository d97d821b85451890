"""Category cues and the local grammar that ties a count to one: the words after it, before it.

Each reader takes a sentence and a `NumberMention` and answers with a `Reading` (category and
rule name), `BLOCKED` (the count is explicitly not a figure: released, negated, forecast,
a rate, not people) or None (nothing here says what the count is).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.figures.model import Category
from pipeline.figures.numbers import find_numbers

K, W, KW, C, M = (
    Category.KILLED,
    Category.WOUNDED,
    Category.KILLED_OR_WOUNDED,
    Category.CAPTURED,
    Category.MISSING,
)

_CLAUSE_BREAK = re.compile(r"[;.!?]")

_KILL_WORDS = r"(?:killed|dead|died|deaths?|fatalities|slain)"
_WOUND_WORDS = r"(?:wounded|injured|hurt|injuries|maimed)"
# Cues that may follow the count (and its noun phrase), longest alternatives first.
_RIGHT_CUES: list[tuple[Category | None, str]] = [
    (KW, rf"{_KILL_WORDS}\s*,?\s*(?:and|or|&|/)\s+(?:[a-z]+ly\s+)?{_WOUND_WORDS}"),
    (KW, rf"{_WOUND_WORDS}\s*,?\s*(?:and|or|&|/)\s+(?:[a-z]+ly\s+)?{_KILL_WORDS}"),
    (KW, r"killed,\s+wounded(?:,)?\s+(?:and|or)\s+(?:missing|captured)"),
    (K, r"captured\s+dead|found\s+dead|shot\s+dead|gunned\s+down|killed\s+in\s+action"
        r"|shot\s+and\s+killed|shot\s+and\s+wounded(?=x)"),
    (W, r"(?:sustained|suffered|received|left\s+with)\s+(?:\w+\s+){0,2}?(?:injur(?:y|ies)|wounds?)"
        r"|shot\s+and\s+(?:wounded|injured)|treated\s+for\s+(?:\w+\s+)?(?:injuries|wounds)"),
    (K, r"(?:shot|stabbed|hacked|burned|burnt|beaten|clubbed|crushed|starved|tortured|bludgeoned"
        r"|trampled|frozen)\s+to\s+death|lost\s+(?:their|his|her)\s+li(?:ves|fe)"),
    (K, r"killed|dead|died|deaths?|fatalities|perished|slain|murdered|massacred|executed"
        r"|beheaded|martyred|martyrs|bodies|corpses|lynched|buried|drowned|KIA|succumbed"
        r"|neutrali[sz]ed|eliminated|liquidated"),
    (W, r"wounded|injured|hurt|injuries|hospitali[sz]ed|maimed|WIA"),
    (KW, r"casualties|losses|victims"),
    (C, r"taken\s+(?:as\s+)?(?:prisoner|prisoners|captive|captives|hostage|hostages)"
        r"|held\s+(?:as\s+)?(?:captive|hostage|hostages|prisoner|prisoners)"
        r"|(?:in|into)\s+(?:\w+\s+)?(?:captivity|custody\s+as\s+prisoners)|prisoners\s+of\s+war|war\s+prisoners"
        r"|captured|POWs?|PoWs?|hostages?|abducted|kidnapped|surrendered|captives?"),
    (M, r"missing(?:\s+in\s+action)?|unaccounted\s+for|MIA|disappeared"),
    (None, r"lives\b|prisoners?\b"),  # only after "claimed ... lives", "took ... prisoner"
]  # fmt: skip
_RIGHT_RE = re.compile(
    "|".join(f"(?P<r{i}>{alt})" for i, (_, alt) in enumerate(_RIGHT_CUES)) + r"(?![\w-])",
    re.IGNORECASE,
)
_HOLD_VERB = re.compile(
    r"\b(?:took|take[sn]?|taking|held|hold|holds|holding|keeps?|kept|keeping|captured)\s+"
    r"(?:\w+\s+)?$",
    re.IGNORECASE,
)
_CUE_FIRST = frozenset("kdfpsmebclwihvtgunrao")
_LIVES_VERB = re.compile(
    r"\b(?:claim\w*|cost\w*|took|take[sn]?|taking|lost|los\w+)\s+(?:the\s+)?(?:\w+\s+)?$",
    re.IGNORECASE,
)

# Verbs (and nominal heads) that govern a count directly after them.
_LEFT_VERBS: list[tuple[Category, str]] = [
    (KW, r"(?:killed|killing|kill|kills)\s+(?:and|or)\s+(?:wounded|wounding|injured|injuring)"),
    (K, r"killed|killing|kills|kill|slew|slaying|slaughtered|massacred|murdered|executed"
        r"|neutrali[sz]ed|neutrali[sz]ing|eliminated|eliminating|liquidated|liquidating"
        r"|shot\s+dead|shooting\s+dead|gunned\s+down|gunning\s+down|shot\s+and\s+killed"
        r"|(?:hacked|stabbed|burned|burnt|beat|beaten)\s+to\s+death"
        r"|(?:claimed|claiming|claims|took|taking|takes|cost|costing|costs)\s+the\s+lives\s+of"
        r"|(?:the\s+)?(?:deaths?|killings?|murders?|massacre|execution|bodies|remains)\s+of"),
    (W, r"wounded|wounding|wounds|injured|injuring|injures|injure|hurt|hurting|wound|maimed"
        r"|maiming"),
    (C, r"captured|capturing|captures|capture|abducted|abducting|abducts|abduct|kidnapped"
        r"|kidnapping|kidnaps|kidnap|(?:the\s+)?(?:capture|abduction|kidnapping)\s+of"
        r"|took\s+prisoner|taken\s+prisoner|hold\w*\s+captive"),
    (KW, r"lost|losing|loses|lose"),
]  # fmt: skip
_FILLER = (
    r"(?:,\s*)?(?:(?:a\s+total\s+of|another|an\s+additional|additional|a\s+further|the|some|all"
    r"|(?:a|an|the)\s+(?:\w+\s+)?(?:family|group|total|crowd|party|band|batch|number)\s+of)\s+)?"
)
_LEFT_VERB_RE = re.compile(
    r"(?<![\w-])(?:"
    + "|".join(f"(?P<l{i}>{alt})" for i, (_, alt) in enumerate(_LEFT_VERBS))
    + rf")\s*{_FILLER}$",
    re.IGNORECASE,
)

# Nouns that name a count which a link word ("rose to", "at", "of", "were", ":") then gives.
_LEFT_NOUNS: list[tuple[Category, str]] = [
    (KW, rf"{_KILL_WORDS}\s+(?:and|or)\s+{_WOUND_WORDS}|casualt(?:y|ies)|losses|loss|victims"
         r"|personnel(?:\s+losses)?"),
    (K, r"(?:death|fatality|body)\s+(?:toll|count|tally)|toll|fatalities|deaths|dead|killed"
        r"|martyrs|lives\s+lost|bodies"),
    (W, r"wounded|injured|injuries"),
    (C, r"POWs?|prisoners\s+of\s+war|hostages|captives|captured|abducted|kidnapped"),
    (M, r"missing|unaccounted\s+for"),
]  # fmt: skip
_LEFT_NOUN_RE = re.compile(
    r"(?<![\w-])(?:" + "|".join(f"(?P<n{i}>{alt})" for i, (_, alt) in enumerate(_LEFT_NOUNS)) + ")",
    re.IGNORECASE,
)
_LINK_RE = re.compile(
    r"(?:\b(?:to|at|of|is|was|were|are|been|be|reached|reaching|reach|hit|hitting|surpassed"
    r"|surpassing|surpass|exceeded|exceeding|exceed|topped|topping|totall?ed|totall?ing|total"
    r"|numbered|numbering|number|stood|stands|standing|included|includes|including"
    r"|comprised?|with|as|range|ranged|ranges|ranging)|[:‒–—=-])\s*$",
    re.IGNORECASE,
)
_LINK_GAP = 110
_COMMA_LABEL = re.compile(
    r"(?:killed|wounded|injured|missing|captured|dead|prisoners)(?P<c>,)\s*$", re.IGNORECASE
)
_PARTICIPLE = re.compile(
    r"killed|dead|wounded|injured|missing|captured|abducted|kidnapped|unaccounted\s+for"
)
_COUNT_LINK = re.compile(
    r"to|at|is|was|were|are|been|be|reached|reaching|stood|stands|standing|numbered|numbering"
    r"|number|totall?ed|totall?ing|total|range|ranged|ranges|ranging|[:‒–—=-]"
)
_NOMINAL_BEFORE = re.compile(r"\b(?:the|those|their|our|its|his|her)\s+$", re.IGNORECASE)

# Stems for the cheap prefilter: plain substring tests on the lower-cased sentence are many
# times faster than one regex alternation scanning every character.
_CUE_STEMS = (
    "kill", "dead", "died", "dies", "dying", "death", "fatal", "slain", "perish", "murder",
    "massacr", "execut", "behead", "martyr", "bodies", "corpse", "lynch", "buried", "drown",
    "lives", "wound", "injur", "hurt", "hospitali", "maim", "casualt", "loss", "lost", "losing",
    "victim", "toll", "captur", "captiv", "prisoner", "pows", "hostage", "abduct", "kidnap",
    "surrender", "missing", "unaccounted", "disappear", "personnel", "slaughter", "shot", "gunned",
    "stabb", "hacked", "to death", "succumb", "neutrali", "eliminat", "liquidat",
)  # fmt: skip

_RELEASE = re.compile(
    r"(?<![\w-])(?:released?|releasing|release\s+of|freed|freeing|free|exchanged?|exchanging"
    r"|exchange\s+of|swapped|swap(?:\s+of)?|returned|returning|return(?:\s+of)?|repatriated"
    r"|repatriating|repatriation\s+of|handed\s+over|hand(?:ing)?\s+over|rescued|rescuing"
    r"|evacuated|evacuating|liberated|pardoned|reunited|escaped|discharged"
    r")\b",
    re.IGNORECASE,
)
_LOSS_HEAD_WORDS = """
    soldiers troops men servicemen fighters personnel people lives officers marines
    paratroopers infantrymen sailors airmen pilots combatants militants servicemembers
    conscripts mercenaries recruits guardsmen policemen police civilians"""
_LOSS_HEADS = frozenset(_LOSS_HEAD_WORDS.split())
_RELATIVE = re.compile(
    r"\s*,?\s*(?:who|that)\s+(?:had|have|has|were|was)\s+[^,;.\d]{1,60}?(?=\s(?:were|was)\s)",
    re.IGNORECASE,
)
_NOUN_CUES = re.compile(
    r"(?:casualties|victims|losses|hostages?|pows?|prisoners|captives|bodies|deaths?|dead)$"
)
_RELEASE_STEMS = (
    "releas", "free", "exchang", "swap", "return", "repatriat", "hand", "rescu", "evacuat",
    "liberat", "pardon", "reunit", "escap", "discharg",
)  # fmt: skip
_RELEASE_OBJECT = re.compile(
    r"(?<![\w-])([\w’'-]+)(?:\s+(?:over|of|back))?\s+(?:(?:the|some|all|another)\s+)?"
    r"(?:(?:bodies|remains)\s+of\s+(?:the\s+)?)?$",
    re.IGNORECASE,
)
_RELEASE_AFTER = re.compile(
    r"\s*(?:(?:were|was|have|has|had|been|being|are|is|later|all|also|reportedly|subsequently"
    r"|since|eventually|were\s+later)\s+){0,3}"
    r"(?:released|freed|exchanged|swapped|returned|repatriated|rescued|handed|liberated|set\s+free"
    r"|survived|escaped)",
    re.IGNORECASE,
)
_NEGATION = frozenset({"not", "never", "no", "none", "n't", "neither", "nor", "nobody", "denied"})
_COUNTERFACTUAL = frozenset({"could", "would", "should", "will", "shall", "can", "wo"})
_WORDS_RE = re.compile(r"[\w’']+")
_MODALS = frozenset({"could", "would", "might", "may", "will", "can", "should", "shall", "must"})
_AUX_WORDS = """
    were was are is have has had been being be reportedly already also all allegedly reported
    believed feared thought said confirmed declared pronounced later still now subsequently
    initially ultimately eventually seriously critically severely slightly gravely badly mortally
    lightly fatally tragically who remain remained remains got get to presumed reported went gone
    officially each both among those so far overall in total apparently likely probably
    possibly then since either mostly listed as classified considered registered counted"""
_AUX = frozenset(_AUX_WORDS.split())
_TIME_WORD_LIST = """
    yesterday today tonight overnight earlier recently instantly immediately on monday tuesday
    wednesday thursday friday saturday sunday morning evening night afternoon"""
_TIME_WORDS = frozenset(_TIME_WORD_LIST.split())
_FORECAST = frozenset({"expected", "projected", "predicted", "forecast", "set", "going", "likely"})
# Heads of noun phrases that are not people: a count of them is never a figure.
NON_PERSON_WORDS = """
    hospitals hospital houses homes buildings villages towns cities regions region districts
    provinces vehicles cars tanks trucks aircraft planes helicopters drones missiles rockets shells
    bombs guns weapons rifles days weeks months years hours minutes seconds times km miles percent
    incidents attacks strikes raids operations settlements positions points schools mosques
    churches shops cattle cows goats sheep animals dogs horses camels livestock tons tonnes barrels
    acres hectares dollars euros pounds rounds sites locations occasions countries states nations
    counties communities municipalities artillery systems boats ships vessels cases reports
    documents files pages articles graves kilometres kilometers metres meters feet units brigades
    battalions regiments companies platoons divisions squads groups families households games
    matches goals points seats votes jobs elections races sets fights battles hills bridges heights
    territories birds elephants dolphins whales fish chickens pigs deer wolves bears lions trees
    acres homes flats apartments businesses stores firms plants factories farms crops bags boxes
    containers packages cartons kg kilos grams litres liters gallons bottles doses tests flights
    trains buses roads routes streets teams clubs parties candidates bills laws proposals"""
NON_PERSON = frozenset(NON_PERSON_WORDS.split())
_RATE = re.compile(
    r"^(?:\s+(?!(?:in|than|within|for|after|over|about|under|less|more|last|past|first|once)\b)"
    r"[\w’'-]+){0,2}?\s+(?:(?:per|a|each|every|an)\s+(?:day|week|month|year|hour|night)\b"
    r"|(?:daily|weekly|monthly|annually|yearly)\b)",
    re.IGNORECASE,
)
_TOKEN = re.compile(
    r"(?:[A-Za-z]\.){2,}|\d+(?:st|nd|rd|th)\b|[^\W\d_]+(?:['’][^\W\d_]+)*|\d[\d,.]*|[^\w\s]",
    re.UNICODE,
)
_NP_LINKS = frozenset({"of", "the", "from", "in", "a", "an", "and", "/", "'s", "’s", "s"})
_PAREN_OPENERS = re.compile(
    r"\s*(?:including|among\s+them|among\s+whom|mostly|mainly|many\s+of\s+them|most\s+of\s+them"
    r"|all\s+of\s+them|both|some\s+of\s+them|several\s+of\s+them|of\s+whom|among\s+those)\b"
    r"|\s*(?=(?:\d[\d,]*|one|two|three|four|five|six|seven|eight|nine|ten)\s+[a-z][^,.;]{0,60},"
    r"\s*(?:were|was|are|is|have|has|had|died|killed|wounded|injured)\b)",
    re.IGNORECASE,
)
_NP_STOP_WORDS = """
    that which who whose when where while after before because as than if but or to for
    with by at on into onto over under during since until near across against between through
    per were was are is have has had been being be not no never could would might may will can
    should must said says say according reportedly already also still remain remains remained
    feared believed every each went gone reported recorded registered saw suffered sustained
    counted announced claimed estimated suggested showed listed documented overnight yesterday
    today tonight earlier recently later then subsequently initially eventually"""
_NP_STOP = frozenset(_NP_STOP_WORDS.split())
_MAX_NP_TOKENS = 10
_NP_PRONOUNS = frozenset({"its", "their", "them", "whom", "those", "these", "his", "her", "our"})
_OBJECT_AFTER = re.compile(r"\s+(?:the|a|an|his|her|their|its|our|them|him)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Reading:
    """What the words around a count say it is."""

    category: Category
    rule: str
    soft: bool = False  # "lost", "losses": killed_or_wounded unless set against "wounded"


@dataclass(frozen=True, slots=True)
class NounPhrase:
    """The words naming who a count is about, right after it ("North Korean soldiers")."""

    text: str
    end: int
    head: str


BLOCKED = Reading(Category.KILLED, "blocked")


def has_cue(sentence: str) -> bool:
    """Cheap prefilter: does the sentence contain any category cue at all?"""
    return has_cue_lower(sentence.lower())


def has_cue_lower(low: str) -> bool:
    """`has_cue` for text already lower-cased."""
    return any(stem in low for stem in _CUE_STEMS)


def _cue_at(sentence: str, pos: int) -> tuple[Category | None, int, str] | None:
    if sentence[pos : pos + 1].lower() not in _CUE_FIRST:
        return None  # no cue starts with this letter: skip the big alternation
    m = _RIGHT_RE.match(sentence, pos)
    if m is None:
        return None
    cat = _RIGHT_CUES[int(m.lastgroup[1:])][0] if m.lastgroup else None
    return cat, m.end(), m.group(0)


def noun_phrase(sentence: str, pos: int) -> NounPhrase:
    """Read the noun phrase that follows a count, stopping before a cue, verb or clause break.

    Skips a parenthetical breakdown (", including three children,") so the verb after it is seen;
    `end` is then past the parenthetical while `text` stops before it.
    """
    i = pos
    start_np = None
    text_end = end_np = pos
    head = ""
    head_frozen = text_frozen = False
    and_at: tuple[int, int] | None = None
    count = 0
    limit = min(len(sentence), pos + 240)
    while i < limit and count < _MAX_NP_TOKENS:
        i = _skip_space(sentence, i)
        if i >= limit or _cue_at(sentence, i) is not None:
            break
        tm = _TOKEN.match(sentence, i)
        if tm is None:
            break
        tok = tm.group(0)
        low = tok.lower()
        if tok in (",", "(", "–", "—", "‒") or (tok == "-" and sentence[i - 1 : i] == " "):
            opener = _PAREN_OPENERS.match(sentence, tm.end()) if tok == "," else None
            if tok == "," and opener is None:
                break
            j = _closing(sentence, tok, tm.end(), min(limit, tm.end() + 100))
            if j < 0:
                if opener is None:
                    break
                i = end_np = opener.end()  # ", mostly women and children killed"
                head_frozen = text_frozen = True
                continue
            i = j + 1
            while i < limit and sentence[i] in "-–—‒":
                i += 1
            end_np = i
            head_frozen = text_frozen = True
            continue
        if tok[0].isdigit() and not tok[-1].isalpha() and and_at is not None:
            end_np, text_end = and_at  # "people and took about 250": "and" began a clause
            break
        if (
            low in _NP_STOP
            or (tok[0].isdigit() and not tok[-1].isalpha())
            or not (tok[0].isalnum() or tok in ("/", "'s", "’s"))
        ):
            break
        if low.endswith("ing") and _OBJECT_AFTER.match(sentence, tm.end()):
            break  # "3 hospitals treating the injured": a verb with its object
        if low == "and":
            and_at = (end_np, text_end)
            nxt = _TOKEN.match(sentence, _skip_space(sentence, tm.end()))
            if not head or nxt is None or nxt.group(0)[0].isdigit():
                break
            nxt_low = nxt.group(0).lower()
            if nxt_low in _AUX or nxt_low.endswith("ing") or _cue_at(sentence, nxt.start()):
                break  # "killing 23 guests and wounding 57": the next clause
        if start_np is None:
            start_np = i
        if low in ("in", "from", "of") and head:
            head_frozen = True
            text_frozen = text_frozen or low == "in"  # "from the DPRK" names them, "in X" places
            # "cases of enforced disappearance": the head stays "cases"
        elif low not in _NP_LINKS and low not in _NP_PRONOUNS and not head_frozen:
            head = low
        end_np = tm.end()
        if not text_frozen:
            text_end = end_np
        i = tm.end()
        count += 1
    text = sentence[start_np:text_end] if start_np is not None else ""
    return NounPhrase(text=text, end=end_np, head=head)


def _closing(sentence: str, opener: str, start: int, stop: int) -> int:
    if opener in ("(", ","):
        return sentence.find(")" if opener == "(" else ",", start, stop)
    dm = re.compile(r"\s[-–—‒]|[–—‒]").search(sentence, start, stop)
    return dm.end() - 1 if dm else -1


def _skip_space(sentence: str, i: int) -> int:
    while i < len(sentence) and sentence[i].isspace():
        i += 1
    return i


def read_right(sentence: str, mention_start: int, np: NounPhrase) -> Reading | None:
    """The cue after the count's noun phrase, through auxiliaries ("were reportedly killed")."""
    if np.head in NON_PERSON:
        return BLOCKED
    reading = _aux_then_cue(sentence, np.end, mention_start, 0)
    if reading is None:
        rel = _RELATIVE.match(sentence, np.end)
        if rel is not None:
            # "25 soldiers who had intended to surrender were killed": the main verb decides
            reading = _aux_then_cue(sentence, rel.end(), mention_start, 1)
    return reading


def _aux_then_cue(sentence: str, i: int, mention_start: int, depth: int) -> Reading | None:
    seen_aux: list[str] = []
    for _ in range(8):
        i = _skip_space(sentence, i)
        cue = _cue_at(sentence, i)
        if cue is not None:
            cat, end, text = cue
            if cat is None:  # "lives", "prisoners": only after "claimed", "took", "held"
                verbs = _LIVES_VERB if text.lower() == "lives" else _HOLD_VERB
                if not verbs.search(sentence[max(0, mention_start - 40) : mention_start]):
                    i = end  # a plain noun here: "2,500 prisoners remain in captivity"
                    continue
                cat = K if text.lower() == "lives" else C
            if _RATE.match(sentence[end : end + 40]):
                return BLOCKED
            if modal_blocks(seen_aux):
                return BLOCKED
            if _RELEASE_AFTER.match(sentence, end):
                return BLOCKED
            low_text = text.lower()
            if depth == 0 and _NOUN_CUES.match(low_text):
                # "148 victims were killed", "ten hostages were executed": the verb decides
                after = _aux_then_cue(sentence, end, mention_start, 1)
                if after is not None:
                    return after
            soft = cat == KW and low_text.startswith(("loss", "lost"))
            return Reading(cat, "right:" + low_text.split()[0], soft)
        tm = _TOKEN.match(sentence, i)
        if tm is None:
            return None
        low = tm.group(0).lower()
        if low in _NEGATION or low.endswith(("n't", "n’t")):
            return BLOCKED
        if _RELEASE.match(sentence, i):
            return BLOCKED
        if low in _MODALS or (
            low in _AUX
            or (low.endswith("ly") and len(low) > 4)
            or low in _TIME_WORDS
            or (low == "the" and seen_aux[-1:] == ["among"])
            or (low == "found" and "dead" in sentence[tm.end() : tm.end() + 6])
        ):
            seen_aux.append(low)
        elif low in _FORECAST and seen_aux:
            return BLOCKED
        else:
            return None
        i = tm.end()
    return None


def read_left(sentence: str, mention_start: int, np: NounPhrase) -> Reading | None:
    """A verb governing the count ("killed at least 18") or a noun linked to it ("toll rose to")."""
    if np.head in NON_PERSON:
        return None
    before = sentence[max(0, mention_start - 120) : mention_start]
    lm = _LEFT_VERB_RE.search(before)
    if lm is not None:
        if _modal_before(before[: lm.start()]):
            return BLOCKED
        group = lm.lastgroup or "l0"
        cat = _LEFT_VERBS[int(group[1:])][0]
        text = lm.group(group).lower()
        if cat == KW and np.head and np.head not in _LOSS_HEADS:
            return None  # "lost 30 members", "lost 3 seats": not casualties
        verb = "_".join(w for w in text.split() if w not in ("the", "of", "a", "an"))
        return Reading(cat, "left:" + verb, cat == KW and "los" in text)
    link = _LINK_RE.search(before)
    if link is not None:
        link_start, link_text = link.start(), link.group(0).strip().lower()
    else:
        comma = _COMMA_LABEL.search(before)  # "killed, 45; wounded, 120; missing, 12"
        if comma is None:
            return None
        link_start, link_text = comma.start("c"), ":"
    head = before[:link_start]
    window = head[-_LINK_GAP:]
    last = None
    for nm in _LEFT_NOUN_RE.finditer(window):
        last = nm
    if last is None:
        return None
    gap = window[last.end() :]
    if _CLAUSE_BREAK.search(gap) or find_numbers(gap) or _modal_in(gap) or _negated(gap):
        return None
    if any(w in _FORECAST for w in _WORDS_RE.findall(gap.lower())):
        return None
    text = last.group(0).lower()
    if (
        _PARTICIPLE.fullmatch(text)
        and not _COUNT_LINK.fullmatch(link_text)
        and not _NOMINAL_BEFORE.search(window[: last.start()])
    ):
        return None  # "killed a teacher in front of 30 pupils": a verb, not "the killed are"
    cat = _LEFT_NOUNS[int((last.lastgroup or "n0")[1:])][0]
    return Reading(cat, "noun:" + text.split()[0], cat == KW and "los" in text)


def released_before(sentence: str, mention_start: int) -> bool:
    """Is the count the object of a release verb ("released 95 prisoners", "exchange of 200")?"""
    before = sentence[max(0, mention_start - 40) : mention_start]
    low = before.lower()
    if not any(stem in low for stem in _RELEASE_STEMS):
        return False
    m = _RELEASE_OBJECT.search(before)
    return bool(m and _RELEASE.match(before, m.start()))


def modal_blocks(words: list[str]) -> bool:
    """Do these words make a count hypothetical? "could kill", "would have died", "may reach".

    "may have killed" and "must have been" are hedged reports of the past and still count.
    """
    if any(w in _COUNTERFACTUAL for w in words):
        return True
    return any(w in _MODALS for w in words) and "have" not in words


def modal_before(sentence: str, start: int) -> bool:
    """Is there a modal among the three words before `start` ("We could see 10,000 deaths")?"""
    return modal_blocks(_lower_words(sentence[max(0, start - 40) : start])[-3:])


def _modal_before(before: str) -> bool:
    return modal_blocks(_lower_words(before[-40:])[-3:])


def _modal_in(gap: str) -> bool:
    return modal_blocks(_lower_words(gap))


def _lower_words(text: str) -> list[str]:
    # "May" with a capital is the month ("since May 3rd"), not the modal
    return [w.lower() for w in _WORDS_RE.findall(text) if w != "May"]


def _negated(gap: str) -> bool:
    return any(w in _NEGATION for w in _WORDS_RE.findall(gap.lower()))


_RATE_IN_NP = re.compile(
    r"\b(?:per|each|every)\s+(?:day|week|month|year|hour|night)\b|\b(?:daily|annually|yearly)\b"
    r"|^\s*(?:a|an)\s+(?:day|week|month|year|hour|night)\b",
    re.IGNORECASE,
)


def is_rate(sentence: str, mention_end: int, np: NounPhrase) -> bool:
    """Does a rate ("per day", "every year", "daily") follow the count or its noun phrase?"""
    return (
        _RATE.match(sentence[np.end : np.end + 40]) is not None
        or _RATE_IN_NP.search(sentence, mention_end, np.end + 1) is not None
        or _RATE_IN_NP.match(sentence[np.end : np.end + 20]) is not None
    )

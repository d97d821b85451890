"""Readings of one sentence's counts: each count's own (blocked, right cue, left verb or noun),
then partitives, and readings shared forward, backward, by anaphora and by breakdowns.
"""

from __future__ import annotations

import re
from dataclasses import replace

from pipeline.figures.blockers import blocked
from pipeline.figures.cues import (
    CATEGORY_OF_STEM,
    CLAUSE_BREAK,
    HOLD_VERB,
    LEFT_NOUN_RE,
    LEFT_NOUNS,
    NON_PERSON,
    RELEASE,
    counts_things,
    lower_twin,
)
from pipeline.figures.gates import Gated
from pipeline.figures.grammar import (
    BLOCKED,
    CAPTURED_AFTER,
    CAPTURED_PARTICIPLES,
    NounPhrase,
    Reading,
    after_modifier,
    clause_verb_after,
    read_right,
)
from pipeline.figures.lang import vocabulary
from pipeline.figures.left import read_left
from pipeline.figures.model import Category
from pipeline.figures.numbers import NumberMention

_DIGIT = re.compile(r"\d")
_SHARE_BETWEEN = re.compile(r"\s*[\"”’]?\s*(?:and|or|,\s*and|as\s+well\s+as)\s*")
_WORD_RE = re.compile(r"[\w’']+")

# One \b before all the words: the matcher skips an alternative opening with a letter on its
# first character, but tries one opening with \b in full at every position.
_SHARE_BEFORE = re.compile(
    r"(?:,|;|\b(?:and|as\s+well\s+as|including|plus|along\s+with|among\s+them|among\s+whom"
    r"|of\s+whom|of\s+them|with|such\s+as|compared\s+(?:with|to)|against"
    r"|versus|than\s+(?:the\s+)?)|,\s*but\s+that|[–—‒:-])\s*"
    r"(?:(?:a|an|the)\s+(?:\w+\s+)?(?:of\s+)|another\s+|a\s+further\s+|an\s+additional\s+)?$",
    re.IGNORECASE,
)
_SHARE_BEFORE_LOWER = lower_twin(_SHARE_BEFORE)
_SHARE_AFTER = re.compile(
    r"\s*(?:$|[,;.)–—‒:\]\"”-]|(?:and|in|at|on|from|for\s+the|due\s+to|during|since|across|near|inside|while|when"
    r"|who|whose|among|aged|under|between|by|as|over|after|before|last|this|overnight|yesterday"
    r"|today|earlier|later)\b"
    # "of whom 39,684 were civilians": the breakdown names its group after the verb
    r"|\s(?:were|was|are)\s+(?:[a-z]+\s+)?[a-z]+(?:s|ren|men)\b(?=\s*(?:$|[,;.)]|and\b))"
    # "the bodies of six women and three children were recovered": the list's own verb
    r"|\s+(?:were|was|have\s+been|had\s+been)\s+(?:recovered|found|retrieved|identified"
    r"|discovered|exhumed|pulled)\b)",
    re.IGNORECASE,
)
# "that figure later fell to 12", "up from a previous tally of 30"
_ANAPHORA = re.compile(
    r"\b(?:number|figure|count|tally|total|estimate)\b[^.;\d]{0,40}?"
    r"\b(?:of|to|at|was|is|were|from)\s*$"
    r"|\bput\s+(?:the|that|this|its|their)\s+(?:number|figure|count|tally|total|toll)\s+$",
    re.IGNORECASE,
)
_PARTITIVE = re.compile(
    r"\s+(?:out\s+)?of\s+(?:the|its|their|his|her|our)\s+(?:\w+\s+)?", re.IGNORECASE
)
_OF_THEM = frozenset({"of them", "of whom", "of those"})
# A participle cue followed by a noun modifies it ("12 captured soldiers"); at the end of a
# clause it is the predicate ("6,940 wounded, 573 captured.").
_MODIFIES = re.compile(r"\s*\S+\s+[^\W\d_]")
# Right cues naming a group rather than what happened to it
_MODIFIER_CUES = frozenset(CAPTURED_PARTICIPLES)
_GROUP_CUES = _MODIFIER_CUES | frozenset(
    {"hostages", "hostage", "prisoners", "pows", "pow", "captives", "victims", "casualties"}
)
_BREAKDOWN_BEFORE = re.compile(
    r"\b(?:including|among\s+them|among\s+whom|of\s+whom|of\s+them|comprising)\s*$",
    re.IGNORECASE,
)
# A count that is the object of another verb: "police detained 250 protesters, and 12 ..."
_OTHER_VERB_BEFORE = re.compile(r"\b(?!(?:were|was|had|has|have|and)\b)([a-z]+ed)\s+$")
_REPORTING = vocabulary("en").words("reporting_verbs")
_VAGUE_CUE = re.compile(
    r"\b(?:killed|dead|died|perished|wounded|injured|hurt|missing|abducted|kidnapped|captured"
    r"|captive)\b",
    re.IGNORECASE,
)
_SENTENCED = re.compile(r"\b(?:sentenc|condemn)\w*\s+(?:\w+\s+)?$", re.IGNORECASE)
_HELD_NOUN = re.compile(r"\s*(?:hostages?|prisoners|captives|pows?)\b", re.IGNORECASE)
# "rather than the 93 previously reported": an earlier toll, a figure of its own (spec)
_EARLIER_AFTER = re.compile(
    r"\s+(?:previously|earlier|initially|originally|first)\s+(?:reported|announced|given|stated"
    r"|published|confirmed|cited)\b",
    re.IGNORECASE,
)
_ALIVE = re.compile(r"[^.;]{0,80}?\b(?:be|are|were|is)\s+(?:still\s+)?alive\b", re.IGNORECASE)
_TALLY_HEADS = frozenset({"figure", "toll", "tally", "count"})  # "the 802 figure given by ..."
_REPORTED_AFTER = re.compile(
    r"\s*(?:announced|reported|given|cited|claimed|stated)\b", re.IGNORECASE
)
_THAN_THE = re.compile(r"\bthan\s+(?:the\s+)?$", re.IGNORECASE)


def _first_word(text: str) -> str:
    words = text.split(None, 1)
    return words[0].lower() if words else ""


_TOTAL_LABEL = re.compile(r"\btotal\s*[,:]?\s*\(?\s*$", re.IGNORECASE)


def _killed_and_wounded(readings: list[Reading | None]) -> bool:
    """Do these readings count both the killed and the wounded?"""
    cats = {r.category for r in readings if r is not None and r is not BLOCKED}
    return Category.KILLED in cats and Category.WOUNDED in cats


_AFTER_RELEASE = re.compile(
    r"\bafter\s+(?:being|having\s+been)\s+(?:released|freed|handed\s+over|rescued|exchanged"
    r"|set\s+free|returned)",
    re.IGNORECASE,
)
# An opening condition; not one on the report's own truth ("If confirmed, the attack killing
# 14 ..." reports the 14 as the text has it, hedged, as "reportedly" does).
_IF_FIRST = re.compile(
    r"\W{0,3}if\b(?!\s+(?:"
    + "|".join(sorted(vocabulary("en").words("report_hedges")))
    + r")\s*,)[^.;]{1,120}?,",
    re.IGNORECASE,
)
# "For instance, he said, if a bomb hits a Humvee, then they report four deaths"
_IF_THEN = re.compile(r"\bif\b(?:[^.;]|(?<=[A-Z])\.){1,120}?,\s*then\b", re.IGNORECASE)
# A sentence about a model's scenarios or forecasts: its counts did not happen (yet).
_SCENARIO = Gated(
    re.compile(
        r"\b(?:scenarios?|forecasts?|projections?|worst[- ]case|best[- ]case)\b", re.IGNORECASE
    )
)
_RELATIVE = re.compile(r",\s*(?:which|who|whose|where)\b", re.IGNORECASE)


def _is_captured(reading: Reading | None) -> bool:
    return reading is not None and reading is not BLOCKED and reading.category == Category.CAPTURED


def readings(
    sentence: str, mentions: list[NumberMention], nps: list[NounPhrase]
) -> list[Reading | None]:
    """Each count's own reading, then partitives and readings shared forward and backward."""
    if conditional_or_scenario(sentence, mentions):
        return [BLOCKED] * len(mentions)
    return _read(sentence, mentions, nps)


def conditional_or_scenario(sentence: str, mentions: list[NumberMention]) -> str:
    """Why every count of the sentence is silent, or "": a sentence about a model's scenarios
    ("the worst case was 1.7 million deaths"), or one whose counts all sit after an opening
    if-clause ("If the missing are found dead, that makes 105 deaths")."""
    if _SCENARIO.search(sentence):
        return "a forecast or scenario sentence"
    if_clause = _IF_FIRST.match(sentence)
    if if_clause is not None and all(
        m.start > if_clause.end() and ";" not in sentence[if_clause.end() : m.start]
        for m in mentions
    ):
        return "a condition (an opening if-clause), not a report"
    if_then = _IF_THEN.search(sentence) if "then" in sentence else None
    if if_then is not None and all(m.start > if_then.start() for m in mentions):
        return "a condition (an if-clause and its then), not a report"
    return ""


def _read(
    sentence: str, mentions: list[NumberMention], nps: list[NounPhrase]
) -> list[Reading | None]:
    readings: list[Reading | None] = []
    held_only: dict[int, int] = {}  # "21 hostages and ...": the cue names the group; its end
    for m, np in zip(mentions, nps, strict=True):
        if blocked(sentence, m.start, m.end, np.end):
            readings.append(BLOCKED)
            continue
        reading = read_right(sentence, m.start, np)
        if (
            reading is not None
            and reading.rule == "right:death"
            and _SENTENCED.search(sentence, max(0, m.start - 40), m.start)
        ):
            reading = BLOCKED  # "sentenced 14 men to death": a sentence, not a death
        if reading is not None and reading.rule == "right:fatal" and np.text not in _OF_THEM:
            reading = None  # "three fatal" alone is an adjective: "12 accidents, three fatal"
        if reading is None:
            reading = read_left(sentence, m.start, np)
        elif reading.rule.partition(":")[2] in _GROUP_CUES and (
            reading.rule.partition(":")[2] not in _MODIFIER_CUES
            or _MODIFIES.match(sentence, np.end)
        ):
            # "executed 16 prisoners of war", "killed 20 hostages", "executed 12 captured
            # soldiers": the verb says what happened to the group
            verb = read_left(sentence, m.start, np)
            if (
                verb is not None
                and verb.rule.startswith("left:")
                and not verb.soft
                and verb.category != Category.CAPTURED
            ):
                group = reading.rule.partition(":")[2]
                named = np.text if group in _MODIFIER_CUES else f"{np.text} {group}"
                reading = replace(verb, subject=named.strip() or None)
            elif (
                verb is None
                and not np.text
                and reading.category == Category.CAPTURED
                and not HOLD_VERB.search(sentence, max(0, m.start - 40), m.start)
            ):
                cue = _HELD_NOUN.match(sentence, np.end)
                if cue is not None:
                    held_only[len(readings)] = cue.end()
        if _is_captured(reading) and _AFTER_RELEASE.search(sentence, m.end):
            reading = BLOCKED  # "the three hostages boarded the cars after being handed over"
        if _is_captured(reading):
            # "the deaths of 41 hostages still held": hostages said to be dead are killed (spec)
            verb = read_left(sentence, m.start, np)
            if verb is not None and verb is not BLOCKED and verb.category == Category.KILLED:
                named = np.text.strip()
                own = None if named[:3].lower() == "of " else named or None
                reading = replace(verb, subject=own)
        readings.append(reading)
    # Partitive: "120 of the estimated 200 fighters had been killed" states 120, not 200;
    # "2 of the 11 abducted workers were freed" states 11 abducted, and no figure for the 2.
    for i in range(len(mentions) - 1):
        between = sentence[mentions[i].end : mentions[i + 1].start]
        if readings[i] is None and _PARTITIVE.fullmatch(between):
            whole = mentions[i + 1]
            if _ALIVE.match(sentence, nps[i + 1].end):
                continue  # "50 of the 120 hostages still held are alive": the whole is held
            is_mod, verb = after_modifier(sentence, nps[i + 1].end, whole.start, captured_only=True)
            if is_mod and readings[i + 1] is not None:
                readings[i] = (
                    verb if verb is not None and verb.category != Category.CAPTURED else (BLOCKED)
                )
                continue
            # "of the 240 people kidnapped by Hamas": a participle right after the whole (no
            # need to look when after_modifier found one there: the whole has no reading)
            taken = None if is_mod else CAPTURED_AFTER.match(sentence, nps[i + 1].end)
            if taken is not None and _is_captured(readings[i + 1]):
                # "161 of the 240 people kidnapped by Hamas remain hostages": the whole was
                # taken; the part is what the clause's own verb says
                readings[i] = clause_verb_after(sentence, taken.end(), mentions[i].start)
            else:
                readings[i], readings[i + 1] = readings[i + 1], None
    # Forward sharing: "200 rebels and 150 government soldiers died in the battle"
    for i in range(len(mentions) - 2, -1, -1):
        nxt = readings[i + 1]
        if (
            i in held_only
            and nxt is not None
            and nxt is not BLOCKED
            and nxt.rule.startswith("right:")
            and nxt.category in (Category.KILLED, Category.WOUNDED)
            and _SHARE_BETWEEN.fullmatch(sentence[held_only[i] : mentions[i + 1].start])
        ):
            # "21 hostages and four soldiers died": dead hostages are no longer held
            group = sentence[nps[i].end : held_only[i]].strip()
            readings[i] = Reading(nxt.category, "shared-forward", nxt.soft, group)
            continue
        if readings[i] is None and nxt is not None and nxt is not BLOCKED:
            between = sentence[nps[i].end : mentions[i + 1].start]
            opener = _BREAKDOWN_BEFORE.search(sentence, 0, mentions[i].start)
            # "12 women, eight children and seven men died": a list shares its last item's cue
            in_list = nxt.rule == "shared-forward" and between.strip() == ","
            if (
                (_SHARE_BETWEEN.fullmatch(between) or in_list)
                and (nxt.rule.startswith("right") or in_list)
                and opener is None  # "..., among them 3 children, and 111 were wounded"
                and not _other_verb_before(sentence, mentions[i].start)
                and not _own_verb(nps[i])
                and sentence[max(0, mentions[i].start - 5) : mentions[i].start].strip() != "with"
            ):
                readings[i] = Reading(nxt.category, "shared-forward", nxt.soft)
    # Backward sharing: ellipsis, breakdowns, anaphora.
    last: Reading | None = None
    last_end = 0
    for i, m in enumerate(mentions):
        r = readings[i]
        if r is None and all(x is None for x in readings[:i]):
            r = readings[i] = (
                _anaphora_of_cue(sentence, m.start, nps[i])
                or _breakdown_of_vague(sentence, m.start, nps[i])
                or _labelled_list(sentence, m)
            )
        elif (
            r is None
            and last is not None
            and (anaphora := _anaphora_of_cue(sentence, m.start, nps[i], after=last_end))
        ):
            # "200 are missing; the death toll is lower than the 802 figure": the tally noun
            # between the counts, not the count before it, gives the category
            r = readings[i] = anaphora
        elif r is None and last is not None and not _RELATIVE.search(sentence, last_end, m.start):
            before = sentence[max(0, m.start - 60) : m.start]
            np = nps[i]
            low_before = before.lower()
            share = (
                _SHARE_BEFORE_LOWER.search(low_before)
                if len(low_before) == len(before)
                else _SHARE_BEFORE.search(before)
            )
            if share and share.group(0).lstrip()[:1] in "–—‒:-":
                label = _WORD_RE.findall(before[: share.start()])[-1:]
                if label and label[0].lower() in NON_PERSON:
                    share = None  # "tanks - 9 712": a labelled count of something else
            # "29 survivors, among them two children, were taken to hospital": a breakdown
            # belongs to the count right before it, which here has no category to share
            of_uncounted = readings[i - 1] is None and _BREAKDOWN_BEFORE.search(before)
            if (
                not counts_things(np.text, np.head)
                and not np.head.endswith("ed")
                and not _own_verb(np)
                and not of_uncounted
                and (
                    (share and _SHARE_AFTER.match(sentence, np.end))
                    or _ANAPHORA.search(before)
                    or _EARLIER_AFTER.match(sentence, np.end)
                    or _first_word(np.text) in _TALLY_HEADS
                    or _in_name_list(sentence, m)
                    or _gapped_item(sentence, last_end, m)
                )
            ):
                r = Reading(last.category, "shared", last.soft)
                if _TOTAL_LABEL.search(before) and _killed_and_wounded(readings[:i]):
                    r = Reading(Category.KILLED_OR_WOUNDED, "total")  # "killed, 21; wounded, 101;
                    # total, 122": the total of a table of killed and wounded
                readings[i] = r
        if r is not None and r is not BLOCKED:
            last = r
            last_end = m.end
    # An earlier value: "rose from 12 to 19", "revised to 17, down from 29" (spec: a figure)
    for i in range(len(mentions)):
        if readings[i] is not BLOCKED:
            j = _changed_to(sentence, mentions, i)
            now = readings[j] if j is not None else None
            if now is not None and now is not BLOCKED:
                readings[i] = Reading(now.category, "earlier", now.soft)
    return readings


_FROM_END = re.compile(r"\bfrom\s+$", re.IGNORECASE)
_TO_ONLY = re.compile(r"\s*to\s+", re.IGNORECASE)
_TO_END = re.compile(r"\bto\s+$", re.IGNORECASE)
_THEN_FROM = re.compile(r"\s*,?\s*(?:(?:down|up)\s+)?from\s+", re.IGNORECASE)


def _changed_to(sentence: str, mentions: list[NumberMention], i: int) -> int | None:
    """The index of the value the count at `i` changed to: "from <i> to <j>", "to <j> from <i>",
    "to <j>, down from <i>"; None when the count is no earlier value."""
    m = mentions[i]
    if not _FROM_END.search(sentence, max(0, m.start - 6), m.start):
        return None
    if i + 1 < len(mentions) and _TO_ONLY.fullmatch(sentence, m.end, mentions[i + 1].start):
        return i + 1
    if i > 0:
        prev = mentions[i - 1]
        if _THEN_FROM.fullmatch(sentence, prev.end, m.start) and _TO_END.search(
            sentence, max(0, prev.start - 4), prev.start
        ):
            return i - 1
    return None


# Past forms that end a noun phrase without being its own verb: "children aged 5", "armed men"
_NOT_OWN_VERB = frozenset({"aged", "armed", "unarmed", "wounded", "injured", "unidentified"})


def _own_verb(np: NounPhrase) -> bool:
    """Does the noun phrase end on its own verb ("512 people arrested", "104 survived")? Then
    the count has its own predicate and takes no category from a neighbour."""
    last = np.text.rpartition(" ")[2].lower()
    return last.endswith("ed") and last not in _NOT_OWN_VERB


def _breakdown_of_vague(sentence: str, start: int, np: NounPhrase) -> Reading | None:
    """ "Dozens were killed, including at least 12 children": a breakdown of an uncounted
    group takes the category of the verb before it."""
    opener = _BREAKDOWN_BEFORE.search(sentence, max(0, start - 20), start)
    if opener is None or np.head in NON_PERSON or not _SHARE_AFTER.match(sentence, np.end):
        return None
    window = sentence[max(0, opener.start() - 60) : opener.start()]
    cues = list(_VAGUE_CUE.finditer(window))
    if not cues or CLAUSE_BREAK.search(window, cues[-1].end()) or _DIGIT.search(window):
        return None
    return Reading(CATEGORY_OF_STEM[cues[-1].group(0).lower()[:4]], "shared")


# "Deaths by state: Lagos (14), Kano (9)": counts in brackets after names, in a list a tally
# noun and a colon open
_NAME_PAREN = re.compile(r"[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*\s*\(\s*$")
# A gapped list of places and counts after a figure: "Haridwar had six deaths, Tehri three,
# Dehradun two and Chamoli one", "Sindh reported 12 deaths, Punjab 9 and Balochistan 3": from
# the count before (and at most its cue word), a comma or "and", then a name, then the count
_GAPPED_ITEM = re.compile(
    r"(?:\s+[a-z]+)?\s*(?:,\s*(?:and\s+)?|\s+and\s+)"
    r"(?P<name>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)\s+"
)
_GAPPED_END = re.compile(r"\s*(?:$|[,;.]|and\b)")
_UNIT_NOUNS = vocabulary("en").words("unit_nouns")
_CLOSE_PAREN = re.compile(r"\s*\)")
_LIST_OPENER = re.compile(r"[^.;:]{0,40}:\s*")


def _in_name_list(sentence: str, m: NumberMention) -> bool:
    """Is the count a bracketed figure after a name ("Kano (9)")?"""
    return bool(
        _NAME_PAREN.search(sentence, max(0, m.start - 40), m.start)
        and _CLOSE_PAREN.match(sentence, m.end)
    )


def _gapped_item(sentence: str, last_end: int, m: NumberMention) -> bool:
    """Is the count a place's item of a gapped list after the count before ("..., Tehri
    three")? Not a unit's number ("Brigade 45") and not a count with words of its own after."""
    item = _GAPPED_ITEM.fullmatch(sentence, last_end, m.start)
    return bool(
        item is not None
        and item.group("name").split()[-1].lower() not in _UNIT_NOUNS
        and _GAPPED_END.match(sentence, m.end)
    )


def _labelled_list(sentence: str, m: NumberMention) -> Reading | None:
    """The first bracketed count of a list a tally noun opens: "Deaths by state: Lagos (14)"."""
    colon = sentence.rfind(":", 0, m.start)
    if colon < 0 or not _in_name_list(sentence, m):
        return None
    nouns = list(LEFT_NOUN_RE.finditer(sentence, max(0, colon - 40), colon))
    if not nouns or not _LIST_OPENER.fullmatch(sentence, nouns[-1].end(), colon + 1):
        return None
    return Reading(LEFT_NOUNS[int((nouns[-1].lastgroup or "n0")[1:])][0], "listed")


def _anaphora_of_cue(
    sentence: str, start: int, np: NounPhrase, *, after: int = 0
) -> Reading | None:
    """ "Dozens were missing; by Monday that figure had fallen to 17", "the toll is lower than
    the 802 figure": the category of the tally noun before (one after `after`, if given)."""
    before = sentence[max(0, start - 60) : start]
    am = _ANAPHORA.search(before)
    if am is not None:
        upto = start - len(before) + am.start()
    elif _first_word(np.text) in _TALLY_HEADS or (
        _THAN_THE.search(before) and _REPORTED_AFTER.match(sentence, np.end)
    ):
        upto = start  # "lower than the 802 figure", "higher than the 2,000 announced"
    else:
        return None
    nouns = list(LEFT_NOUN_RE.finditer(sentence, after, upto))
    if not nouns or RELEASE.search(sentence, nouns[-1].end(), start):
        return None  # "prisoners swapped ... the total number returned to 3,767"
    last = nouns[-1]
    return Reading(LEFT_NOUNS[int((last.lastgroup or "n0")[1:])][0], "shared")


def _other_verb_before(sentence: str, at: int) -> bool:
    """A past tense right before the count at `at` that is not one reporting what follows."""
    m = _OTHER_VERB_BEFORE.search(sentence, 0, at)
    return m is not None and m.group(1) not in _REPORTING

"""The walk of `extract.find_figures` over a text's sentences, compiled (setup.py, mypyc).

extract.py keeps `find_figures` and hands this walk the per-sentence reader and the cue test
it reads from its own module at each call, so a test may still patch `extract.sentence_figures`
or `extract.has_cue_lower`. What the walk does is described in extract.py.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import replace

from pipeline.figures.article import (
    IT_LOST,
    acronyms,
    claimant_in_article,
    in_full,
    is_generic,
    organisation_before,
    unit_before,
    unnamed_group,
)
from pipeline.figures.claimants import pronoun_speaker
from pipeline.figures.claimkeys import names_a_person
from pipeline.figures.cues import (
    CATEGORY_OF_STEM,
    KW,
    LEFT_NOUN_RE_LOWER,
    LEFT_VERB_RE_LOWER,
    NON_PERSON,
    RIGHT_RE_LOWER,
    C,
    K,
    W,
)
from pipeline.figures.gates import Gated, Prefilter
from pipeline.figures.groups import names_a_group, person_nouns
from pipeline.figures.lang import check_language, vocabulary
from pipeline.figures.model import Category, Figure, with_claimant, with_subject
from pipeline.figures.numbers import NumberMention, find_numbers, has_number_word
from pipeline.figures.rightcues import derived_stems, stems_gate
from pipeline.figures.sentence_figures import Claimants
from pipeline.figures.sentences import split_sentences
from pipeline.figures.subjects import owned_subject, subject_key

log = logging.getLogger("pipeline.figures.extract")  # the name it always had

_DIGIT = re.compile(r"\d")
# A count that shares the category of the figure before it: "..., as well as 317 officers".
_OTHERS = re.compile(r"\b(?:others|another|more)\b", re.IGNORECASE)
# A sentence that breaks down the figure before it: "Of those, 17 400 were children"
_OF_THOSE = re.compile(
    r"\W{0,2}of\s+(?:those|them|these|the\s+(?:(?:total|overall|reported|confirmed|recorded"
    r"|registered)\s+)?(?P<named>dead|victims|wounded"
    r"|injured|missing|hostages|deceased|fatalities|deaths|death\s+toll|killed|abducted))\s*,"
)
_WERE_GROUP = re.compile(
    r"\s+(?:were|was|are)\s+(?:(?P<who>men|[A-Za-z][a-z]+(?:s|ren|men))\b(?=\s*(?:[,;.]|and\b|$))"
    r"|(?:in|from|at)\s+(?:the\s+)?[A-Z\w])"  # "68 were in Utoya and eight were from the bombing"
)
# Between two items of a breakdown: "... were in the north and ", "... were women, "
_NEXT_ITEM = re.compile(r"[^\d.;]{1,100}?(?:,\s*(?:and\s+)?|\band\s+)")
# A later item of a listed subgroup: "23,900 people classed as fighters", "15,100 members of"
_LIST_ITEM = re.compile(r"\s+(?P<who>people|men|[a-z]+(?:s|ren|men))\b")
# An item after the first, its verb left out: "and 7 men", "and 40 in the south"
_ELIDED_ITEM = re.compile(
    r"\s+(?:(?P<who>[a-z]+(?<!ed))\b(?=\s*(?:[,;.]|and\b|$))|(?:in|from|at)\s+(?:the\s+)?[A-Z\w])"
)
# "lost 30,000 troops, including 14,000 killed and 16,000 injured": the wounded are part of the
# loss, so "lost" keeps its killed_or_wounded reading
_LOSS_BROKEN_DOWN = Gated(
    re.compile(
        r"\b(?:los|casualt|victim)[a-z]*(?:[^.;]{0,60}?\b(?:including|of\s+whom|among\s+them"
        r"|comprising)\b|\s*[—–:(])",
        re.IGNORECASE,
    )
)
# "It lost 509 killed" holds "lost" or "suffered": most sentences skip the search
_IT_LOST_GATE = Prefilter(IT_LOST)
# "2,000 casualties and up to 12,000 wounded": casualties (victims) set against the wounded right
# beside them mean the dead (spec); a wounded count in another clause does not
_CASUALTIES_AGAINST = re.compile(
    r"\b(?:casualt|causalit|victim)[a-z]*\s*,?\s+(?:and|as\s+well\s+as|plus|with)\s+"
    r"(?:[\w,]+\s+){0,4}?(?:wounded|injured|hurt)\b",
    re.IGNORECASE,
)


def _set_against(f: Figure, sentence: str) -> bool:
    """Is this soft killed_or_wounded figure set against a wounded count in `sentence`?"""
    if not f.rule.endswith("~soft"):
        return False
    return ":los" in f.rule or _CASUALTIES_AGAINST.search(sentence) is not None


# The cheap prefilter before each sentence: substrings derived from the cue patterns (a sentence
# without any of them cannot hold a cue); shortest first. Searched for as one trie pattern.
CUE_STEMS = derived_stems(RIGHT_RE_LOWER, LEFT_VERB_RE_LOWER, LEFT_NOUN_RE_LOWER)
_CUE_GATE = stems_gate(CUE_STEMS)


def has_cue_lower(low: str) -> bool:
    """Does the lower-cased sentence hold a substring every cue match holds (CUE_STEMS)?"""
    return _CUE_GATE.search(low) is not None


_MAX_TEXT = 5_000_000  # characters; beyond this the text is cut, never rejected

# Cyrillic letters that look like Latin ones, mixed into English words by some feeds and
# spam-proofing ("ѕаid аt lеаѕt thrее"): read as the Latin letters (one for one, so offsets
# hold). A word wholly in Cyrillic is left alone.
_HOMOGLYPHS = str.maketrans("аеорсхуіјѕԁһӏАВЕКМНОРСТХІЈЅ", "aeopcxyijsdhlABEKMHOPCTXIJS")
_CYRILLIC = re.compile(r"[\u0400-\u04ff\u0500-\u052f]")
_MIXED_WORD = re.compile(r"(?=[^\W\d_]*[A-Za-z])(?=[^\W\d_]*[\u0400-\u04ff\u0500-\u052f])[^\W\d_]+")


def _unmixed(text: str) -> str:
    """`text` with the Cyrillic look-alikes inside Latin words made Latin."""
    if text.isascii() or _CYRILLIC.search(text) is None:
        return text  # isascii first: most texts, one pass in C
    return _MIXED_WORD.sub(lambda m: m.group(0).translate(_HOMOGLYPHS), text)


def walk(
    text: str,
    lang: str,
    aliases: dict[str, str] | None,
    reader: Callable[[str, int, Claimants], list[Figure]],
    has_cue: Callable[[str], bool],
) -> list[Figure]:
    """`extract.find_figures(text, lang, aliases=aliases)`, reading each sentence that holds a
    number and a cue (`has_cue` of its lower-cased text) with `reader`."""
    check_language(lang)
    if not isinstance(text, str) or not text:
        return []
    text = _unmixed(text[:_MAX_TEXT])
    table = acronyms(text, {k.lower(): v.lower() for k, v in (aliases or {}).items()})
    claimants = Claimants(table)
    spans = reading_spans(text)
    figures: list[Figure] = []
    prev_soft: list[int] = []  # soft killed_or_wounded of the sentence just before
    prev_idx = -2
    prev_first = 0  # where the figures of the sentence just before start
    named: list[str] = []  # the claimants named so far, latest last
    for idx, (start, end) in enumerate(spans):
        sentence = text[start:end]
        low = sentence.lower()
        if not _has_number(sentence, low):
            continue  # the cheaper test first: most sentences of a page hold no number
        cue = has_cue(low)
        opener = None
        if not cue and prev_idx == idx - 1:
            opener = (
                _OF_THOSE.match(low)
                or _THEY_INCLUDE.match(low)
                or _N_OF_THEM.match(low)
                or _opens_earlier_tally(low)
            )
        if not cue and opener is None:
            continue
        found = []
        if cue:
            try:
                found = reader(sentence, start, claimants)
            except Exception as exc:  # noqa: BLE001 - the contract is never to raise on any text
                # A rule bug must cost one sentence, not the whole check; no page text is logged.
                log.warning("figure extraction skipped a sentence: %s", type(exc).__name__)
                continue
        if not found:
            opener = opener or _OF_THOSE.match(low)
            if opener is None and prev_idx == idx - 1:
                opener = (
                    _THEY_INCLUDE.match(low) or _N_OF_THEM.match(low) or _opens_earlier_tally(low)
                )
            said_as = _category_named(opener)
            if opener is not None and opener.re is _EARLIER_TALLY and figures:
                # "The previous estimate was 9,310.": an earlier toll of the figure just before
                found = _earlier_tally(sentence, start, figures[-1], claimants, opener.end())
            elif opener is not None and opener.re is not _OF_THOSE and figures:
                # "They include more than 20 children.", "Fourteen of them are children."
                found = _listed_after(sentence, start, figures[-1], claimants, opener.end())
            elif opener is not None and prev_idx == idx - 1 and figures:
                found = _breakdown_of_last(
                    sentence, start, figures[-1], claimants, said_as, opener.end()
                )
            elif said_as is not None and opener is not None:
                # "Of the total death toll, 1,524 were children": the opener names the category
                said_by = claimants.of(sentence)
                key = claimants.key(said_by)
                found = _breakdown(sentence, start, said_as, said_by, key, claimants, opener.end())
        if not found:
            continue
        if all(f.claimant is None for f in found):
            claimant = (
                _pronoun_antecedent(text, spans, idx, claimants, named)
                or _claimant_nearby(text, spans, idx, claimants)
                or claimant_in_article(text, spans, idx, claimants)
            )
            if claimant:
                key = claimants.key(claimant)
                found = [with_claimant(f, claimant, key) for f in found]
        if figures and prev_idx == idx - 1 and _ANAPHOR.match(low):
            found = [_group_of(f, figures[-1]) for f in found]  # "Of that number, 4,253 ..."
        elif figures and prev_idx == idx - 1:
            found = _carried_groups(found, figures[-1], figures[prev_first])
        if idx > 0 and prev_idx < idx - 1:
            before = text[spans[idx - 1][0] : spans[idx - 1][1]]
            found = _owner_of_losses_before(found, before, claimants.table)
        found = [unnamed_group(f, claimants.table) for f in found]
        found = [_named_in_full(f, named, claimants, text, spans, idx) for f in found]
        found = [_owned(f, claimants) for f in found]
        found = [_spelled(f, text, claimants, named) for f in found]
        if _IT_LOST_GATE.may_match(low) and "t " in sentence and IT_LOST.search(sentence):
            unit = unit_before(text, spans, idx)  # "It lost 509 killed": the unit named before
            if unit:
                found = [_of_unit(f, unit, claimants) for f in found]
        if any(f.category == W for f in found) and not _LOSS_BROKEN_DOWN.search(sentence):
            # "lost 198,000 and another 550,000 wounded": "lost" meant killed
            found = [_as_killed(f) if _set_against(f, sentence) else f for f in found]
            if prev_idx == idx - 1 and _OTHERS.search(sentence):
                # "we lost 800 ... and 2,000 others were hurt": the next sentence sets them apart
                for i in prev_soft:
                    figures[i] = _as_killed(figures[i])
        prev_soft = [len(figures) + i for i, f in enumerate(found) if f.rule.endswith("~soft")]
        prev_idx = idx
        prev_first = len(figures)
        figures.extend(found)
    return _dedupe(figures)


def reading_spans(text: str) -> list[tuple[int, int]]:
    """The sentences of `text` as the walk reads them: `split_sentences`, where a clause after a
    semicolon that opens by pointing back at the count before it ("... more than 60 are
    missing; they include 20 children", "; of those, 12 were women") stands on its own, as it
    would after a full stop."""
    spans = split_sentences(text)
    if ";" not in text:
        return spans
    out: list[tuple[int, int]] = []
    for start, end in spans:
        cut = text.find(";", start, end)
        while cut >= 0:
            low = text[cut + 1 : min(end, cut + 80)].lower()
            if _OF_THOSE.match(low) or _THEY_INCLUDE.match(low) or _N_OF_THEM.match(low):
                out.append((start, cut + 1))
                start = cut + 1
                while start < end and text[start].isspace():
                    start += 1
            cut = text.find(";", cut + 1, end)
        out.append((start, end))
    return out


# A sentence that opens by pointing back at the figure before it: its counts are part of that
# figure's group ("Of that number, 4,253 had been killed", "This figure includes 830 ...").
_ANAPHOR = re.compile(
    r"\W{0,2}(?:of\s+(?:that|this|the)\s+(?:number|total|figure|toll)|of\s+(?:those|them|these)\b"
    r"|(?:this|that|the)\s+(?:figure|number|total|toll)\s+(?:includes?|included|comprises?)\b"
    r"|(?:they|these|those)\s+(?:include[sd]?|comprised?)\b|among\s+(?:them|those|the\s+dead)\b)"
)


def _group_of(f: Figure, antecedent: Figure) -> Figure:
    """`f` with the group of the figure it points back at, when its own sentence names none."""
    if (f.subject is not None and names_a_group(f.subject)) or antecedent.subject is None:
        return f
    if antecedent.subject == "people":
        return f
    return with_subject(f, antecedent.subject, antecedent.subject_key)


# "The enemy's loss is harder to ascertain than our own.": whose losses the next count is
_LOSSES_OF = re.compile(
    r"\W{0,2}(?:(?i:the)\s+)?(?P<owner>[\w-]+(?:\s+[\w-]+)?)(?:’s|'s|(?<=s)[’'])\s+"
    r"(?:\w+\s+)?loss(?:es)?\b"
)


def _owner_of_losses_before(
    found: list[Figure], before: str, aliases: dict[str, str]
) -> list[Figure]:
    """The figures of a sentence whose own words name no group, as losses of the owner the
    sentence before (which states no figure) opens with: "The enemy's losses were heavy. 270
    were found dead." (the enemy)."""
    m = _LOSSES_OF.match(before) if "loss" in before else None
    owner = m.group("owner") if m is not None else ""
    if not (owner[:1].isupper() or owner.rpartition(" ")[2] in _SIDES):
        return found  # "The town's losses": a place's, not a side's
    key = subject_key(owner, aliases)
    return [
        f if f.subject is not None and names_a_group(f.subject) else with_subject(f, owner, key)
        for f in found
    ]


# Who can suffer losses (lang/en/vocabulary.toml): "the enemy", "the rebels", "the marines"
_SIDES = (
    person_nouns() | vocabulary("en").words("unit_nouns") | vocabulary("en").words("force_words")
) - {"the", "other", "side", "allied"}


def _carried_groups(found: list[Figure], last: Figure, topic: Figure) -> list[Figure]:
    """The figures of a sentence, the ones before the first that names its own group with the
    group the sentence before named (_carried_group): "..., and said 11 others were hurt" after
    "six soldiers" in the same sentence are others than those."""
    out: list[Figure] = []
    for i, f in enumerate(found):
        if i == 0 and not _OPENS_WITH_COUNT.match(f.sentence) and _is_others(f):
            return found  # "A policeman was killed and three others were hurt": others than he
        carried = _carried_group(f, last, topic)
        if carried is f and f.subject is not None and names_a_group(f.subject):
            return out + found[i:]
        out.append(carried)
    return out


def _carried_group(f: Figure, last: Figure, topic: Figure) -> Figure:
    """`f` with the group a sentence right before named, when its own words name none:
    "Eight soldiers were killed. ... leaving four dead and four others missing": the dead are
    the soldiers of the figure just before (when its head is a force's: "troops", "soldiers"),
    and "others" are more of the group that sentence opened with."""
    if _is_others(f):
        source = topic
    elif (f.subject is None or not names_a_group(f.subject)) and _force_group(last.subject):
        source = last
    else:
        return f
    if source.subject is None or source.subject.lower() in ("people", "others"):
        return f
    return with_subject(f, source.subject, source.subject_key)


# "Almost 10,000 others were hurt": a sentence that opens with its count
_OPENS_WITH_COUNT = re.compile(r"\W*(?:[\w,.]+\s+){1,3}others\b", re.IGNORECASE)


def _is_others(f: Figure) -> bool:
    return f.subject is not None and f.subject.lower() == "others"


def _force_group(subject: str | None) -> bool:
    """ "Russian soldiers", "DPRK army (soldiers)": a group whose last word is a force's
    generic head (vocabulary.toml, generic_heads)."""
    words = _LETTERS.findall(subject.lower()) if subject else []
    return bool(words) and words[-1] in _GENERIC_HEADS


_LETTERS = re.compile(r"[a-z]+")


def _has_number(sentence: str, low: str) -> bool:
    """Whether `sentence` (lower-cased: `low`) holds a digit or a number word."""
    if sentence.isascii():
        # Deleting the digits from the bytes costs a fraction of a regex search for "\d".
        raw = low.encode()
        if len(raw.translate(None, b"0123456789")) < len(raw):
            return True
    elif _DIGIT.search(sentence):
        return True
    return has_number_word(low)


_GENERIC_HEADS = vocabulary("en").words("generic_heads")


def _spelled(f: Figure, text: str, claimants: Claimants, named: list[str]) -> Figure:
    """ "the SDF said" in an article that spelled out "Syrian Democratic Forces (SDF)": the
    claimant as the name and its initials (one key: article.acronyms)."""
    c = f.claimant
    if c is None or not (2 <= len(c) <= 8 and c.isupper() and c.isalpha()):
        return f
    full = in_full(c, text, named)
    return f if full is None else with_claimant(f, full, claimants.key(full))


def _owned(f: Figure, claimants: Claimants) -> Figure:
    """ "The ministry said 4 of its soldiers were killed": the soldiers of who speaks
    (subjects.owned_subject): "Ukraine said 40 of its soldiers" and "40 Ukrainian soldiers" share a
    key."""
    if f.subject is None or f.subject[:1] not in ("i", "t", "I", "T") or f.claimant is None:
        return f
    # "its" is a thing's: "Hezbollah said 8 of its fighters" (a one-word name is no person here)
    person = names_a_person(f.claimant) and (" " in f.claimant or f.subject[:3].lower() != "its")
    subject = owned_subject(f.subject, f.claimant, person)
    if subject is None:
        return f
    return with_subject(f, subject, subject_key(subject, claimants.table))


def _of_unit(f: Figure, unit: str, claimants: Claimants) -> Figure:
    """`f` as a loss of `unit` when its own words name no one else: "people" -> the unit,
    "men" -> "unit (men)" (the spec's "DPRK army (soldiers)")."""
    if f.subject is None or f.subject == "people":
        subject = unit
    elif f.subject.lower() in _GENERIC_HEADS:
        subject = f"{unit} ({f.subject})"
    else:
        return f
    return with_subject(f, subject, subject_key(subject, claimants.table))


def _named_in_full(
    f: Figure,
    named: list[str],
    claimants: Claimants,
    text: str,
    spans: list[tuple[int, int]],
    idx: int,
) -> Figure:
    """ "the ministry said" after "Lebanon's health ministry said": the claimant named in full
    earlier in the text; "according to the watchdog" after "Amnesty International updated its
    toll": the organisation named last (article.organisation_before). Records each claimant in
    `named` for the sentences after."""
    claimant = f.claimant
    if claimant is None:
        return f
    if " " not in claimant and claimant.islower():
        for earlier in reversed(named):
            if earlier.lower().endswith((" " + claimant, "'s " + claimant)):
                return with_claimant(f, earlier, claimants.key(earlier))
    if is_generic(claimant):
        earlier_org = organisation_before(text, spans, idx, claimant, claimants)
        if earlier_org is not None:
            named.append(earlier_org)
            return with_claimant(f, earlier_org, claimants.key(earlier_org))
    if (" " in claimant or not claimant.islower()) and claimant.split()[-1].islower():
        # "the Hamas official said" after "senior Hamas official Osama Hamdan said": the person
        # the role named before
        low = claimant.lower() + " "
        for earlier in reversed(named):
            if low in earlier.lower() + " " and names_a_person(earlier) and earlier != claimant:
                return with_claimant(f, earlier, claimants.key(earlier))
    named.append(claimant)
    return f


# A sentence that lists a subgroup of the figure the sentence before stated
_THEY_INCLUDE = re.compile(
    r"\W{0,2}(?:they|these|those|this|that|the\s+(?:dead|victims|wounded|injured|missing|hostages"
    r"|toll|total|figure))\s+"
    r"(?:include[sd]?|including|comprised?|comprising)\s+"  # "They comprise 271 fighters, ..."
)
_N_OF_THEM = re.compile(r"\W{0,2}(?=[\w,]+\s+of\s+(?:them|those)\s+(?:are|were|was)\s)")
_GROUP_AFTER = re.compile(
    r"\s+(?:of\s+(?:them|those)\s+(?:are|were|was)\s+)?"
    # "271 al-Qaida fighters, 64 military personnel": up to two words before the group's noun
    r"(?P<who>(?:[\w’'-]+\s+){0,2}?(?:[a-z]+(?:s|ren|men)|people|personnel))\b"
    r"(?=\s*(?:[,;.]|and\b|$))"
)


# "The previous estimate was 9,310.", "An earlier count put it at 12.": an earlier toll (spec)
_EARLIER_TALLY = re.compile(
    r"\b(?:previous|earlier|initial|original|first|last)\s+(?:official\s+)?(?:estimate|figure"
    r"|toll|count|tally|total)\s+(?:was|had\s+been|stood\s+at|put\s+it\s+at|of)\s+(?=\S*\d)"
)


_EARLIER_TALLY_GATE = Prefilter(_EARLIER_TALLY)


def _opens_earlier_tally(low: str) -> re.Match[str] | None:
    """`_EARLIER_TALLY.search(low)`, not run when `low` holds none of the words every match
    holds (gates.Prefilter derived from it)."""
    return _EARLIER_TALLY.search(low) if _EARLIER_TALLY_GATE.may_match(low) else None


def _earlier_tally(
    sentence: str, offset: int, last: Figure, claimants: Claimants, after: int
) -> list[Figure]:
    """The number right after "the previous estimate was", as a figure of the category the
    sentence before stated."""
    for m in find_numbers(sentence):
        if m.start >= after - 1:
            claimant, key = _own_claimant(sentence, last, claimants)
            item = _item(last.category, m, last.subject, claimant, key, sentence, offset, claimants)
            return [replace(item, rule="earlier", subject_key=last.subject_key)]
    return []


def _listed_after(
    sentence: str, offset: int, last: Figure, claimants: Claimants, after: int
) -> list[Figure]:
    """The counts of a subgroup sentence ("They include more than 20 children.") as figures of
    the category the sentence before stated."""
    out: list[Figure] = []
    item_end = -1  # the end of the last count read as an item
    claimant: str | None = None  # read once the sentence gives a figure
    key: str | None = None
    for m in find_numbers(sentence):
        group = _GROUP_AFTER.match(sentence, m.end)
        if group is None and item_end >= 0 and _NEXT_ITEM.fullmatch(sentence, item_end, m.start):
            # "This includes 66,000 civilians, 23,900 people classed as fighters and 15,100
            # members of the police": a later item names its group and goes on
            group = _LIST_ITEM.match(sentence, m.end)
        if m.start < after - 1 or group is None or group.group("who").split()[-1] in NON_PERSON:
            item_end = -1
            continue
        item_end = m.end
        who = group.group("who")
        if not out:
            claimant, key = _own_claimant(sentence, last, claimants)
        out.append(_item(last.category, m, who, claimant, key, sentence, offset, claimants))
    return out


def _item(
    category: Category,
    m: NumberMention,
    who: str | None,
    claimant: str | None,
    claimant_key: str | None,
    sentence: str,
    offset: int,
    claimants: Claimants,
) -> Figure:
    """One count of a list or breakdown, as a figure of `category` about `who`."""
    return Figure(
        category=category,
        value=m.value,
        value_max=m.value_max,
        qualifier=m.qualifier,
        subject=who,
        claimant=claimant,
        sentence=sentence,
        start=offset,
        end=offset + len(sentence),
        rule="shared-after",
        subject_key=subject_key(who, claimants.table, ""),
        claimant_key=claimant_key,
    )


_STEM_NAMED = {**CATEGORY_OF_STEM, "deat": K, "fata": K, "dece": K, "vict": KW, "host": C}


def _category_named(opener: re.Match[str] | None) -> Category | None:
    """The category an opener names: "Of the wounded," -> wounded; "Of those," -> None."""
    if opener is None or opener.re is not _OF_THOSE or not opener.group("named"):
        return None
    return _STEM_NAMED.get(opener.group("named")[:4])


def _breakdown_of_last(
    sentence: str,
    offset: int,
    last: Figure,
    claimants: Claimants,
    named: Category | None,
    opened_at: int,
) -> list[Figure]:
    """ "Of those, 17 400 were children and about 12 000 were women": a breakdown, in a sentence
    of its own, of the figure the sentence before stated; it takes that figure's category, or
    the one its opener names ("Of the wounded, ...")."""
    return _breakdown(
        sentence, offset, named or last.category, None, None, claimants, opened_at, last
    )


def _own_claimant(
    sentence: str, last: Figure, claimants: Claimants
) -> tuple[str | None, str | None]:
    """(claimant, key) of a sentence continuing `last`: its own speaker when it names one
    ("..., ministry spokesman Ashraf al-Qudra told a press conference"), else `last`'s."""
    own = claimants.of(sentence)
    return (own, claimants.key(own)) if own else (last.claimant, last.claimant_key)


def _breakdown(
    sentence: str,
    offset: int,
    category: Category,
    claimant: str | None,
    claimant_key: str | None,
    claimants: Claimants,
    opened_at: int = -1,
    last: Figure | None = None,
) -> list[Figure]:
    """The "N were <group>" counts of a breakdown sentence, as figures of `category`; right
    after its opener (ending at `opened_at`) or after an item, the verb may be left out ("Of
    the deaths, 504 in the north and 72 in the south"). When the sentence continues `last`,
    the claimant is its own speaker or `last`'s (_own_claimant), read once it gives a figure."""
    out: list[Figure] = []
    item_end = opened_at  # the end of the opener or of the last count read as an item
    for m in find_numbers(sentence):
        group = _WERE_GROUP.match(sentence, m.end)
        if (
            group is None
            and item_end >= 0
            and (
                _NEXT_ITEM.fullmatch(sentence, item_end, m.start)
                or not sentence[item_end : m.start].strip()
            )
        ):
            # "300 were in the north and 40 in the south", "18 were women and 7 men": a later
            # item leaves the verb out
            group = _ELIDED_ITEM.match(sentence, m.end)
            if group is not None and group.group("who") in NON_PERSON:
                group = None
        if group is None:
            item_end = -1
            continue
        item_end = m.end
        who = group.group("who")
        if last is not None and not out:
            claimant, claimant_key = _own_claimant(sentence, last, claimants)
        out.append(_item(category, m, who, claimant, claimant_key, sentence, offset, claimants))
    return out


def _as_killed(f: Figure) -> Figure:
    return replace(f, category=Category.KILLED, rule=f.rule.replace("~soft", "~contrast"))


def _pronoun_antecedent(
    text: str, spans: list[tuple[int, int]], idx: int, claimants: Claimants, named: list[str]
) -> str | None:
    """ "..., he said.": the person the article named last before, as the claimant of
    sentence `idx` ("it"/"they" are left to the sentences nearby: an acronym looks like a name)."""
    if pronoun_speaker(text[spans[idx][0] : spans[idx][1]]) is None:
        return None
    for j in range(idx - 1, max(-1, idx - 8), -1):
        found = claimants.at(text, spans, j)
        if found and names_a_person(found):
            return found
    for j in range(idx - 1, max(-1, idx - 4), -1):
        # "Tuyisenge is a mother of six. ... “I saw nine dead,” she says.": the person a
        # sentence before opens with, when none is quoted
        opening = _PERSON_OPENING.match(text, spans[j][0], spans[j][1])
        if opening is not None and names_a_person(opening.group("name")):
            name = opening.group("name")
            if name.split()[0].lower() not in _NOT_A_NAME:
                return name
    # the person an earlier figure of the article was attributed to
    return next((c for c in reversed(named) if names_a_person(c)), None)


# "Tuyisenge is a 30-year-old mother", "Ana Ruiz, who lost her son, ...", "Omar Bali had fled"
_PERSON_OPENING = re.compile(
    r"(?P<name>[A-Z][a-z’'-]+(?:\s+[A-Z][a-z’'-]+){0,2})(?:,\s+(?:a|an|who)\b|\s+(?:is|was|had|has)\s)"
)
_NOT_A_NAME = vocabulary("en").words("speech_gap") | vocabulary("en").words("time_words")


def _claimant_nearby(
    text: str, spans: list[tuple[int, int]], idx: int, claimants: Claimants
) -> str | None:
    """Who the two sentences before, in the same paragraph, quote ("The ministry said: ...")."""
    for j in (idx - 1, idx - 2):
        if j < 0 or "\n" in text[spans[j][1] : spans[j + 1][0]]:
            return None
        claimant = claimants.at(text, spans, j)
        if claimant:
            return claimant
    return None


def _dedupe(figures: list[Figure]) -> list[Figure]:
    """The figures without repeats: a toll an article states again, even under another name for
    its claimant ("Kyiv claims" in the headline, "Ukraine's defence ministry said" in the body),
    is one figure, at its first place, attributed to the fullest name given (the most words);
    else dropping one statement in a rewrite would alert as a removed figure."""
    best: dict[tuple[object, ...], int] = {}
    out: list[Figure] = []
    for f in figures:
        key = (f.category, f.value, f.value_max, f.qualifier, f.subject_key)
        at = best.get(key)
        if at is None:
            best[key] = len(out)
            out.append(f)
        elif _words(f.claimant) > _words(out[at].claimant):
            out[at] = with_claimant(out[at], f.claimant, f.claimant_key)
    return out


def _words(claimant: str | None) -> int:
    return len(claimant.split()) if claimant else 0

"""The local grammar that ties a count to a category: the words after it, and before it.

Each reader takes a sentence and a `NumberMention` and answers with a `Reading` (category and
rule name), `BLOCKED` (the count is explicitly not a figure: released, negated, forecast,
a rate, not people) or None (nothing here says what the count is).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from pipeline.figures.blockers import (
    modal_blocks,
)
from pipeline.figures.cueat import cue_at, token_cue
from pipeline.figures.cues import (
    AUX,
    CATEGORY_OF_STEM,
    DEAD_NOUNS,
    FORECAST,
    HOLD_VERB,
    ILLNESS,
    KW,
    LIVES_VERB,
    MAX_NP_TOKENS,
    MODALS,
    MODEL_MAKERS,
    NEGATION,
    NOUN_CUES,
    NP_LINKS,
    NP_PRONOUNS,
    NP_STOP,
    OBJECT_AFTER,
    PAREN_OPENERS,
    RATE,
    RATE_LOWER,
    RELATIVE,
    RELATIVE_LOWER,
    RELEASE,
    RELEASE_AFTER,
    RELEASE_AFTER_LOWER,
    RELEASE_FIRST,
    TIME_WORDS,
    TOKEN,
    TREAT_VERB,
    C,
    K,
    W,
    counts_things,
    lowered,
)
from pipeline.figures.gates import Prefilter
from pipeline.figures.model import Category, Qualifier
from pipeline.figures.numbers import NUMBER_WORDS
from pipeline.figures.qualifiers import NEGATED_BOUND, QUALIFIER_AHEAD
from pipeline.figures.rightcues import CUE_FIRST_WORDS


@dataclass(frozen=True, slots=True, init=False)
class Reading:
    """What the words around a count say it is."""

    category: Category
    rule: str
    soft: bool = False  # "lost", "losses": killed_or_wounded unless set against "wounded"
    subject: str | None = None  # who a tally noun counts, when its modifiers say it
    qualifier: Qualifier | None = None  # one the link verb implies: "toll tops 50,000"

    def __init__(
        self,
        category: Category,
        rule: str,
        soft: bool = False,
        subject: str | None = None,
        qualifier: Qualifier | None = None,
    ) -> None:
        # Written out (init=False), as NumberMention's: mypyc compiles it
        object.__setattr__(self, "category", category)
        object.__setattr__(self, "rule", rule)
        object.__setattr__(self, "soft", soft)
        object.__setattr__(self, "subject", subject)
        object.__setattr__(self, "qualifier", qualifier)


@dataclass(frozen=True, slots=True, init=False)
class NounPhrase:
    """The words naming who a count is about, right after it ("North Korean soldiers")."""

    text: str
    end: int
    head: str

    def __init__(self, text: str, end: int, head: str) -> None:
        # Written out (init=False), as NumberMention's: mypyc compiles it
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "end", end)
        object.__setattr__(self, "head", head)


BLOCKED = Reading(Category.KILLED, "blocked")


def _bound_count_at(sentence: str, pos: int) -> bool:
    """Does a count with its qualifier start at `pos` ("at least 30", "no fewer than four")?"""
    bound = QUALIFIER_AHEAD.match(sentence, pos)
    if bound is None:
        return False
    count = TOKEN.match(sentence, bound.end())
    return count is not None and (
        count.group(0)[0].isdigit() or count.group(0).lower() in NUMBER_WORDS
    )


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
    prev_low = ""
    count = 0
    limit = min(len(sentence), pos + 240)
    low_s = lowered(sentence)
    while i < limit and count < MAX_NP_TOKENS:
        tm = _SPACED_TOKEN.match(sentence, i)
        if tm is None:
            break
        i = tm.start(1)
        tend = tm.end()
        tok = tm.group(1)
        low = tok.lower()
        # only a word that starts a cue can be one ("hostages'" ends on an apostrophe)
        cue_word = low_s is None or low.rstrip("'’") in CUE_FIRST_WORDS
        if i >= limit or (cue_word and token_cue(sentence, low_s, i) is not None):
            break
        if tok in _PAREN_MARKS or (tok == "-" and sentence[i - 1 : i] == " "):
            opener = PAREN_OPENERS.match(sentence, tend) if tok == "," else None
            if tok == "," and opener is None:
                break
            j = _closing(sentence, tok, tend, min(limit, tend + 100))
            if j < 0:
                if opener is None:
                    break
                i = end_np = opener.end()  # ", most of them farmers killed"
                head_frozen = text_frozen = True
                continue
            i = j + 1
            while i < limit and sentence[i] in "-–—‒":
                i += 1
            end_np = i
            head_frozen = text_frozen = True
            continue
        if start_np is None and tok in _CLOSING_QUOTES and tm.start(1) == pos:
            i = tend  # the end of a quoted count: killed “over 100” soldiers
            continue
        count_like = tok[0].isdigit() and not tok[-1].isalpha()
        if count_like and prev_low in MODEL_MAKERS:
            end_np = i = tend  # "the 242 people aboard the Boeing 787": a model, not a count
            if not text_frozen:
                text_end = end_np
            continue
        if low == "on" and head and (board := _ON_BOARD.match(sentence, i)) is not None:
            head_frozen = True  # "155 people on board the plane were killed"
            end_np = i = board.end()
            if not text_frozen:
                text_end = end_np
            continue
        if count_like and prev_low in _MONTHS_AGE and tok.isdigit() and len(tok) <= 2:
            # "involved in the March 12 raid": a date inside the phrase; "children age 12 or
            # younger": an age
            end_np = i = tend
            if prev_low in _AGE_WORDS and (bound := _AGE_BOUND.match(sentence, i)) is not None:
                end_np = i = bound.end()
            if not text_frozen:
                text_end = end_np
            count += 1
            prev_low = low
            continue
        if tok in _OPEN_QUOTES and start_np is not None and head:
            # "5 members of “Islamic State” organization": a quoted name inside the phrase
            close = sentence.find(_QUOTE_PAIR[tok], tend, min(limit, tend + 60))
            if close > tend:
                end_np = i = close + 1
                if not text_frozen:
                    text_end = end_np
                count += 1
                continue
        if count_like and and_at is not None:
            end_np, text_end = and_at  # "people and took about 250": "and" began a clause
            break
        if tok == "-" and sentence[i - 1 : i].isalpha() and sentence[tend : tend + 1].isalpha():
            i = tend  # inside a hyphenated name: "al-Assad"
            continue
        if low in ("to", "with") and prev_low in _BOND_WORDS:
            head_frozen = True  # "fighters loyal to Assad had also been killed"
        elif (
            (low in NP_STOP and not (head and tok[0].isupper() and low in _NAME_PREPS))
            or count_like
            or not (tok[0].isalnum() or tok in ("/", "'s", "’s"))
        ):
            break
        if low.endswith("ed") and RELEASE.match(sentence, i):
            break  # "of the abducted girls escaped": the verb, not part of the name
        if low.endswith("ing") and OBJECT_AFTER.match(sentence, tend):
            break  # "3 hospitals treating the injured": a verb with its object
        if low == "and":
            and_at = (end_np, text_end)
            nxt = TOKEN.match(sentence, _skip_space(sentence, tend))
            if not head or nxt is None or nxt.group(0)[0].isdigit():
                break
            nxt_low = nxt.group(0).lower()
            if nxt_low in NUMBER_WORDS or _bound_count_at(sentence, nxt.start()):
                break  # "30 soldiers and four tanks", "... and at least 30 ...": the next count
            if (
                nxt_low in AUX
                or nxt_low in _CLAUSE_VERBS
                or nxt_low.endswith("ing")
                or cue_at(sentence, nxt.start())
            ):
                break  # "killing 23 guests and wounding 57": the next clause
        if start_np is None:
            start_np = i
        if low in ("in", "from", "of") and head:
            head_frozen = True
            text_frozen = text_frozen or low == "in"  # "from the DPRK" names them, "in X" places
            # "cases of enforced disappearance": the head stays "cases"
        elif head and (low.endswith("ed") or low in _AFTER_HEAD) and low not in NP_LINKS:
            head_frozen = True  # "trucks mounted with guns": a participle after the head
        elif low not in NP_LINKS and low not in NP_PRONOUNS and not head_frozen:
            head = low
        end_np = i = tend
        if not text_frozen:
            text_end = end_np
        count += 1
        prev_low = low
    text = sentence[start_np:text_end] if start_np is not None else ""
    return NounPhrase(text=text, end=end_np, head=head)


_MONTH_WORDS = """
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec"""
_MONTHS = frozenset(_MONTH_WORDS.split())
_MONTHS_AGE = _MONTHS | frozenset({"age", "aged", "ages"})
_PAREN_MARKS = frozenset({",", "(", "–", "—", "‒"})
_ON_BOARD = re.compile(
    r"on\s+(?:the\s+ground\b|board\b(?:\s+(?:the|a)\s+[\w-]+)?|(?:the|a)\s+(?:[\w’'-]+\s+){0,2}(?:plane|bus|boat|ship"
    r"|train|flight|ferry|vessel|aircraft|minibus|truck|lorry|helicopter|jet)\b)",
    re.IGNORECASE,
)
# Adjectives whose "to"/"with" phrase still names the group: "fighters loyal to the regime"
_BOND_WORDS = frozenset({"loyal", "linked", "allied", "affiliated", "belonging", "close", "tied"})
# After a head, these keep it: bond words and participles not ending in "-ed" ("1 destroyer sunk")
# ("14 trucks full of bodies": the head stays "trucks")
_AFTER_HEAD = _BOND_WORDS | frozenset(
    {"sunk", "shot", "hit", "downed", "lost", "taken", "held", "full"}
)


def _closing(sentence: str, opener: str, start: int, stop: int) -> int:
    if opener in ("(", ","):
        return sentence.find(")" if opener == "(" else ",", start, stop)
    dm = re.compile(r"\s[-–—‒]|[–—‒]").search(sentence, start, stop)
    return dm.end() - 1 if dm else -1


def _skip_space(sentence: str, i: int) -> int:
    m = _SPACES.match(sentence, i)
    return m.end() if m is not None else i


_SPACES = re.compile(r"\s*")
# TOKEN after optional space, with a fast first branch for a plain ASCII word (two letters
# cannot start an "U.S."-style token; the look-ahead stops where TOKEN's word branch stops).
_SPACED_TOKEN = re.compile(rf"\s*([A-Za-z]{{2,}}(?![^\W\d_]|['’])|{TOKEN.pattern})")


def read_right(sentence: str, mention_start: int, np: NounPhrase) -> Reading | None:
    """The cue after the count's noun phrase, through auxiliaries ("were reportedly killed")."""
    if counts_things(np.text, np.head):
        return BLOCKED
    at = _skip_space(sentence, np.end)
    if np.text.lower() in _PARTITIVE_NP:
        # "two of the wounded later died", "137 of the kidnapped pupils were rescued": the verb
        # after the group decides
        is_mod, after = after_modifier(sentence, at, mention_start)
        if is_mod and after is not None:
            return after
        if is_mod:
            # "three of the injured are critical", "13 of the wounded needed surgery"
            word = sentence[at : at + 12].split(None, 1)[0].lower()
            return Reading(CATEGORY_OF_STEM[word[:4]], "right:" + word)
    elif not np.text and not _of_the_before(sentence, mention_start):
        is_mod, after = after_modifier(sentence, at, mention_start, captured_only=True)
        if is_mod and after is not None:
            return after  # "12 abducted pupils were released", "3 kidnapped men were killed"
    low = lowered(sentence)
    rel = (RELATIVE_LOWER if low else RELATIVE).match(low or sentence, np.end)
    # "12 guards who had tried to flee were shot dead": the main verb after the relative clause
    main = _aux_then_cue(sentence, rel.end(), mention_start, 1) if rel is not None else None
    if main is BLOCKED:
        return BLOCKED  # "300 girls who had been seized ... were freed": the main verb decides
    if np.text and _VERB_WITH_OBJECT.search(np.text):
        return None  # "30 colleagues joined the wounded veterans": the cue is the verb's object
    reading = _aux_then_cue(sentence, np.end, mention_start, 0, after_noun=bool(np.text))
    if reading is not None and reading is not BLOCKED and not np.text and reading.subject is None:
        mod = _MODIFIER.match(sentence, at)
        named = noun_phrase(sentence, mod.end()).text if mod is not None else ""
        if named and named.split(None, 1)[0].lower() not in _NOT_NAMING:
            reading = replace(reading, subject=named)  # "11 abducted aid workers", "20 injured men"
    if reading is None:
        apposed = _APPOSED_TALLY.match(sentence, np.end)
        if apposed is not None:
            # "over 4,000, the rough number killed by the cyclone"
            word = apposed.group("cue").lower()
            return Reading(CATEGORY_OF_STEM[word[:4]], "right:" + word)
    if reading is None and np.text:
        every = _ALL_OF_WHOM.match(sentence, np.end)
        if every is not None:
            # "eleven fishermen, all of whom drowned": the group's own verb
            reading = _aux_then_cue(sentence, every.end(), mention_start, 1)
    if reading is None and np.text:
        comma = _COMMA_AUX.match(sentence, np.end)
        if comma is not None:
            # "Dozens of people, including 12 children, were killed": the breakdown's verb
            reading = _aux_then_cue(sentence, comma.end(), mention_start, 1)
            if reading is BLOCKED and _OBJECT_OF_VERB.search(sentence, 0, mention_start):
                reading = None  # "the boat that sank, killing 17 people, was set to be raised"
    if reading is None:
        reading = main  # the main verb after a relative clause, when nothing before decided
    if reading is None and np.text:
        ing = _ING_PHRASE.match(sentence, np.end)
        if ing is not None:
            # "20 people attending a wedding party, including the bride, are reported to have
            # been killed": the main verb after a participle phrase
            reading = _aux_then_cue(sentence, ing.end(), mention_start, 1)
    if reading is None and np.text:
        aside = _INCLUDING_ONE.match(sentence, np.end)
        if aside is not None:
            # "three others including a woman injured": an aside names one of the group
            reading = _aux_then_cue(sentence, aside.end(), mention_start, 1)
    if reading is not None and reading.category == C and _FORMER.match(np.text):
        return BLOCKED  # "104 former prisoners of war": no longer held
    return reading


def after_modifier(
    sentence: str, pos: int, mention_start: int, *, captured_only: bool = False
) -> tuple[bool, Reading | None]:
    """Is there a participle modifier at `pos` ("abducted aid workers", "the wounded"), and what
    does the verb after its noun phrase say (a Reading, BLOCKED for a release, or None)?"""
    m = (_CAPTURED_MODIFIER if captured_only else _MODIFIER).match(
        sentence, _skip_space(sentence, pos)
    )
    if m is None:
        return False, None
    np2 = noun_phrase(sentence, m.end())
    if captured_only and not np2.text:
        return False, None  # "12 abducted" is a plain participle, not a modifier
    after = _aux_then_cue(sentence, np2.end, mention_start, 1)
    if after is not None and after is not BLOCKED and after.subject is None:
        # "the 11 abducted aid workers", "two of the wounded": who the count is about
        after = replace(after, subject=np2.text or "the " + m.group(0).lower())
    return True, after


def clause_verb_after(sentence: str, pos: int, mention_start: int) -> Reading | None:
    """The reading of the clause's own verb after a participle phrase that starts at `pos`
    ("[240 people] kidnapped by Hamas remain hostages"): a Reading, BLOCKED, or None."""
    main = _MAIN_AUX.match(sentence, pos)
    return _aux_then_cue(sentence, main.end(), mention_start, 1) if main else None


def _aux_then_cue(
    sentence: str, i: int, mention_start: int, depth: int, *, after_noun: bool = False
) -> Reading | None:
    seen_aux: list[str] = []
    low_s = lowered(sentence)
    for _ in range(8):
        tm = _SPACED_TOKEN.match(sentence, i)
        if tm is None:
            return None  # "_" or the end: neither a cue nor an auxiliary
        i = tm.start(1)
        low = tm.group(1).lower()
        # as in noun_phrase: only a word that starts a cue can be one
        cue_word = low_s is None or low.rstrip("'’") in CUE_FIRST_WORDS
        cue = token_cue(sentence, low_s, i) if cue_word else None
        if cue is not None:
            cat, end, text = cue
            if cat is None:
                direct = not seen_aux and (after_noun or depth > 0)
                cat = _gated_cue(sentence, text.lower(), mention_start, seen_aux, direct)
                if cat is None:
                    i = end  # a plain noun here: "2,500 prisoners remain in captivity"
                    continue
            # lower-case twins on the lower-cased sentence when there is one: faster
            if (RATE_LOWER if low_s else RATE).match((low_s or sentence)[end : end + 40]):
                return BLOCKED
            if seen_aux and modal_blocks(seen_aux) and not _hedged_state(seen_aux, text):
                return BLOCKED
            if (RELEASE_AFTER_LOWER if low_s else RELEASE_AFTER).match(
                low_s or sentence, end
            ) and text.lower() not in DEAD_NOUNS:
                return BLOCKED  # not "63 bodies were handed over": the dead are not released
            if (
                cat == K
                and _ALIVE_GATE.may_match(low_s if low_s is not None else sentence.lower())
                and _ALIVE_AFTER.match(sentence, end)
            ):
                return BLOCKED  # "two men presumed dead after ... have turned up alive"
            low_text = text.lower()
            care = low_text.startswith(_CARE_CUES) or "hospital" in low_text
            if cat == W and care and ILLNESS.search(sentence):
                return None  # "measles has infected 481 and 56 are in hospital": not wounds
            if (
                cat == W
                and "hospital" in low_text
                and not _HURT_WORDS.search(low_text)
                and _SURVIVORS.search(sentence)
            ):
                return None  # "29 survivors, among them two, were taken to hospital": not hurt
            if after_noun and not seen_aux and cat == C and low_text in _REDUCED_RELATIVE:
                # "20 fishermen kidnapped by pirates last week have been released": the
                # participle only names the group; the clause's own verb says what happened
                after = clause_verb_after(sentence, end, mention_start)
                if after is BLOCKED or (after is not None and after.category != C):
                    return after
            if depth == 0 and low_text in NOUN_CUES:
                # "148 victims were killed", "ten hostages were executed": the verb decides
                after = _aux_then_cue(sentence, end, mention_start, 1)
                dead = low_text in DEAD_NOUNS
                if after is BLOCKED and dead and RELEASE_AFTER.match(sentence, end):
                    after = None  # "63 bodies were handed over to relatives": still the dead
                rel = (RELATIVE_LOWER if low_s else RELATIVE).match(low_s or sentence, end)
                rel = rel or _CONTACT_RELATIVE.match(sentence, end)  # "hostages it seized ..."
                main = _aux_then_cue(sentence, rel.end(), mention_start, 1) if rel else None
                if main is not None and (
                    after is None or (main is not BLOCKED and main.category == K)
                ):
                    # "65 POWs who were due to be swapped ... were killed": the main verb; a
                    # release in the relative clause yields only to a death
                    after = main
                if after is not None and after is not BLOCKED and after.category == C and cat == K:
                    # "the 28 dead hostages": hostages said to be dead are killed (spec)
                    return Reading(K, "right:" + low_text, subject=after.rule.partition(":")[2])
                if after is not None and after is not BLOCKED and after.subject is None:
                    return replace(after, subject=low_text)  # "80 hostages were still held"
                if after is not None:
                    return after
            soft = cat == KW and low_text.startswith(_SOFT_CUES)
            return Reading(cat, "right:" + low_text.split()[0].rstrip(","), soft)
        if low in NEGATION or low.endswith(("n't", "n’t")):
            if NEGATED_BOUND.match(sentence, i):
                return None  # "13 soldiers and no fewer than 170 ...": the next count's bound
            return BLOCKED
        if low in _QUOTES:
            i = tm.end()  # "had been 'martyred'"
            continue
        if low[:1] in RELEASE_FIRST and RELEASE.match(sentence, i):
            if _FREED_HURT.match(sentence, i):
                return Reading(W, "right:with-injuries")  # freed, but hurt
            return BLOCKED
        if low in MODALS or (
            low in AUX
            or (low.endswith("ly") and len(low) > 4)
            or low in TIME_WORDS
            or (low == "the" and seen_aux[-1:] == ["among"])
            or (low == "found" and "dead" in sentence[tm.end() : tm.end() + 6])
        ):
            seen_aux.append(low)
        elif low in FORECAST and seen_aux:
            return BLOCKED
        elif seen_aux[-1:] in (["among"], ["the"]) and "among" in seen_aux and _is_count(low):
            seen_aux.append("the")  # "two nurses were among 11 killed": the whole's cue decides
        else:
            return None
        i = tm.end()
    return None


_HEDGES = frozenset({"may", "might", "could"})
_HEDGE_AUX = _HEDGES | frozenset({"be", "well", "all", "in", "still", "now", "also"})


def _hedged_state(aux: list[str], cue: str) -> bool:
    """ "may be dead", "might be missing": an estimate of what is, not a forecast ("could be
    killed")."""
    return (
        aux[-1] == "be"
        and cue[:4].lower() in ("dead", "miss", "unac")
        and not _HEDGES.isdisjoint(aux)
        and _HEDGE_AUX.issuperset(aux)
    )


def _is_count(low: str) -> bool:
    return low[:1].isdigit() or low in NUMBER_WORDS


def _gated_cue(
    sentence: str, low_text: str, mention_start: int, aux: list[str], direct: bool = False
) -> Category | None:
    """Cues that count only in company: "claimed ... lives", "took ... prisoners", "are still
    being held", "treated ... for wounds", a group "with injuries" (`direct`: the cue follows
    the count's noun phrase with no verb between)."""
    before = sentence[max(0, mention_start - 40) : mention_start]
    if low_text == "lives":
        return K if LIVES_VERB.search(before) else None
    if low_text == "held":
        return C if ("being" in aux or "still" in aux) else None
    if low_text.endswith("custody"):
        # "leaving 23 still in custody" counts hostages only after an abduction, not arrests
        return C if _HOSTAGE_CONTEXT.search(sentence, 0, mention_start) else None
    if low_text.startswith(("for", "with")):
        if direct and low_text.startswith("with"):
            return W  # "nine victims with gunshot wounds", "one person with critical injuries"
        return W if TREAT_VERB.search(before) else None
    if low_text.endswith(("condition", "hospital")):
        # "12 were in critical condition": hurt; "12 doctors in the hospital": a place
        return W if aux else None
    return C if HOLD_VERB.search(before) else None


# Capitalised inside a name ("Reporters Without Frontiers staff"), these do not end the phrase.
_NAME_PREPS = frozenset({"without", "for", "with", "on", "at", "by", "against", "over"})


# Participles of capture: before a noun they modify it ("12 abducted pupils"); right after a
# group's noun phrase they open a reduced relative clause ("240 people kidnapped by Hamas").
CAPTURED_PARTICIPLES = ("captured", "abducted", "kidnapped", "seized")
_CAPTURED_WORD = "(?:" + "|".join(CAPTURED_PARTICIPLES) + ")"
_MODIFIER = re.compile(
    "(?:" + "|".join((*CAPTURED_PARTICIPLES, "wounded", "injured")) + r")(?=\s)", re.IGNORECASE
)
_CAPTURED_MODIFIER = re.compile(_CAPTURED_WORD + r"(?=\s)", re.IGNORECASE)
# The same participle after a whole's noun phrase, closing at a word's end ("kidnapped by")
CAPTURED_AFTER = re.compile(r"\s*" + _CAPTURED_WORD + r"\b", re.IGNORECASE)
# Cues of care that say "wounded" only when no illness is named (spec: "hospitalised with wounds")
_CARE_CUES = ("hospitali", "in ")
_SURVIVORS = re.compile(r"\bsurviv|\brescued\b", re.IGNORECASE)


# Later in the clause, the people said dead are found alive
_ALIVE_AFTER = re.compile(
    r"[^.;]{0,100}?\b(?:have|has|had)\s+(?:since\s+|now\s+)?(?:(?:turned|showed)\s+up|been\s+found)"
    r"\s+(?:alive|safe)\b",
    re.IGNORECASE,
)
# Its prefilter, derived from it (gates.Prefilter): the words every match holds
_ALIVE_GATE = Prefilter(_ALIVE_AFTER)
# "13 others escaped with minor injuries", "12 rescued earlier were taken to hospitals with
# minor injuries": a release word, then injuries in the same clause (spec: wounded)
_FREED_HURT = re.compile(
    r"[\w’'-]+(?:\s+[\w’'-]+){0,8}?\s+with\s+(?!no\b|none\b)(?:[\w-]+\s+){0,2}?"
    r"(?:injur(?:y|ies)|wounds?|burns)\b",
    re.IGNORECASE,
)
_HURT_WORDS = re.compile(r"injur|wound|burn")
_FORMER = re.compile(r"former\b|ex-", re.IGNORECASE)
_NOT_NAMING = frozenset({"in", "at", "on", "from", "of", "near", "during", "across", "and"})
_PARTITIVE_NP = frozenset({"of the", "of its", "of their", "of those", "of all the"})
_OF_THE_BEFORE = re.compile(r"\bof\s+(?:the|its|their|those)\s+$", re.IGNORECASE)
# Its twin for lower-cased text, "\bof" written as "of" then a look-behind: a pattern that
# starts with a literal lets the search jump from one "of" to the next.
_OF_THE_BEFORE_LOWER = re.compile(r"of(?<!\wof)\s+(?:the|its|their|those)\s+$")


def _of_the_before(sentence: str, end: int) -> bool:
    """Does `sentence[:end]` end with "of the", "of its", "of their" or "of those"?"""
    low = lowered(sentence)
    if low is None:
        return _OF_THE_BEFORE.search(sentence, 0, end) is not None
    return _OF_THE_BEFORE_LOWER.search(low, 0, end) is not None


# A verb after "and" that starts a new clause: "claimed 18 lives and left dozens hurt"
_CLAUSE_VERB_WORDS = """
    left leaves sent forced caused displaced destroyed damaged took set made prompted triggered"""
_CLAUSE_VERBS = frozenset(_CLAUSE_VERB_WORDS.split())
_HOSTAGE_CONTEXT = re.compile(r"abduct|kidnap|hostage|captor|seiz", re.IGNORECASE)
_QUOTES = frozenset({"'", "‘", "’", '"', "“", "”"})
_CLOSING_QUOTES = frozenset({'"', "”", "’", "'"})
_QUOTE_PAIR = {"“": "”", '"': '"', "‘": "’"}
_OPEN_QUOTES = frozenset(_QUOTE_PAIR)
_AGE_WORDS = frozenset({"age", "aged", "ages"})
_AGE_BOUND = re.compile(r"\s+(?:or|and)\s+(?:younger|older|under|over|above|below)\b")


_REDUCED_RELATIVE = frozenset(CAPTURED_PARTICIPLES)
# The finite auxiliaries that open a clause's own verb ("... were killed", "... have been freed")
_FINITE_AUX = "(?:were|was|are|is|have|has|had)"
# The finite verb later in the same clause, after a participle phrase ("... by pirates have").
_MAIN_AUX = re.compile(
    rf"[^;.,:]{{0,100}}?\s(?=(?:{_FINITE_AUX}|remain|remains|remained)\s)",
    re.IGNORECASE,
)
_VERB_WITH_OBJECT = re.compile(
    r"\b(?!(?:aged|armed|wounded|injured|killed|unidentified)\b)[a-z]+ed\s+(?:the|a|an|his|her"
    r"|their|its)$",
    re.IGNORECASE,
)
_APPOSED_TALLY = re.compile(
    r"\s*,\s*the\s+(?:approximate\s+|estimated\s+|official\s+|total\s+)?number\s+(?:of\s+)?"
    r"(?P<cue>killed|dead|wounded|injured|missing|abducted|kidnapped|captured)\b",
    re.IGNORECASE,
)
_SOFT_CUES = ("loss", "lost", "casualt", "causalit", "victim")
_INCLUDING_ONE = re.compile(
    r"\s*,?\s*(?:including|among\s+them)\s+(?:a|an|one|the)\s+[a-z-]+(?:\s+[a-z-]+)?\s*,?(?=\s)",
    re.IGNORECASE,
)
_ALL_OF_WHOM = re.compile(r"\s*,\s*(?:all|both|each)\s+of\s+(?:whom|them)\b", re.IGNORECASE)
_OBJECT_OF_VERB = re.compile(r"\b[a-z]+(?:ing|ed)\s+(?:\w+\s+)?$")
# A relative clause without "who": "seven hostages it seized in January had been killed"
_CONTACT_RELATIVE = re.compile(
    r"\s+(?:it|they|he|she|we)\s+[a-z]+ed\b[^,;.\d]{0,60}?(?=\s(?:were|was|had|have|has)\s)",
    re.IGNORECASE,
)
# "... attending a wedding party, including the bride, are": the finite verb after a participle
# phrase, an auxiliary or a verb that is itself a cue ("twelve guards protecting the jail died")
_ING_PHRASE = re.compile(
    r"\s+[a-z]+ing\s+(?:the|a|an|his|her|their|its)\b[^;.:\d]{0,120}?\s"
    rf"(?=(?:{_FINITE_AUX}|died|drowned|perished|went\s+missing|got)\s)",
    re.IGNORECASE,
)
_COMMA_AUX = re.compile(rf"\s*,\s*(?={_FINITE_AUX}\b)", re.IGNORECASE)

"""Which rule read a figure, for `figwatch extract --explain`: the named cue rule of
`lang/<code>/cues.toml` that fired, or the built-in reader under a stable name, with the words
it matched.

Read again after `find_figures`, never during it: `Figure.rule` says which reader fired
("right:found", "left:search_operations_resumed_on_friday_for", "shared-after"); this module
finds that reader's match in the sentence once more and tells by its alternative whether a data
rule or a built-in cue gave it (the data rules are the first alternatives of the cue tables,
cues.RIGHT_CUES and cues.LEFT_VERBS).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from pipeline.figures.cuerules import cue_rules
from pipeline.figures.cues import LEFT_NOUN_RE, LEFT_VERB_RE, RIGHT_RE
from pipeline.figures.model import Figure
from pipeline.figures.numbers import NumberMention
from pipeline.figures.walk import _EARLIER_TALLY, _N_OF_THEM, _OF_THOSE, _THEY_INCLUDE

CUE_FILE = "lang/en/cues.toml"
BUILT_IN = "built-in"

# The built-in readers, by the stem of `Figure.rule`: a stable name and what it reads.
READERS: dict[str, tuple[str, str]] = {
    "right": ("cue-after", "a cue word after the count"),
    "left": ("verb-before", "a verb governing the count"),
    "noun": ("tally-noun", "a tally noun linked to the count"),
    "shared": ("shared-back", "the category of the count before it in the sentence"),
    "shared-forward": ("shared-forward", "the category of the count after it in a list"),
    "total": ("table-total", "the total of a table of killed and wounded"),
    "listed": ("labelled-list", "a bracketed count of a list a tally noun opens"),
    "then-killed": ("then-killed", "captives the sentence then says were killed"),
    "earlier": ("earlier-value", "the value a change started from: from X to Y"),
    "earlier-tally": ("earlier-tally", "an earlier toll of the figure before"),
    "breakdown": ("breakdown-of-previous", "a breakdown of the figure the sentence before states"),
    "breakdown-named": ("breakdown-opener", "a breakdown whose opener names the category"),
    "subgroup": ("subgroup-listed", "a subgroup of the figure the sentence before states"),
}
_WORD_START = re.compile(r"\b\w")
_VERB_REACH = 64  # characters before the count: the window left.read_left reads a verb in


@dataclass(frozen=True, slots=True)
class RuleWhy:
    """The rule that fired: its stable name, where it is written, what it reads, and the
    words it matched."""

    name: str
    source: str  # CUE_FILE for a data rule, else BUILT_IN
    reads: str
    words: str  # the cue or opener as written; "" when the rule shares another count's


def rule_why(sentence: str, f: Figure, mention: NumberMention | None) -> RuleWhy:
    """The rule that gave figure `f` of `sentence`, whose count is `mention` (None when the
    count could not be found again)."""
    rule, _, mark = f.rule.partition("~")  # "~soft", "~contrast": how "lost" was read
    why = _rule_why(sentence, rule, mention)
    return replace(why, reads=f"{why.reads}; {_MARKS[mark]}") if mark in _MARKS else why


_MARKS = {
    "soft": "'lost', 'losses', 'casualties' or 'victims' read as killed or wounded",
    "contrast": "'lost' or 'casualties' read as killed: the wounded are counted beside them",
}


def _rule_why(sentence: str, rule: str, mention: NumberMention | None) -> RuleWhy:
    stem, _, cue = rule.partition(":")
    after = mention.end if mention is not None else 0
    before = mention.start if mention is not None else len(sentence)
    if stem == "right":
        return _right(sentence, cue, after)
    if stem == "left":
        return _left(sentence, cue, before)
    if stem == "noun":
        nouns = [m for m in LEFT_NOUN_RE.finditer(sentence, 0, before) if _first(m[0]) == cue]
        return _built_in("noun", nouns[-1][0] if nouns else cue)
    if stem == "shared-after":
        return _continuing(sentence)
    tally = _EARLIER_TALLY.search(sentence.lower()) if stem == "earlier" else None
    if tally is not None:
        return _built_in("earlier-tally", sentence[tally.start() : tally.end()])
    return _built_in(stem, "")


def _right(sentence: str, cue: str, after: int) -> RuleWhy:
    """The right cue whose first word is `cue`, first after the count."""
    for w in _WORD_START.finditer(sentence, after):
        m = RIGHT_RE.match(sentence, w.start())
        if m is not None and _first(m[0]) == cue:
            return _named(m, "after") or _built_in("right", m[0])
    return _built_in("right", cue)


def _left(sentence: str, verb: str, before: int) -> RuleWhy:
    """The verb before the count whose words (articles dropped, joined by "_") are `verb`."""
    near = sentence[max(0, before - _VERB_REACH) : before]
    m = LEFT_VERB_RE.search(near)
    if m is not None and m.lastgroup and _verb_key(m.group(m.lastgroup)) == verb:
        return _named(m, "before") or _built_in("left", m.group(m.lastgroup))
    return _built_in("left", verb.replace("_", " "))


def _named(m: re.Match[str], side: str) -> RuleWhy | None:
    """The data rule whose alternative ("r3", "l0": the cue tables' group names) matched, or
    None for a built-in one: the data rules of a side are the first alternatives of its table."""
    named = [r for r in cue_rules("en") if r.side == side]
    index = int(m.lastgroup[1:]) if m.lastgroup else len(named)
    if index >= len(named):
        return None
    rule = named[index]
    words = m.group(m.lastgroup or 0)
    return RuleWhy(rule.name, CUE_FILE, f"a cue rule, {rule.side} the count", words.strip())


def _continuing(sentence: str) -> RuleWhy:
    """The opener of a sentence that continues the figure before it."""
    low = sentence.lower()
    opener = _OF_THOSE.match(low)
    if opener is not None:
        kind = "breakdown-named" if opener.group("named") else "breakdown"
        return _built_in(kind, sentence[opener.start() : opener.end()].strip())
    listed = _THEY_INCLUDE.match(low) or _N_OF_THEM.match(low)
    if listed is not None:
        return _built_in("subgroup", sentence[listed.start() : listed.end()].strip())
    return _built_in("breakdown", "")


def _built_in(stem: str, words: str) -> RuleWhy:
    name, reads = READERS.get(stem, (stem, "a reader"))
    return RuleWhy(name, BUILT_IN, reads, words.strip())


def _first(text: str) -> str:
    return text.lower().split(None, 1)[0].rstrip(",") if text.strip() else ""


def _verb_key(text: str) -> str:
    """The verb as `left.read_left` names it in `Figure.rule`."""
    return "_".join(w for w in text.lower().split() if w not in ("the", "of", "a", "an"))

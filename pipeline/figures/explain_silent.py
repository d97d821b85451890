"""Why a count gave no figure, for `figwatch extract --explain`: no cue, a blocker (and which),
a count of things, a forecast, a repeat of a figure stated before, or a count that did the act.

Read again after `find_figures`, never during it: the same readers' patterns, asked once more
for the one count the explanation is about.
"""

from __future__ import annotations

import re

from pipeline.figures.blockers import block_reason
from pipeline.figures.cues import (
    FORECAST,
    MODALS,
    NEGATION,
    RATE,
    RELEASE,
    RELEASE_AFTER,
    WORDS_RE,
    counts_things,
)
from pipeline.figures.explain_origin import CountRead
from pipeline.figures.explain_rules import rule_why
from pipeline.figures.grammar import _FORMER, BLOCKED, NounPhrase
from pipeline.figures.model import Category, Figure, Qualifier
from pipeline.figures.numbers import NumberMention
from pipeline.figures.readings import _AFTER_RELEASE, _SENTENCED, conditional_or_scenario
from pipeline.figures.sentence_figures import _AGENT_OF, _NOT_COUNTED

_AFTER_WORDS = 8  # words after the count's noun phrase read for an auxiliary that blocks it


def silent_reason(
    sentence: str,
    start: int,
    read: CountRead | None,
    found: list[Figure],
    spans: list[tuple[int, int]],
) -> str:
    """Why the count `read` of `sentence` (starting at `start` in the text) gave no figure;
    `read` is None when the sentence holds no category cue."""
    if read is None:
        return "no category cue in the sentence"
    r = read.reading
    if r is None:
        return "no category cue reaches it"
    if r is BLOCKED:
        return "blocked by " + blocked_reason(sentence, read)
    repeat = _repeat_of(read, r.category, found, start)
    if repeat is not None:
        at = next(i for i, (a, _) in enumerate(spans) if a == repeat.start) + 1
        return f"states again the {r.category.value} figure of sentence {at} (kept once)"
    why = rule_why(sentence, _as_figure(r.category, r.rule, read), read.mention)
    if r.rule.startswith("right:") and _AGENT_OF.match(sentence, read.np.end):
        return f"it counts who did it ({why.words!r} has an object), not who suffered it"
    after = WORDS_RE.findall(sentence[read.mention.end : read.np.end + 40].lower())[:4]
    uncounted = next((w for w in after if w in _NOT_COUNTED), None)
    if uncounted is not None:
        return f"it counts {uncounted}, who are no figure"
    return f"read as {r.category.value} by {why.name}, then left out when the figures were built"


# The reasons `blockers.block_reason` and `readings.conditional_or_scenario` give, by name
_NAMED = {
    "a rate": "rate",
    "negated or denied": "negation",
    "released": "release-before",
    "averted": "averted",
    "a forecast or scenario sentence": "scenario",
    "hypothetical (a modal or a forecast before it)": "modal-before",
    "a condition (an opening if-clause), not a report": "if-clause",
}
_CLAUSE_END = re.compile(r"[;.!?]")


def blocked_reason(sentence: str, read: CountRead) -> str:
    """Which blocker silenced the count, as "<name>: <what it says>": the readers' named
    blockers first, then the words of the count's clause after it."""
    m, np = read.mention, read.np
    said = block_reason(sentence, m.start, m.end, np.end) or conditional_or_scenario(sentence, [m])
    if said:
        return f"{_NAMED.get(said, 'blocker')}: {said}"
    before = sentence[max(0, m.start - 40) : m.start]
    end = _CLAUSE_END.search(sentence, np.end)
    clause = sentence[np.end : min(end.start() if end else len(sentence), np.end + 120)]
    words = [w.lower() for w in WORDS_RE.findall(clause)[:_AFTER_WORDS]]
    aux = words[: next((i for i, w in enumerate(words) if w in _CUE_STARTS), len(words))]
    found = next(
        (
            f"{name}: {what}"
            for name, what, hit in (
                ("not-people", f"it counts things ({np.head})", counts_things(np.text, np.head)),
                ("sentenced", "a sentence to death, not a death", _SENTENCED.search(before)),
                ("former", "former captives, no longer held", _FORMER.match(np.text)),
                (
                    "release-after",
                    "released, freed or rescued",
                    _released_after(sentence, m, clause),
                ),
                ("negation-after", "a 'not' before its cue", _negated(aux)),
                ("modal-after", "hypothetical, a modal before its cue", MODALS.intersection(aux)),
                ("forecast", "a forecast", FORECAST.intersection(aux)),
                ("rate", "a rate (per day, a week, ...)", RATE.search(clause[:60])),
                ("partitive", "a part of a whole whose verb gives no category", _part_of(np)),
            )
            if hit
        ),
        None,
    )
    return found or "unnamed: the words around it (a release, modal, forecast or rate)"


def _released_after(sentence: str, m: NumberMention, clause: str) -> bool:
    """ "12 abducted pupils were rescued", "after being handed over": freed, no longer held."""
    return bool(
        _AFTER_RELEASE.search(sentence, m.end)
        or RELEASE_AFTER.search(clause)
        or RELEASE.search(clause)
        or "freedom" in clause.lower()
    )


def _negated(words: list[str]) -> bool:
    return any(w in NEGATION or w.endswith(("n't", "n’t")) for w in words)


def _part_of(np: NounPhrase) -> bool:
    return np.text.lower().startswith("of ")


_CUE_STARTS = frozenset(
    {"killed", "dead", "died", "wounded", "injured", "hurt", "missing", "captured", "abducted"}
    | {"kidnapped", "held"}
)


def _repeat_of(
    read: CountRead, category: Category, found: list[Figure], start: int
) -> Figure | None:
    """The figure of this or an earlier sentence with this count's category and value, if any: a
    repeat is kept once (extract._dedupe)."""
    m = read.mention
    for f in found:
        if f.start > start:
            return None
        if f.category == category and (f.value, f.value_max) == (m.value, m.value_max):
            return f
    return None


def _as_figure(category: Category, rule: str, read: CountRead) -> Figure:
    """A stand-in figure for `rule_why`, which reads only the rule and the count."""
    return Figure(
        category, read.mention.value, read.mention.value_max, Qualifier.EXACT,
        None, None, "", 0, 0, rule,
    )  # fmt: skip

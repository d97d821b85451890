"""Why a count gave no figure, for `figwatch extract --explain`: no cue, a blocker (and which),
a count of things, a forecast, a repeat of a figure stated before, or a count that did the act.

Read again after `find_figures`, never during it: the same readers' patterns, asked once more
for the one count the explanation is about.
"""

from __future__ import annotations

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
from pipeline.figures.grammar import _FORMER, BLOCKED
from pipeline.figures.model import Category, Figure, Qualifier
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
        return "blocked: " + blocked_reason(sentence, read)
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


def blocked_reason(sentence: str, read: CountRead) -> str:
    """Which blocker silenced the count: the readers' named blockers first, then the words
    between the count and its cue."""
    m, np = read.mention, read.np
    before = sentence[max(0, m.start - 40) : m.start]
    after = sentence[np.end : np.end + 80]
    words = [w.lower() for w in WORDS_RE.findall(after)[:_AFTER_WORDS]]
    cue = next((i for i, w in enumerate(words) if w in _CUE_STARTS), len(words))
    aux = words[:cue]
    reason = (
        block_reason(sentence, m.start, m.end, np.end)
        or conditional_or_scenario(sentence, [m])
        or (f"it counts things ({np.head})" if counts_things(np.text, np.head) else "")
        or ("a sentence to death, not a death" if _SENTENCED.search(before) else "")
        or ("former captives, no longer held" if _FORMER.match(np.text) else "")
        or ("released (after being freed)" if _AFTER_RELEASE.search(sentence, m.end) else "")
    )
    if reason:
        return reason
    if RELEASE_AFTER.match(sentence, np.end) or RELEASE.search(after[:40]):
        return "released, freed or rescued"
    if any(w in NEGATION or w.endswith(("n't", "n’t")) for w in aux):
        return "negated (a 'not' before its cue)"
    if any(w in MODALS for w in aux):
        return "hypothetical (a modal before its cue)"
    if any(w in FORECAST for w in aux):
        return "a forecast"
    if RATE.search(after[:60]):
        return "a rate (per day, a week, ...)"
    return "the words around it (a release, modal, forecast or rate)"


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

"""`figwatch extract --explain`: for each figure, the rule that fired and the words it matched;
for each count in a sentence that gave no figure, why it stayed silent.

Read-only and off the hot path: it runs `find_figures` as callers do, then reads each sentence
that holds a number again with the same readers (`noun_phrase`, `readings`, `blocked`) to say
what they saw. It never changes what `find_figures` returns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.figures.blockers import block_reason
from pipeline.figures.cues import counts_things
from pipeline.figures.extract import find_figures, has_cue_lower
from pipeline.figures.grammar import BLOCKED, noun_phrase
from pipeline.figures.model import Figure
from pipeline.figures.numbers import NUMBER_RE, NumberMention, find_numbers
from pipeline.figures.readings import conditional_or_scenario
from pipeline.figures.readings import readings as read_counts
from pipeline.figures.sentences import split_sentences

_MAX_EXPLAINED = 200  # sentences; an explanation is for a person to read
_NOT_A_COUNT = "not a count (a date, year, age, money, measure or code)"


@dataclass(frozen=True, slots=True)
class FigureWhy:
    """A figure and the evidence for it: the rule that fired, the count and the cue it read."""

    figure: Figure
    count: str  # the count as written, with its qualifier ("at least 12")
    cue: str  # the cue or link the rule read ("killed", "death toll"), "" when it shares one


@dataclass(frozen=True, slots=True)
class Silent:
    """A number in the sentence that gave no figure, and why."""

    number: str
    reason: str


@dataclass(frozen=True, slots=True)
class SentenceWhy:
    sentence: str
    start: int
    figures: tuple[FigureWhy, ...]
    silent: tuple[Silent, ...]


def explain(text: str) -> list[SentenceWhy]:
    """The sentences of `text` that hold a number, each with its figures and silent counts."""
    found = find_figures(text)
    by_start: dict[int, list[Figure]] = {}
    for f in found:
        by_start.setdefault(f.start, []).append(f)
    out: list[SentenceWhy] = []
    for start, end in split_sentences(text):
        sentence = text[start:end]
        mentions = find_numbers(sentence)
        dropped = _dropped_numbers(sentence, mentions)
        figures = by_start.get(start, [])
        if not mentions and not dropped and not figures:
            continue
        whys = tuple(_figure_why(sentence, mentions, f) for f in figures)
        silent = [
            Silent(n, "not a count (a date, year, age, money, measure or code)") for n in dropped
        ]
        told = {w.count for w in whys}
        silent.extend(
            s for s in _silent_counts(sentence, mentions, figures) if s.number not in told
        )
        out.append(SentenceWhy(sentence, start, whys, tuple(silent)))
        if len(out) >= _MAX_EXPLAINED:
            break
    return out


def _figure_why(sentence: str, mentions: list[NumberMention], f: Figure) -> FigureWhy:
    mention = next((m for m in mentions if m.value == f.value and m.value_max == f.value_max), None)
    count = sentence[mention.start : mention.end] if mention is not None else str(f.value)
    kind, _, cue = f.rule.partition(":")
    cue = cue.split("~")[0].replace("_", " ")
    return FigureWhy(f, count, cue if kind in ("right", "left", "noun") else "")


def _dropped_numbers(sentence: str, mentions: list[NumberMention]) -> list[str]:
    """Numbers the number reader left out as plainly no count of people."""
    spans = [(m.num_start, m.end) for m in mentions]
    out = []
    for nm in NUMBER_RE.finditer(sentence):
        if not any(a <= nm.start() < b or nm.start() <= a < nm.end() for a, b in spans):
            out.append(nm.group(0))
    return out


def _silent_counts(
    sentence: str, mentions: list[NumberMention], figures: list[Figure]
) -> list[Silent]:
    if not mentions:
        return []
    stated = {(f.value, f.value_max) for f in figures}
    silent = [m for m in mentions if (m.value, m.value_max) not in stated]
    if not silent:
        return []
    if not has_cue_lower(sentence.lower()):
        return [Silent(_text(sentence, m), "no category cue in the sentence") for m in silent]
    nps = [noun_phrase(sentence, m.end) for m in mentions]
    readings = read_counts(sentence, mentions, nps)
    whole = conditional_or_scenario(sentence, mentions)
    out = []
    for m, np, r in zip(mentions, nps, readings, strict=True):
        if (m.value, m.value_max) in stated:
            continue
        if r is None:
            reason = "no category cue reaches it"
        elif r is BLOCKED:
            reason = (
                block_reason(sentence, m.start, m.end, np.end)
                or whole
                or (f"it counts things ({np.head})" if counts_things(np.text, np.head) else "")
                or "blocked by the words around it (a release, modal, forecast or rate)"
            )
        else:
            reason = f"read as {r.category.value} by {r.rule}, but left out of the figures"
        out.append(Silent(_text(sentence, m), reason))
    return out


def _text(sentence: str, m: NumberMention) -> str:
    return sentence[m.start : m.end]


_SPACES = re.compile(r"\s+")


def format_explanation(whys: list[SentenceWhy]) -> str:
    """Readable lines: each sentence, then its figures with rule and words, then silent counts."""
    if not whys:
        return "no numbers found"
    lines: list[str] = []
    for s in whys:
        lines.append(f"\u201c{_SPACES.sub(' ', s.sentence)}\u201d")
        for w in s.figures:
            f = w.figure
            value = f"{f.value}-{f.value_max}" if f.value_max is not None else str(f.value)
            words = f"{w.count!r}" + (f" + {w.cue!r}" if w.cue else "")
            lines.append(
                f"  figure  {f.category.value} {value} {f.qualifier.value}"
                f"  rule {f.rule}  matched {words}"
            )
        for q in s.silent:
            lines.append(f"  silent  {q.number!r}: {q.reason}")
    return "\n".join(lines)

"""`figwatch extract --explain`: for each figure, the rule that fired and the words it matched,
and where its subject and claimant came from; for each number of a sentence that gave no
figure, why it stayed silent.

Read-only and off the hot path: it runs `find_figures` as callers do, then reads each sentence
that holds a number again with the same readers (`noun_phrase`, `readings`, `sentence_figures`,
the claimant and subject readers) to say what they saw. It never changes what `find_figures`
returns, and `find_figures` carries nothing for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from pipeline.figures.article import acronyms
from pipeline.figures.explain_origin import (
    BUILT_IN,
    Article,
    CountRead,
    Origin,
    claimant_origin,
    construction,
    continuing_subject,
    own_claimant,
    subject_origin,
)
from pipeline.figures.explain_rules import RuleWhy, rule_why
from pipeline.figures.explain_silent import silent_reason
from pipeline.figures.extract import find_figures, has_cue_lower
from pipeline.figures.grammar import noun_phrase
from pipeline.figures.model import Figure
from pipeline.figures.numbers import NUMBER_RE, NumberMention, find_numbers
from pipeline.figures.readings import readings as read_counts
from pipeline.figures.sentence_figures import Claimants, sentence_figures
from pipeline.figures.walk import reading_spans

_MAX_EXPLAINED = 200  # sentences; an explanation is for a person to read
NOT_A_COUNT = "not a count (a date, year, age, money, measure or code)"


@dataclass(frozen=True, slots=True)
class FigureWhy:
    """A figure and the evidence for it: the rule that fired and the count it read, and the
    steps that gave its subject and its claimant (the first from its own sentence, then any the
    article around it took)."""

    figure: Figure
    count: str  # the count as written, with its qualifier ("at least 12")
    rule: RuleWhy
    subject: tuple[Origin, ...]
    claimant: tuple[Origin, ...]


@dataclass(frozen=True, slots=True)
class Silent:
    """A number in the sentence that gave no figure, and why."""

    number: str
    reason: str


@dataclass(frozen=True, slots=True)
class SentenceWhy:
    index: int  # 1 for the first sentence of the text
    sentence: str
    start: int
    figures: tuple[FigureWhy, ...]
    silent: tuple[Silent, ...]


def explain(text: str, lang: str = "en") -> list[SentenceWhy]:
    """The sentences of `text` that hold a number, each with its figures and silent counts."""
    found = find_figures(text, lang)
    by_start: dict[int, list[Figure]] = {}
    for f in found:
        by_start.setdefault(f.start, []).append(f)
    spans = reading_spans(text)
    art = Article(text, spans, Claimants(acronyms(text, {})), found)
    out: list[SentenceWhy] = []
    for idx, (start, end) in enumerate(spans):
        sentence = text[start:end]
        mentions = find_numbers(sentence)
        dropped = _dropped_numbers(sentence, mentions)
        figures = by_start.get(start, [])
        if not mentions and not dropped and not figures:
            continue
        out.append(_sentence_why(art, idx, mentions, figures, dropped))
        if len(out) >= _MAX_EXPLAINED:
            break
    return out


@dataclass(frozen=True, slots=True)
class _Read:
    """One sentence read again: its counts as the readers saw them, the figures the sentence
    alone gives (before the article's steps), and the last figure before it."""

    idx: int
    mentions: list[NumberMention]
    reads: list[CountRead]  # empty when the sentence holds no category cue
    base: list[Figure]
    last: Figure | None


def _sentence_why(
    art: Article,
    idx: int,
    mentions: list[NumberMention],
    figures: list[Figure],
    dropped: list[str],
) -> SentenceWhy:
    start = art.spans[idx][0]
    sentence = art.sentence(idx)
    cue = has_cue_lower(sentence.lower())
    before = [f for f in art.found if f.start < start]
    read = _Read(
        idx,
        mentions,
        _read(sentence, mentions) if cue else [],
        sentence_figures(sentence, start, art.claimants) if cue and mentions else [],
        before[-1] if before else None,
    )
    at = _assign(figures, mentions)
    whys = _with_lenders([_figure_why(art, read, f, i) for f, i in zip(figures, at, strict=True)])
    silent = [Silent(n, NOT_A_COUNT) for n in dropped]
    for i, m in enumerate(mentions):
        if i not in at:
            count = read.reads[i] if read.reads else None
            reason = silent_reason(sentence, start, count, art.found, art.spans)
            silent.append(Silent(_text(sentence, m), reason))
    return SentenceWhy(idx + 1, sentence, start, whys, tuple(silent))


# Rules that take the category of a neighbouring count, and which way to look for it
_LENDERS = {"shared-back": (-1,), "shared-forward": (1,), "earlier-value": (1, -1)}


def _with_lenders(whys: list[FigureWhy]) -> tuple[FigureWhy, ...]:
    """A count that takes its category from a neighbour ("200 rebels and 150 soldiers died",
    "rose from 31 to 38") names, in what its rule reads, the neighbour's count and cue."""
    out = list(whys)
    for k, w in enumerate(whys):
        lender = next(
            (x for step in _LENDERS.get(w.rule.name, ()) if (x := _lender(whys, k, step))), None
        )
        if lender is not None:
            cue = f" + {lender.rule.words!r}" if lender.rule.words else ""
            reads = f"{w.rule.reads}, as {lender.count!r}{cue}"
            out[k] = replace(w, rule=replace(w.rule, reads=reads))
    return tuple(out)


def _lender(whys: list[FigureWhy], k: int, step: int) -> FigureWhy | None:
    """The nearest figure from `k` in direction `step` whose category is its own."""
    j = k + step
    while 0 <= j < len(whys) and whys[j].rule.name in _LENDERS:
        j += step
    return whys[j] if 0 <= j < len(whys) else None


def _read(sentence: str, mentions: list[NumberMention]) -> list[CountRead]:
    """Each count with its noun phrase and reading, as `sentence_figures` reads them."""
    nps = [noun_phrase(sentence, m.end) for m in mentions]
    readings = read_counts(sentence, mentions, nps) if mentions else []
    return [CountRead(m, np, r) for m, np, r in zip(mentions, nps, readings, strict=True)]


def _assign(figures: list[Figure], mentions: list[NumberMention]) -> list[int | None]:
    """The index of each figure's count among `mentions`: in order, each count once, except
    that "then-killed" restates the count before it."""
    out: list[int | None] = []
    used: set[int] = set()
    for f in figures:
        same = [
            i for i, m in enumerate(mentions) if (m.value, m.value_max) == (f.value, f.value_max)
        ]
        if f.rule == "then-killed" and out and out[-1] in same:
            out.append(out[-1])
            continue
        free = [i for i in same if i not in used]
        pick = free[0] if free else (same[0] if same else None)
        if pick is not None:
            used.add(pick)
        out.append(pick)
    return out


def _figure_why(art: Article, read: _Read, f: Figure, i: int | None) -> FigureWhy:
    """Figure `f` of the sentence `read`, whose count is `read.mentions[i]`."""
    sentence = art.sentence(read.idx)
    mention = read.mentions[i] if i is not None else None
    count = _text(sentence, mention) if mention is not None else str(f.value)
    rule = rule_why(sentence, f, mention)
    if rule.name.startswith(("breakdown", "subgroup", "earlier-tally")):
        return _continuing_why(art, read, f, count, rule)
    first = _base_of(f, read.base)
    counted = read.reads[i] if i is not None and read.reads else None
    subject = subject_origin(sentence, counted, first.subject if first else None, f.subject)
    said_by = first.claimant if first else None
    step = own_claimant(sentence, said_by, rule=f.rule)
    claimant = claimant_origin(art, read.idx, said_by, step, f.claimant)
    return FigureWhy(f, count, rule, tuple(subject), tuple(claimant))


def _continuing_why(art: Article, read: _Read, f: Figure, count: str, rule: RuleWhy) -> FigureWhy:
    """A figure of a sentence that continues the figure before it ("Of the dead, 300 were
    ..."): its group is the item's, its claimant the sentence's own speaker or, when it follows
    a figure's sentence, that figure's; else the article's, as for any other figure."""
    sentence = art.sentence(read.idx)
    item = not rule.name.startswith("earlier")
    named = f.subject is not None and (f.subject != "people" or "people" in sentence.lower())
    subject = continuing_subject(f.subject if named else None, f.subject, item=item)
    first = art.claimants.of(sentence)
    step: Origin | None = None
    if first is not None:
        step = construction(sentence, first)
    elif read.last is not None and read.last.start == art.spans[read.idx - 1][0]:
        first = read.last.claimant
        step = Origin("of-figure-before", BUILT_IN, f"{first}, of the figure it continues")
    claimant = claimant_origin(art, read.idx, first, step, f.claimant)
    return FigureWhy(f, count, rule, tuple(subject), tuple(claimant))


def _base_of(f: Figure, base: list[Figure]) -> Figure | None:
    """The figure as the sentence alone gave it, before the article's steps."""
    rule = _plain_rule(f.rule)
    for g in base:
        if (g.value, g.value_max) == (f.value, f.value_max) and _plain_rule(g.rule) == rule:
            return g
    return None


def _plain_rule(rule: str) -> str:
    return rule.split("~")[0]


def _dropped_numbers(sentence: str, mentions: list[NumberMention]) -> list[str]:
    """Numbers the number reader left out as plainly no count of people."""
    spans = [(m.num_start, m.end) for m in mentions]
    out = []
    for nm in NUMBER_RE.finditer(sentence):
        if not any(a <= nm.start() < b or nm.start() <= a < nm.end() for a, b in spans):
            out.append(nm.group(0))
    return out


def _text(sentence: str, m: NumberMention) -> str:
    return sentence[m.start : m.end]


# --- output ---------------------------------------------------------------------------------

_SPACES = re.compile(r"\s+")


def format_explanation(whys: list[SentenceWhy]) -> str:
    """Readable lines: each sentence, then its figures (rule and words, subject, claimant),
    then its silent counts."""
    if not whys:
        return "no numbers found"
    lines: list[str] = []
    for s in whys:
        lines.append(f"[{s.index}] \u201c{_SPACES.sub(' ', s.sentence)}\u201d")
        for w in s.figures:
            lines.extend(_figure_lines(w))
        for q in s.silent:
            lines.append(f"  silent  {q.number!r}: {q.reason}")
    return "\n".join(lines)


def _figure_lines(w: FigureWhy) -> list[str]:
    f, r = w.figure, w.rule
    value = f"{f.value}-{f.value_max}" if f.value_max is not None else str(f.value)
    words = f"{w.count!r}" + (f" + {r.words!r}" if r.words else "")
    return [
        f"  figure  {f.category.value} {value} {f.qualifier.value}",
        f"    rule      {r.name}  matched {words}  ({r.source}: {r.reads})",
        f"    subject   {f.subject or '-'}  <- {_steps(w.subject)}",
        f"    claimant  {f.claimant or '-'}  <- {_steps(w.claimant)}",
    ]


def _steps(steps: tuple[Origin, ...]) -> str:
    """ "speaker-before: The ministry said, then named-in-full: ..." """
    return ", then ".join(
        s.rule
        + ("" if s.source == BUILT_IN else f" ({s.source})")
        + (f": {s.words}" if s.words else "")
        for s in steps
    )


def explanation_json(whys: list[SentenceWhy]) -> list[dict[str, Any]]:
    """The explanation as JSON-ready objects, one per sentence."""
    return [
        {
            "index": s.index,
            "sentence": s.sentence,
            "start": s.start,
            "figures": [_figure_json(w) for w in s.figures],
            "silent": [{"number": q.number, "reason": q.reason} for q in s.silent],
        }
        for s in whys
    ]


def _figure_json(w: FigureWhy) -> dict[str, Any]:
    return {
        **w.figure.to_json(),
        "count": w.count,
        "why": {
            "rule": _origin_json(w.rule.name, w.rule.source, w.rule.words)
            | {"reads": w.rule.reads},
            "subject": [_origin_json(s.rule, s.source, s.words) for s in w.subject],
            "claimant": [_origin_json(s.rule, s.source, s.words) for s in w.claimant],
        },
    }


def _origin_json(rule: str, source: str, words: str) -> dict[str, Any]:
    return {"rule": rule, "source": source, "words": words}

"""Score an extractor against gold JSON Lines (spec/figures.md, "Evaluation data format").

A gold record is `{"id", "text", "figures": [...], "optional": [...]}`; each gold
figure has `category`, `value`, `value_max`, `qualifier` and may carry
`qualifier_alt`, `subject` and `claimant`.

Scoring is by set per record, on the key (category, value, value_max):

- a predicted key equal to a gold key is a true positive (once, however many
  times it is predicted or stated);
- a predicted key equal to an `optional` key is neither required nor wrong;
- any other predicted key is a false positive; a gold key never predicted is missed.

On each matched gold key, three things are scored separately, each as "any
prediction with this key gets it right":

- qualifier: the predicted qualifier is the gold one or one in `qualifier_alt`;
- subject / claimant (only where gold gives one): a loose match, true when the
  predicted and gold strings share at least one word, compared case-insensitively,
  without a plural "s", after dropping a few function words (see `_STOPWORDS`).
  "DPRK soldiers" agrees with "North Korean soldiers"; a missing prediction never agrees.

Where gold lists one key twice (the same number for two groups), the key counts
once and its subject/claimant agree if the prediction matches either group.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.figures.model import Category, Figure, Qualifier
from pipeline.figures.report import (
    REPORT_COUNTS,
    CategoryScore,
    Mistake,
    MistakeKind,
    Report,
    format_report,
)

__all__ = [
    "CategoryScore", "GoldFigure", "GoldFormatError", "GoldRecord", "Mistake", "Report",
    "format_report", "load_gold", "locate_sentence", "loose_match", "parse_gold_line", "score",
    "score_record",
]  # fmt: skip

Key = tuple[Category, int, int | None]

# Words that carry no identity; without this "the army" would agree with "the police".
_STOPWORDS = frozenset(
    {"the", "a", "an", "of", "and", "in", "on", "s", "for", "to", "its", "their"}
)
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+|\n+")


class GoldFormatError(ValueError):
    """The gold file is missing, unreadable or malformed. Permanent: fix the file."""


@dataclass(frozen=True, slots=True)
class GoldFigure:
    """One annotated figure; `key` is what a prediction must equal to match it."""

    category: Category
    value: int
    value_max: int | None
    qualifier: Qualifier
    qualifier_alt: tuple[Qualifier, ...] = ()
    subject: str | None = None
    claimant: str | None = None

    @property
    def key(self) -> Key:
        return (self.category, self.value, self.value_max)


@dataclass(frozen=True, slots=True)
class GoldRecord:
    id: str
    text: str
    figures: tuple[GoldFigure, ...]
    optional: tuple[GoldFigure, ...] = ()


# --- loading ---------------------------------------------------------------------------------


def _gold_figure(raw: Any, where: str) -> GoldFigure:
    if not isinstance(raw, dict):
        raise GoldFormatError(f"{where}: a figure must be an object")
    try:
        value_max = raw.get("value_max")
        alt = raw.get("qualifier_alt") or []
        return GoldFigure(
            category=Category(raw["category"]),
            value=_int(raw["value"]),
            value_max=None if value_max is None else _int(value_max),
            qualifier=Qualifier(raw["qualifier"]),
            qualifier_alt=tuple(Qualifier(q) for q in alt),
            subject=raw.get("subject"),
            claimant=raw.get("claimant"),
        )
    except KeyError as exc:
        raise GoldFormatError(f"{where}: figure lacks {exc.args[0]!r}") from None
    except (ValueError, TypeError) as exc:
        raise GoldFormatError(f"{where}: {exc}") from None


def _int(raw: Any) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise ValueError(f"expected an integer, got {raw!r}")
    return raw


def parse_gold_line(line: str, where: str) -> GoldRecord:
    """Parse one gold JSON line; `where` (e.g. "dev.jsonl:3") prefixes error messages.

    Raises GoldFormatError when the line is not a valid gold record.
    """
    try:
        raw = json.loads(line)
    except json.JSONDecodeError as exc:
        raise GoldFormatError(f"{where}: invalid JSON: {exc.msg} at column {exc.colno}") from None
    if not isinstance(raw, dict):
        raise GoldFormatError(f"{where}: a record must be a JSON object")
    rid, text = raw.get("id"), raw.get("text")
    if not isinstance(rid, str | int) or isinstance(rid, bool):
        raise GoldFormatError(f"{where}: record lacks a string 'id'")
    if not isinstance(text, str):
        raise GoldFormatError(f"{where}: record {rid} lacks a string 'text'")
    figures, optional = raw.get("figures"), raw.get("optional", [])
    if not isinstance(figures, list) or not isinstance(optional, list):
        raise GoldFormatError(f"{where}: record {rid}: 'figures'/'optional' must be lists")
    return GoldRecord(
        id=str(rid),
        text=text,
        figures=tuple(_gold_figure(f, f"{where} figures[{i}]") for i, f in enumerate(figures)),
        optional=tuple(_gold_figure(f, f"{where} optional[{i}]") for i, f in enumerate(optional)),
    )


def load_gold(path: str | Path) -> list[GoldRecord]:
    """Read a gold JSON Lines file (blank lines skipped).

    Raises GoldFormatError naming the file (and line) when it is missing, unreadable or malformed.
    """
    p = Path(path)
    try:
        content = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise GoldFormatError(f"{p}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldFormatError(f"{p}: cannot read: {exc}") from None
    return [
        parse_gold_line(line, f"{p.name}:{n}")
        for n, line in enumerate(content.splitlines(), start=1)
        if line.strip()
    ]


# --- scoring ---------------------------------------------------------------------------------


def _tokens(text: str | None) -> frozenset[str]:
    if not text:
        return frozenset()
    words = frozenset(re.findall(r"\w+", text.casefold())) - _STOPWORDS
    # A plural "s" is not identity: "civilians" agrees with "civilian".
    return frozenset(w[:-1] if len(w) > 3 and w.endswith("s") else w for w in words)


def loose_match(predicted: str | None, gold: str | None) -> bool:
    """True when the two names share a word (case-insensitive, function words and a plural
    "s" ignored)."""
    return bool(_tokens(predicted) & _tokens(gold))


_WORDS = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen"
_SMALL_WORDS = tuple(f"{_WORDS} fifteen sixteen seventeen eighteen nineteen twenty".split())


def _value_patterns(value: int) -> list[re.Pattern[str]]:
    comma = f"{value:,}"
    seps = (",", " ", "\u00a0", "\u202f", "\u2009", ".", "")
    spellings = list(dict.fromkeys(comma.replace(",", sep) for sep in seps))
    # Not inside a longer number: "3" must not match the start of "3 000".
    patterns = [rf"(?<![\d.,]){re.escape(s)}(?![\d]|[.,\s]\d)" for s in spellings]
    if value < len(_SMALL_WORDS):
        patterns.append(rf"\b{_SMALL_WORDS[value]}\b")
    return [re.compile(p, re.IGNORECASE) for p in patterns]


def locate_sentence(text: str, value: int) -> str:
    """Best guess at the sentence stating `value`: the first that spells it (digits or a
    small number word); else the text's first sentence, cut to 200 characters."""
    sentences = [s.strip() for s in _SENTENCE_SPLIT.split(text) if s.strip()]
    patterns = _value_patterns(value)
    for sentence in sentences:
        if any(p.search(sentence) for p in patterns):
            return sentence
    return sentences[0][:200] if sentences else ""


def _predicted_mistake(rid: str, kind: MistakeKind, f: Figure, expected: str | None) -> Mistake:
    return Mistake(
        record_id=rid,
        kind=kind,
        category=f.category.value,
        value=f.value,
        value_max=f.value_max,
        qualifier=f.qualifier.value,
        subject=f.subject,
        claimant=f.claimant,
        sentence=f.sentence,
        expected=expected,
    )


def _agree(preds: list[Figure], golds: list[GoldFigure], attr: str) -> tuple[int, int, str]:
    """(agrees, counted, the gold names joined by " / ") for one matched key."""
    wanted = [getattr(g, attr) for g in golds if getattr(g, attr)]
    if not wanted:
        return (0, 0, "")
    hit = any(loose_match(getattr(p, attr), w) for p in preds for w in wanted)
    return (int(hit), 1, " / ".join(dict.fromkeys(wanted)))


def score_record(record: GoldRecord, predict: Callable[[str], list[Figure]]) -> Report:
    """Score one record; an exception from `predict` counts as predicting nothing, plus an error."""
    mistakes: list[Mistake] = []
    disagreements: list[Mistake] = []
    try:
        predictions, error = list(predict(record.text)), 0
    except Exception as exc:  # noqa: BLE001 - the extractor's contract is never to raise; report it
        predictions, error = [], 1
        what = type(exc).__name__
        mistakes.append(Mistake(record.id, "error", "", None, None, None, None, None, what))
    gold_by_key: dict[Key, list[GoldFigure]] = {}
    for g in record.figures:
        gold_by_key.setdefault(g.key, []).append(g)
    optional_keys = {g.key for g in record.optional} - gold_by_key.keys()
    pred_by_key: dict[Key, list[Figure]] = {}
    for p in predictions:
        pred_by_key.setdefault((p.category, p.value, p.value_max), []).append(p)

    n = Counter[str]()  # counts by Report field name, plus "gold:<category>" etc.
    for key, golds in gold_by_key.items():
        n[f"gold:{key[0]}"] += 1
        preds = pred_by_key.get(key)
        if not preds:
            g = golds[0]
            where = locate_sentence(record.text, g.value)
            mistakes.append(
                Mistake(record.id, "missed", g.category.value, g.value, g.value_max,
                        g.qualifier.value, g.subject, g.claimant, where)
            )  # fmt: skip
            continue
        n[f"tp:{key[0]}"] += 1
        accepted = {q for g in golds for q in (g.qualifier, *g.qualifier_alt)}
        if any(p.qualifier in accepted for p in preds):
            n["qualifier_correct"] += 1
        else:
            expected = "/".join(sorted(q.value for q in accepted))
            mistakes.append(_predicted_mistake(record.id, "qualifier", preds[0], expected))
        for attr in ("subject", "claimant"):
            agree, counted, wanted = _agree(preds, golds, attr)
            n[f"{attr}_agree"] += agree
            n[f"{attr}_total"] += counted
            if counted and not agree:
                kind: MistakeKind = "subject" if attr == "subject" else "claimant"
                disagreements.append(_predicted_mistake(record.id, kind, preds[0], wanted))
    for key, preds in pred_by_key.items():
        if key in gold_by_key:
            continue
        if key in optional_keys:
            n["optional_hits"] += 1
            continue
        n[f"fp:{key[0]}"] += 1
        mistakes.append(_predicted_mistake(record.id, "false_positive", preds[0], None))
    per_category = tuple(
        CategoryScore(c, n[f"gold:{c}"], n[f"tp:{c}"], n[f"fp:{c}"]) for c in Category
    )
    return Report(
        name=record.id,
        records=1,
        gold=len(gold_by_key),
        true_positives=sum(c.true_positives for c in per_category),
        false_positives=sum(c.false_positives for c in per_category),
        optional_hits=n["optional_hits"],
        qualifier_correct=n["qualifier_correct"],
        subject_agree=n["subject_agree"],
        subject_total=n["subject_total"],
        claimant_agree=n["claimant_agree"],
        claimant_total=n["claimant_total"],
        errors=error,
        per_category=per_category,
        mistakes=tuple(mistakes),
        disagreements=tuple(disagreements),
    )


def score(
    records: Iterable[GoldRecord],
    predict: Callable[[str], list[Figure]],
    *,
    name: str = "",
) -> Report:
    """Run `predict` on every record's text and score it (see the module docstring).

    Never raises for an exception inside `predict`: that record counts as predicting
    nothing and the report's `errors` and mistakes say so.
    """
    parts = [score_record(r, predict) for r in records]
    counts = {f: sum(getattr(p, f) for p in parts) for f in REPORT_COUNTS if f != "name"}
    per_category = tuple(
        CategoryScore(
            category=c,
            gold=sum(p.per_category[i].gold for p in parts),
            true_positives=sum(p.per_category[i].true_positives for p in parts),
            false_positives=sum(p.per_category[i].false_positives for p in parts),
        )
        for i, c in enumerate(Category)
    )
    mistakes = tuple(m for p in parts for m in p.mistakes)
    disagreements = tuple(m for p in parts for m in p.disagreements)
    return Report(
        name=name,
        per_category=per_category,
        mistakes=mistakes,
        disagreements=disagreements,
        **counts,
    )

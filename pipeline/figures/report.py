"""An evaluation's result (per-category counts, ratios, mistakes) and its text rendering."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from pipeline.figures.model import Category

__all__ = [
    "REPORT_COUNTS", "CategoryScore", "Mistake", "MistakeKind", "Report", "format_report",
]  # fmt: skip

MistakeKind = Literal["missed", "false_positive", "qualifier", "error", "subject", "claimant"]


@dataclass(frozen=True, slots=True)
class Mistake:
    """One error on one record. For `missed`, `sentence` is a best guess: the first sentence
    that spells the value (see `evaluate.locate_sentence`). For `error`, it names the exception.
    """

    record_id: str
    kind: MistakeKind
    category: str
    value: int | None
    value_max: int | None
    qualifier: str | None
    subject: str | None
    claimant: str | None
    sentence: str
    # For `qualifier`: the acceptable gold qualifiers; for `subject`/`claimant`: the gold name(s).
    expected: str | None = None

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["id"] = out.pop("record_id")
        return out


def _ratio(num: int, den: int, *, empty: float = 1.0) -> float:
    return num / den if den else empty


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True, slots=True)
class CategoryScore:
    category: Category
    gold: int
    true_positives: int
    false_positives: int

    @property
    def precision(self) -> float:
        return _ratio(self.true_positives, self.true_positives + self.false_positives)

    @property
    def recall(self) -> float:
        return _ratio(self.true_positives, self.gold)

    def to_json(self) -> dict[str, Any]:
        return {
            "gold": self.gold,
            "true_positives": self.true_positives,
            "false_positives": self.false_positives,
            "precision": self.precision,
            "recall": self.recall,
        }


@dataclass(frozen=True, slots=True)
class Report:
    """The score of one gold set. Ratios over an empty base are 1.0 (nothing to get wrong)."""

    name: str
    records: int
    gold: int
    true_positives: int
    false_positives: int
    optional_hits: int
    qualifier_correct: int
    subject_agree: int
    subject_total: int
    claimant_agree: int
    claimant_total: int
    errors: int
    per_category: tuple[CategoryScore, ...]
    mistakes: tuple[Mistake, ...] = field(default=())
    # Matched figures whose subject or claimant does not agree with gold (kinds "subject" and
    # "claimant"): what the agreement ratios count as wrong. Kept apart from `mistakes`.
    disagreements: tuple[Mistake, ...] = field(default=())

    @property
    def precision(self) -> float:
        return _ratio(self.true_positives, self.true_positives + self.false_positives)

    @property
    def recall(self) -> float:
        return _ratio(self.true_positives, self.gold)

    @property
    def f1(self) -> float:
        return _f1(self.precision, self.recall)

    @property
    def qualifier_accuracy(self) -> float:
        return _ratio(self.qualifier_correct, self.true_positives)

    @property
    def subject_agreement(self) -> float:
        return _ratio(self.subject_agree, self.subject_total)

    @property
    def claimant_agreement(self) -> float:
        return _ratio(self.claimant_agree, self.claimant_total)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {f: getattr(self, f) for f in REPORT_COUNTS}
        for ratio in ("precision", "recall", "f1", "qualifier_accuracy"):
            out[ratio] = getattr(self, ratio)
        out["subject_agreement"] = self.subject_agreement
        out["claimant_agreement"] = self.claimant_agreement
        out["per_category"] = {c.category.value: c.to_json() for c in self.per_category}
        out["mistakes"] = [m.to_json() for m in self.mistakes]
        out["disagreements"] = [m.to_json() for m in self.disagreements]
        return out


REPORT_COUNTS = (
    "name", "records", "gold", "true_positives", "false_positives", "optional_hits", "errors",
    "qualifier_correct", "subject_agree", "subject_total", "claimant_agree", "claimant_total",
)  # fmt: skip


_KIND_LABEL = {
    "missed": "missed",
    "false_positive": "false positive",
    "qualifier": "wrong qualifier",
    "error": "extractor raised",
    "subject": "subject",
    "claimant": "claimant",
}


def _value_text(value: int | None, value_max: int | None) -> str:
    if value is None:
        return ""
    return f"{value}-{value_max}" if value_max is not None else str(value)


def _format_mistake(m: Mistake) -> list[str]:
    label = _KIND_LABEL[m.kind]
    if m.kind == "error":
        return [f"    {m.record_id}: {label}: {m.sentence}"]
    if m.kind in ("subject", "claimant"):
        got = m.subject if m.kind == "subject" else m.claimant
        what = f"{m.category} {_value_text(m.value, m.value_max)}"
        head = f"    {m.record_id}: {label}: {what}: gold {m.expected!r}, predicted {got!r}"
        return [head, f"        \u201c{_cut(m.sentence)}\u201d"]
    what = f"{m.category} {_value_text(m.value, m.value_max)} {m.qualifier}"
    if m.expected:
        what += f" (gold: {m.expected})"
    who = ", ".join(f"{k}={v}" for k, v in (("subject", m.subject), ("by", m.claimant)) if v)
    head = f"    {m.record_id}: {label}: {what}" + (f" [{who}]" if who else "")
    return [head, f"        \u201c{_cut(m.sentence)}\u201d"]


def _cut(sentence: str) -> str:
    return sentence if len(sentence) <= 240 else sentence[:237] + "..."


def format_report(report: Report, *, mistakes: bool, disagreements: bool = False) -> str:
    """Render a report as readable text; with `mistakes`, list every mistake after the totals;
    with `disagreements`, list every subject and claimant that does not agree with gold."""
    r = report
    lines = [
        f"{r.name or 'gold'}: {r.records} records, {r.gold} gold figures, "
        f"{r.true_positives + r.false_positives} predicted, {r.optional_hits} optional",
        f"  precision {r.precision:.3f}  recall {r.recall:.3f}  F1 {r.f1:.3f}"
        f"  (tp {r.true_positives}, fp {r.false_positives}, missed {r.gold - r.true_positives})",
        f"  qualifier {r.qualifier_accuracy:.3f} ({r.qualifier_correct}/{r.true_positives})"
        f"  subject {r.subject_agreement:.3f} ({r.subject_agree}/{r.subject_total})"
        f"  claimant {r.claimant_agreement:.3f} ({r.claimant_agree}/{r.claimant_total})",
    ]
    if r.errors:
        lines.append(f"  extractor raised on {r.errors} record(s)")
    lines.append(
        f"  {'category':<18} {'gold':>5} {'tp':>5} {'fp':>5} {'precision':>9} {'recall':>7}"
    )
    for c in r.per_category:
        if c.gold or c.true_positives or c.false_positives:
            lines.append(
                f"  {c.category.value:<18} {c.gold:>5} {c.true_positives:>5} "
                f"{c.false_positives:>5} {c.precision:>9.3f} {c.recall:>7.3f}"
            )
    if mistakes and r.mistakes:
        lines.append(f"  mistakes ({len(r.mistakes)}):")
        for m in r.mistakes:
            lines.extend(_format_mistake(m))
    if disagreements and r.disagreements:
        lines.append(f"  subject/claimant disagreements ({len(r.disagreements)}):")
        for m in r.disagreements:
            lines.extend(_format_mistake(m))
    return "\n".join(lines)

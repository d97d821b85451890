"""The figure: one number a text states about people in one category (spec/figures.md)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from enum import StrEnum
from typing import Any


class Category(StrEnum):
    KILLED = "killed"
    WOUNDED = "wounded"
    KILLED_OR_WOUNDED = "killed_or_wounded"
    CAPTURED = "captured"
    MISSING = "missing"


class Qualifier(StrEnum):
    EXACT = "exact"
    APPROXIMATELY = "approximately"
    AT_LEAST = "at_least"
    MORE_THAN = "more_than"
    UP_TO = "up_to"
    LESS_THAN = "less_than"


@dataclass(frozen=True, slots=True, init=False)
class Figure:
    """One figure found in a text, with the evidence that produced it.

    `start`/`end` are character offsets of `sentence` in the text given to
    `find_figures`; `rule` names the extraction rule, so every figure can be
    explained. `subject_key`/`claimant_key` are normalised forms used for the
    figure's identity on a source; `subject`/`claimant` are as the text says.
    """

    category: Category
    value: int
    value_max: int | None
    qualifier: Qualifier
    subject: str | None
    claimant: str | None
    sentence: str
    start: int
    end: int
    rule: str
    subject_key: str | None = None
    claimant_key: str | None = None

    def __init__(
        self,
        category: Category,
        value: int,
        value_max: int | None,
        qualifier: Qualifier,
        subject: str | None,
        claimant: str | None,
        sentence: str,
        start: int,
        end: int,
        rule: str,
        subject_key: str | None = None,
        claimant_key: str | None = None,
    ) -> None:
        # Written out (init=False): mypyc compiles this __init__, while the one @dataclass
        # generates runs as interpreted Python, several times slower, on every figure built
        object.__setattr__(self, "category", category)
        object.__setattr__(self, "value", value)
        object.__setattr__(self, "value_max", value_max)
        object.__setattr__(self, "qualifier", qualifier)
        object.__setattr__(self, "subject", subject)
        object.__setattr__(self, "claimant", claimant)
        object.__setattr__(self, "sentence", sentence)
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)
        object.__setattr__(self, "rule", rule)
        object.__setattr__(self, "subject_key", subject_key)
        object.__setattr__(self, "claimant_key", claimant_key)

    def __reduce__(self) -> tuple[type[Figure], tuple[Any, ...]]:
        # Pickled by its fields (a parsing worker sends its figures back): compiled, the class
        # is not rebuilt field by field the way pickle rebuilds a plain slotted one
        return (Figure, tuple(getattr(self, f.name) for f in fields(self)))

    @property
    def identity(self) -> tuple[str, str, str]:
        """(category, subject, claimant) normalised: the same group counted by the same claimant."""
        return (self.category.value, self.subject_key or "", self.claimant_key or "")

    def to_json(self) -> dict[str, Any]:
        return {
            "category": self.category.value,
            "value": self.value,
            "value_max": self.value_max,
            "qualifier": self.qualifier.value,
            "subject": self.subject,
            "claimant": self.claimant,
            "sentence": self.sentence,
            "start": self.start,
            "end": self.end,
            "rule": self.rule,
        }


def with_subject(f: Figure, subject: str | None, subject_key: str | None) -> Figure:
    """`dataclasses.replace(f, subject=..., subject_key=...)`, built directly: replace reads
    the fields by introspection, a cost paid on most figures of a page."""
    return Figure(
        f.category, f.value, f.value_max, f.qualifier, subject, f.claimant, f.sentence,
        f.start, f.end, f.rule, subject_key, f.claimant_key,
    )  # fmt: skip


def with_claimant(f: Figure, claimant: str | None, claimant_key: str | None) -> Figure:
    """`dataclasses.replace(f, claimant=..., claimant_key=...)`, built directly."""
    return Figure(
        f.category, f.value, f.value_max, f.qualifier, f.subject, claimant, f.sentence,
        f.start, f.end, f.rule, f.subject_key, claimant_key,
    )  # fmt: skip

"""Category cue rules as data: words that say what happened to a count, per language.

The rules live in `lang/<code>/cues.toml` (its header says how one is written). This module
loads and checks them; `cues.py` joins their patterns to the built-in cue tables, so the
readers (`grammar.read_right`, `left.read_left`) apply them and the speed gates (the sentence
prefilter, the first words of right cues) are derived from them like from every other cue.
A rule file that is malformed, whose pattern does not compile or could not be gated, or a rule
without an example, is a `CueRuleError` at import: permanent, the data must be fixed.

Kept free of the extractor's modules other than `lang` and `model`: `cues` imports it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from pipeline.figures.lang import rule_file, rule_tables
from pipeline.figures.model import Category

# "after": the cue follows the count and its noun phrase, through auxiliaries ("12 were found
# missing"); "before": a verb that governs the count right after it ("drowned 40 villagers").
SIDES = ("after", "before")
_KEYS = frozenset({"name", "side", "category", "pattern", "examples", "silent"})
_LOWER_ESCAPE = re.compile(r"\\[A-Z]")


class CueRuleError(ValueError):
    """A language's cue rules break the schema. Permanent: fix the data."""


@dataclass(frozen=True, slots=True)
class CueRule:
    """One named cue: which side of the count it stands, its category and its pattern, and the
    sentences it must ([sentence, count as written]) and must not give that figure for."""

    name: str
    side: str
    category: Category
    pattern: str
    examples: tuple[tuple[str, str], ...]
    silent: tuple[tuple[str, str], ...]


@cache
def cue_rules(code: str = "en") -> tuple[CueRule, ...]:
    """The checked cue rules of language `code`, in file order (loaded once)."""
    where, raw = rule_file(code, "cues.toml", CueRuleError)
    return () if raw is None else check_cue_rules(raw, where=where)


def alternatives(rules: tuple[CueRule, ...], side: str) -> list[tuple[Category, str]]:
    """(category, pattern) of the rules on `side`, in the shape of the cue tables."""
    return [(r.category, r.pattern) for r in rules if r.side == side]


def check_cue_rules(raw: dict[str, Any], *, where: str) -> tuple[CueRule, ...]:
    """The rules of a parsed cue file; raises CueRuleError naming every problem."""
    return rule_tables(raw, _rule, lambda r: r.name, CueRuleError, where=where)


def _rule(item: Any) -> CueRule | str:
    """One rule converted, or a string saying what is wrong with it."""
    if not isinstance(item, dict):
        return "must be a table"
    unknown = set(item) - _KEYS
    if unknown:
        return f"unknown keys {sorted(unknown)}"
    name, side, category, pattern = (item.get(k) for k in ("name", "side", "category", "pattern"))
    if not isinstance(name, str) or not name:
        return "name must be a non-empty string"
    if side not in SIDES:
        return f"{name}: side must be one of {', '.join(SIDES)}"
    if category not in {c.value for c in Category}:
        return f"{name}: category must be one of {', '.join(c.value for c in Category)}"
    problem = _pattern_problem(pattern)
    if problem or not isinstance(pattern, str):
        return f"{name}: pattern {problem}"
    examples = _rows(item.get("examples"))
    if not examples:
        return f"{name}: examples must be a non-empty list of [sentence, count as written]"
    silent = _rows(item.get("silent", []), empty_ok=True)
    if silent is None:
        return f"{name}: silent must be a list of [sentence, count as written]"
    return CueRule(name, side, Category(category), pattern, examples, silent)


def _pattern_problem(pattern: Any) -> str:
    """What makes `pattern` unusable as a cue alternative, or ""."""
    if not isinstance(pattern, str) or not pattern:
        return "must be a non-empty string"
    if not ("a" <= pattern[0] <= "z"):
        return "must start with a lower-case letter (the speed gates are derived from it)"
    if pattern != pattern.lower() or _LOWER_ESCAPE.search(pattern):
        return "must be lower case (it also runs on lower-cased text)"
    try:
        compiled = re.compile(pattern)
    except re.error as exc:
        return f"does not compile: {exc}"
    if compiled.groups:
        return "must not capture: use (?:...) groups"
    return ""


def _rows(value: Any, *, empty_ok: bool = False) -> tuple[tuple[str, str], ...] | None:
    """[[sentence, count], ...] as a tuple of pairs, or None when malformed (or empty, unless
    `empty_ok`); the count must be written in the sentence."""
    if not isinstance(value, list) or (not value and not empty_ok):
        return None
    rows: list[tuple[str, str]] = []
    for row in value:
        if not (
            isinstance(row, list)
            and len(row) == 2
            and all(isinstance(x, str) and x for x in row)
            and row[1] in row[0]
        ):
            return None
        rows.append((row[0], row[1]))
    return tuple(rows)

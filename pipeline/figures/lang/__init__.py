"""Per-language vocabulary of the figure extractor, as data: `lang/<code>/vocabulary.toml`.

`vocabulary("en")` loads a language's tables once, checks them against SCHEMA and returns them
frozen; the extractor's modules read their word lists from it at import time. A table that is
missing, of the wrong kind, not lower case, duplicated or (for patterns) not starting with a
literal letter is a `VocabularyError`: permanent, the data must be fixed, so it is raised at
import rather than met later as a silently wrong gate.

Kept free of imports outside the standard library and of the extractor's modules, which import
it.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

HERE = Path(__file__).resolve().parent
R = TypeVar("R")

# table -> kind. "words": unique lower-case words (a set); "ordered": the same, order kept;
# "patterns": regex alternatives starting with a literal letter, order kept; "map": word ->
# word; "numbers": word -> positive integer.
SCHEMA: dict[str, str] = {
    "non_person": "words",
    "not_counted_people": "words",
    "loss_heads": "words",
    "held_heads_extra": "words",
    "person_nouns": "words",
    "generic_heads": "words",
    "one_category_groups": "words",
    "dead_nouns": "words",
    "org_words": "words",
    "speaker_words": "words",
    "not_speaker": "words",
    "noun_speech": "words",
    "evidence_verbs": "words",
    "pronouns": "words",
    "generic_claimants": "words",
    "named_generic_claimants": "words",
    "addressees": "words",
    "source_links": "words",
    "name_particles": "words",
    "unit_nouns": "words",
    "speech_gap": "words",
    "reporting_verbs": "words",
    "report_hedges": "words",
    "event_nouns": "words",
    "not_credit": "words",
    "force_words": "words",
    "subject_heads": "map",
    "role_titles": "words",
    "np_stop": "words",
    "aux": "words",
    "time_words": "words",
    "modals": "words",
    "counterfactual": "words",
    "negation": "words",
    "forecast": "words",
    "model_makers": "words",
    "release_words": "patterns",
    "release_stems": "ordered",
    "abbreviations": "words",
    "number_units": "numbers",
    "number_tens": "numbers",
    "number_scales": "numbers",
    "nations": "map",
    "claimant_spellings": "map",
    "demonyms": "map",
}
_WORD = re.compile(r"[a-z0-9’'.\- ]+")


class VocabularyError(ValueError):
    """A language's vocabulary file breaks the schema. Permanent: fix the data."""


# The languages the extractor has rules for: the vocabulary of each is `lang/<code>/`. A
# language joins when its rules do, not when a vocabulary file appears.
LANGUAGES: tuple[str, ...] = ("en",)


class UnknownLanguageError(ValueError):
    """`find_figures` was asked for a language it has no rules for. Permanent: the caller must
    pass one of LANGUAGES."""


def longest_first(words: Iterable[str]) -> list[str]:
    """`words` in the order a regex alternation wants them: longest first, so "killed" is
    tried before "kill", and alphabetical among equals, so the pattern (and its cost) is the
    same in every process, whatever the string hash seed."""
    return sorted(words, key=lambda word: (-len(word), word))


def check_language(code: str) -> None:
    """Raise UnknownLanguageError unless the extractor has rules for language `code`."""
    if code not in LANGUAGES:
        known = ", ".join(LANGUAGES)
        raise UnknownLanguageError(f"no figure rules for language {code!r} (known: {known})")


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """One language's tables, checked and read-only."""

    code: str
    tables: MappingProxyType[str, Any]

    def words(self, name: str) -> frozenset[str]:
        return frozenset(self._table(name, ("words", "ordered")))

    def ordered(self, name: str) -> tuple[str, ...]:
        return tuple(self._table(name, ("ordered", "patterns")))

    def mapping(self, name: str) -> dict[str, str]:
        return dict(self._table(name, ("map",)))

    def numbers(self, name: str) -> dict[str, int]:
        return dict(self._table(name, ("numbers",)))

    def _table(self, name: str, kinds: tuple[str, ...]) -> Any:
        if SCHEMA.get(name) not in kinds:
            raise VocabularyError(f"{self.code}: {name} is not a table of kind {'/'.join(kinds)}")
        return self.tables[name]


@cache
def vocabulary(code: str = "en") -> Vocabulary:
    """The checked tables of language `code` (cached: loaded once per process)."""
    path = HERE / code / "vocabulary.toml"
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise VocabularyError(f"no vocabulary for language {code!r} ({path})") from None
    except tomllib.TOMLDecodeError as exc:
        raise VocabularyError(f"{path}: {exc}") from None
    return Vocabulary(code, MappingProxyType(check(raw, where=str(path))))


def check(raw: dict[str, Any], *, where: str = "vocabulary") -> dict[str, Any]:
    """The tables of `raw` converted to their kinds (tuples and dicts); raises VocabularyError
    naming every problem."""
    problems = [f"{name}: missing" for name in SCHEMA if name not in raw]
    problems += [f"{name}: not in the schema" for name in raw if name not in SCHEMA]
    out: dict[str, Any] = {}
    for name, kind in SCHEMA.items():
        value = raw.get(name)
        if value is None:
            continue
        found = _check_table(name, kind, value)
        if isinstance(found, str):
            problems.append(f"{name}: {found}")
        else:
            out[name] = found
    if problems:
        raise VocabularyError(f"{where}: " + "; ".join(problems))
    return out


def _check_table(name: str, kind: str, value: Any) -> Any:
    """The table converted, or a string saying what is wrong with it."""
    if kind in ("words", "ordered", "patterns"):
        if not isinstance(value, list) or not all(isinstance(w, str) and w for w in value):
            return "must be a list of non-empty strings"
        if len(set(value)) != len(value):
            return f"duplicates: {sorted({w for w in value if value.count(w) > 1})}"
        if kind == "patterns":
            bad = [p for p in value if not p[:1].isalpha() or not p[:1].islower()]
            if bad:
                return f"patterns must start with a lower-case literal letter: {bad}"
            try:
                re.compile("|".join(value))
            except re.error as exc:
                return f"not a valid pattern: {exc}"
            return tuple(value)
        bad = [w for w in value if not _WORD.fullmatch(w)]
        if bad:
            return f"not lower-case words: {bad[:5]}"
        return tuple(value)
    if not isinstance(value, dict):
        return "must be a table"
    if kind == "map":
        bad = [k for k, v in value.items() if not isinstance(v, str) or k != k.lower()]
        return f"keys must be lower case, values strings: {bad[:5]}" if bad else dict(value)
    bad = [k for k, v in value.items() if not isinstance(v, int) or v <= 0 or k != k.lower()]
    return f"keys must be lower case, values positive integers: {bad[:5]}" if bad else dict(value)


def rule_tables(
    raw: dict[str, Any],
    convert: Callable[[Any], R | str],
    name_of: Callable[[R], str],
    error: type[ValueError],
    *,
    where: str,
) -> tuple[R, ...]:
    """The `[[rule]]` tables of a parsed rule file (cues.toml, groups.toml), each converted by
    `convert` (a rule, or a string saying what is wrong with it); raises `error` naming every
    problem, duplicate rule names included."""
    items = raw.get("rule")
    if not isinstance(items, list) or set(raw) != {"rule"}:
        raise error(f"{where}: expected only [[rule]] tables")
    out: list[R] = []
    problems: list[str] = []
    for i, item in enumerate(items):
        got = convert(item)
        if isinstance(got, str):
            problems.append(f"rule {i + 1}: {got}")
        else:
            out.append(got)
    names = [name_of(r) for r in out]
    problems += [
        f"duplicate rule name {n!r}" for n in sorted({n for n in names if names.count(n) > 1})
    ]
    if problems:
        raise error(f"{where}: " + "; ".join(problems))
    return tuple(out)


def rule_file(
    code: str, filename: str, error: type[ValueError]
) -> tuple[str, dict[str, Any] | None]:
    """(path, parsed content) of language `code`'s rule file `filename`; the content is None
    when the language has none; a file that is no TOML raises `error` naming it."""
    path = HERE / code / filename
    try:
        return str(path), tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return str(path), None
    except tomllib.TOMLDecodeError as exc:
        raise error(f"{path}: {exc}") from None

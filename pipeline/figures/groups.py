"""Subject rules as data: who a count is about when its own noun phrase does not say.

The rules live per language in `lang/<code>/groups.toml` (its header says how one is written);
this module is the engine that reads them. `named_group(sentence, start, end)` asks each rule
in order and returns the first group one names, with the rule's name. A rule that is malformed,
whose pattern does not compile or lacks its `group`, or that has no example, is a
`GroupRuleError` at import: permanent, the data must be fixed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from pipeline.figures.lang import rule_file, rule_tables, vocabulary
from pipeline.figures.rightcues import derived_stems, stems_gate

WHERE = ("after", "before", "opening")
# The modifier words a group may carry before its person noun: "US and allied", "aid".
# Letters only, and no verb: "420 confirmed deaths are 57 children" names no group for 420.
_MODS = r"(?:(?!(?:are|were|was|is|have|has|had)\b)[^\W\d_][\w’'-]*\s+){0,3}?"
# A "before" rule looks this far back, within the count's clause, with no other number between.
_BEFORE_REACH = 160
_CLAUSE_BREAK = re.compile(r"[;:]|\d")
_MAX_GATE_STEMS = 16


_TIME_WORDS = vocabulary("en").words("time_words")
# A subject opening with one of these is a phrase read past the count, not a group of people:
# "2,000 compared with", "15 out of the 18 passengers", "1,016 from an enrolment of 1,630".
_NOT_GROUP_FIRST = frozenset({"from", "out", "of", "compared", "since", "by", "with", "to"})


@lru_cache(maxsize=4096)  # bounded: a long-running service reads unbounded text
def names_a_group(subject: str) -> bool:
    """Does this subject text name a group of people, rather than a day, a participle or a
    phrase opening with a preposition?"""
    words = subject.split()
    if not words:
        return False
    first, last = words[0].lower(), words[-1].lower()
    if first in _NOT_GROUP_FIRST or last in _TIME_WORDS or last == "ago":
        return False  # "from an enrolment", "Tuesday", "a year ago"
    return not (len(words) == 1 and subject.islower() and last.endswith("ed"))  # "confirmed"


class GroupRuleError(ValueError):
    """A language's subject rules break the schema. Permanent: fix the data."""


@dataclass(frozen=True, slots=True)
class GroupRule:
    """One named construction: where it looks, its pattern, and the sentences it is tested on."""

    name: str
    where: str
    pattern: re.Pattern[str]
    examples: tuple[tuple[str, str, str], ...]
    silent: tuple[tuple[str, str], ...]
    then: re.Pattern[str] | None = None  # must match right after the count, when given
    # Derived from the pattern (rightcues.derived_stems): substrings every match holds; a
    # stretch of the lower-cased sentence without any of them cannot match, so is not searched.
    gate: re.Pattern[str] | None = None


def person_nouns(code: str = "en") -> frozenset[str]:
    """The nouns that name people, from the language's vocabulary."""
    v = vocabulary(code)
    return v.words("loss_heads") | v.words("held_heads_extra") | v.words("person_nouns")


@cache
def rules(code: str = "en") -> tuple[GroupRule, ...]:
    """The checked subject rules of language `code`, in file order (loaded once)."""
    where, raw = rule_file(code, "groups.toml", GroupRuleError)
    return () if raw is None else check_rules(raw, person_nouns(code), where=where)


def check_rules(
    raw: dict[str, Any], persons: frozenset[str], *, where: str
) -> tuple[GroupRule, ...]:
    """The rules of a parsed groups file; raises GroupRuleError naming every problem."""
    person = word_trie(persons)
    return rule_tables(
        raw, lambda item: _rule(item, person), lambda r: r.name, GroupRuleError, where=where
    )


def word_trie(words: frozenset[str]) -> str:
    """One pattern matching exactly `words`, merged into a trie ("men|members" ->
    "me(?:n|mbers)"): each position costs a few steps, not one per word (a plain alternation
    of a hundred nouns tries each at every position)."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _trie(trie)


def _trie(node: dict[str, Any]) -> str:
    alts = [re.escape(ch) + _trie(child) for ch, child in sorted(node.items()) if ch]
    if not alts:
        return ""
    body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
    if "" in node:  # a word ends here, and longer ones go on
        return f"(?:{body})?" if len(alts) == 1 else body + "?"
    return body


def _rule(item: Any, person: str) -> GroupRule | str:
    """One rule converted, or a string saying what is wrong with it."""
    if not isinstance(item, dict):
        return "must be a table"
    unknown = set(item) - {"name", "where", "pattern", "examples", "silent", "then"}
    if unknown:
        return f"unknown keys {sorted(unknown)}"
    name, where, pattern = item.get("name"), item.get("where"), item.get("pattern")
    if not isinstance(name, str) or not re.fullmatch(r"[a-z][a-z-]*", name):
        return "name must be lower-case words joined by '-'"
    if where not in WHERE:
        return f"{name}: where must be one of {', '.join(WHERE)}"
    if not isinstance(pattern, str) or "(?P<group>" not in pattern:
        return f"{name}: pattern must be a string with a (?P<group>...) group"
    try:
        compiled = re.compile(
            pattern.replace("{person}", person).replace("{mods}", _MODS), re.IGNORECASE
        )
    except re.error as exc:
        return f"{name}: pattern does not compile: {exc}"
    then = item.get("then")
    try:
        guard = re.compile(then, re.IGNORECASE) if isinstance(then, str) else None
    except re.error as exc:
        return f"{name}: then does not compile: {exc}"
    if then is not None and guard is None:
        return f"{name}: then must be a pattern"
    examples, silent = item.get("examples"), item.get("silent", [])
    if not _rows(examples, 3) or not examples:
        return f"{name}: examples must be a non-empty list of [sentence, count, subject]"
    if not _rows(silent, 2):
        return f"{name}: silent must be a list of [sentence, count]"
    shown = tuple((a, b, c) for a, b, c in examples)
    quiet = tuple((a, b) for a, b in silent)
    return GroupRule(name, where, compiled, shown, quiet, guard, _gate(compiled))


def _gate(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """The derived prefilter of a rule's pattern, or None when its literals cannot be read."""
    try:
        stems = derived_stems(pattern)
    except (re.error, ValueError, TypeError):
        return None
    # a gate of many stems (one per person noun) lets nearly every sentence through: no gain
    return stems_gate(stems) if 0 < len(stems) <= _MAX_GATE_STEMS else None


def _rows(value: Any, width: int) -> bool:
    return isinstance(value, list) and all(
        isinstance(row, list) and len(row) == width and all(isinstance(c, str) and c for c in row)
        for row in value
    )


def named_group(
    sentence: str, start: int, end: int, code: str = "en", where: tuple[str, ...] = WHERE
) -> tuple[str, str] | None:
    """(rule name, group) for the count at sentence[start:end], from the first rule naming one
    (of the rules that look `where`)."""
    low = sentence.lower()
    if len(low) != len(sentence):
        low = ""  # a letter whose lower case is longer: no gate, offsets would not line up
    for rule in rules(code):
        if rule.where not in where or (low and not _may_match(rule, low, start, end)):
            continue
        group = _match(rule, sentence, start, end)
        if group:
            return rule.name, group
    return None


def _may_match(rule: GroupRule, low: str, start: int, end: int) -> bool:
    """Does the stretch of `low` where the rule looks hold one of its gate's substrings?"""
    if rule.gate is None:
        return True
    if rule.where == "after":
        return rule.gate.search(low, end) is not None
    lo = 0 if rule.where == "opening" else max(0, start - _BEFORE_REACH)
    return rule.gate.search(low, lo, start) is not None


def _match(rule: GroupRule, sentence: str, start: int, end: int) -> str | None:
    if rule.then is not None and rule.then.match(sentence, end) is None:
        return None
    if rule.where == "after":
        m = rule.pattern.match(sentence, end)
    elif rule.where == "opening":
        m = rule.pattern.match(sentence)
        if m is not None and m.end() > start:
            m = None
    else:
        lo = max(0, start - _BEFORE_REACH)
        found = list(rule.pattern.finditer(sentence, lo, start))
        last = found[-1] if found else None
        between = sentence[last.end() : start] if last is not None else ""
        m = None if last is None or _CLAUSE_BREAK.search(between) else last
    return " ".join(m.group("group").split()) if m is not None else None

"""What the cue patterns let a reader rule out, derived from their syntax trees: the words a right
cue (RIGHT_RE) can start with (read by `cueat.cue_at`, which finds the cue at a position), and
the substrings every cue holds (the sentence prefilter).
"""

from __future__ import annotations

import re
from re import _constants as _c  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]
from typing import Any

from pipeline.figures.cues import RIGHT_RE_LOWER


def first_words(pattern: re.Pattern[str]) -> frozenset[str]:
    """Every word (run of a-z) a match of a lower-case `pattern` can start with, worked out from
    its syntax tree, so a cheap word lookup can rule out a position before the full pattern runs.
    Raises ValueError on a construct it does not follow (the gate would then be unsafe)."""
    done: set[str] = set()
    if _walk(list(_parser.parse(pattern.pattern)), {""}, done):
        raise ValueError("a match can end inside a word")  # its first word is not known
    return frozenset(done)


_SPACE = [(_c.IN, [(_c.CATEGORY, _c.CATEGORY_SPACE)])]
_NOT_WORD_OR_DASH = [(_c.IN, [(_c.CATEGORY, _c.CATEGORY_WORD), (_c.LITERAL, ord("-"))])]


def _walk(items: list[Any], words: set[str], done: set[str]) -> set[str]:
    """Extends the partial first `words` through `items`; those that have ended go to `done`."""
    for op, av in items:
        if not words:
            break
        if (
            [(op, av)] == _SPACE
            or (op is _c.AT and av in (_c.AT_BOUNDARY, _c.AT_END))  # "\\b" after a letter
            or (op is _c.ASSERT_NOT and list(av[1]) == _NOT_WORD_OR_DASH)  # "(?![\\w-])"
            or (op is _c.ASSERT_NOT and _starts_with_space(list(av[1])))  # "(?!\\s+under)"
        ):
            _end(words, done)
            return set()
        if op is _c.LITERAL or op is _c.IN:
            chars = {chr(av)} if op is _c.LITERAL else _class_chars(av)
            letters = {ch for ch in chars if "a" <= ch <= "z"}
            if letters and letters != chars:
                raise ValueError(f"mixed letters and other characters: {chars}")
            if not letters:
                _end(words, done)
                return set()
            words = {w + ch for w in words for ch in letters}
        elif op is _c.SUBPATTERN:
            words = _walk(list(av[-1]), words, done)
        elif op is _c.BRANCH:
            words = set().union(*(_walk(list(alt), words, done) for alt in av[1]))
        elif op is _c.ASSERT and av[0] == 1:
            if _walk(list(av[1]), words, done):
                raise ValueError("a look-ahead that lets a word go on")
            return set()
        elif op is _c.MAX_REPEAT or op is _c.MIN_REPEAT:
            least, most, inner = av
            once = _walk(list(inner), words, done)
            if once and most > 1:
                raise ValueError("a repeated run of letters")
            words = (words | once) if least == 0 else once
        else:
            raise ValueError(f"cannot tell the first words through {op} {av}")
    return words


def _starts_with_space(items: list[Any]) -> bool:
    """Does this (look-ahead) pattern start with at least one required space? Then the word
    before it has ended, whatever the look-ahead says."""
    if not items:
        return False
    op, av = items[0]
    if [(op, av)] == _SPACE:
        return True
    return op is _c.MAX_REPEAT and av[0] >= 1 and list(av[2]) == _SPACE


def _class_chars(av: list[Any]) -> set[str]:
    chars = set()
    for op, arg in av:
        if op is not _c.LITERAL:
            raise ValueError(f"character class with {op}")
        chars.add(chr(arg))
    return chars


def _end(words: set[str], done: set[str]) -> None:
    if "" in words:
        raise ValueError("an alternative does not start with a letter")
    done |= words


class _AnyWord(frozenset[str]):
    """The gate that lets every word through: the full pattern then decides alone."""

    def __contains__(self, item: object) -> bool:
        return True


try:
    CUE_FIRST_WORDS: frozenset[str] = first_words(RIGHT_RE_LOWER)  # "killed", "shot", "in", ...
    CUE_FIRST = frozenset(w[0] for w in CUE_FIRST_WORDS)
except Exception:  # noqa: BLE001 - a Python whose regex parser differs: slower, never wrong
    CUE_FIRST_WORDS = _AnyWord()
    CUE_FIRST = _AnyWord()


# --- the sentence prefilter, derived from the cue patterns --------------------------------------

# Literals too common to gate a sentence on ("people who died": "died" gates, "people" would not);
# a cover picks another part of the pattern when one holds.
_UNSELECTIVE_WORDS = """
    people persons those civilians who the found laid hands gunmen rebels militants attackers
    pirates bandits insurgents terrorists assailants kidnappers abductors captors jihadists
    hostage-takers into were been have down with from count tally action life"""
_UNSELECTIVE = frozenset(_UNSELECTIVE_WORDS.split())


def cover_literals(pattern: re.Pattern[str]) -> frozenset[str]:
    """Literal strings such that every match of the lower-case `pattern` contains one of them,
    worked out from its syntax tree. Raises ValueError when some part of the pattern can match
    without any literal of three letters or more (no substring test could gate it)."""
    found = _cover(list(_parser.parse(pattern.pattern)))
    if found is None:
        raise ValueError(f"no literal gates every match of {pattern.pattern[:60]!r}")
    return frozenset(found)


def _cover(items: list[Any]) -> set[str] | None:
    words: set[str] | None = {""}  # the exact strings of the run of items read so far
    candidates: list[set[str]] = []

    def close_run() -> None:
        if words is not None and words != {""}:
            stripped = {w.strip(" ,") for w in words}
            if min(map(len, stripped)) >= 3:
                candidates.append(stripped)

    for op, av in items:
        exact = _strings([(op, av)])
        if exact is not None and words is not None and len(words) * len(exact) <= _MAX_STRINGS:
            words = {w + e for w in words for e in exact}  # "t" + "ook|aking": took, taking
            continue
        close_run()
        words = exact if exact is not None else {""}
        found: set[str] | None = None
        if op is _c.SUBPATTERN:
            found = _cover(list(av[-1]))
        elif op is _c.BRANCH:
            alternatives = [_cover(list(alt)) for alt in av[1]]
            if all(a is not None for a in alternatives):
                found = set().union(*(a for a in alternatives if a is not None))
        elif (op is _c.MAX_REPEAT or op is _c.MIN_REPEAT) and av[0] >= 1:
            found = _cover(list(av[2]))
        if found:
            candidates.append(found)
    close_run()
    if not candidates:
        return None
    # The most selective: no common word, the longest shortest literal, then the later part of
    # the pattern (the cue word comes last: "people who died").
    ranked = [(not (c & _UNSELECTIVE), min(map(len, c)), i) for i, c in enumerate(candidates)]
    return candidates[max(range(len(candidates)), key=lambda i: ranked[i])]


_MAX_STRINGS = 64


def _strings(items: list[Any]) -> set[str] | None:
    """The exact strings a run of literals, letter classes and alternations of them matches,
    or None when it holds anything else (a space, a repeat, a look-around)."""
    out = {""}
    for op, av in items:
        if op is _c.LITERAL and chr(av) not in " \t\n":
            part = {chr(av)}
        elif op is _c.IN and all(o is _c.LITERAL and chr(a).isalpha() for o, a in av):
            part = {chr(a) for _, a in av}
        elif op is _c.SUBPATTERN:
            sub = _strings(list(av[-1]))
            if sub is None:
                return None
            part = sub
        elif op is _c.BRANCH:
            alts = [_strings(list(alt)) for alt in av[1]]
            if any(a is None for a in alts):
                return None
            part = set().union(*(a for a in alts if a is not None))
        else:
            return None
        out = {o + p for o in out for p in part}
        if len(out) > _MAX_STRINGS:
            return None
    return out


def derived_stems(*patterns: re.Pattern[str]) -> tuple[str, ...]:
    """The substrings a lower-cased sentence must hold to contain a match of any of `patterns`,
    shortest first, without a stem that holds another (the other already gates it)."""
    found: set[str] = set()
    for pattern in patterns:
        found |= cover_literals(pattern)
    minimal = {s for s in found if not any(o != s and o in s for o in found)}
    return tuple(sorted(minimal, key=lambda s: (len(s), s)))


def uncovered(pattern: re.Pattern[str], stems: tuple[str, ...]) -> list[str]:
    """The top-level alternatives of the lower-case `pattern` that a sentence could match
    without holding any of `stems`: a hand-kept prefilter is sound when this is empty."""
    tree = list(_parser.parse(pattern.pattern))
    found: list[str] = []
    for op, av in tree:
        if op is _c.SUBPATTERN or op is _c.BRANCH:
            inner = list(av[-1]) if op is _c.SUBPATTERN else [(op, av)]
            for alt in _alternatives(inner):
                found.extend(_show(a) for a in _alternatives(alt) if not _covered(a, stems))
    return found


def _alternatives(items: list[Any]) -> list[list[Any]]:
    """The alternatives of a pattern that is one alternation (named groups included)."""
    if len(items) == 1 and items[0][0] is _c.BRANCH:
        return [list(a) for a in items[0][1][1]]
    if len(items) == 1 and items[0][0] is _c.SUBPATTERN:
        return _alternatives(list(items[0][1][-1]))
    return [items]


def _covered(items: list[Any], stems: tuple[str, ...]) -> bool:
    """Must every match of `items` hold one of `stems`?"""
    run: list[Any] = []
    for op, av in [*items, (None, None)]:
        exact = _strings([(op, av)]) if op is not None else None
        if exact is not None:
            run.append((op, av))
            continue
        words = _strings(run) if run else None
        if words and all(any(s in w for s in stems) for w in words):
            return True
        run = []
        if op is _c.SUBPATTERN and _covered(list(av[-1]), stems):
            return True
        if op is _c.BRANCH and all(_covered(list(alt), stems) for alt in av[1]):
            return True
        repeated = (op is _c.MAX_REPEAT or op is _c.MIN_REPEAT) and av[0] >= 1
        if repeated and _covered(list(av[2]), stems):
            return True
    return False


def _show(items: list[Any]) -> str:
    words = _strings(items)
    return sorted(words)[0] if words else str(items)[:80]


def stems_gate(stems: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern that finds any of `stems` in a single scan: the stems merged into a trie
    ("kill|kidnap" -> "ki(?:ll|dnap)"), so each position costs a few steps, not one per stem
    (a plain alternation tries every stem at every position; a loop of `in` scans the sentence
    once per stem). `gate.search(low)` is found exactly when some stem is in `low`."""
    trie: dict[str, Any] = {}
    for stem in stems:
        node = trie
        for ch in stem:
            node = node.setdefault(ch, {})
        node[""] = {}  # a stem ends here: whatever follows, it has matched
    return re.compile(_trie_pattern(trie))


def _trie_pattern(node: dict[str, Any]) -> str:
    if "" in node:
        return ""  # a shorter stem ends here and gates alone: its longer ones add nothing
    alts = [re.escape(ch) + _trie_pattern(child) for ch, child in sorted(node.items())]
    return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"

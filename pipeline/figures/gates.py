"""Prefilters derived from the patterns they guard: `Gated(pattern)` runs a case-insensitive
pattern only over a stretch of text that holds one of the literals every match must contain.

The literals come from the pattern's own syntax tree (`rightcues.cover_literals`), never from a
hand-kept list beside it, so the gate cannot disagree with the pattern: `Gated(p).search(s, i, j)`
finds exactly what `p.search(s, i, j)` finds. The gate is a trie of the literals searched on the
lower-cased text (`cues.lowered`, remembered per sentence), which Python's matcher scans fast:
it starts with a set of letters; a pattern opening with `\\b` or a look-behind is tried at every
position, and under IGNORECASE folds the case of every character it reads.
"""

from __future__ import annotations

import re
from typing import Final

from pipeline.figures.cues import lower_twin, lowered
from pipeline.figures.rightcues import derived_stems, stems_gate

_END: Final = 2**31 - 1
_FEW: Final = 8  # stems tested one by one up to this many; a trie pattern beyond


def _lower(pattern: re.Pattern[str]) -> re.Pattern[str]:
    return lower_twin(pattern) if pattern.flags & re.IGNORECASE else pattern


class Prefilter:
    """The literals every match of any of `patterns` holds (rightcues.derived_stems): a stretch
    of lower-cased text without one of them cannot hold a match. When some part of a pattern
    can match without a literal of three letters, or `lower_twin` refuses a pattern, there is
    no prefilter: `may_match` is always True."""

    def __init__(self, *patterns: re.Pattern[str], one_by_one: int = _FEW) -> None:
        stems: tuple[str, ...] = ()
        try:
            stems = derived_stems(*(_lower(p) for p in patterns))
            gate: re.Pattern[str] | None = stems_gate(stems)
        except (ValueError, re.error):
            gate = None
        self.gate = gate
        # A few stems are found faster one by one (str.find skips with memchr) than by the trie;
        # so are many rare ones with many first letters (`one_by_one`: up to how many), which
        # the trie tries at almost every position
        self.stems = stems if gate is not None and len(stems) <= one_by_one else ()

    def may_match(self, low: str, pos: int = 0, endpos: int = _END) -> bool:
        """Can the lower-cased `low` hold a match between `pos` and `endpos`?"""
        if self.gate is None or "ı" in low or "ſ" in low:
            return True  # IGNORECASE matches these as "i" and "s"; their lower case is their own
        if not self.stems:
            return self.gate.search(low, pos, endpos) is not None
        if pos > 0 or endpos < len(low):
            low = low[pos:endpos]
        for stem in self.stems:  # noqa: SIM110 (a plain loop compiles to a plain loop)
            if stem in low:
                return True
        return False


class Gated(Prefilter):
    """A pattern with its derived prefilter: `search` and `finditer` find what the pattern
    finds, without running it where the prefilter rules a match out."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        super().__init__(pattern)
        self.pattern = pattern
        try:
            low = _lower(pattern)
        except ValueError:
            low = pattern
        self.low = low

    def search(self, text: str, pos: int = 0, endpos: int = _END) -> re.Match[str] | None:
        """`pattern.search(text, pos, endpos)`, skipped when the gate finds no literal. A match
        is read on the lower-cased text when there is one (same offsets)."""
        low = lowered(text)
        if low is None or self.gate is None:
            return self.pattern.search(text, pos, endpos)
        if not self.may_match(low, pos, endpos):
            return None
        return self.low.search(low, pos, endpos)

    def finditer(self, text: str, pos: int = 0, endpos: int = _END) -> list[re.Match[str]]:
        """The matches of `pattern.finditer(text, pos, endpos)`, as a list (on the lower-cased
        text when there is one)."""
        low = lowered(text)
        if low is None or self.gate is None:
            return list(self.pattern.finditer(text, pos, endpos))
        if not self.may_match(low, pos, endpos):
            return []
        return list(self.low.finditer(low, pos, endpos))


def _top_alternatives(body: str) -> list[str]:
    """The top-level alternatives of the regular expression `body` (split at each "|" outside
    groups and character classes)."""
    out: list[str] = []
    depth = 0
    start = 0
    i = 0
    in_class = False
    while i < len(body):
        ch = body[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            if body.startswith("]", i + 1) or body.startswith("^]", i + 1):
                raise ValueError("a class opening with ']' is not read here")
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth < 0:
                raise ValueError("unbalanced ')'")
        elif ch == "|" and depth == 0:
            out.append(body[start:i])
            start = i + 1
        i += 1
    if depth or in_class:
        raise ValueError("unbalanced group or class")
    out.append(body[start:])
    return out


_WORDS_FIRST = re.compile(r"\(\?:([a-z\[\]|]+)\)")


def by_first_letter(alternation: str) -> str:
    """`alternation` ("(?:said|says|...)", case-sensitive, every alternative opening with a
    lower-case ASCII letter or a group of plain words) regrouped by first letter, with a
    look-ahead for the letters that can open a match: "(?=[ps])(?:s(?:aid|ays)|p(?:ut|uts))".

    It matches what `alternation` matches, preferring the same alternative: alternatives with
    different first letters cannot match at one place, and those sharing one keep their order
    ("(?:was|were)X" is "wasX|wereX" in that order). Python's matcher rejects an alternative
    that opens with a letter on that letter alone, so a scan tries a few first letters at each
    word instead of every alternative. ValueError when `alternation` is not of that shape."""
    if not (alternation.startswith("(?:") and alternation.endswith(")")):
        raise ValueError("not a (?:...) group")
    body = alternation[3:-1]
    alternatives = _top_alternatives(body)
    if "|".join(alternatives) != body or _top_alternatives(f"({body})") != [f"({body})"]:
        raise ValueError("the group does not span the whole pattern")
    groups: dict[str, list[str]] = {}
    for alt in alternatives:
        words = _WORDS_FIRST.match(alt)
        spread = [w + alt[words.end() :] for w in words.group(1).split("|")] if words else [alt]
        for one in spread:
            first = one[:1]
            if not ("a" <= first <= "z"):
                raise ValueError(f"an alternative opens with no lower-case letter: {one!r}")
            groups.setdefault(first, []).append(one[1:])
    parts = [
        first + (rests[0] if len(rests) == 1 else "(?:" + "|".join(rests) + ")")
        for first, rests in groups.items()
    ]
    return "(?=[" + "".join(sorted(groups)) + "])(?:" + "|".join(parts) + ")"

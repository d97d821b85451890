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

    def __init__(self, *patterns: re.Pattern[str]) -> None:
        stems: tuple[str, ...] = ()
        try:
            stems = derived_stems(*(_lower(p) for p in patterns))
            gate: re.Pattern[str] | None = stems_gate(stems)
        except (ValueError, re.error):
            gate = None
        self.gate = gate
        # A few stems are found faster one by one (str.find skips with memchr) than by the trie
        self.stems = stems if gate is not None and len(stems) <= _FEW else ()

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

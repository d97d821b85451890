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


class Gated:
    """A pattern with its derived prefilter. Patterns the derivation cannot read (some part
    can match without a literal of three letters) or that `lower_twin` refuses run ungated."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        try:
            low = lower_twin(pattern) if pattern.flags & re.IGNORECASE else pattern
            gate: re.Pattern[str] | None = stems_gate(derived_stems(low))
        except (ValueError, re.error):
            low, gate = pattern, None
        self.low = low
        self.gate = gate

    def may_match(self, low: str, pos: int = 0, endpos: int = _END) -> bool:
        """Can the lower-cased `low` hold a match between `pos` and `endpos`?"""
        return self.gate is None or self.gate.search(low, pos, endpos) is not None

    def search(self, text: str, pos: int = 0, endpos: int = _END) -> re.Match[str] | None:
        """`pattern.search(text, pos, endpos)`, skipped when the gate finds no literal."""
        low = lowered(text)
        if low is None or self.gate is None:
            return self.pattern.search(text, pos, endpos)
        if self.gate.search(low, pos, endpos) is None:
            return None
        return self.low.search(low, pos, endpos)

    def finditer(self, text: str, pos: int = 0, endpos: int = _END) -> list[re.Match[str]]:
        """The matches of `pattern.finditer(text, pos, endpos)`, as a list."""
        low = lowered(text)
        if low is None or self.gate is None:
            return list(self.pattern.finditer(text, pos, endpos))
        if self.gate.search(low, pos, endpos) is None:
            return []
        return list(self.low.finditer(low, pos, endpos))

"""The right cue (RIGHT_RE) at a position, fast: a word lookup rules out most positions before
the big alternation runs, and a sentence's cues are remembered by position.

The lookup runs once per token the noun-phrase and right readers pass, so it is compiled
(compiled.py); the first words it looks up are derived from the cue patterns in rightcues.py,
which stays interpreted.
"""

from __future__ import annotations

import re
from collections.abc import Container
from typing import Final

from pipeline.figures.cues import RIGHT_CUES, RIGHT_RE, RIGHT_RE_LOWER, lowered
from pipeline.figures.model import Category
from pipeline.figures.rightcues import CUE_FIRST, CUE_FIRST_WORDS

Cue = tuple[Category | None, int, str]  # category (None: gated), end, text

# Typed as containers: on a Python whose regex parser rightcues cannot read, they let every
# word through by their own __contains__, which a set lookup would pass over.
_FIRST_WORDS: Final[Container[str]] = CUE_FIRST_WORDS
_FIRST_LETTERS: Final[Container[str]] = CUE_FIRST
_CUE_WINDOW = 100  # characters: longer than any right cue


def cue_at(sentence: str, pos: int) -> Cue | None:
    """The right cue starting at `pos`: its category (None for one that counts only in company,
    see `grammar._gated_cue`), its end and its text."""
    low = lowered(sentence)
    if low is None:
        if sentence[pos : pos + 1].lower() not in _FIRST_LETTERS:
            return None  # no cue starts with this letter: skip the big alternation
    else:
        word = _WORD.match(low, pos)
        if word is None or word.group() not in _FIRST_WORDS:
            return None  # no cue starts with this word: skip the big alternation
    return _remembered_cue(sentence, low, pos)


def token_cue(sentence: str, low: str | None, pos: int) -> Cue | None:
    """`cue_at` for a caller that has checked the token at `pos` against CUE_FIRST_WORDS;
    `low` is `lowered(sentence)`."""
    return cue_at(sentence, pos) if low is None else _remembered_cue(sentence, low, pos)


def _remembered_cue(sentence: str, low: str | None, pos: int) -> Cue | None:
    global _CUES
    memo = _CUES  # one read: another thread may replace it meanwhile
    if memo[0] is not sentence:
        memo = _CUES = (sentence, {})
    if pos not in memo[1]:
        memo[1][pos] = _full_cue_at(sentence, low, pos)
    return memo[1][pos]


# The cues found in the current sentence by position: a noun phrase stops before a cue that
# the right reader then reads again. Remembered for one sentence only (by identity).
_CUES: tuple[str, dict[int, Cue | None]] = ("", {})


def _full_cue_at(sentence: str, low: str | None, pos: int) -> Cue | None:
    stop = pos + _CUE_WINDOW
    m = RIGHT_RE_LOWER.match(low, pos, stop) if low is not None else None
    if low is None or (m is not None and m.end() == stop):
        m = RIGHT_RE.match(sentence, pos)  # case folding moved offsets, or the window cut a word
    if m is None:
        return None
    cat = RIGHT_CUES[int(m.lastgroup[1:])][0] if m.lastgroup else None
    return cat, m.end(), sentence[pos : m.end()]


_WORD = re.compile(r"[a-z]+")

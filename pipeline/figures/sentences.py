"""Sentence splitting with offsets that survives abbreviations, initials, decimals and quotes."""

from __future__ import annotations

import re

from pipeline.figures.lang import vocabulary

# A boundary: terminal punctuation, closing quotes/brackets, whitespace, then something that
# can open a sentence. Line breaks end a sentence (headlines, list items, paragraphs), except a
# single break between a word and a lower-case word: a line wrapped inside a sentence.
# Written as one leading character class ("\n\s*|[.!?…]+..." with the branch chosen by a
# look-behind) so the engine skips ahead to candidate characters instead of trying each one.
_AFTER_END = r"[.!?…]*[\"'”’»)\]]*(?=\s+[\"'“‘«(\[]*[A-Z0-9\u0400-\u04ff])"
_BOUNDARY = re.compile(r"[\n.!?…](?:(?<=\n)\s*|(?<!\n)" + _AFTER_END + ")")
# The same for a text whose only terminal character is ".": sre scans for a character class
# at some 80 instructions a character, for a single literal several times faster.
_DOT_BOUNDARY = re.compile(r"\." + _AFTER_END)

# "; of the dead," "; among them" "; of those killed,": a breakdown of the clause before.
_BREAKDOWN_AFTER_SEMICOLON = re.compile(
    r";\s+(?=(?:of|among)\s+(?:the|them|those|these|whom|which)\b)", re.IGNORECASE
)
_INITIALS = re.compile(r"(?:[A-Za-z]\.)*[A-Za-z]")
_ABBREV = vocabulary("en").words("abbreviations")
_WORD_BEFORE = re.compile(r"([\w.]+)$")
_WORD_RUN = re.compile(r"[\w.]+")
_MAX_SENTENCE = 2_000  # longer runs are cut so one pathological "sentence" stays cheap


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Return (start, end) spans of the sentences of `text`, stripped of surrounding space.

    `text[start:end]` is the sentence. Never raises; very long runs without a boundary are
    cut into pieces of at most a few thousand characters.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    only_dots = "\n" not in text and "!" not in text and "?" not in text and "…" not in text
    for m in (_DOT_BOUNDARY if only_dots else _BOUNDARY).finditer(text):
        end = m.start()
        first = text[end]
        if first == "\n" and _wrapped(text, end, m.end()):
            continue  # "were\nkilled": a line wrapped inside a sentence, not its end
        if first == ".":
            word = _word_before(text, end)
            low = word.lower().rsplit(".", 1)[-1]
            # _INITIALS matches one letter, or a word whose second character is "."
            if low in _ABBREV or (word[1:2] in ("", ".") and _INITIALS.fullmatch(word)):
                continue  # "Gen. Shields", "U.S. officials", "J. Smith"
            item = word.isdigit() and len(word) <= 3
            if item and not text[start : end - len(word)].strip():
                continue  # "4. As of late Tuesday": a list item's number
        _add(text, start, end if first == "\n" else m.end(), spans)
        start = m.end()
    _add(text, start, len(text), spans)
    if ";" in text:
        return _split_breakdowns(text, spans)
    return spans


def _split_breakdowns(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans cut again where a semicolon opens a breakdown ("...; of the dead, 40 were
    children"): the breakdown reads its category from its opener, as after a full stop."""
    out: list[tuple[int, int]] = []
    for start, end in spans:
        for m in _BREAKDOWN_AFTER_SEMICOLON.finditer(text, start, end):
            out.append((start, m.start() + 1))
            start = m.end()
        out.append((start, end))
    return out


def _wrapped(text: str, end: int, nxt: int) -> bool:
    """Is the line break at `end` (the next line starting at `nxt`) a wrap inside a sentence:
    one break, after a word or comma, before a lower-case word?"""
    return (
        nxt < len(text)
        and text[nxt].islower()
        and end > 0
        and (text[end - 1].isalnum() or text[end - 1] == ",")
        and "\n" not in text[end + 1 : nxt]
    )


def _word_before(text: str, end: int) -> str:
    """The run of word characters and dots right before `end` (at most 30 characters back)."""
    lo = max(0, end - 30)
    # Most words follow a space: one rfind and a fullmatch instead of a search that tries
    # every start position of the window.
    start = text.rfind(" ", lo, end) + 1 or lo
    word = text[start:end]
    if word.isalnum() or _WORD_RUN.fullmatch(word):  # isalnum: "\w" without "_" (cheaper)
        return word
    wm = _WORD_BEFORE.search(text, lo, end)
    return wm.group(1) if wm else ""


def _add(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while end - start > _MAX_SENTENCE:
        cut = text.rfind(" ", start + _MAX_SENTENCE // 2, start + _MAX_SENTENCE)
        cut = cut if cut > start else start + _MAX_SENTENCE
        spans.append((start, cut))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        spans.append((start, end))

"""Names across the whole article: who states a figure its own paragraph does not attribute.

A figure whose sentence quotes no one, and whose two sentences before (in the same paragraph)
quote no one either, is attributed to the claimant the article named last before it ("The
health ministry said on Monday ... \n\n It said 40 people were still missing."), or, when the
article names none before it, the first one it names in the few sentences after ("Forty were
killed. The United Nations reported the attack on Saturday."). Found lazily: only sentences
before (or after) an unattributed figure are read, so a page without figures costs nothing.
"""

from __future__ import annotations

import re
from dataclasses import replace

from pipeline.figures.claimkeys import claimant_key
from pipeline.figures.groups import names_a_group
from pipeline.figures.model import Figure
from pipeline.figures.sentence_figures import Claimants
from pipeline.figures.subjects import subject_key

_AFTER = 2  # sentences read after the figure when nothing before it names a claimant


def claimant_in_article(
    text: str, spans: list[tuple[int, int]], idx: int, claimants: Claimants
) -> str | None:
    """The claimant named last before sentence `idx` of `text`, else the first one named in
    the `_AFTER` sentences after it, else None."""
    for j in range(idx - 1, -1, -1):
        found = claimants.of(text[spans[j][0] : spans[j][1]])
        if found:
            return found
    for j in range(idx + 1, min(len(spans), idx + 1 + _AFTER)):
        found = claimants.of(text[spans[j][0] : spans[j][1]])
        if found:
            return found
    return None


_PEOPLE = "people"


def unnamed_group(f: Figure, aliases: dict[str, str]) -> Figure:
    """A count the text does not name a group for ("74 were killed", "the toll rose to 74")
    counts people: its subject is "people", as in "74 people were killed", so that rewording
    one into the other keeps the figure's identity. A subject that names no group (a day, a
    participle, a phrase opening with a preposition) counts as none."""
    if f.subject is not None and names_a_group(f.subject):
        return f
    return replace(f, subject=_PEOPLE, subject_key=subject_key(_PEOPLE, aliases))


# "the Office for Flood Relief (OFR)": a name the article then shortens to its initials
_ACRONYM = re.compile(r"\(([A-Z]{2,8})\)")
_NAME_BEFORE = re.compile(r"(?:[A-Z][\w’'.-]*|of|for|the|and|on)(?:\s+|$)")


def acronyms(text: str, aliases: dict[str, str]) -> dict[str, str]:
    """`aliases` plus, for each "Long Name (LN)" of `text` whose capitalised words' initials
    spell LN, the long name (lower case, with and without "the") keyed as LN is: one claimant
    named two ways in one article keeps one key. The caller's aliases win."""
    if "(" not in text:
        return aliases
    table = dict(aliases)
    for m in _ACRONYM.finditer(text):
        short = m.group(1)
        words = text[max(0, m.start() - 120) : m.start()].split()
        name: list[str] = []
        while words and _NAME_BEFORE.fullmatch(words[-1] + " "):
            name.insert(0, words.pop())
            initials = "".join(w[0] for w in name if w[:1].isupper())
            if initials == short:
                long = " ".join(name).lower()
                key = claimant_key(short, aliases)
                if key:
                    for phrase in (long, long.removeprefix("the ")):
                        table.setdefault(phrase, key)
                break
    return table

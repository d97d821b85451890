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

from pipeline.figures.claimants import DETERMINERS, GENERIC_CLAIMANTS, NAMED_GENERIC_CLAIMANTS
from pipeline.figures.claimkeys import claimant_key, names_a_person
from pipeline.figures.groups import names_a_group
from pipeline.figures.lang import longest_first, vocabulary
from pipeline.figures.model import Figure, with_subject
from pipeline.figures.sentence_figures import Claimants
from pipeline.figures.subjects import subject_key

_AFTER = 2  # sentences read after the figure when nothing before it names a claimant


def claimant_in_article(
    text: str, spans: list[tuple[int, int]], idx: int, claimants: Claimants
) -> str | None:
    """The claimant named last before sentence `idx` of `text`, else the first one named in
    the `_AFTER` sentences after it, else None."""
    for j in range(idx - 1, -1, -1):
        found = claimants.at(text, spans, j)
        if found:
            return found
    for j in range(idx + 1, min(len(spans), idx + 1 + _AFTER)):
        found = claimants.at(text, spans, j)
        if found:
            return found
    return None


_PEOPLE = "people"
_ACRONYM_WORD = re.compile(r"[A-Z]{2,8}")  # "PDF", "UN": initials name an organisation
_BACK = 10  # sentences read back for the organisation a generic claimant stands for


def is_generic(claimant: str) -> bool:
    """ "group", "the UN agency", "rights watchdog": a claimant that says what kind of
    organisation speaks, not which (lower-case words but an acronym, a generic last noun)."""
    if claimant.rpartition(" ")[2] not in GENERIC_CLAIMANTS:
        return False  # most claimants stop here
    words = claimant.split()
    return len(words) <= 3 and all(w.islower() or w.isupper() for w in words)


def organisation_before(
    text: str, spans: list[tuple[int, int]], idx: int, generic: str, claimants: Claimants
) -> str | None:
    """The organisation that `generic` ("the watchdog", "the UN agency", "the group") stands
    for: of the capitalised names the article gives as claimants within `_BACK` sentences
    before sentence `idx` (or earlier in it) that hold the generic's acronym, the last that is
    no person's name ("Bashir Lawan said ... the agency had revised": not Lawan). A name without
    an organisation word or initials ("Amnesty Trust") looks like a person's and is passed.
    When none is named before, the first one named in the `_BACK` sentences after whose name
    holds the generic's own noun: a rewrite that moves "the ministry said" above "Lebanon's
    health ministry said" keeps its claimant ("the agency" is not the United Nations named
    after it)."""
    *modifiers, head = generic.split()
    marks = [w for w in modifiers if w.isupper()]
    # "the interior ministry" is the Interior Ministry, not any organisation named before
    words = [w.lower() for w in modifiers if w.lower() not in DETERMINERS and not w.isupper()]
    if head in NAMED_GENERIC_CLAIMANTS:
        words.append(head)
    for j in range(idx, max(-1, idx - 1 - _BACK), -1):
        found = claimants.at(text, spans, j)
        if found and _stands_for(found, marks, words):
            return found
    words = [*words, head] if head not in words else words
    for j in range(idx + 1, min(len(spans), idx + 1 + _BACK)):
        found = claimants.at(text, spans, j)
        if found and _stands_for(found, marks, words):
            return found
    return None


def _stands_for(found: str, marks: list[str], words: list[str]) -> bool:
    """Can a generic claimant with these initials (`marks`) and lower-case `words` stand for
    the claimant `found`: a capitalised organisation's name holding them all?"""
    if (
        not found[:1].isupper()
        or is_generic(found)
        or not all(mark in found.split() for mark in marks)
        or not all(word in found.lower().split() for word in words)
    ):
        return False
    return not names_a_person(found) or any(_ACRONYM_WORD.fullmatch(w) for w in found.split())


def unnamed_group(f: Figure, aliases: dict[str, str]) -> Figure:
    """A count the text does not name a group for ("74 were killed", "the toll rose to 74")
    counts people: its subject is "people", as in "74 people were killed", so that rewording
    one into the other keeps the figure's identity. A subject that names no group (a day, a
    participle, a phrase opening with a preposition) counts as none."""
    if f.subject is not None and names_a_group(f.subject):
        return f
    return with_subject(f, _PEOPLE, subject_key(_PEOPLE, aliases))


# "the Office for Flood Relief (OFR)": a name the article then shortens to its initials
_ACRONYM = re.compile(r"\(([A-Z]{2,8})\)")
_NAME_BEFORE = re.compile(r"(?:[A-Z][\w’'.-]*|of|for|the|and|on)(?:\s+|$)")


def acronyms(text: str, aliases: dict[str, str]) -> dict[str, str]:
    """`aliases` plus, for each "Long Name (LN)" of `text` whose capitalised words' initials
    spell LN, the long name (lower case, with and without "the", with and without "(LN)") keyed
    as LN is: one claimant named two ways in one article keeps one key. The caller's aliases
    win."""
    if "(" not in text:
        return aliases
    table = dict(aliases)
    for short, name in _spelled_out(text):
        long = name.lower()
        key = claimant_key(short, aliases)
        if key:
            for phrase in (long, long.removeprefix("the ")):
                table.setdefault(phrase, key)
                table.setdefault(f"{phrase} ({short.lower()})", key)
    return table


def _spelled_out(text: str) -> list[tuple[str, str]]:
    """(initials, name) for each "Long Name (LN)" of `text` whose capitalised words' initials
    spell LN."""
    out: list[tuple[str, str]] = []
    for m in _ACRONYM.finditer(text):
        short = m.group(1)
        words = text[max(0, m.start() - 120) : m.start()].split()
        name: list[str] = []
        while words and _NAME_BEFORE.fullmatch(words[-1] + " "):
            name.insert(0, words.pop())
            if "".join(w[0] for w in name if w[:1].isupper()) == short:
                out.append((short, " ".join(name)))
                break
    return out


def in_full(acronym: str, text: str, named: list[str]) -> str | None:
    """ "Syrian Democratic Forces (SDF)" for a claimant "SDF" the article spelled out ("...
    Forces (SDF)") or named before (a claimant ending in capitalised words whose initials spell
    it): the name as the text gives it, for a reader; its key is the acronym's."""
    if f"({acronym})" in text:
        for short, name in _spelled_out(text):
            if short == acronym:
                return f"{name.removeprefix('the ').removeprefix('The ')} ({acronym})"
    for earlier in reversed(named):
        words = earlier.split()[-len(acronym) :]
        if len(words) == len(acronym) and "".join(w[:1] for w in words) == acronym:
            return f"{' '.join(words)} ({acronym})"
    return None


_UNIT_NOUNS = vocabulary("en").words("unit_nouns")
# "the Sixteenth Infantry", "the 33d Virginia Volunteers": a unit's name ends on a unit noun
_UNIT = re.compile(
    r"\b(?P<u>(?:(?:\d+(?:st|nd|rd|th|d)|[A-Z][\w’'-]*)\s+){1,4}?(?:"
    + "|".join(longest_first(w.capitalize() for w in _UNIT_NOUNS))
    + r"))\b"
)
# "The 2d Georgia had the longest service", "The Fourth lost 164": a unit opening a sentence
_UNIT_OPENING = re.compile(
    r"\W{0,2}The\s+(?P<u>(?:\d+(?:st|nd|rd|th|d)|[A-Z][\w’'-]*)(?:\s+[A-Z][\w’'-]*){0,3})\s+"
    r"(?:had|has|was|is|lost|suffered|fought|went|took)\b"
)
# "It lost 509 killed", "in the field, it lost 120", "it was in the wheat-field, and lost 165"
IT_LOST = re.compile(
    r"(?:^|[\s,])[Ii]t\s+(?:[^.;]{0,40}?\band\s+)?(?:had\s+|has\s+)?(?:lost|suffered)\b"
)


def unit_before(text: str, spans: list[tuple[int, int]], idx: int) -> str | None:
    """The military unit "it" stands for in sentence `idx` ("It lost 509 killed"): the unit
    the three sentences before name last, by a unit noun or as the subject opening one."""
    for j in range(idx - 1, max(-1, idx - 4), -1):
        sentence = text[spans[j][0] : spans[j][1]]
        units = list(_UNIT.finditer(sentence))
        if units:
            return " ".join(units[-1].group("u").split()).removeprefix("The ")
        opening = _UNIT_OPENING.match(sentence)
        if opening is not None:
            return " ".join(opening.group("u").split())
    return None

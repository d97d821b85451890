"""The normalised claimant key: a person by surname, an organisation by owner and short name."""

from __future__ import annotations

import re

from pipeline.figures.lang import vocabulary

# A final possessive, tested with str.endswith: the words and phrases tested hold no line break
# (where a "(?:’s|'s)$" pattern would also match).
POSSESSIVE_ENDS = ("’s", "'s")
ORG_WORDS = vocabulary("en").words("org_words")
DETS = frozenset({"a", "an", "the", "of", "and"})
_LINK_WORDS = frozenset({"a", "an", "the", "of", "and", "for", "on", "in", "at"})
_TITLES = re.compile(
    r"^(?:(?:the|ukrainian|russian|american|u\.s\.|us|british|french|german|israeli|former|then"
    r"|acting|deputy|vice|prime|president|minister|defen[cs]e|foreign|secretary|general|gen\."
    r"|lt\.|col\.|maj\.|capt\.|sgt\.|adm\.|gov\.|sen\.|rep\.|dr\.|mr\.|mrs\.|ms\.|chief|head"
    r"|commander|spokesman|spokeswoman|spokesperson|of|state|european|commission|colonel"
    r"|lieutenant|major|captain|admiral|governor|senator|mayor|premier|chancellor|king|queen)"
    r"\s+)+",
    re.IGNORECASE,
)
_SPELLINGS = vocabulary("en").mapping("claimant_spellings")
# Owners of an organisation, as a possessive or an "of the ... forces" tail: one key for
# "Ukraine's General Staff" and "General Staff of the Ukrainian Armed Forces".
_DEMONYMS = vocabulary("en").mapping("demonyms")
_OWNER_FIRST = re.compile(r"^(?P<o>[\w.-]+)(?:’s|'s)\s+(?P<rest>.+)$")
_OWNER_LAST = re.compile(
    r"^(?P<rest>.+?)\s+of\s+(?:the\s+)?(?P<o>[\w.-]+)(?:\s+(?:armed\s+forces|army|military"
    r"|forces|federation|republic|government))?$"
)
_MAX_KEY_WORDS = 5


def drop_possessive(word: str) -> str:
    return word[:-2] if word.endswith(POSSESSIVE_ENDS) else word


def claimant_key(claimant: str | None, aliases: dict[str, str] | None = None) -> str | None:
    """Normalise a claimant: a person by surname, an organisation by owner and short name.

    "Ukraine's General Staff" and "General Staff of the Ukrainian Armed Forces" share the key
    "ukrainian general staff"; names longer than five words keep their first five.
    """
    if not claimant:
        return None
    low = " ".join(claimant.lower().split())  # whitespace runs as single spaces
    if aliases and low in aliases:
        return aliases[low]
    if names_a_person(claimant):
        titles = _TITLES.match(low)
        stripped = (low[titles.end() :].strip() if titles else low) or low
        last = stripped.split()[-1].strip(".’'")
        key = _SPELLINGS.get(last, last)
    else:
        key = _org_key(low[4:] if low.startswith("the ") else low)  # low is single-spaced
    return (aliases or {}).get(key, key)


def names_a_person(claimant: str) -> bool:
    """ "Zelensky", "Kharkiv governor Oleh Syniehubov": a person, keyed by surname; not an
    organisation ("the Interior Ministry")."""
    words = claimant.split()
    is_person = (
        1 <= len(words) <= 5
        and all(w[:1].isupper() for w in words)
        and not any(drop_possessive(w.lower()).strip(".") in ORG_WORDS for w in words)
    )
    named = (
        len(words) >= 3
        and all(w[:1].isupper() and w.lower() not in ORG_WORDS for w in words[-2:])
        and any(w.islower() and w not in _LINK_WORDS for w in words[:-2])
    )  # "Kharkiv governor Oleh Syniehubov", "Interior Ministry spokesman Nasrat Rahimi"
    return is_person or named


def _org_key(low: str) -> str:
    base = _SPELLINGS.get(low, low)
    owner = ""
    m = _OWNER_FIRST.match(base)
    if m is not None and m.group("o") in _DEMONYMS:
        owner, base = _DEMONYMS[m.group("o")], m.group("rest")
    else:
        m = _OWNER_LAST.match(base) if " of " in base else None  # base is single-spaced
        if m is not None:
            o = m.group("o")
            adjective = _DEMONYMS.get(o, o if o in _DEMONYMS.values() else "")
            if adjective:
                owner, base = adjective, m.group("rest")
    head, of, _ = base.partition(" of ")
    if of and len(head.split()) >= 2 and any(w in ORG_WORDS for w in head.split()):
        base = head  # "main intelligence directorate of the ministry of defense": its own name
    words = base.split()[:_MAX_KEY_WORDS]
    while words and words[-1] in DETS:
        words.pop()
    if owner and words and words[0] == owner:
        owner = ""  # "ukrainian general staff" already names its owner
    return " ".join([owner, *words]).strip()

"""Who a figure is about (subject), the acting organisation, and normalised subject keys.

Keys are lower-case strings used for a figure's identity on a source: "North Korean troops",
"DPRK soldiers" and "soldiers from the DPRK" share one key; "President Volodymyr Zelensky"
and "Zelensky" share another. Config aliases (lower-cased phrase -> key) come first.
"""

from __future__ import annotations

import re

from pipeline.figures.claimants import ORG_WORDS as _ORG_WORDS
from pipeline.figures.claimants import WORD as _WORD
from pipeline.figures.claimants import clean_phrase as _clean
from pipeline.figures.lang import longest_first, vocabulary

_NATIONS = vocabulary("en").mapping("nations")
_HEADS = vocabulary("en").mapping("subject_heads")
_NATION_RE = re.compile(r"\b(" + "|".join(longest_first(map(re.escape, _NATIONS))) + r")\b")
_NATION_FIRST = frozenset(re.split(r"[^a-z]", k)[0] for k in _NATIONS)  # "u.s" -> "u"

_LEAD_SUBJECT = re.compile(r"^(?:of\s+)?(?:the|a|an|other|others|more|another)\s+")
_LOWER_WORDS = re.compile(r"[a-z]+")
_PLACE_TAIL = re.compile(r"\s+(?:from|in|at|near|on|inside|outside|across)\s.*$")


def _place_cut(low: str) -> str:
    return _PLACE_TAIL.sub("", low) if " " in low else low


_OWNER = re.compile(
    _NATION_RE.pattern + r"\s+(?:army|armed\s+forces|forces|troops|military|units)\b[^.;]{0,40}?"
    r"\b(?:lost|losing|loses|suffered|suffering)\b"
)
_AGENT = re.compile(
    r"(?P<x>(?:The\s+)?(?:[A-Z][\w’'.-]*\s+(?:of\s+(?:the\s+)?)?){1,7})(?:in\s+[A-Z]\w+\s+)?"
    r"(?:have\s+|has\s+|had\s+)?(?:captured|killed|took|seized|detained|abducted|kidnapped)\b"
)
# "The enemy admit a loss of 1,000": a loss owned up to names who suffered it, as "lost" does
_LOSS_VERB = re.compile(
    r"\b(?:lost|losing|loses|suffered|suffering|suffers|sustained"
    r"|(?:admit(?:s|ted)?|acknowledge[sd]?|report(?:s|ed)?)\s+(?:a\s+)?loss(?:es)?\s+of)\b"
)
_FORCE_WORDS = vocabulary("en").words("force_words")


_POSSESSIVES = frozenset({"its", "their", "our", "his", "her", "my", "your"})
_SPEAKER_NOUNS = vocabulary("en").words("speaker_words") | _ORG_WORDS
_DEMONYM_END = re.compile(r"^[A-Z][a-z]+(?:an|ian|i|ese|ish)$")  # "Armenian", "Israeli"
_POSSESSED = re.compile(r"(?:its|their)\s+(?:own\s+)?(?P<rest>\S.*)", re.IGNORECASE)
_CLAIMANT_OWNER = re.compile(
    r"^(?P<o>[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){0,2})(?:’s|'s)\s"  # "Chad's army"
    r"|\sof\s+(?:the\s+)?(?P<of>[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){0,2})$"  # "ministry of Defence"
)


def owned_subject(subject: str, claimant: str | None, person: bool) -> str | None:
    """ "its soldiers", "their own fighters" said by `claimant`: the group with its owner, the
    one who speaks of them, named as the spec's "DPRK army (soldiers)": "Hezbollah (fighters)",
    "Chad (soldiers)" for "Chad's army", "Armenian soldiers" for "Armenian officials", "Azov
    regiment (fighters)". None
    when the subject is not possessed or no owner is named (a person speaks, or no one)."""
    m = _POSSESSED.fullmatch(subject)
    if m is None or not claimant or person:
        return None
    rest = m.group("rest")
    first = claimant.split()[0].lower()
    if first in _POSSESSIVES:
        return None  # "Its military command said ... its men": the owner is not named
    if first in _NATIONS and claimant[:1].isupper():  # "Armenian officials", "Israel"
        return f"{_NATIONS[first].title()} {rest}" if " " in claimant else f"{claimant} ({rest})"
    owner = _CLAIMANT_OWNER.search(claimant)
    if owner is not None:
        return f"{owner.group('o') or owner.group('of')} ({rest})"
    words = claimant.split()
    if (
        len(words) > 1
        and _DEMONYM_END.match(words[0])
        and all(w in _SPEAKER_NOUNS for w in words[1:])
    ):
        return f"{words[0]} {rest}"  # "Armenian officials" -> "Armenian soldiers"
    if claimant[:1].isupper():
        return f"{claimant} ({rest})"  # "Hezbollah", "UNRWA", "Azov regiment"
    return None


def find_agent(sentence: str) -> str | None:
    """The organisation acting at the start of a sentence ("The Ukrainian Defense Forces ...").

    Used as claimant of a figure its own verb states ("... captured two soldiers") when no one
    is quoted. Only capitalised names holding an organisation word qualify, not "Gunmen".
    """
    m = _AGENT.match(sentence)
    if m is None:
        return None
    name = _clean(m.group("x"))
    if name is None or not any(w.lower() in _ORG_WORDS for w in name.split()):
        return None
    return name


def find_sufferer(sentence: str, pos: int) -> str | None:
    """Who "lost" or "suffered" the count at `pos`: "Iraq Army had lost 57 killed"."""
    clause = sentence[:pos]
    cut = max(clause.rfind(";"), clause.rfind(":"))
    clause = clause[cut + 1 :]
    if "los" not in clause and "suffer" not in clause and "sustained" not in clause:
        return None  # no _LOSS_VERB word
    found = list(_LOSS_VERB.finditer(clause))
    if not found:
        return None
    last = found[-1]
    tokens: list[str] = _WORD.findall(clause[: last.start()])
    while tokens and tokens[-1].lower() in ("had", "has", "have", "who", ",", "reportedly", "also"):
        tokens.pop()
    words: list[str] = []
    for tok in reversed(tokens[-6:]):
        if tok[:1].isupper() or tok.lower() in _FORCE_WORDS:
            words.append(tok)
        else:
            break
    return _clean(" ".join(reversed(words))) if words else None


def subject_key(
    subject: str | None, aliases: dict[str, str] | None = None, context: str = ""
) -> str | None:
    """Normalise a subject: nationality + head noun ("dprk troops" -> "north korean soldiers").

    `context` is the sentence before the count: "units of the DPRK army lost 30 soldiers"
    gives the bare "soldiers" their army's nationality.
    """
    if not subject:
        return None
    low = " ".join(subject.lower().split())  # whitespace runs as single spaces
    if aliases and low in aliases:
        return aliases[low]
    lead = _LEAD_SUBJECT.match(low)
    if lead:
        low = low[lead.end() :]
    if aliases and low in aliases:
        return aliases[low]
    words: list[str] = _LOWER_WORDS.findall(low)
    # A nation's first word is a run of letters of its own: without one, no search.
    nat_m = None if _NATION_FIRST.isdisjoint(words) else _NATION_RE.search(low)
    nation = _NATIONS[nat_m.group(1)] if nat_m else ""
    head = ""
    for w in reversed(words):
        if w in _HEADS:
            head = _HEADS[w]
            break
    if head and not nation and head in ("soldiers", "fighters", "officers"):
        owner = _OWNER.search(context[-160:].lower())
        if owner:
            nation = _NATIONS[owner.group(1)]
    # "pupils from the Government Girls Secondary School", "pupils from a school": where they
    # were is no part of who they are
    key = f"{nation} {head}".strip() if head else " ".join(_LOWER_WORDS.findall(_place_cut(low)))
    return (aliases or {}).get(key, key) or None

"""Who a figure is about (subject) and who states it (claimant), with normalised keys.

Keys are lower-case strings used for a figure's identity on a source: "North Korean troops",
"DPRK soldiers" and "soldiers from the DPRK" share one key; "President Volodymyr Zelensky"
and "Zelensky" share another. Config aliases (lower-cased phrase -> key) come first.
"""

from __future__ import annotations

import re

_NATIONS = {
    "dprk": "north korean", "north korea": "north korean", "north korean": "north korean",
    "north koreans": "north korean", "pyongyang": "north korean", "kim": "north korean",
    "south korea": "south korean", "south korean": "south korean",
    "russia": "russian", "russian": "russian", "russians": "russian", "kremlin": "russian",
    "ukraine": "ukrainian", "ukrainian": "ukrainian", "ukrainians": "ukrainian",
    "israel": "israeli", "israeli": "israeli", "palestinian": "palestinian",
    "iraq": "iraqi", "iraqi": "iraqi", "afghan": "afghan", "afghanistan": "afghan",
    "syria": "syrian", "syrian": "syrian", "american": "american", "us": "american",
    "u.s": "american", "american's": "american",
}  # fmt: skip
_HEADS = {
    "troops": "soldiers", "troop": "soldiers", "soldier": "soldiers", "soldiers": "soldiers",
    "servicemen": "soldiers", "serviceman": "soldiers", "servicemembers": "soldiers",
    "military": "soldiers", "army": "soldiers", "personnel": "soldiers", "forces": "soldiers",
    "fighters": "fighters", "militants": "fighters", "combatants": "fighters",
    "persons": "people", "person": "people", "individuals": "people", "people": "people",
    "civilian": "civilians", "civilians": "civilians", "children": "children",
    "child": "children", "kids": "children", "women": "women", "woman": "women",
    "men": "men", "officers": "officers", "officer": "officers", "hostages": "hostages",
    "hostage": "hostages", "prisoners": "prisoners", "pows": "prisoners", "police": "police",
    "policemen": "police", "policeman": "police", "journalists": "journalists",
}  # fmt: skip
_NATION_RE = re.compile(
    r"\b(" + "|".join(sorted(map(re.escape, _NATIONS), key=len, reverse=True)) + r")\b"
)

_SPACES = re.compile(r"\s+")
_LEAD_DETS = re.compile(r"^(?:(?:the|a|an|and|of)\s+)+", re.IGNORECASE)
_TRAIL_DETS = re.compile(r"\s+(?:the|a|an|and|of)$", re.IGNORECASE)
_POSSESSIVE = re.compile(r"(?:’s|'s)$")
_LEAD_SUBJECT = re.compile(r"^(?:of\s+)?(?:the|a|an|other|others|more|another)\s+")
_LOWER_WORDS = re.compile(r"[a-z]+")
_LEAD_THE = re.compile(r"^the\s+")
_TITLES = re.compile(
    r"^(?:(?:the|ukrainian|russian|american|u\.s\.|us|british|french|german|israeli|former|then"
    r"|acting|deputy|vice|prime|president|minister|defen[cs]e|foreign|secretary|general|gen\."
    r"|lt\.|col\.|maj\.|capt\.|sgt\.|adm\.|gov\.|sen\.|rep\.|dr\.|mr\.|mrs\.|ms\.|chief|head"
    r"|commander|spokesman|spokeswoman|spokesperson|of|state|european|commission|colonel"
    r"|lieutenant|major|captain|admiral|governor|senator|mayor|premier|chancellor|king|queen)"
    r"\s+)+",
    re.IGNORECASE,
)
_ORG_WORD_LIST = """
    ministry intelligence directorate forces staff office agency service services department
    council committee commission mission command army police government military guard media
    news times post press reuters ap afp bbc cnn tass ria interfax ukrinform ukrainska pravda
    organization organisation group cross crescent nations un ohchr who unicef hospital union
    authorities officials sources residents witnesses tv radio newspaper channel"""
_ORG_WORDS = frozenset(_ORG_WORD_LIST.split())
_SPELLINGS = {"zelenskyy": "zelensky", "zelenskiy": "zelensky", "zelenskyi": "zelensky"}

_SPEECH = (
    r"(?:said|says|say|reported|reports|report|stated|states|told|tells|claimed|claims|claim"
    r"|announced|announces|estimated|estimates|estimate|confirmed|confirms|added|adds|wrote"
    r"|writes|noted|notes|tweeted|posted|had\s+data|has\s+data|have\s+data|put|puts|places"
    r"|placed|recorded|records|documented|counted|tallied|show|shows|showed|suggest|suggests"
    r"|suggested|indicate|indicates|indicated)"
)
_ACCORDING_KEYS = ("according", "citing", "quoting", "cited by", "reported by", "per ")
_SPEECH_KEYS = (
    "said", "say", "report", "stat", "told", "tell", "claim", "announc", "estimat", "confirm",
    "add", "wrote", "writes", "note", "tweet", "posted", "data", "put", "place", "record",
    "document", "counted", "tallied", "show", "suggest", "indicat",
)  # fmt: skip
_SPEECH_RE = re.compile(rf"\b{_SPEECH}\b")
_NP_LOWER_WORDS = """
    of the and for ’s 's local senior top military police health hospital government security
    medical rights group official officials authorities source sources resident residents
    witnesses witness spokesman spokeswoman spokesperson minister ministry chief army
    intelligence agency media outlet outlets office officer officers commander commission
    mission monitors observers activists doctors medics rescuers rescue workers aid
    organization organisation newspaper tv television department interior defense defence
    foreign national regional provincial district state president governor mayor statement
    data figures monitor survivors locals villagers elder elders leader leaders tally count
    unnamed a an u.s. emergency services service staff general report study survey
    analysis junta regime rebels militants insurgents militia administration council
    prosecutors investigators paramedics volunteers spokesmen"""
_NP_LOWER = frozenset(_NP_LOWER_WORDS.split())
# Between a speaker and the verb: "Zelensky first reported", "officials on Monday said".
_SPEECH_GAP_WORDS = """
    first later also then earlier had has have officially on in last this monday tuesday
    wednesday thursday friday saturday sunday today yesterday morning night evening"""
_SPEECH_GAP = frozenset(_SPEECH_GAP_WORDS.split())
_WORD = re.compile(r"[\w’'.&-]+|[^\w\s]")
_ACCORDING = re.compile(
    r"\b(?:according\s+to|citing|quoting|cited\s+by|reported\s+by|per)\s+(?P<x>[^,.;:()“”\"]{2,90})",
    re.IGNORECASE,
)
_SAID_AFTER = re.compile(r"\b(?:said|says|told|reported|added|announced)\s+(?=[A-Z])")
_SOURCE_OF = re.compile(
    r"^(?:the\s+|a\s+|an\s+)?(?:(?:latest|new|recent|official|daily|final|preliminary|updated)\s+)?"
    r"(?:report|statement|data|figures|estimates?|tally|count|update|statistics|numbers)\s+"
    r"(?:from|of|by|released\s+by|issued\s+by|published\s+by)\s+",
    re.IGNORECASE,
)
_CUT = re.compile(
    r"\s+(?:on|in|at|that|who|which|as|during|after|before|when|while|from|to|with|about"
    r"|today|yesterday|tonight|this|last"
    r"|figures|data|statistics|estimates|reports?|tally)\b.*$",
    re.IGNORECASE,
)
_OWNER = re.compile(
    _NATION_RE.pattern + r"\s+(?:army|armed\s+forces|forces|troops|military|units)\b[^.;]{0,40}?"
    r"\b(?:lost|losing|loses|suffered|suffering)\b"
)
_AGENT = re.compile(
    r"(?P<x>(?:The\s+)?(?:[A-Z][\w’'.-]*\s+(?:of\s+(?:the\s+)?)?){1,7})(?:in\s+[A-Z]\w+\s+)?"
    r"(?:have\s+|has\s+|had\s+)?(?:captured|killed|took|seized|detained|abducted|kidnapped)\b"
)
_LOSS_VERB = re.compile(r"\b(?:lost|losing|loses|suffered|suffering|suffers|sustained)\b")
_FORCE_WORD_LIST = """
    the other allied enemy army forces force military troops soldiers units side militia
    rebels fighters police regiment brigade battalion division"""
_FORCE_WORDS = frozenset(_FORCE_WORD_LIST.split())
_DATA_NOUN = re.compile(
    r"(?:’s|'s)?\s+(?:data|figures|statistics|tally|count|estimates?|numbers|records?)$"
    r"|^(?:data|figures|statistics|numbers)$",
    re.IGNORECASE,
)
_DETS = frozenset({"a", "an", "the", "of", "and"})
_PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i", "you", "this", "that", "there"})


def find_claimant(sentence: str) -> str | None:
    """Return who the sentence says states its figures ("according to X", "X said"), or None."""
    low = sentence.lower()
    m = _ACCORDING.search(sentence) if any(k in low for k in _ACCORDING_KEYS) else None
    if m:
        source = _SOURCE_OF.sub("", m.group("x"))
        return _clean(_CUT.sub("", source))
    if not any(k in low for k in _SPEECH_KEYS):
        return None
    for sm in _SPEECH_RE.finditer(sentence):
        got = _speaker_before(sentence, sm.start())
        if got:
            return got
    for sm in _SAID_AFTER.finditer(sentence):
        words = []
        for w in _WORD.findall(sentence[sm.end() : sm.end() + 80])[:7]:
            if not (w[:1].isupper() or w in ("of", "the")):
                break
            words.append(w)
        got = _clean(" ".join(words))
        if got:
            return got
    return None


def _speaker_before(sentence: str, pos: int) -> str | None:
    """The noun phrase right before a speech verb: capitalised names and newsroom nouns."""
    tokens = _WORD.findall(sentence[max(0, pos - 160) : pos])
    while tokens and tokens[-1].lower() in _SPEECH_GAP:
        tokens.pop()  # "Zelensky first reported", "officials on Monday said"
        if tokens and tokens[-1].lower() in ("on", "in", "last", "this"):
            tokens.pop()
    if tokens and tokens[-1] == ")" and "(" in tokens:
        # "The Office for Civil Liberties (OCL) has recorded": the acronym names it
        inner = tokens[len(tokens) - tokens[::-1].index("(") : -1]
        if len(inner) == 1 and inner[0].isupper():
            return inner[0]
        del tokens[len(tokens) - 1 - tokens[::-1].index("(") :]
    if tokens and tokens[-1] == "," and tokens.count(",") >= 2:
        # "Adm. Jane Roe, head of the naval staff, estimated": the name, not the apposition
        first = len(tokens) - 1 - tokens[-2::-1].index(",") - 1
        if first > 0:
            tokens = tokens[:first]
    words: list[str] = []
    for tok in reversed(tokens[-12:]):
        if tok[:1].isupper() or _POSSESSIVE.sub("", tok.lower()) in _NP_LOWER:
            words.append(tok)
        elif tok == "from" and words:
            break  # "data from the UN shows": the source follows "from"
        elif tok in ("in", "at") and words:
            words = []  # "medics in the Jenin camp said": the place is not the speaker
        else:
            break
    phrase = " ".join(reversed(words))
    # "Mediazona's data shows", "UN figures show": the source, not its numbers
    phrase = _DATA_NOUN.sub("", phrase)
    return _clean(phrase) if phrase else None


def _clean(phrase: str) -> str | None:
    phrase = _SPACES.sub(" ", phrase).strip(" ,;:-–—'\"“”")
    phrase = _LEAD_DETS.sub("", phrase)
    phrase = _TRAIL_DETS.sub("", phrase)
    phrase = _POSSESSIVE.sub("", phrase)
    if not phrase or phrase.lower() in _PRONOUNS or len(phrase) > 100 or phrase.lower() in _DETS:
        return None
    return phrase


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
    found = list(_LOSS_VERB.finditer(clause))
    if not found:
        return None
    last = found[-1]
    tokens = _WORD.findall(clause[: last.start()])
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
    low = _SPACES.sub(" ", subject.lower()).strip()
    if aliases and low in aliases:
        return aliases[low]
    low = _LEAD_SUBJECT.sub("", low)
    if aliases and low in aliases:
        return aliases[low]
    nat_m = _NATION_RE.search(low)
    nation = _NATIONS[nat_m.group(1)] if nat_m else ""
    words = _LOWER_WORDS.findall(low)
    head = next((_HEADS[w] for w in reversed(words) if w in _HEADS), "")
    if head and not nation and head in ("soldiers", "fighters", "officers"):
        owner = _OWNER.search(context[-160:].lower())
        if owner:
            nation = _NATIONS[owner.group(1)]
    key = f"{nation} {head}".strip() if head else " ".join(words)
    return (aliases or {}).get(key, key) or None


def claimant_key(claimant: str | None, aliases: dict[str, str] | None = None) -> str | None:
    """Normalise a claimant: a person by surname, an organisation by its name in lower case."""
    if not claimant:
        return None
    low = _SPACES.sub(" ", claimant.lower()).strip()
    if aliases and low in aliases:
        return aliases[low]
    words = claimant.split()
    is_person = (
        1 <= len(words) <= 5
        and all(w[:1].isupper() for w in words)
        and not any(_POSSESSIVE.sub("", w.lower()).strip(".") in _ORG_WORDS for w in words)
    )
    if is_person:
        stripped = _TITLES.sub("", low).strip() or low
        last = stripped.split()[-1].strip(".’'")
        key = _SPELLINGS.get(last, last)
    else:
        base = _LEAD_THE.sub("", low)
        key = _SPELLINGS.get(base, base)
    return (aliases or {}).get(key, key)

"""Who states a sentence's figures (the claimant), and the normalised claimant key.

A claimant is found, in order of trust: "according to X"; a speaker before a speech verb
("the coast guard said", "Myanmar's junta claimed"); a speaker after one ("writes the regional
prosecutor's office", "said Jane Roe"); a headline label ("General Staff: ...") or a dash
credit at the end ("... — Interfax"). "citing Y" names a source of the speaker, so Y is the
claimant only when no speaker is named.
"""

from __future__ import annotations

import re

from pipeline.figures.cues import lowered

_LEAD_DETS = re.compile(r"^(?:(?:the|a|an|and|of)\s+)+", re.IGNORECASE)
# A final possessive, tested with str.endswith: the words and phrases tested hold no line break
# (where a "(?:’s|'s)$" pattern would also match).
_POSSESSIVE_ENDS = ("’s", "'s")
# A trailing full stop that is not part of initials or an abbreviation: "told AFP." -> "AFP"
_TRAIL_STOP = re.compile(r"(?<![A-Z]\.[A-Z])(?<!\b[A-Z][a-z])(?<!\b[A-Z])\.$")

ORG_WORD_LIST = """
    ministry intelligence directorate forces staff office agency service services department
    council committee commission mission command army police government military guard media
    news times post press reuters ap afp bbc cnn tass ria interfax ukrinform ukrainska pravda
    organization organisation group cross crescent nations un ohchr who unicef hospital union
    authorities officials sources residents witnesses tv radio newspaper channel brigade
    regiment prosecutor prosecutors junta embassy coast company operator airline alliance
    coalition federation foundation institute observatory network centre center watch"""
ORG_WORDS = frozenset(ORG_WORD_LIST.split())
_TITLES = re.compile(
    r"^(?:(?:the|ukrainian|russian|american|u\.s\.|us|british|french|german|israeli|former|then"
    r"|acting|deputy|vice|prime|president|minister|defen[cs]e|foreign|secretary|general|gen\."
    r"|lt\.|col\.|maj\.|capt\.|sgt\.|adm\.|gov\.|sen\.|rep\.|dr\.|mr\.|mrs\.|ms\.|chief|head"
    r"|commander|spokesman|spokeswoman|spokesperson|of|state|european|commission|colonel"
    r"|lieutenant|major|captain|admiral|governor|senator|mayor|premier|chancellor|king|queen)"
    r"\s+)+",
    re.IGNORECASE,
)
_SPELLINGS = {"zelenskyy": "zelensky", "zelenskiy": "zelensky", "zelenskyi": "zelensky"}
# Owners of an organisation, as a possessive or an "of the ... forces" tail: one key for
# "Ukraine's General Staff" and "General Staff of the Ukrainian Armed Forces".
_DEMONYMS = {
    "ukraine": "ukrainian", "russia": "russian", "israel": "israeli", "syria": "syrian",
    "iraq": "iraqi", "iran": "iranian", "america": "american", "us": "american",
    "u.s.": "american", "britain": "british", "uk": "british", "myanmar": "myanmar",
    "sudan": "sudanese", "nigeria": "nigerian", "kyiv": "ukrainian", "moscow": "russian",
}  # fmt: skip
_OWNER_FIRST = re.compile(r"^(?P<o>[\w.-]+)(?:’s|'s)\s+(?P<rest>.+)$")
_OWNER_LAST = re.compile(
    r"^(?P<rest>.+?)\s+of\s+(?:the\s+)?(?P<o>[\w.-]+)(?:\s+(?:armed\s+forces|army|military"
    r"|forces|federation|republic|government))?$"
)
_MAX_KEY_WORDS = 5

# A published report: "released its latest figures", "issued a statement".
_REPORT_OBJECT = (
    r"(?=\s+(?:(?:an?|the|its|their|new|latest)\s+)?(?:\w+\s+)?"
    r"(?:estimates?|figures|data|reports?|statement|tally|count|statistics)\b)"
)
# Grouped by first letter, so the engine tries one group per word, not every verb.
_SPEECH = (
    r"(?:a(?:dded|dds|nnounced|nnounces|cknowledged|cknowledges|dmitted|dmits)"
    r"|c(?:laimed|laims|laim|onfirmed|onfirms|ounted)"
    r"|d(?:ocumented|eclared|eclares)"
    r"|e(?:stimated|stimates|stimate)"
    r"|h(?:ad|as|ave)\s+data"
    rf"|i(?:ndicate|ndicates|ndicated|ssued{_REPORT_OBJECT})"
    r"|n(?:oted|otes)"
    rf"|p(?:osted|ut|uts|laces|laced|ublishe[ds]{_REPORT_OBJECT})"
    rf"|r(?:eported|eports|eport|ecorded|ecords|evealed|eveals|eleased{_REPORT_OBJECT})"
    r"|s(?:aid|ays|ay|tated|tates|how|hows|howed|uggest|uggests|uggested)"
    r"|t(?:old|ells|weeted|allied)"
    r"|w(?:rote|rites|arned|arns))"
)
_ACCORDING_KEYS = ("according", "citing", "quoting", "cited by", "reported by", "per ")
_SPEECH_KEYS = (
    "said", "say", "report", "stat", "told", "tell", "claim", "announc", "estimat", "confirm",
    "add", "wrote", "writes", "note", "tweet", "posted", "data", "put", "place", "record",
    "document", "counted", "tallied", "show", "suggest", "indicat", "warn", "reveal",
    "acknowledg", "admit", "declar", "releas", "publish", "issued",
)  # fmt: skip
_SPEECH_WORD_LIST = """
    said says say reported reports report stated states told tells claimed claims claim
    announced announces estimated estimates estimate confirmed confirms added adds wrote writes
    noted notes tweeted posted data put puts places placed recorded records documented counted
    tallied show shows showed suggest suggests suggested indicate indicates indicated warned
    warns revealed reveals acknowledged acknowledges admitted admits declared declares released
    published publishes issued"""
_SPEECH_WORDS = frozenset(w.encode() for w in _SPEECH_WORD_LIST.split())
_ACCORDING_WORDS = frozenset({b"according", b"citing", b"quoting", b"cited", b"reported", b"per"})
# ASCII bytes: word characters kept (letters lower-cased), every other byte a space.
_WORD_RUNS_LOWER = bytes(
    ord(chr(c).lower()) if re.fullmatch(r"\w", chr(c)) and c < 128 else 32 for c in range(256)
)
# The first-letter guard lets the scan skip most words without trying every alternative.
_SPEECH_RE = re.compile(rf"\b(?=[acdehinprstw]){_SPEECH}\b")
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
# Lower-case words that never sit inside a speaker's name: verbs, pronouns, quantities.
_NOT_SPEAKER_WORDS = """
    were was are is have has had been being be not no never also who which that this these
    those it they he she we i you there it's all some many most several dozens hundreds people
    number figure figures toll total count tally one two three four five six seven eight nine
    ten and or but while whereas than then when where as if later still only just so"""
_NOT_SPEAKER = frozenset(_NOT_SPEAKER_WORDS.split())
_DETERMINERS = frozenset({"the", "a", "an", "its", "their", "his", "her", "our"})
_MAX_GENERIC = 4
# Between a speaker and the verb: "Zelensky first reported", "officials on Monday said".
_SPEECH_GAP_WORDS = """
    first later also then earlier had has have officially on in last this monday tuesday
    wednesday thursday friday saturday sunday today yesterday morning night evening week month
    year"""
_SPEECH_GAP = frozenset(_SPEECH_GAP_WORDS.split())
WORD = re.compile(r"[\w’'.&-]+|[^\w\s]")
_ACCORDING = re.compile(
    r"\b(?P<k>according\s+to|citing|quoting|cited\s+by|reported\s+by|per)\s+"
    r"(?P<x>[^,.;:()“”\"]{2,90})",
    re.IGNORECASE,
)
_SAID_AFTER = re.compile(
    r"\b(?:said|says|told|reported|reports|added|announced|writes|wrote|claimed)\s+"
    r"(?=[A-Z]|(?:the|a|an)\s)",
    re.IGNORECASE,
)
# _SAID_AFTER for the lower-cased sentence: with IGNORECASE "[A-Z]" matches any ASCII letter,
# and also "ı" and "ſ", whose lower case is themselves.
_SAID_AFTER_LOWER = re.compile(
    r"\b(?:said|says|told|reported|reports|added|announced|writes|wrote|claimed)\s+"
    r"(?=[a-zıſ])"
)
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
# The last word of every _DATA_NOUN match.
_DATA_NOUN_WORDS = frozenset(
    {"data", "figures", "statistics", "tally", "count", "estimate", "estimates", "numbers"}
    | {"record", "records"}
)
_DATA_NOUN = re.compile(
    r"(?:’s|'s)?\s+(?:data|figures|statistics|tally|count|estimates?|numbers|records?)$"
    r"|^(?:data|figures|statistics|numbers)$",
    re.IGNORECASE,
)
_DETS = frozenset({"a", "an", "the", "of", "and"})
_ARTICLE_BEFORE = re.compile(r"\b(?:an?|the)\s+$", re.IGNORECASE)
_NOUN_AFTER = re.compile(r"\s+(?:of|from|by|for|on)\b")
_NOUN_SPEECH = frozenset(
    [
        "estimate",
        "estimates",
        "report",
        "reports",
        "claim",
        "claims",
        "count",
        "record",
        "records",
        "note",
        "notes",
        "show",
    ]
)
_LIVES_AFTER = re.compile(r"\s+(?:the\s+)?(?:[\w,.]+\s+){0,3}?li(?:ves|fe)\b", re.IGNORECASE)
_EVENT_NOUN_WORDS = """
    attack attacks strike strikes airstrike airstrikes blast blasts explosion explosions bombing
    bombings clash clashes fighting shelling fire fires flood floods flooding storm storms quake
    earthquake crash crashes collision shooting shootings violence war raid raids offensive
    assault ambush landslide cyclone hurricane typhoon tornado wildfire wildfires outbreak
    epidemic collapse stampede riots unrest"""
_EVENT_NOUNS = frozenset(_EVENT_NOUN_WORDS.split())
_LINK_WORDS = frozenset({"a", "an", "the", "of", "and", "for", "on", "in", "at"})
# Capitalised words after a final dash that label the item rather than credit a source.
_NOT_CREDIT_WORDS = """
    monday tuesday wednesday thursday friday saturday sunday today yesterday january february
    march april may june july august september october november december video photos photo
    live update updates opinion analysis report watch listen explainer breaking"""
_NOT_CREDIT = frozenset(_NOT_CREDIT_WORDS.split())
_PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i", "you", "this", "that", "there"})
# "General Staff: Russia has lost ...", "Zelensky: 'We have lost ...'"
_LABEL = re.compile(r"^(?P<x>[A-Z][\w’'.&-]*(?:\s+[\w’'.&-]+){0,6}):\s+(?P<q>[\"'“‘]?)")
# "... five wounded in a clash — Interfax", "... - Ministry of Internal Affairs"
_CREDIT = re.compile(r"\s[—–-]\s*(?P<x>[A-Z][\w’'.&-]*(?:\s+[\w’'.&-]+){0,6})\s*\.?$")


def find_claimant(sentence: str) -> str | None:
    """Return who the sentence says states its figures ("according to X", "X said"), or None."""
    same_length = lowered(sentence)  # None when lower-casing moves offsets
    low = sentence.lower() if same_length is None else same_length
    if sentence.isascii():
        # The first word of every _ACCORDING, _SPEECH_RE and _SAID_AFTER match is a whole run
        # of word characters ("had data" has "data"): without such a run, none can match. Each
        # of _SPEECH_WORDS holds one of _SPEECH_KEYS, so they stand in for that test.
        runs = sentence.encode().translate(_WORD_RUNS_LOWER).split()
        according = not _ACCORDING_WORDS.isdisjoint(runs)
        speech = not _SPEECH_WORDS.isdisjoint(runs)
    else:
        according = True
        speech = any(k in low for k in _SPEECH_KEYS)
    according = according and any(k in low for k in _ACCORDING_KEYS)
    m = _ACCORDING.search(sentence) if according else None
    source = None
    if m:
        source = clean_phrase(_CUT.sub("", _SOURCE_OF.sub("", m.group("x"))))
        if m.group("k").lower() not in ("citing", "quoting"):
            return source
    speaker = _speaker(sentence, same_length) if speech else None
    return speaker or source or _label(sentence)


def _speaker(sentence: str, low: str | None) -> str | None:
    for sm in _SPEECH_RE.finditer(sentence):
        if sm.group(0).startswith("claim") and _LIVES_AFTER.match(sentence, sm.end()):
            continue  # "the blast claimed the lives of 18": a death, not a statement
        noun = sm.group(0) in _NOUN_SPEECH and _NOUN_AFTER.match(sentence, sm.end())
        if noun or _ARTICLE_BEFORE.search(sentence, max(0, sm.start() - 6), sm.start()):
            continue  # "an estimated 150,000", "an internal estimate of": not a verb here
        got = _speaker_before(sentence, sm.start())
        if got and not _is_event(got):
            return got
    said_after = _SAID_AFTER.finditer(sentence) if low is None else _SAID_AFTER_LOWER.finditer(low)
    for sm in said_after:
        got = _speaker_after(sentence, sm.end())
        if got and not _is_event(got):
            return got
    return None


def _is_event(phrase: str) -> bool:
    """ "US-British strikes", "the blast": an event is never who states a figure."""
    return phrase.split()[-1].lower() in _EVENT_NOUNS


def _speaker_after(sentence: str, pos: int) -> str | None:
    """ "said Jane Roe", "writes the regional prosecutor's office": the phrase after the verb."""
    words: list[str] = []
    for w in WORD.findall(sentence, pos, pos + 90)[:9]:
        low = _drop_possessive(w.lower().rstrip("."))
        known = w[:1].isupper() or low in _NP_LOWER or low in _DETERMINERS or low in ORG_WORDS
        if not known and not (words and w.isalpha() and w.islower() and low not in _NOT_SPEAKER):
            break
        words.append(w)
    while words and not (words[-1][:1].isupper() or _is_org(words[-1])):
        words.pop()  # the phrase ends on a name or an organisation noun
    return clean_phrase(" ".join(words))


def _drop_possessive(word: str) -> str:
    return word[:-2] if word.endswith(_POSSESSIVE_ENDS) else word


def _is_org(word: str) -> bool:
    low = _drop_possessive(word.lower().rstrip("."))
    return low in ORG_WORDS or low in _NP_LOWER and low not in _DETS


def _label(sentence: str) -> str | None:
    """A headline's label before a colon, or a news agency credited after a final dash."""
    m = _LABEL.match(sentence) if ":" in sentence[:80] else None
    if m is not None:
        words = m.group("x").split()
        named = all(w[:1].isupper() or w.lower() in _NP_LOWER for w in words)
        if named and (any(_is_org(w) for w in words) or (m.group("q") and len(words) <= 3)):
            return clean_phrase(m.group("x"))
    tail = sentence[-80:]
    m = _CREDIT.search(sentence) if ("-" in tail or "–" in tail or "—" in tail) else None
    if m is not None:
        words = m.group("x").split()
        if words[0].lower().strip(".") not in _NOT_CREDIT and all(
            w[:1].isupper() or w.lower() in _NP_LOWER for w in words
        ):
            return clean_phrase(m.group("x"))
    return None


def _speaker_before(sentence: str, pos: int) -> str | None:
    """The noun phrase right before a speech verb: names, newsroom nouns, "the coast guard"."""
    tokens = WORD.findall(sentence, max(0, pos - 160), pos)
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
    generic = 0  # plain lower-case nouns taken: they need a determiner or a name before them
    anchored = False
    for tok in reversed(tokens[-12:]):
        low = tok.lower()
        if low.endswith(_POSSESSIVE_ENDS):
            low = low[:-2]
        if tok[:1].isupper() or low in _NP_LOWER:
            words.append(tok)
            anchored = anchored or tok[:1].isupper() or low in _DETERMINERS
        elif tok == "from" and words:
            break  # "data from the UN shows": the source follows "from"
        elif tok in ("in", "at") and words:
            words, generic, anchored = [], 0, False  # "medics in the Jenin camp said"
        elif low in _DETERMINERS:
            anchored = True  # "the coast guard", "their employer"
            break
        elif (
            tok.isalpha()
            and tok.islower()
            and low not in _NOT_SPEAKER
            and generic < _MAX_GENERIC
            and not low.endswith("ed")  # "has killed an estimated"
        ):
            words.append(tok)
            generic += 1
        else:
            break
    if generic and not anchored:
        return None  # "were killed in clashes, officials said" keeps its old reading
    phrase = " ".join(reversed(words))
    if words and words[0].lower() in _DATA_NOUN_WORDS:
        # "Mediazona's data shows", "UN figures show": the source, not its numbers
        phrase = _DATA_NOUN.sub("", phrase)
    return clean_phrase(phrase) if phrase else None


def clean_phrase(phrase: str) -> str | None:
    """Trim spaces, determiners, a possessive and a stray full stop; None when nothing is left."""
    # Whitespace runs become single spaces (str.split and \s agree on what is a space), so the
    # trailing patterns below are plain string tests: no "$" before a line break is possible.
    phrase = " ".join(phrase.split()).strip(" ,;:-–—'\"“”")
    if phrase.endswith("."):
        phrase = _TRAIL_STOP.sub("", phrase)
    lead = _LEAD_DETS.match(phrase)
    if lead:
        phrase = phrase[lead.end() :]
    head, space, last = phrase.rpartition(" ")
    if space and last.lower() in _DETS:
        phrase = head  # a trailing determiner: "the Kyiv city administration and"
    if phrase.endswith(_POSSESSIVE_ENDS):
        phrase = phrase[:-2]
    low = phrase.lower()
    if not phrase or low in _PRONOUNS or len(phrase) > 100 or low in _DETS:
        return None
    return phrase


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
    words = claimant.split()
    is_person = (
        1 <= len(words) <= 5
        and all(w[:1].isupper() for w in words)
        and not any(_drop_possessive(w.lower()).strip(".") in ORG_WORDS for w in words)
    )
    named = (
        len(words) >= 3
        and all(w[:1].isupper() and w.lower() not in ORG_WORDS for w in words[-2:])
        and any(w.islower() and w not in _LINK_WORDS for w in words[:-2])
    )  # "Kharkiv governor Oleh Syniehubov", "Interior Ministry spokesman Nasrat Rahimi"
    if is_person or named:
        titles = _TITLES.match(low)
        stripped = (low[titles.end() :].strip() if titles else low) or low
        last = stripped.split()[-1].strip(".’'")
        key = _SPELLINGS.get(last, last)
    else:
        key = _org_key(low[4:] if low.startswith("the ") else low)  # low is single-spaced
    return (aliases or {}).get(key, key)


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
    while words and words[-1] in _DETS:
        words.pop()
    if owner and words and words[0] == owner:
        owner = ""  # "ukrainian general staff" already names its owner
    return " ".join([owner, *words]).strip()
